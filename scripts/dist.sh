#!/usr/bin/env bash
# `make dist` (after `make build`): the installers, in dist/.
#   gatehouse_VERSION_amd64.deb            Debian/Ubuntu: menu entry, icon, GTK/WebKit runtime dependencies
#   gatehouse-VERSION-linux-amd64.tar.gz   any Linux: gatehouse, gatehouse-server (no window), install.sh
#   gatehouse-VERSION-windows-amd64.exe    Windows 10/11, cross-built with MinGW-w64 (go-sqlite3 needs cgo)
#   gatehouse-VERSION-setup.exe            its NSIS installer
#   SHA256SUMS
# It installs what it needs and is missing (gcc-mingw-w64-x86-64, nsis) with apt when
# root or sudo is available, as scripts/setup.sh does; without them it says so and makes
# the Linux packages only. macOS: build on a Mac with `wails build` (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=dist
BIN=build/bin/gatehouse
RELEASE=(-trimpath -ldflags "-s -w")
[ -x "$BIN" ] || { echo "dist: $BIN is missing: run make build (make dist does)" >&2; exit 1; }
version=$("$BIN" --version | cut -d' ' -f2)
rm -rf "$OUT"; mkdir -p "$OUT"

PKGS=(gcc-mingw-w64-x86-64 nsis)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo); else sudo=(false); fi
  echo "dist: installing ${missing[*]}"
  { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } ||
    echo "dist: could not install ${missing[*]} (sudo apt-get install ${missing[*]}): the Windows files will be missing" >&2
fi

echo "dist: gatehouse-server (no window, no GUI libraries)"
go build "${RELEASE[@]}" -o build/bin/gatehouse-server .
if ldd build/bin/gatehouse-server | grep -qE 'gtk|webkit'; then echo "dist: gatehouse-server links GUI libraries" >&2; exit 1; fi

echo "dist: Linux packages"
scripts/package-linux.sh deb "$BIN" "$OUT" >/dev/null
scripts/package-linux.sh tarball "$BIN" build/bin/gatehouse-server "$OUT" >/dev/null

if command -v x86_64-w64-mingw32-gcc >/dev/null && command -v x86_64-w64-mingw32-windres >/dev/null; then
  echo "dist: Windows (MinGW-w64, cgo for SQLite; WebView2 shows the window)"
  # The icon and the manifest (per-monitor DPI, common controls) as a .syso that only a
  # windows/amd64 build of the main package links; removed afterwards.
  syso=gatehouse_windows_amd64.syso
  trap 'rm -f "$syso"' EXIT
  (cd packaging && x86_64-w64-mingw32-windres -O coff -o "../$syso" gatehouse.rc)
  exe=$OUT/gatehouse-$version-windows-amd64.exe
  # -H windowsgui: no console window behind the app. The tags are Wails' for a release
  # build (the same as `wails build`: desktop, production).
  CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ GOOS=windows GOARCH=amd64 \
    go build -tags desktop,production -trimpath -ldflags "-s -w -H windowsgui" -o "$exe" .
  rm -f "$syso"
  if command -v makensis >/dev/null; then
    echo "dist: Windows installer (NSIS)"
    (cd packaging && makensis -V2 -DVERSION="$version" -DEXE="$PWD/../$exe" \
      -DOUT="$PWD/../$OUT/gatehouse-$version-setup.exe" gatehouse.nsi)
  else
    echo "dist: makensis is missing (sudo apt-get install nsis): no Windows installer" >&2
  fi
else
  echo "dist: MinGW-w64 is missing (sudo apt-get install gcc-mingw-w64-x86-64): no Windows build" >&2
fi

(cd "$OUT" && sha256sum -- * > SHA256SUMS)
echo "dist: done:"
ls -l "$OUT"
