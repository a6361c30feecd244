# The two commands of the README: `make run` and `make test`. Both install what is missing
# first (scripts/setup.sh), then build. `make dist` makes the installers (scripts/dist.sh).
GO_TAGS := desktop,production,webkit2_41
BIN := build/bin/gatehouse
# Release flags, also for `make build`: what `make test` checks is what ships. No paths
# of this machine (-trimpath) and no symbol tables (-s -w); panics still name functions.
GO_RELEASE := -trimpath -ldflags "-s -w"

.PHONY: run test setup build frontend binary clean dist

run: build
	scripts/run.sh

test: build
	scripts/test.sh

setup:
	scripts/setup.sh

build: setup frontend binary

FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json frontend/tsconfig*.json backend/httpapi/openapi.yaml -type f 2>/dev/null)

frontend: frontend/dist/index.html

frontend/dist/index.html: $(FRONTEND_SRC)
	cd frontend && npm run build

# Go's own build cache decides what to recompile, so this always runs.
binary: frontend
	go build -tags $(GO_TAGS) $(GO_RELEASE) -o $(BIN) .

# The .deb, the Linux tarball (with gatehouse-server, no window), the Windows .exe and
# its installer, in dist/. Not part of `make test`, which packs and runs the .deb only.
dist: build
	scripts/dist.sh

clean:
	rm -rf build/bin frontend/dist dist
