#!/usr/bin/env bash
# End-to-end test of the web console (/console/) in a real headless Chromium: starts `ds serve`
# (memory store, a free port, two bearer tokens: one for everything, one that reads team-a/ only)
# and runs console-tests/console.test.mjs (playwright-core, pinned in its package-lock.json).
# Screenshots of every page go to console-tests/out/ (or DS_CONSOLE_OUT).
# Needs Node 20+ and Chromium (Debian: apt-get install -y chromium; CHROMIUM names another binary);
# without Chromium the test is skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
if [[ -z "$CHROMIUM" || ! -x "$CHROMIUM" ]]; then
  echo "SKIPPED: console test: chromium is not installed (apt-get install -y chromium)"
  exit 77
fi
cd "$ROOT"
./ds --version >/dev/null # builds the jar first, so the server's start below is not a build
(cd console-tests && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; })

TMP="$(mktemp -d)"
PID=""
cleanup() {
  if [[ -n "$PID" ]]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
ADMIN="admin-$RANDOM$RANDOM"
TEAM="team-$RANDOM$RANDOM"
./ds serve --store memory --port 0 --long-poll-timeout 1s \
  --auth-token "$ADMIN:read=*:write=*" \
  --auth-token "$TEAM:read=team-a/|__ds/subscriptions/a-:write=team-a/" >"$TMP/server.log" 2>&1 &
PID=$!
URL=""
for _ in $(seq 1 600); do
  URL="$(sed -n 's/^Durable Streams server listening on \(http:[^ ]*\).*/\1/p' "$TMP/server.log")"
  [[ -n "$URL" ]] && break
  if ! kill -0 "$PID" 2>/dev/null; then
    cat "$TMP/server.log" >&2
    echo "console test: the server did not start" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z "$URL" ]]; then
  cat "$TMP/server.log" >&2
  echo "console test: the server did not print its URL within 60 s" >&2
  exit 1
fi
OUT="${DS_CONSOLE_OUT:-$ROOT/console-tests/out}"
status=0
(cd console-tests && DS_URL="$URL" DS_ADMIN_TOKEN="$ADMIN" DS_TEAM_TOKEN="$TEAM" CHROMIUM="$CHROMIUM" \
  DS_CONSOLE_OUT="$OUT" node --test --test-reporter=spec console.test.mjs) || status=$?
if [[ $status -ne 0 ]]; then
  echo "console test FAILED (server log: below; screenshots: $OUT)" >&2
  tail -20 "$TMP/server.log" >&2
  exit $status
fi
echo "console test passed; screenshots in $OUT"
