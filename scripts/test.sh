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
suite "go test (real SQLite, keyring, servers)" scripts/with-desktop.sh go test -tags webkit2_41 -count=1 ./...
# Each benchmark once: they fail on a wrong or stale answer, so they cannot rot between
# the runs that measure (README, "Speed").
suite "benchmarks, once each" go test -run '^$' -bench . -benchtime 1x ./backend/...
suite "frontend unit tests (Vitest)" bash -c 'cd frontend && npm test --silent'
# Inside with-desktop.sh too: `gatehouse serve` keeps the Google client secret in the real
# (private, unlocked) gnome-keyring there, as on an owner's desktop.
suite "browser end-to-end tests (Playwright + Chromium)" scripts/with-desktop.sh bash -c 'cd e2e && npm test --silent'
# The binary make build made, packed into the .deb as make dist packs it, unpacked with
# dpkg -x into an empty folder: --version, and serve answering /api/status.
suite "Linux package: the .deb unpacked and run" scripts/dist-smoke.sh
suite "window smoke test (Xvfb)" env GATEHOUSE_FORCE_XVFB=1 scripts/with-desktop.sh e2e/window-smoke.sh
suite "window files test: the system dialogs (Xvfb)" env GATEHOUSE_FORCE_XVFB=1 scripts/with-desktop.sh e2e/window-files.sh
echo
((failed)) && printf 'failed suites: %s\n' "${failures[*]}"
echo "make test: $passed passed, $failed failed"
((failed == 0))
