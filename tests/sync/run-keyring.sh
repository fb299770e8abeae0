#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test in a private session bus with an unlocked gnome-keyring,
# whose keyrings live in a throwaway home: the real Secret Service, not a
# stand-in, and nothing left in the user's keyring.
set -eu
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"
unset SP_NO_SECRET_SERVICE
dbus-run-session -- sh -c '
  printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@"
