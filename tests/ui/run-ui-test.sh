#!/usr/bin/env bash
# Runs one UI test script in its own X server and D-Bus session, in the
# order HARNESS.md found to work (the X server outside dbus-run-session).
# Xvfb picks a free display itself (-displayfd): xvfb-run -a guesses one,
# and two test runs at once can guess the same.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
unset NO_AT_BRIDGE
export PYTHONPATH=$here${PYTHONPATH:+:$PYTHONPATH}
# fatal-warnings is for the app (spui passes it on); the driver's own
# libraries (pyatspi, dbind) warn about the session starting and stopping.
export SP_APP_G_DEBUG=${G_DEBUG:-}
unset G_DEBUG

work=$(mktemp -d)
xvfb_pid=
cleanup () {
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkfifo "$work/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
read -r -t 30 display <"$work/display" || { cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=:$display
dbus-run-session -- /usr/bin/python3 "$@"
