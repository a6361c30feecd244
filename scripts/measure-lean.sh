#!/usr/bin/env bash
# Measures Gatehouse against the empty Wails template (React, Wails v2.12.0), both built
# in this run the same way (go build -tags desktop,production,webkit2_41 -trimpath, and
# -ldflags "-s -w" for the stripped size), offline: the template's files come from the
# Wails module in Go's module cache, its frontend is built with frontend/'s Vite and React.
#   size           the stripped binary, and the unstripped one for reference
#   first window   from exec to the first visible window (xdotool, polled every 10 ms),
#                  Gatehouse on an empty data folder (the target), and again on the same
#                  folder once set up; the median of $RUNS starts each, taken in turns
#   idle memory    PSS (/proc/PID/smaps_rollup) of the app and every process under it
#                  (WebKit's web and network processes), $IDLE s after the window shows;
#                  the median of the same runs. PSS shares the libraries' pages among
#                  every process that maps them, also other programs on the machine, so
#                  it moves with them; the private memory (USS) is shown too, which does not
# Run it inside scripts/with-desktop.sh (Xvfb, D-Bus, keyring), after make build:
#   scripts/with-desktop.sh scripts/measure-lean.sh
# It prints a table and the ratios against the targets (1.3×, 1.1×, 1.2×); it exits 1
# when a target is missed, so the numbers in the README can be checked again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
RUNS=${RUNS:-7}
IDLE=${IDLE:-8}
BIN=${GATEHOUSE_BIN:-build/bin/gatehouse}
TAGS=desktop,production,webkit2_41
[ -x "$BIN" ] || { echo "measure: $BIN is missing: run make build first" >&2; exit 1; }
[ -n "${DISPLAY:-}" ] || { echo "measure: no display: run it inside scripts/with-desktop.sh" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# --- the template, as `wails init -n tpl -t react` lays it out -------------------------
wails=$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)
version=$(go list -m -f '{{.Version}}' github.com/wailsapp/wails/v2)
tpl=$work/tpl
cp -r "$wails/pkg/templates/templates/react" "$tpl"
chmod -R u+w "$tpl"
cd "$tpl"
sed 's/{{.ProjectName}}/tpl/' main.go.tmpl > main.go
mv app.tmpl.go app.go
sed 's/{{.ProjectName}}/tpl/' frontend/index.tmpl.html > frontend/index.html
rm -f main.go.tmpl frontend/index.tmpl.html go.mod.tmpl .gitignore.tmpl wails.tmpl.json template.json
# The same module versions as Gatehouse (all in the module cache): Gatehouse's go.mod
# and go.sum with the module renamed; requirements it does not use cost nothing.
sed 's/^module gatehouse$/module tpl/; /^tool /d' "$root/go.mod" > go.mod
cp "$root/go.sum" go.sum
ln -s "$root/frontend/node_modules" frontend/node_modules
(cd frontend && node node_modules/vite/bin/vite.js build --logLevel error)
GOFLAGS=-mod=mod GOPROXY=off go build -tags "$TAGS" -trimpath -o "$work/tpl-full" .
GOFLAGS=-mod=mod GOPROXY=off go build -tags "$TAGS" -trimpath -ldflags "-s -w" -o "$work/tpl-bin" .
cd "$root"
# Gatehouse unstripped, for reference (make build's is stripped).
go build -tags "$TAGS" -trimpath -o "$work/gh-full" .

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

