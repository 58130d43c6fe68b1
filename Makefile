# The README's commands, and the checks CI runs.
.PHONY: run test browser-deps lint bench fuzz load

run:
	go run ./cmd/datalekd

# test: with the browser tests, which need Debian's chromium and axe-core
# (browser-deps installs them as .ci/run does; apt-get only when chromium is missing).
test: browser-deps
	DATALEK_BROWSER_REQUIRED=1 go test -race -count=1 ./...

browser-deps:
	@test -x /usr/bin/chromium || { s=; [ "$$(id -u)" = 0 ] || s=sudo; $$s apt-get update -qq && $$s env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	npm ci --prefix .ci/axe --no-audit --no-fund --loglevel=error

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	go vet ./...
	bash .ci/lint-openapi

bench:
	go test -run '^$$' -bench . -benchmem ./...

fuzz:
	go test -run '^$$' -fuzz FuzzDecodeFiling -fuzztime 5m ./api/

# load: against a service started with `make run` (DATALEK_ADMIN_TOKEN set, and
# DATALEK_WRITE_RATE=0: the load generator files with one token as fast as it can).
load:
	go run ./cmd/datalek-load -n 20000 -c 64 -baseline -raw-dir ./data
