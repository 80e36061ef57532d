#!/usr/bin/env bash
# Tests the distribution as a user without the sources gets it: unpacks target/dist/ds-VERSION.tar.gz
# (built by scripts/dist.sh) into a temporary directory and, with nothing on PATH but java and the
# two tools the launcher uses, runs bin/ds serve (file store), then a round trip with the bin/ds
# client commands (create, write, read, close), then stops the server with SIGTERM.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARCHIVE="$("$ROOT/scripts/dist.sh")"
TMP="$(mktemp -d)"
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$TMP"' EXIT

tar -C "$TMP" -xzf "$ARCHIVE"
DS="$(echo "$TMP"/ds-*/bin/ds)"
mkdir "$TMP/path"
for tool in java readlink dirname; do ln -s "$(readlink -f "$(command -v "$tool")")" "$TMP/path/$tool"; done
run() { env -i HOME="$TMP" PATH="$TMP/path" "$DS" "$@"; }

echo "dist-test: $(du -h "$ARCHIVE" | cut -f1) $(basename "$ARCHIVE"), $(run --version)"
cd "$TMP"
env -i HOME="$TMP" PATH="$TMP/path" "$DS" serve --port 0 --data-dir "$TMP/data" >server.log 2>&1 &  # its pid becomes java's
SERVER=$!
URL=""
for _ in $(seq 1 150); do
  URL="$(grep -o 'listening on http://[^ ]*' server.log | head -1 | cut -d' ' -f3 || true)"
  [[ -n "$URL" ]] && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.2
done
[[ -n "$URL" ]] || { cat server.log >&2; echo "dist-test: bin/ds serve did not start" >&2; exit 1; }

run create trip --url "$URL" --content-type application/json
run write trip --url "$URL" '{"n":1}' '{"n":2}'
run close trip --url "$URL"
got="$(run read trip --url "$URL" --ndjson)"
[[ "$got" == $'{"n":1}\n{"n":2}' ]] || { echo "dist-test: read back '$got'" >&2; exit 1; }

kill -TERM "$SERVER"
wait "$SERVER" || true
SERVER=""
grep -q 'Durable Streams server stopped' server.log || { cat server.log >&2; echo "dist-test: no clean stop" >&2; exit 1; }
echo "dist-test: 1 passed, 0 failed"