# --- first window and idle memory -------------------------------------------------------
now_ms() { date +%s%3N; }
tree() { # pid and every process under it
  local all=("$1") i=0
  while ((i < ${#all[@]})); do
    for c in $(cat /proc/"${all[i]}"/task/*/children 2>/dev/null); do all+=("$c"); done
    i=$((i + 1))
  done
  echo "${all[@]}"
}
mem_kb() { # PSS and private (USS) of the tree, kB: "pss uss"
  local pss=0 uss=0 p line
  for p in $(tree "$1"); do
    line=$(awk '/^Pss:/ { p = $2 } /^Private_(Clean|Dirty):/ { u += $2 } END { print p + 0, u + 0 }' /proc/"$p"/smaps_rollup 2>/dev/null) || continue
    pss=$((pss + ${line% *})); uss=$((uss + ${line#* }))
  done
  echo "$pss $uss"
}
one_run() { # binary, window name, data folder or "" → "ms pss-kB uss-kB"
  local bin=$1 name=$2 data=$3 start pid wid= t
  start=$(now_ms)
  if [ -n "$data" ]; then "$bin" --data "$data" >/dev/null 2>&1 & else "$bin" >/dev/null 2>&1 & fi
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 3000); do
    wid=$(xdotool search --onlyvisible --name "^$name\$" 2>/dev/null | head -n1) || true
    [ -n "$wid" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "measure: $bin exited before its window" >&2; exit 1; }
    sleep 0.01
  done
  [ -n "$wid" ] || { echo "measure: no window $name within 30 s" >&2; exit 1; }
  t=$(($(now_ms) - start))
  sleep "$IDLE"
  local procs; procs=$(tree "$pid")
  echo "$t $(mem_kb "$pid")"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  # The next run starts once WebKit's processes are gone too: pages they still shared
  # would lower its PSS.
  for _ in $(seq 1 100); do
    local left=0
    for p in $procs; do [ -d /proc/"$p" ] && left=1; done
    ((left)) || break
    sleep 0.1
  done
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

: > "$work/tpl.runs"; : > "$work/gh.runs"; : > "$work/gh2.runs"
for i in $(seq 1 "$RUNS"); do
  one_run "$work/tpl-bin" tpl "" >> "$work/tpl.runs"
  data=$work/data-$i
  one_run "$root/$BIN" Gatehouse "$data" >> "$work/gh.runs"
  one_run "$root/$BIN" Gatehouse "$data" >> "$work/gh2.runs" # the everyday start: set up already
  echo "measure: run $i of $RUNS: template $(tail -n1 "$work/tpl.runs"), Gatehouse $(tail -n1 "$work/gh.runs") (ms, PSS kB, private kB)" >&2
done
tpl_ms=$(cut -d' ' -f1 "$work/tpl.runs" | median); gh_ms=$(cut -d' ' -f1 "$work/gh.runs" | median)
tpl_kb=$(cut -d' ' -f2 "$work/tpl.runs" | median); gh_kb=$(cut -d' ' -f2 "$work/gh.runs" | median)
gh2_ms=$(cut -d' ' -f1 "$work/gh2.runs" | median)
tpl_uss=$(cut -d' ' -f3 "$work/tpl.runs" | median); gh_uss=$(cut -d' ' -f3 "$work/gh.runs" | median)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
missed=0
row() { # what, gatehouse, template, ratio, target
  local ok=yes
  awk -v r="$4" -v t="$5" 'BEGIN { exit !(r <= t) }' || { ok="NO"; missed=1; }
  printf '| %s | %s | %s | %s× | ≤ %s× | %s |\n' "$1" "$2" "$3" "$4" "$5" "$ok"
}
echo
echo "Wails $version template (React) vs Gatehouse $("$BIN" --version | cut -d' ' -f2), $(date -u +%Y-%m-%d), median of $RUNS runs, PSS after $IDLE s idle"
echo
echo "| | Gatehouse | template | ratio | target | met |"
echo "|---|---|---|---|---|---|"
row "binary, stripped" "$(mb "$(size "$BIN")")" "$(mb "$(size "$work/tpl-bin")")" "$(ratio "$(size "$BIN")" "$(size "$work/tpl-bin")")" 1.3
printf '| binary, not stripped | %s | %s | %s× | | |\n' "$(mb "$(size "$work/gh-full")")" "$(mb "$(size "$work/tpl-full")")" "$(ratio "$(size "$work/gh-full")" "$(size "$work/tpl-full")")"
row "first window, empty folder" "$gh_ms ms" "$tpl_ms ms" "$(ratio "$gh_ms" "$tpl_ms")" 1.1
printf '| first window, a folder already set up | %s ms | %s ms | %s× | | |\n' "$gh2_ms" "$tpl_ms" "$(ratio "$gh2_ms" "$tpl_ms")"
row "idle memory (PSS, app + WebKit)" "$((gh_kb / 1024)) MB" "$((tpl_kb / 1024)) MB" "$(ratio "$gh_kb" "$tpl_kb")" 1.2
printf '| idle memory, private only (USS) | %s MB | %s MB | %s× | | |\n' "$((gh_uss / 1024))" "$((tpl_uss / 1024))" "$(ratio "$gh_uss" "$tpl_uss")"
exit "$missed"
