#!/usr/bin/env bash
# `make run`: the window when there is a display, else `serve` on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec ./build/bin/gatehouse "$@"
fi
echo "No display found: serving the Gatehouse UI in the browser instead."
exec ./build/bin/gatehouse serve "$@"
