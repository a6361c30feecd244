#!/usr/bin/env bash
# The package suite of `make test`: packs the desktop binary `make build` made into the
# .deb (as `make dist` does, without rebuilding), unpacks it into an empty folder with
# dpkg -x, checks what it holds and depends on, and runs the unpacked gatehouse: --version,
# then `serve` on a free loopback port with an empty data folder, GET /api/status, and a
# SIGTERM that must end it cleanly (status 0).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GATEHOUSE_BIN:-build/bin/gatehouse}
[ -x "$BIN" ] || { echo "dist smoke: $BIN is missing: run make build first"; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "dist smoke: FAIL: $*"; [ -f "$tmp/serve.out" ] && { echo "--- serve said:"; cat "$tmp/serve.out" "$tmp/serve.err"; }; exit 1; }

deb=$(DEB_COMPRESS=gzip scripts/package-linux.sh deb "$BIN" "$tmp/out")
echo "dist smoke: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

depends=$(dpkg-deb -f "$deb" Depends)
for need in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [[ $depends == *"$need"* ]] || fail "Depends ($depends) lacks $need"
done
[[ $depends != *-dev* ]] || fail "Depends names a -dev package: $depends"

root=$tmp/root
dpkg -x "$deb" "$root"
for f in usr/bin/gatehouse usr/share/applications/gatehouse.desktop usr/share/icons/hicolor/256x256/apps/gatehouse.png; do
  [ -f "$root/$f" ] || fail "the package lacks /$f"
done
grep -qx 'Exec=gatehouse' "$root/usr/share/applications/gatehouse.desktop" || fail "the menu entry does not start gatehouse"
grep -qx 'Icon=gatehouse' "$root/usr/share/applications/gatehouse.desktop" || fail "the menu entry has not the icon"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/gatehouse.desktop" || fail "the menu entry is not valid"
fi

gh=$root/usr/bin/gatehouse
version=$("$gh" --version) || fail "gatehouse --version failed"
[[ $version =~ ^gatehouse\ [0-9]+\.[0-9]+\.[0-9]+\ \(desktop\)$ ]] || fail "unexpected --version: $version"
number=$(echo "$version" | cut -d' ' -f2)
echo "dist smoke: $version"

# No test code ships: no test-only module (go version -m), and none of the test packages'
# functions (their names stay in a stripped Go binary's function table).
if mods=$(go version -m "$gh" | grep -E 'stripe-mock|kin-openapi|santhosh-tekuri|xeipuuv'); then fail "test-only modules in the binary: $mods"; fi
if grep -a -q -E 'gatehouse/backend/testkit|net/http/httptest\.|testing\.tRunner' "$gh"; then fail "test packages are linked into the binary"; fi

# Debug symbols are left out of what ships.
if command -v readelf >/dev/null && readelf -S "$gh" | grep -q '\.symtab'; then fail "the packaged binary is not stripped"; fi

data=$tmp/data
"$gh" serve --addr 127.0.0.1:0 --data "$data" --insecure-file-secrets >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
url=
for _ in $(seq 1 150); do
  url=$(grep -oE 'serving on http://127\.0\.0\.1:[0-9]+' "$tmp/serve.out" | sed 's/serving on //') || true
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || fail "serve exited before serving"
  sleep 0.2
done
[ -n "$url" ] || fail "serve did not say where it serves within 30 s"
status=$(curl -fsS --max-time 10 "$url/api/status") || fail "GET $url/api/status failed"
[[ $status == *'"setupRequired":true'* ]] || fail "an empty data folder should ask for setup: $status"
[[ $status == *"\"version\":\"$number\""* ]] || fail "/api/status does not say version $number: $status"
echo "dist smoke: $url/api/status answered ${status:0:60}…"
[ -f "$data/gatehouse.db" ] || fail "serve made no database in the data folder"

kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=
[ "$code" = 0 ] || fail "serve exited with $code after SIGTERM"
echo "dist smoke: serve stopped cleanly; the unpacked package works"
