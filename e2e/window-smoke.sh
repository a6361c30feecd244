#!/usr/bin/env bash
# Window smoke test: the built desktop binary in a real window (run it inside
# scripts/with-desktop.sh, which provides Xvfb, D-Bus and the keyring). It finds the window
# with xdotool, fills in the first-run form by keyboard, saves a screenshot under build/,
# signs in, and proves the page inside the window reached the Go handler by reading the
# backend's request log: the first GET /api/status, the POST /api/setup carrying the typed
# form, the sign-in, /api/me answered with the bearer token, and the chat badge polling.
# Then, on a data folder whose database is damaged, a window says why Gatehouse cannot
# start (someone who started it from a menu has no terminal), and the app exits with 1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GATEHOUSE_BIN:-build/bin/gatehouse}
DATA=$(mktemp -d)
LOG=build/window-smoke.log
SHOT=build/window-smoke.png
mkdir -p build
rm -f "$LOG" "$SHOT"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
fail() { echo "window smoke: FAIL: $*"; echo "--- backend log:"; tail -n 30 "$LOG" || true; exit 1; }

"$BIN" --data "$DATA" 2>"$LOG" &
pid=$!

# Poll rather than `xdotool search --sync`: a transient window (GTK creates and destroys
# some at start) can vanish mid-query, and xdotool then aborts with BadWindow.
wid=
for _ in $(seq 1 120); do
  wid=$(xdotool search --onlyvisible --name '^Gatehouse$' 2>/dev/null | head -n1) || true
  [ -n "$wid" ] && break
  kill -0 "$pid" 2>/dev/null || fail "the app exited before its window appeared"
  sleep 0.5
done
[ -n "$wid" ] || fail "no visible window named Gatehouse within 60 s"
echo "window smoke: window $wid is up"

wait_log() { # pattern, what
  for _ in $(seq 1 150); do grep -qE "$1" "$LOG" && return 0; kill -0 "$pid" 2>/dev/null || fail "the app exited while waiting for $2"; sleep 0.2; done
  fail "the backend never logged $2"
}
wait_log 'method=GET path=/api/status status=200' "the page's first request (GET /api/status)"
echo "window smoke: the page inside the window reached the Go handler (GET /api/status)"

# Give the setup screen a moment to render, then type the owner's details. The name field
# has focus on load; Tab moves through the form, Enter submits.
sleep 2
xdotool windowactivate --sync "$wid" 2>/dev/null || xdotool windowfocus --sync "$wid"
type() { xdotool type --delay 15 --window "$wid" "$1"; }
type 'Window Owner';            xdotool key --window "$wid" Tab
type 'window.owner@example.com'; xdotool key --window "$wid" Tab
type 'a window-typed passphrase'; xdotool key --window "$wid" Tab
type 'a window-typed passphrase'; xdotool key --window "$wid" Return
wait_log 'method=POST path=/api/setup status=201' "the window's POST /api/setup with the typed form"
echo "window smoke: the form typed into the window created the owner (POST /api/setup 201)"
# The sign-in screen comes next with the email filled in and the password focused.
sleep 1.5
type 'a window-typed passphrase'; xdotool key --window "$wid" Return
wait_log 'method=POST path=/api/sessions status=201' "the window's sign-in (POST /api/sessions 201)"
wait_log 'method=GET path=/api/me status=200' "the signed-in shell loading /api/me with the bearer token"
echo "window smoke: signed in inside the window; /api/me answered with the bearer token"
# Polling works inside the window: the Chat unread badge asks GET /api/chat every 5 s, so
# the log shows it at least twice without anyone touching the window.
for _ in $(seq 1 100); do
  [ "$(grep -cE 'method=GET path=/api/chat status=200' "$LOG")" -ge 2 ] && break
  kill -0 "$pid" 2>/dev/null || fail "the app exited while waiting for chat polling"
  sleep 0.2
done
[ "$(grep -cE 'method=GET path=/api/chat status=200' "$LOG")" -ge 2 ] || fail "the window did not poll GET /api/chat twice within 20 s"
echo "window smoke: the window polls (GET /api/chat answered twice without a reload)"
sleep 1.5
import -window root "$SHOT" || fail "could not take a screenshot"
colors=$(convert "$SHOT" -format '%k' info:)
[ "$colors" -gt 20 ] || fail "the screenshot has only $colors colours: the window looks blank"
echo "window smoke: screenshot $SHOT ($colors colours)"

kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=
[ "$code" = 0 ] || fail "the app exited with $code after SIGTERM (expected 0)"
ls "$DATA/gatehouse.db" >/dev/null || fail "no database in the data folder"

# The same folder, damaged: garbage over pages 2 to 5 of the database.
dd if=/dev/urandom of="$DATA/gatehouse.db" bs=4096 seek=1 count=4 conv=notrunc status=none
BAD_LOG=build/window-smoke-damaged.log
"$BIN" --data "$DATA" 2>"$BAD_LOG" &
pid=$!
wid=
for _ in $(seq 1 150); do
  wid=$(xdotool search --onlyvisible --name '^Gatehouse cannot start$' 2>/dev/null | head -n1) || true
  [ -n "$wid" ] && break
  kill -0 "$pid" 2>/dev/null || fail "on a damaged database the app exited without a window saying why: $(cat "$BAD_LOG")"
  sleep 0.2
done
[ -n "$wid" ] || fail "no window 'Gatehouse cannot start' within 30 s on a damaged database"
grep -q "is damaged" "$BAD_LOG" || fail "the terminal does not say the database is damaged: $(cat "$BAD_LOG")"
sleep 1
import -window root build/window-smoke-damaged.png || true
xdotool windowclose "$wid" 2>/dev/null || kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=
[ "$code" = 1 ] || fail "after the damaged-database window closed the app exited with $code (expected 1)"
echo "window smoke: a damaged database is refused in a window that says so (build/window-smoke-damaged.png)"
echo "window smoke: ok"
