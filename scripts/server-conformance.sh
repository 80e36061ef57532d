#!/usr/bin/env bash
# Runs the official server conformance suite (@durable-streams/server-conformance-tests) against
# our server. Usage: scripts/server-conformance.sh [memory|file]   (default: memory)
# conformance/server/server.test.mjs starts ./ds serve with --allow-local-webhooks: the suite's
# webhook receivers listen on 127.0.0.1, which the server refuses by default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STORE="${1:-memory}"
cd "$ROOT/conformance/server"
[[ -d node_modules ]] || npm ci --no-audit --no-fund
DATA_DIR=""
if [[ "$STORE" == "file" ]]; then
  DATA_DIR="$(mktemp -d)"
  trap 'rm -rf "$DATA_DIR"' EXIT
fi
LOG="$(mktemp)"
set +e
DS_STORE="$STORE" DS_DATA_DIR="$DATA_DIR" NO_COLOR=1 npx vitest run --reporter=dot 2>&1 | tee "$LOG"
STATUS=${PIPESTATUS[0]}
set -e
SUMMARY="$(sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -E '^ *Tests +[0-9]' | tail -1 || true)"
rm -f "$LOG"
echo "server conformance ($STORE store): $SUMMARY"
# every test must pass: 332 always-on plus the 6 opt-in subscription tests
if [[ $STATUS -ne 0 ]] || ! grep -q "338 passed" <<<"$SUMMARY"; then
  echo "server conformance ($STORE store) FAILED" >&2
  exit 1
fi
