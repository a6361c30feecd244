#!/usr/bin/env bash
# Window files test: Upload and Download in a real window go through the system's own
# dialogs (GTK's file chooser, Wails' OpenFileDialog and SaveFileDialog). Run it inside
# scripts/with-desktop.sh, like the window smoke test. `gatehouse serve` prepares a data
# folder through the API (the owner and a project), then the built binary opens a window
# on it; xdotool signs in, opens the project's Files tab, cancels the open dialog, uploads
# a file by typing its path into the dialog, cancels the save dialog, saves the file
# through it, and picks a file past the upload limit. The backend's request log proves
# what reached the Go handler (and what did not), the saved file must equal the uploaded
# bytes, and at the end `gatehouse serve` on the same folder lists and serves the upload.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GATEHOUSE_BIN:-build/bin/gatehouse}
WORK=$(mktemp -d)
DATA=$WORK/data
LOG=build/window-files.log
SHOT=build/window-files.png
mkdir -p build "$DATA" "$WORK/home/Downloads"
rm -f "$LOG" "$SHOT"
pid= spid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$spid" ] && kill "$spid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { { echo "window files: FAIL: $*"; echo "--- backend log:"; tail -n 30 "$LOG" || true; } >&2; exit 1; }
say() { echo "window files: $*"; }

# ---- the data folder, through the API of `gatehouse serve` ----------------------------

serve() { # starts serve on a free port; sets spid and API
  "$BIN" serve --data "$DATA" --addr 127.0.0.1:0 >"$WORK/serve.out" 2>>"$WORK/serve.log" &
  spid=$!
  API=
  for _ in $(seq 1 100); do
    API=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.out" 2>/dev/null | head -n1) || true
    [ -n "$API" ] && break
    kill -0 "$spid" 2>/dev/null || fail "gatehouse serve exited: $(cat "$WORK/serve.log")"
    sleep 0.1
  done
  [ -n "$API" ] || fail "gatehouse serve did not say where it serves within 10 s"
  API=$API/api
}
stop_serve() { kill -TERM "$spid"; wait "$spid" || fail "gatehouse serve exited with $? after SIGTERM"; spid=; }
# api METHOD PATH [JSON [FILE]]: one call to the API of `gatehouse serve` with $TOKEN (Node's
# fetch, as the other end-to-end tests use Node); prints the answer or saves it to FILE,
# and fails on a status of 300 or more.
api() {
  API=$API TOKEN=${TOKEN:-} node -e '
    const [method, path, body, out] = process.argv.slice(1);
    const headers = process.env.TOKEN ? { Authorization: "Bearer " + process.env.TOKEN } : {};
    if (body) headers["Content-Type"] = "application/json";
    fetch(process.env.API + path, { method, headers, body: body || undefined }).then(async (r) => {
      const b = Buffer.from(await r.arrayBuffer());
      if (r.status >= 300) { console.error(`${method} ${path}: ${r.status} ${b}`); process.exit(1); }
      if (out) require("fs").writeFileSync(out, b); else process.stdout.write(b);
    }, (e) => { console.error(`${method} ${path}: ${e}`); process.exit(1); });' "$@"
}
# field EXPR: a value of the JSON on stdin, e.g. field .files.length
field() { node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(eval("JSON.parse(s)" + process.argv[1])));' "$1"; }

EMAIL=files.owner@example.com PASS='a window files passphrase'
SIGNIN="{\"email\":\"$EMAIL\",\"password\":\"$PASS\"}"
serve
api POST /setup "{\"name\":\"Files Owner\",\"email\":\"$EMAIL\",\"password\":\"$PASS\"}" >/dev/null || fail "POST /api/setup"
TOKEN=$(api POST /sessions "$SIGNIN" | field .token) || fail "POST /api/sessions"
PROJECT=$(api POST /projects '{"name":"Dialogs"}' | field .id) || fail "POST /api/projects"
stop_serve
say "data folder ready (owner, project $PROJECT)"

