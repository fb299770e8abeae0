#!/usr/bin/env bash
# Runs sportello-pin against a local sportello-central on SQLite with demo
# data. Called by `build-aux/dev demo` after the build.
#
# Everything lives in ${SP_DEMO_DIR:-~/.local/share/sportello-pin-demo}:
# central.db (the central database) and the app's own data under xdg/, so a
# second run finds the work of the first. Remove that folder to start over.
set -euo pipefail
top=$1
build_dir=$2
shift 2
demo_dir=${SP_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/sportello-pin-demo}
central=$build_dir/src/central/sportello-central
app=$build_dir/src/app/sportello-pin
mkdir -p "$demo_dir"

log () { printf '\033[1mdemo:\033[0m %s\n' "$*" >&2; }

if [[ ! -x $central ]]; then
  log "this build has no sportello-central: the app runs on its own"
  export XDG_DATA_HOME=$demo_dir/xdg/data XDG_CONFIG_HOME=$demo_dir/xdg/config XDG_CACHE_HOME=$demo_dir/xdg/cache
  export GSETTINGS_SCHEMA_DIR=$build_dir/data GSETTINGS_BACKEND=keyfile
  exec "$app" "$@"
fi

if [[ ! -f $demo_dir/central.db ]]; then
  log "seeding a central database with fictitious citizens and demo operators"
  "$central" seed-demo --citizens 2000 --database "$demo_dir/central.db"
fi

# The demo's printer: a private cupsd with two PDF queues under the demo
# folder (build-aux/demo-printer.sh), so a PIN can be issued end to end.
source "$top/build-aux/demo-printer.sh"

out=$(mktemp)
"$central" serve --listen 127.0.0.1:0 --database "$demo_dir/central.db" >"$out" 2>"$demo_dir/central.log" &
central_pid=$!
stop_central () { kill "$central_pid" 2>/dev/null; wait "$central_pid" 2>/dev/null; rm -f "$out"; demo_printer_stop; }
trap stop_central EXIT
trap 'exit 1' INT TERM
url=
for _ in $(seq 100); do
  url=$(head -n1 "$out" | sed -n 's/^listening on //p')
  [[ -n $url ]] && break
  kill -0 "$central_pid" 2>/dev/null || { cat "$demo_dir/central.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $url ]] || { log "central did not start"; exit 1; }
log "central at $url (log: $demo_dir/central.log)"
log "log in as operator 'demo', password 'demo' (supervisor: 'super'/'super'), sede 0700"

# The app's settings, store and cache stay inside the demo folder.
export XDG_DATA_HOME=$demo_dir/xdg/data
export XDG_CONFIG_HOME=$demo_dir/xdg/config
export XDG_CACHE_HOME=$demo_dir/xdg/cache
export GSETTINGS_SCHEMA_DIR=$build_dir/data
# The settings in a key file inside the demo folder
# (xdg/config/glib-2.0/settings/keyfile): the session's dconf would write
# them to the real ~/.config, where this run does not read them.
export GSETTINGS_BACKEND=keyfile
export SPORTELLO_CENTRAL_URL=$url
# The Italian catalogue of this build, and the SANE test device beside any
# real scanner, so a request can be completed without hardware.
export SP_LOCALEDIR=$build_dir/po
mkdir -p "$demo_dir/sane.d"
{ cat /etc/sane.d/dll.conf 2>/dev/null; echo test; } >"$demo_dir/sane.d/dll.conf"
printf 'number_of_devices 1\nmode Gray\nresolution 150\ntest-picture "Color pattern"\nbr_x 210\nbr_y 297\n' \
  >"$demo_dir/sane.d/test.conf"
export SANE_CONFIG_DIR=$demo_dir/sane.d:
schema=io.github.sportellopin.SportelloPin
if demo_printer_start "$demo_dir/printer"; then
  # Chosen once for the demo, as Preferences → Printers would; an operator's
  # own choice is kept.
  for key in envelope-printer:$SP_DEMO_ENVELOPE_PRINTER document-printer:$SP_DEMO_DOCUMENT_PRINTER; do
    if [[ $(gsettings get $schema "${key%%:*}" 2>/dev/null) == "''" ]]; then
      gsettings set $schema "${key%%:*}" "${key#*:}" 2>/dev/null || true
    fi
  done
  log "printers: DemoEnvelopes and DemoDocuments, a private CUPS; each printed page lands as a PDF in"
  log "  $demo_dir/printer/printed/ (choose them in Preferences → Printers if they are not chosen yet)"
else
  log "printers: this machine's CUPS (the demo's own needs root); choose them in Preferences → Printers"
fi
# The demo operators are of sede 0700; an operator's own choice is kept.
if [[ $(gsettings get $schema sede-code 2>/dev/null) == "''" ]]; then
  gsettings set $schema sede-code 0700 2>/dev/null || true
fi
log "scanners: yours and the SANE test device"
# Citizens to try (fictitious, from the demo registry) that have no PIN
# yet: four adults and a minor (for whom a parent applies).
if command -v sqlite3 >/dev/null; then
  log "citizens to try (codice fiscale, name, born):"
  sqlite3 -separator '|' "$demo_dir/central.db" \
    "SELECT * FROM (SELECT cf, name, surname, birth_date FROM citizens WHERE fictitious = 1
       AND birth_date < date('now', '-18 years')
       AND cf NOT IN (SELECT cf FROM issuances WHERE status = 'active') ORDER BY random() LIMIT 4)
     UNION ALL SELECT * FROM (SELECT cf, name, surname, birth_date || ' (a minor)' FROM citizens
       WHERE fictitious = 1 AND birth_date > date('now', '-16 years') ORDER BY random() LIMIT 1)" 2>/dev/null |
    while IFS='|' read -r cf name surname born; do log "  $cf  $name $surname, born $born"; done
fi
if [[ -z ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
  log "no display: running under Xvfb (screenshots only)"
  exec_prefix=(xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session --)
else
  exec_prefix=()
fi
"${exec_prefix[@]}" "$app" "$@"
