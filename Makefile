# The two commands of the README: `make run` and `make test`. Both install what is missing
# first (scripts/setup.sh), then build.
GO_TAGS := desktop,production,webkit2_41
BIN := build/bin/gatehouse

.PHONY: run test setup build frontend binary clean

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
	go build -tags $(GO_TAGS) -o $(BIN) .

clean:
	rm -rf build/bin frontend/dist
