#!/usr/bin/env bash
# Checks deploy/systemd/datalekd.service with systemd-analyze (run by .ci/run):
# `verify` must print nothing (an unknown or misspelt directive is only a
# warning there, so any output fails), and `security --offline` must rate the
# unit's exposure at most 2.0 (it is 1.4). verify also wants ExecStart's
# binary to exist: a copy of the unit points at one built here.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/datalekd" ./cmd/datalekd
sed "s|^ExecStart=/usr/local/bin/datalekd|ExecStart=$tmp/datalekd|" deploy/systemd/datalekd.service >"$tmp/datalekd.service"
grep -q "^ExecStart=$tmp/datalekd" "$tmp/datalekd.service"
out=$(systemd-analyze verify "$tmp/datalekd.service" 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then
  echo "systemd-analyze verify: $out"
  exit 1
fi
if ! systemd-analyze security --offline=yes --threshold=20 "$tmp/datalekd.service" >"$tmp/security.txt" 2>&1; then
  cat "$tmp/security.txt"
  echo "systemd-analyze security: the unit's exposure is above 2.0"
  exit 1
fi
echo "deploy/systemd/datalekd.service: $(grep 'Overall exposure' "$tmp/security.txt")"
