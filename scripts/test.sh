#!/usr/bin/env bash
# `make test`: every suite, in order; each failure is reported and the run goes on, and the
# last line says how many suites passed and failed.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0 failures=()
suite() {
  local name=$1; shift
  echo; echo "=== $name"
  local start=$SECONDS
  if "$@"; then passed=$((passed+1)); echo "=== $name: ok ($((SECONDS-start)) s)"
  else failed=$((failed+1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS-start)) s)"; fi
}
suite "go vet" go vet -tags webkit2_41 ./...
# The Go suite twice, side by side: on SQLite files, and on a throwaway PostgreSQL server
# where every test's backend gets a database of its own (scripts/with-postgres.sh). Each
# run keeps about one core busy (most tests of a package run one after the other), so on
# two cores the pair takes about as long as one.
pglog=$(mktemp)
# The main package's own tests (the window, serve's TLS, durability under SIGKILL) are about
# the SQLite folder; on PostgreSQL only its serve --db tests run.
scripts/with-postgres.sh scripts/with-desktop.sh sh -c \
  'go test -tags webkit2_41 -count=1 ./backend/... && go test -tags webkit2_41 -count=1 -run "Postgres|DatabaseAddress" .' >"$pglog" 2>&1 &
pgpid=$!
postgres_result() { wait "$pgpid"; local rc=$?; grep -v '^dbus-daemon' "$pglog"; rm -f "$pglog"; return $rc; }
suite "go test on SQLite (real files, keyring, servers)" scripts/with-desktop.sh go test -tags webkit2_41 -count=1 ./...
suite "go test on PostgreSQL (the same tests, run alongside the one above)" postgres_result
# Each benchmark once: they fail on a wrong or stale answer, so they cannot rot between
# the runs that measure (README, "Speed").
suite "benchmarks, once each" go test -run '^$' -bench . -benchtime 1x ./backend/...
suite "frontend unit tests (Vitest)" bash -c 'cd frontend && npm test --silent'
# Inside with-desktop.sh too: `gatehouse serve` keeps the Google client secret in the real
# (private, unlocked) gnome-keyring there, as on an owner's desktop.
# On PostgreSQL (gatehouse serve --db, a database per server), but the backups test, which
# copies the SQLite file; the window tests below and the Go suite cover the SQLite file.
suite "browser end-to-end tests (Playwright + Chromium, on PostgreSQL)" scripts/with-postgres.sh scripts/with-desktop.sh bash -c 'cd e2e && npm test --silent'
# The binary make build made, packed into the .deb as make dist packs it, unpacked with
# dpkg -x into an empty folder: --version, and serve answering /api/status.
suite "Linux package: the .deb unpacked and run" scripts/dist-smoke.sh
suite "window smoke test (Xvfb)" env GATEHOUSE_FORCE_XVFB=1 scripts/with-desktop.sh e2e/window-smoke.sh
suite "window files test: the system dialogs (Xvfb)" env GATEHOUSE_FORCE_XVFB=1 scripts/with-desktop.sh e2e/window-files.sh
echo
((failed)) && printf 'failed suites: %s\n' "${failures[*]}"
echo "make test: $passed passed, $failed failed"
((failed == 0))
