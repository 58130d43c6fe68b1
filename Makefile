# The README's commands, and the checks CI runs.
.PHONY: run test lint bench fuzz load

run:
	go run ./cmd/datalekd

test:
	go test -race -count=1 ./...

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
