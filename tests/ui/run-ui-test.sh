#!/usr/bin/env bash
# Runs one UI test script in its own X server and D-Bus session, in the
# order HARNESS.md found to work (xvfb-run outside dbus-run-session).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
unset NO_AT_BRIDGE
export PYTHONPATH=$here${PYTHONPATH:+:$PYTHONPATH}
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- /usr/bin/python3 "$@"
