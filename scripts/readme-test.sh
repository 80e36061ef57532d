#!/usr/bin/env bash
# Follows README.md as a newcomer would, top to bottom: starts `ds serve` (the quickstart's server,
# on a free port instead of 4437, in a temporary directory), then runs every ```bash block in order
# against it — with the server's URL for http://127.0.0.1:4437 — and saves the ```java block under
# the file name the README gives, so the block that runs it compiles and runs it.
# A block right after a "<!-- readme-test: skip ... -->" line is not run (the quickstart's own).
# Fails when a command fails, when any curl answer is 4xx or 5xx, or when a block outlives 60 s.
#   scripts/readme-test.sh [README]        (default: README.md)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
README="$(cd "$(dirname "${1:-$ROOT/README.md}")" && pwd)/$(basename "${1:-README.md}")"
DS_URL_IN_DOCS="http://127.0.0.1:4437"

TMP="$(mktemp -d)"
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT

# The README's commands run from the repository root: give the scratch directory the same ./ds and
# client/ (a wrapper, because ./ds finds its jar next to itself), so what they write stays out of the clone.
printf '#!/usr/bin/env bash\nexec %q "$@"\n' "$ROOT/ds" >"$TMP/ds"
chmod +x "$TMP/ds"
ln -s "$ROOT/client" "$TMP/client"

# Split the README into blocks: block-N.bash / block-N.java, numbered in document order.
awk -v dir="$TMP" '
  /^<!-- readme-test: skip/ { skip = 1; next }
  /^```(bash|java)$/ && !lang { lang = substr($0, 4); n++; file = sprintf("%s/block-%02d.%s", dir, n, lang);
                                if (skip) file = file ".skipped"; skip = 0; next }
  /^```/ && lang { lang = ""; close(file); next }
  lang { print > file; next }
  /[^[:space:]]/ { skip = 0 }
' "$README"

cd "$TMP"
"$ROOT/ds" serve --port 0 >server.log 2>&1 &
SERVER=$!
URL=""
for _ in $(seq 1 300); do
  URL="$(grep -o 'listening on http://[^ ]*' server.log | head -1 | cut -d' ' -f3 || true)"
  [[ -n "$URL" ]] && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.2
done
[[ -n "$URL" ]] || { cat server.log >&2; echo "readme-test: the server did not start" >&2; exit 1; }
export STREAM_URL="$URL"

ran=0
for block in block-*; do
  case "$block" in
    *.skipped) echo "readme-test: skipped ${block%.skipped} (marked in the README)"; continue ;;
    *.java)
      # "Save this as NAME.java": the name of its public class
      name="$(grep -oE 'public (final )?class [A-Za-z0-9_]+' "$block" | head -1 | awk '{print $NF}')"
      sed "s#$DS_URL_IN_DOCS#$URL#g" "$block" >"$name.java"
      echo "readme-test: saved $block as $name.java"
      continue ;;
  esac
  echo "readme-test: running $block"
  sed "s#$DS_URL_IN_DOCS#$URL#g" "$block" >"$block.run"
  if ! timeout 60 bash -e "$block.run" >"$block.out" 2>&1; then
    cat "$block.out" >&2
    echo "readme-test: FAILED: $block (README.md block $((10#${block//[^0-9]/})), shown above)" >&2
    exit 1
  fi
  if grep -E '^HTTP/[0-9.]+ [45][0-9][0-9]' "$block.out" >&2; then
    echo "readme-test: FAILED: $block got an error status (above)" >&2
    exit 1
  fi
  ran=$((ran + 1))
done

# What the blocks must have shown, beyond not failing.
grep -q '^\[{"n":1},{"n":2},{"n":3},{"n":4}\]$' block-*.out || { echo "readme-test: the fork does not hold n=1..4 once each" >&2; exit 1; }
grep -q 'producer etl epoch 1 had already written them' block-*.out || { echo "readme-test: the re-run of ds write was not deduplicated" >&2; exit 1; }
grep -q '^bot: bye$' block-*.out || { echo "readme-test: Quickstart.java did not print the messages" >&2; exit 1; }
echo "readme-test: $ran passed, 0 failed"
