#!/usr/bin/env bash
# Runs a command inside a virtual display (when there is none), a private D-Bus session and
# an unlocked gnome-keyring with a fresh keyring folder, so GUI and keychain tests use the
# real things and leave no daemons behind.
set -euo pipefail
KR=$(mktemp -d)
trap 'rm -rf "$KR"' EXIT
mkdir -m 700 "$KR/run" "$KR/data"
export XDG_DATA_HOME=$KR/data XDG_RUNTIME_DIR=$KR/run
inner='echo -n gatehouse-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"'
if [ -n "${DISPLAY:-}" ] && [ -z "${GATEHOUSE_FORCE_XVFB:-}" ]; then
  dbus-run-session -- sh -c "$inner" sh "$@"
else
  xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- sh -c "$inner" sh "$@"
fi
