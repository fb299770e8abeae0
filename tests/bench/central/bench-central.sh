#!/usr/bin/env bash
# Central under load with wrk on loopback, side by side with the loopback
# ceilings in the same run: a bare libmicrohttpd server answering a fixed
# JSON document and nginx serving a static JSON file. Then central on
# SQLite and PostgreSQL: citizen lookups/s (and their ratio to the bare
# server), issuances/s and p99, RSS before and after 100,000 requests,
# PIN verifications/s (per core) at the policy's Argon2id cost,
# /v1/status p99 while /v1/sessions and /v1/auth/pin are flooded (with
# the production limits), and two instances on one PostgreSQL against
# one. Each load is bounded to seconds. Prints "name: value unit" lines.
set -euo pipefail
build=${SP_BUILD_ROOT:?}
central=$build/src/central/sportello-central
bare=${SP_BARE_MHD:-$build/tests/central/bare-mhd}
seconds=${SP_BENCH_SECONDS:-6}
cores=$(nproc)
work=$(mktemp -d)
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
here=$(cd "$(dirname "$0")" && pwd)
# The throughput runs measure the server, not its login rate limits.
unlimited='ip_burst=1000000,ip_rate=1000000,account_burst=1000000,account_rate=1000000,hash_queue=64'

# wrk's summary: "Requests/sec: N" and, with --latency, "99% N.NNms".
report () {
  local name=$1 file=$2
  awk -v n="$name" '/Requests\/sec/ {printf "%s_per_second: %.0f req/s\n", n, $2}
    /^ +99%/ {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
              if (u=="us") v/=1000; if (u=="s") v*=1000; printf "%s_p99: %.1f ms\n", n, v}
    /Non-2xx/ {printf "%s_non_2xx: %d responses\n", n, $NF}' "$file"
}
rate () { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
rss () { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# Starts a server command whose first line is "listening on URL";
# sets $url and $pid.
start () {
  local out=$work/out.$RANDOM
  "$@" >"$out" 2>>"$work/log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$out")
  [[ -n $url ]] || { echo "server did not start: $*" >&2; cat "$work/log" >&2; exit 1; }
}
stop () { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
token_of () {
  curl -s -X POST "$1/v1/sessions" -d '{"username":"demo","password":"demo"}' \
    | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# ---- the ceilings ----
start "$bare"
wrk -t2 -c32 -d"${seconds}s" --latency "$url/" >"$work/bare.txt"
report bare_libmicrohttpd "$work/bare.txt"
bare_rate=$(rate "$work/bare.txt")
stop "$pid"

mkdir -p "$work/nginx/www" "$work/nginx/logs"
chmod 755 "$work" "$work/nginx" "$work/nginx/www"
echo '{"status":"ok","version":"bench","time":"2026-01-01T00:00:00.000Z"}' >"$work/nginx/www/status.json"
chmod 644 "$work/nginx/www/status.json"
nginx_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $cores;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/www;
    location / { default_type application/json; add_header Cache-Control no-store; }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
nginx_pid=$!
pids+=("$nginx_pid")
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/status.json" >/dev/null && break; sleep 0.1; done
wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$nginx_port/status.json" >"$work/nginx.txt"
report nginx_static "$work/nginx.txt"
stop "$nginx_pid"

# ---- one backend: seed, serve, load ----
make_template () {
  local verifier
  verifier=$("$build/tests/central/make-verifier" | cut -d' ' -f2)
  /usr/bin/python3 - "$work/template.json" "$verifier" <<'PY'
import json, sys
body = {"id": "@ID@", "cf": "@CF@", "issued_at": "2026-01-01T10:00:00.000Z", "clock_skew_ms": 0,
        "sede": "0700", "operator": "demo", "workstation": "bench", "kind": "dispositivo", "offline": False,
        "verifier": sys.argv[2],
        "citizen": {"cf": "@CF@", "surname": "Rossi", "name": "Mario", "sex": "M", "birth_date": "1980-01-01",
                    "birth_place": "H501", "residence": None, "phone": None, "email": None},
        "applicant": {"role": "self", "person": None},
        "document": {"type": "cie", "number": "CA12345AB", "issuer": "Comune di Roma",
                     "issued_on": "2020-01-01", "expires_on": "2030-01-01"},
        "attachments": [], "attested_in_person": True}
open(sys.argv[1], "w").write(json.dumps(body))
PY
}

run_backend () {
  local backend=$1 database=$2
  "$central" seed-demo --citizens 20000 --database "$database"
  if [[ $backend == sqlite ]]; then sqlite3 "$database" 'SELECT cf FROM citizens' >"$work/cfs"
  else psql "$database" -qAt -c 'SELECT cf FROM citizens' >"$work/cfs"; fi
  SP_CENTRAL_LIMITS=$unlimited start "$central" serve --listen 127.0.0.1:0 --database "$database"
  export SP_TOKEN
  SP_TOKEN=$(token_of "$url")
  make_template

  wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/issuance.lua" "$url" -- "$work/template.json" "$work/cfs" \
    >"$work/issuance.txt"
  report "${backend}_issuances" "$work/issuance.txt"
  wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/lookup.lua" "$url" -- "$work/cfs" >"$work/lookup.txt"
  report "${backend}_lookups" "$work/lookup.txt"
  awk -v c="$(rate "$work/lookup.txt")" -v b="$bare_rate" -v n="$backend" \
    'BEGIN {printf "%s_lookups_vs_bare_libmicrohttpd: %.2f ratio\n", n, c / b}'

  # RSS over at least 100,000 lookups (wrk runs for a time: the count
  # is printed), then as many again: flat means no growth per request.
  local before after count
  before=$(rss "$pid")
  wrk -t2 -c32 -d"$((seconds * 2))s" -s "$here/lookup.lua" "$url" -- "$work/cfs" >"$work/rss1.txt"
  count=$(awk '/requests in/ {print $1}' "$work/rss1.txt")
  while (( count < 100000 )); do
    wrk -t2 -c32 -d"${seconds}s" -s "$here/lookup.lua" "$url" -- "$work/cfs" >"$work/rss1.txt"
    count=$((count + $(awk '/requests in/ {print $1}' "$work/rss1.txt")))
  done
  after=$(rss "$pid")
  echo "${backend}_rss_before_lookups: $((before / 1024)) MiB"
  echo "${backend}_rss_after_${count}_lookups: $((after / 1024)) MiB"
  wrk -t2 -c32 -d"$((seconds * 2))s" -s "$here/lookup.lua" "$url" -- "$work/cfs" >"$work/rss2.txt"
  count=$((count + $(awk '/requests in/ {print $1}' "$work/rss2.txt")))
  echo "${backend}_rss_after_${count}_lookups: $(($(rss "$pid") / 1024)) MiB"

  # Every wrong PIN costs one Argon2id at the policy's cost.
  wrk -t1 -c8 -d"${seconds}s" -s "$here/pin.lua" "$url" -- "$work/cfs" >"$work/pin.txt"
  report "${backend}_auth_pin" "$work/pin.txt"
  awk -v r="$(rate "$work/pin.txt")" -v c="$cores" -v n="$backend" \
    'BEGIN {printf "%s_pin_verifications_per_core: %.1f verifications/s\n", n, r / c}'
  stop "$pid"
}

run_backend sqlite "$work/c.db"

# ---- the status probe while logins and PIN checks are flooded ----
# Production limits: the floods get 429 (per address, per account).
start "$central" serve --listen 127.0.0.1:0 --database "$work/c.db"
SP_TOKEN=$(token_of "$url")
wrk -t1 -c8 -d"$((seconds + 2))s" -s "$here/flood-login.lua" "$url" >"$work/flood-login.txt" &
f1=$!
wrk -t1 -c8 -d"$((seconds + 2))s" -s "$here/pin.lua" "$url" -- "$work/cfs" >"$work/flood-pin.txt" &
f2=$!
sleep 1
wrk -t1 -c8 -d"${seconds}s" --latency "$url/v1/status" >"$work/status.txt"
wait $f1 $f2
report status_under_login_and_pin_flood "$work/status.txt"
report flood_sessions "$work/flood-login.txt"
report flood_auth_pin "$work/flood-pin.txt"
stop "$pid"

if [[ ${SP_BENCH_POSTGRESQL:-1} == 1 ]]; then
  pg=$(cd "$here/../../central" && /usr/bin/python3 -c 'import pgcluster; c = pgcluster.Cluster(); print(c.new_database(), c.dir)')
  pg_url=${pg% *}; pg_dir=${pg#* }
  run_backend postgresql "$pg_url"

  # One instance against two on the same database, the same load: two
  # wrk processes of 16 connections each.
  SP_CENTRAL_LIMITS=$unlimited start "$central" serve --listen 127.0.0.1:0 --database "$pg_url"
  a_url=$url; a_pid=$pid
  SP_TOKEN=$(token_of "$a_url")
  wrk -t1 -c16 -d"${seconds}s" -s "$here/issuance.lua" "$a_url" -- "$work/template.json" "$work/cfs" >"$work/one1.txt" &
  w1=$!
  wrk -t1 -c16 -d"${seconds}s" -s "$here/issuance.lua" "$a_url" -- "$work/template.json" "$work/cfs" >"$work/one2.txt"
  wait $w1
  one=$(( $(rate "$work/one1.txt") + $(rate "$work/one2.txt") ))
  SP_CENTRAL_LIMITS=$unlimited start "$central" serve --listen 127.0.0.1:0 --database "$pg_url"
  b_url=$url
  b_token=$(token_of "$b_url")
  wrk -t1 -c16 -d"${seconds}s" -s "$here/issuance.lua" "$a_url" -- "$work/template.json" "$work/cfs" >"$work/two1.txt" &
  w1=$!
  SP_TOKEN=$b_token wrk -t1 -c16 -d"${seconds}s" -s "$here/issuance.lua" "$b_url" -- "$work/template.json" \
    "$work/cfs" >"$work/two2.txt"
  wait $w1
  two=$(( $(rate "$work/two1.txt") + $(rate "$work/two2.txt") ))
  echo "postgresql_issuances_one_instance: $one req/s"
  echo "postgresql_issuances_two_instances: $two req/s"
  awk -v a="$one" -v b="$two" 'BEGIN {printf "postgresql_two_instances_vs_one: %.2f ratio\n", b / a}'
  stop "$pid"; stop "$a_pid"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
fi