# What the dialogs will be given: bytes of every value, and a sparse file past the limit
# (100 MiB; the window refuses it from its size, before reading a byte).
NAME=window-upload.bin
SRC=$WORK/$NAME
head -c 4096 /dev/urandom >"$SRC"
printf '\0end of the upload\n' >>"$SRC"
BIG=$WORK/too-big.bin
truncate -s 101M "$BIG"

# ---- the window ------------------------------------------------------------------------

# HOME is the test's own: the save dialog opens in its Downloads folder.
HOME=$WORK/home "$BIN" --data "$DATA" 2>"$LOG" &
pid=$!

alive() { kill -0 "$pid" 2>/dev/null || fail "the app exited while waiting for $1"; }
# Poll rather than `xdotool search --sync`: a transient window (GTK creates and destroys
# some at start) can vanish mid-query, and xdotool then aborts with BadWindow.
find_window() { xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n1 || true; }
wid=
for _ in $(seq 1 120); do
  wid=$(find_window '^Gatehouse$')
  [ -n "$wid" ] && break
  alive "its window"
  sleep 0.5
done
[ -n "$wid" ] || fail "no visible window named Gatehouse within 60 s"

mark() { wc -l <"$LOG"; }
# logged_since MARK PATTERN: the log has a line matching PATTERN after line MARK.
logged_since() { tail -n +"$(($1 + 1))" "$LOG" | grep -qE "$2"; }
wait_log() { # mark, pattern, what
  for _ in $(seq 1 100); do logged_since "$1" "$2" && return 0; alive "$3"; sleep 0.1; done
  fail "the backend never logged $3"
}
wait_log 0 'method=GET path=/api/status status=200' "the page's first request (GET /api/status)"
# The remembered sign-in is a POST without a body: the API must not refuse it as not JSON
# (Wails hands every webview request over with an unknown length).
wait_log 0 'method=POST path=/api/sessions/resume status=404' "the remembered sign-in answered 404 (nobody remembered)"
say "window $wid is up; its first requests reached the Go handler"

focus() { xdotool windowactivate --sync "$1" 2>/dev/null || xdotool windowfocus --sync "$1"; }
sleep 1 # the sign-in form renders with the email field focused
focus "$wid"
m=$(mark)
xdotool type --delay 15 --window "$wid" "$EMAIL"; xdotool key --window "$wid" Tab
xdotool type --delay 15 --window "$wid" "$PASS"; xdotool key --window "$wid" Return
wait_log "$m" 'method=POST path=/api/sessions status=201' "the sign-in typed into the window"
wait_log "$m" 'method=GET path=/api/me status=200' "the signed-in shell loading /api/me"
say "signed in"

# click_until X Y PATTERN WHAT: clicks at (X, Y) until the log shows PATTERN (a click can
# land before the page has drawn its target; these clicks are safe to repeat).
click_until() {
  local m; m=$(mark)
  for _ in $(seq 1 10); do
    xdotool mousemove "$1" "$2" click 1
    for _ in $(seq 1 20); do logged_since "$m" "$3" && return 0; alive "$4"; sleep 0.1; done
  done
  fail "clicking at $1,$2 never led to $4"
}
# Coordinates of the 1280x820 window at the top left of the 1280x800 screen: Projects in
# the side bar, then the project's name, the first row of the list (clicked until its page
# loads: the list may not be drawn yet, and a click beside it does nothing).
m=$(mark)
for _ in $(seq 1 3); do
  xdotool mousemove 77 116 click 1
  for _ in $(seq 1 30); do
    xdotool mousemove 283 311 click 1
    logged_since "$m" "method=GET path=/api/projects/$PROJECT status=200" && break 2
    alive "the project's page"; sleep 0.2
  done
done
wait_log "$m" "method=GET path=/api/projects/$PROJECT status=200" "the project's page (Projects, then its name)"
click_until 367 171 "method=GET path=/api/projects/$PROJECT/files status=200" "the Files tab"
sleep 0.5 # the listing draws
say "on the project's Files tab"

