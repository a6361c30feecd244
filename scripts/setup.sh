#!/usr/bin/env bash
# Installs what `make run` and `make test` need and is missing: Debian packages (when root
# or sudo is available; otherwise it prints the exact command and stops), the npm packages
# of frontend/ and e2e/, and the Go modules. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev xvfb xauth xdotool imagemagick
      dbus-daemon gnome-keyring libsecret-tools fonts-liberation chromium poppler-utils
      desktop-file-utils curl postgresql)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  cmd=(apt-get install -y -qq --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo); else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them with:  sudo apt-get update && sudo ${cmd[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" "${cmd[@]}"
fi

command -v go >/dev/null || { echo "setup: Go is missing: install Go 1.26 from https://go.dev/dl/ and put it on PATH" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js (20.19 or newer) and npm are missing: sudo apt-get install nodejs npm" >&2; exit 1; }

# npm ci only when package-lock.json changed since the last install.
for dir in frontend e2e; do
  if [ ! -f "$dir/node_modules/.installed" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.installed" ]; then
    echo "setup: npm ci in $dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules/.installed"
  fi
done

go mod download
