#!/usr/bin/env bash
# Runs every program of examples/client against a started server (./ds serve, memory store, free
# port). Each program checks its own outcome and exits non-zero if it is wrong.
#   scripts/examples-test.sh [ClassName...]      (default: all of them)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLES="$ROOT/examples/client"
(cd "$ROOT" && mvn -q -B -DskipTests package -pl cli,examples/client -am)

TMP="$(mktemp -d)"
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$TMP"' EXIT
"$ROOT/ds" serve --port 0 --store memory >"$TMP/server.log" 2>&1 &
SERVER=$!
URL=""
for _ in $(seq 1 150); do
  URL="$(grep -o 'listening on http://[^ ]*' "$TMP/server.log" | head -1 | cut -d' ' -f3 || true)"
  [[ -n "$URL" ]] && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.2
done
[[ -n "$URL" ]] || { cat "$TMP/server.log" >&2; echo "examples-test: the server did not start" >&2; exit 1; }

if [[ $# -gt 0 ]]; then
  programs=("$@")
else
  mapfile -t programs < <(cd "$EXAMPLES/src/main/java/io/durablestreams/examples" && ls *.java | sed 's/\.java$//')
fi
passed=0
for program in "${programs[@]}"; do
  echo "== $program"
  timeout 120 java -cp "$EXAMPLES/target/classes:$EXAMPLES/target/lib/*" "io.durablestreams.examples.$program" "$URL"
  passed=$((passed + 1))
done
echo "examples-test: $passed passed, 0 failed"