# open_dialog X Y TITLE: clicks at (X, Y) until a dialog titled TITLE shows.
open_dialog() {
  for _ in $(seq 1 5); do
    xdotool mousemove "$1" "$2" click 1
    for _ in $(seq 1 30); do
      [ -n "$(find_window "$3")" ] && { sleep 0.3; return 0; } # GTK takes keys once it has drawn
      alive "the dialog $3"; sleep 0.1
    done
  done
  fail "clicking at $1,$2 opened no dialog titled $3"
}
# keys TITLE KEY...: focuses the dialog titled TITLE and presses KEYs. Real key presses
# (XTEST), never `key --window`: GTK's file chooser takes a synthetic Escape badly (each
# dialog after it cancels itself at once). GTK maps and unmaps windows of the same title as
# a dialog opens, so a window found can be gone when focused: it is looked up again.
keys() {
  local title=$1 d; shift
  for _ in $(seq 1 30); do
    d=$(find_window "$title")
    if [ -n "$d" ] && { xdotool windowactivate --sync "$d" 2>/dev/null || xdotool windowfocus --sync "$d" 2>/dev/null; }; then
      xdotool key "$@"
      return 0
    fi
    alive "the dialog $title"; sleep 0.1
  done
  fail "could not press $* in the dialog $title"
}
type_into() { # title, text: types into the focused field of the dialog
  local d
  for _ in $(seq 1 30); do
    d=$(find_window "$1")
    if [ -n "$d" ] && { xdotool windowactivate --sync "$d" 2>/dev/null || xdotool windowfocus --sync "$d" 2>/dev/null; }; then
      xdotool type --delay 10 "$2"
      return 0
    fi
    alive "the dialog $1"; sleep 0.1
  done
  fail "could not type into the dialog $1"
}
closes() { # title, tenths of a second: whether the dialog closes within them
  for _ in $(seq 1 "$2"); do [ -z "$(find_window "$1")" ] && return 0; alive "the dialog $1 to close"; sleep 0.1; done
  return 1
}
# until_closed TITLE WHAT ACTION...: does ACTION until the dialog closes (up to 5 times).
# The first dialog of a window can drop keys pressed while GTK still loads it; each ACTION
# here is safe to repeat while the dialog is open, and is never repeated once it closed.
until_closed() {
  local title=$1 what=$2 try; shift 2
  for try in 1 2 3 4 5; do
    ((try == 1)) || say "the dialog $title is still open: $what once more"
    "$@"
    closes "$title" 20 && return 0
  done
  fail "the dialog $title did not close ($what)"
}
cancel_dialog() { until_closed "$1" "Escape" keys "$1" Escape; }
# pick_path TITLE PATH: types PATH into the file chooser's location field and opens it
# (Ctrl+L shows the field, Ctrl+A selects what an earlier try typed there).
type_path() {
  keys "$1" ctrl+l
  sleep 0.2
  keys "$1" ctrl+a
  type_into "$1" "$2"
  sleep 0.3 # the field completes as it is typed; Return then takes the path
  keys "$1" Return
}
pick_path() { until_closed "$1" "a path typed, then Return" type_path "$1" "$2"; }
UPLOAD_X=1210 UPLOAD_Y=230 # the Upload button
ROW_X=1208 ROW_Y=330       # the Download button of the first (only) file

# Cancelling the open dialog sends nothing.
m=$(mark)
open_dialog $UPLOAD_X $UPLOAD_Y '^Upload a file$'
cancel_dialog '^Upload a file$'
sleep 0.5
logged_since "$m" 'path=/api/projects/[^ ]*/files ' && fail "a cancelled open dialog still sent a request"
say "Upload opened the system's file chooser; Escape cancelled it and nothing was sent"

