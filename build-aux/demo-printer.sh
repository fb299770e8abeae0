#!/usr/bin/env bash
# The demo's printer: a private cupsd under the demo folder, with two PDF
# queues, so that a newcomer issues a PIN end to end with no hardware.
# Nothing under /etc/cups or the system spool is touched; stopped by PID.
#
#   source build-aux/demo-printer.sh; demo_printer_start DIR; …; demo_printer_stop
#
# Each job lands as its own PDF in DIR/printed/ (a small backend writes it:
# cupsd 2.4.2-3+deb12u10 opens a file: device without truncating it, so
# one output file would mix the jobs). This PDF queue is the demo's fake
# printer; the app itself never writes the envelope to a file.
# Sets CUPS_SERVER and SP_DEMO_ENVELOPE_PRINTER / SP_DEMO_DOCUMENT_PRINTER.

demo_printer_start () {
  local d=$1/cups out=$1/printed ppd=/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd
  if [[ $(id -u) != 0 || ! -x /usr/sbin/cupsd || ! -f $ppd ]]; then
    return 1    # cupsd needs root here; the system's printers are used then
  fi
  mkdir -p "$d"/{etc/ppd,etc/ssl,spool/tmp,cache,state/certs,log,lib/backend} "$out"
  chmod 755 "$1" "$d" "$d/etc"
  chmod 710 "$d/spool"; chgrp lp "$d/spool" "$d/cache" "$d/spool/tmp"; chmod 1770 "$d/spool/tmp"
  chmod 777 "$out"
  # The system's filters and helpers, and one backend of our own.
  for sub in cgi-bin daemon driver filter monitor notifier; do
    ln -sfn "/usr/lib/cups/$sub" "$d/lib/$sub"
  done
  cat >"$d/lib/backend/demo-pdf" <<'BACKEND'
#!/bin/sh
# demo-pdf:/folder — each job to /folder/<time>-<job>-<user>.pdf
if [ $# -eq 0 ]; then echo 'file demo-pdf "Unknown" "Sportello PIN demo PDF printer"'; exit 0; fi
umask 022
dir=${DEVICE_URI#demo-pdf:}
name=$dir/$(date +%Y%m%d-%H%M%S)-job$1.pdf
if [ -n "$6" ]; then cat "$6" >"$name"; else cat >"$name"; fi
BACKEND
  chmod 755 "$d/lib/backend/demo-pdf"
  cat >"$d/etc/cups-files.conf" <<CONF
ServerRoot $d/etc
RequestRoot $d/spool
TempDir $d/spool/tmp
CacheDir $d/cache
StateDir $d/state
ErrorLog $d/log/error_log
AccessLog $d/log/access_log
PageLog $d/log/page_log
ServerBin $d/lib
DataDir /usr/share/cups
User lp
Group lp
SystemGroup root lpadmin
Printcap $d/printcap
CONF
  cat >"$d/etc/cupsd.conf" <<CONF
LogLevel info
Listen $d/cups.sock
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
  chmod 640 "$d/etc/cups-files.conf" "$d/etc/cupsd.conf"
  /usr/sbin/cupsd -f -c "$d/etc/cupsd.conf" -s "$d/etc/cups-files.conf" >"$d/log/stdout" 2>&1 &
  demo_cupsd_pid=$!
  export CUPS_SERVER=$d/cups.sock
  local ok=
  for _ in $(seq 100); do
    if lpstat -r >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.05
  done
  [[ -n $ok ]] || { demo_printer_stop; return 1; }
  for q in Envelopes:"Demo envelopes (PDF)" Documents:"Demo documents (PDF)"; do
    for _ in $(seq 40); do
      lpadmin -p "Demo${q%%:*}" -E -v "demo-pdf:$out" -P "$ppd" -D "${q#*:}" 2>/dev/null && break
      sleep 0.05
    done
  done
  export SP_DEMO_ENVELOPE_PRINTER=DemoEnvelopes SP_DEMO_DOCUMENT_PRINTER=DemoDocuments
}

demo_printer_stop () {
  if [[ -n ${demo_cupsd_pid:-} ]]; then
    kill "$demo_cupsd_pid" 2>/dev/null
    wait "$demo_cupsd_pid" 2>/dev/null
    demo_cupsd_pid=
  fi
}