# Upload a file picked in the dialog.
m=$(mark)
open_dialog $UPLOAD_X $UPLOAD_Y '^Upload a file$'
pick_path '^Upload a file$' "$SRC"
wait_log "$m" "method=POST path=/api/projects/$PROJECT/files status=201" "the upload (POST …/files 201)"
wait_log "$m" "method=GET path=/api/projects/$PROJECT/files status=200" "the Files tab listing the upload"
say "uploaded $NAME through the file chooser (POST /api/projects/…/files 201)"

# Cancelling the save dialog writes nothing.
sleep 0.5 # the new row draws
m=$(mark)
open_dialog $ROW_X $ROW_Y '^Save '
[ -n "$(find_window "^Save $NAME\$")" ] || fail "the save dialog is not titled \"Save $NAME\""
cancel_dialog '^Save '
sleep 0.5
logged_since "$m" 'path=/api/files/[^ ]*/content' && fail "a cancelled save dialog still fetched the content"
[ -z "$(ls -A "$WORK/home/Downloads")" ] || fail "a cancelled save dialog left $(ls -A "$WORK/home/Downloads")"
say "Download opened the save dialog (\"Save $NAME\"); Escape cancelled it and nothing was written"

# Save it: the dialog offers the file's own name in Downloads, so Return saves it there.
m=$(mark)
open_dialog $ROW_X $ROW_Y '^Save '
until_closed '^Save ' "Return in the save dialog" keys '^Save ' Return
wait_log "$m" 'method=GET path=/api/files/[^ ]+/content status=200' "the download (GET /api/files/…/content 200)"
SAVED=$WORK/home/Downloads/$NAME
for _ in $(seq 1 50); do [ -f "$SAVED" ] && break; sleep 0.1; done
[ -f "$SAVED" ] || fail "nothing saved at $SAVED (Downloads has: $(ls -A "$WORK/home/Downloads"))"
cmp -s "$SRC" "$SAVED" || fail "the saved file differs from the uploaded one"
[ "$(ls -A "$WORK/home/Downloads")" = "$NAME" ] || fail "Downloads holds more than the file: $(ls -A "$WORK/home/Downloads")"
say "saved through the save dialog: $(stat -c %s "$SAVED") bytes, equal to the upload"

# A file past the limit is refused from its size: no request, the page says so.
m=$(mark)
open_dialog $UPLOAD_X $UPLOAD_Y '^Upload a file$'
pick_path '^Upload a file$' "$BIG"
wait_log "$m" 'msg="window upload refused before sending" name=too-big.bin' "the refusal of a file past the limit"
sleep 1 # the page shows the refusal
logged_since "$m" 'path=/api/projects/[^ ]*/files ' && fail "a file past the limit was sent"
import -window root "$SHOT" || fail "could not take a screenshot"
colors=$(convert "$SHOT" -format '%k' info:)
[ "$colors" -gt 20 ] || fail "the screenshot has only $colors colours: the window looks blank"
say "a 101 MiB file was refused before a byte was sent (screenshot $SHOT)"

kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=
[ "$code" = 0 ] || fail "the app exited with $code after SIGTERM (expected 0)"

# ---- what the data folder holds, through the API ----------------------------------------

serve
TOKEN=$(api POST /sessions "$SIGNIN" | field .token) || fail "signing in again"
listing=$(api GET "/projects/$PROJECT/files") || fail "GET …/files"
[ "$(field .files.length <<<"$listing")" = 1 ] || fail "the project holds not one file: $listing"
[ "$(field .files[0].name <<<"$listing")" = "$NAME" ] || fail "the file is not named $NAME: $listing"
[ "$(field .files[0].size <<<"$listing")" = "$(stat -c %s "$SRC")" ] || fail "the file's size differs: $listing"
id=$(field .files[0].id <<<"$listing")
api GET "/files/$id/content" "" "$WORK/via-api.bin" || fail "GET …/content"
cmp -s "$SRC" "$WORK/via-api.bin" || fail "the stored content differs from the uploaded file"
stop_serve
say "the API lists $NAME once and serves its exact bytes"
say "ok"
