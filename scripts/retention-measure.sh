#!/usr/bin/env bash
# Measures what retention frees on the file store (docs/extensions/retention.md): starts ./ds serve
# on a temporary data directory with small segments, writes TOTAL_MIB MiB in 1 MiB appends to a
# stream with Stream-Retention-Bytes of KEEP_MIB MiB, and reports the stream's bytes on disk before
# and after the retention rounds, with ds_retention_reclaimed_bytes_total from /metrics.
# Usage: scripts/retention-measure.sh [TOTAL_MIB] [KEEP_MIB] [SEGMENT_MIB]   (default: 200 32 4)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOTAL_MIB="${1:-200}"
KEEP_MIB="${2:-32}"
SEGMENT_MIB="${3:-4}"
TMP="$(mktemp -d)"
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

head -c $((1024 * 1024)) /dev/urandom > "$TMP/chunk"
"$ROOT/ds" serve --store file --data-dir "$TMP/data" --port 0 --segment-bytes $((SEGMENT_MIB * 1024 * 1024)) \
  > "$TMP/server.log" 2>&1 &
PID=$!
URL=""
for _ in $(seq 1 200); do
  URL="$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/server.log" | head -1 || true)"
  [[ -n "$URL" ]] && break
  sleep 0.1
done
[[ -n "$URL" ]] || { cat "$TMP/server.log" >&2; exit 1; }
S="$URL/v1/stream/measure"

curl -sf -X PUT "$S" -H 'Content-Type: application/octet-stream' \
  -H "Stream-Retention-Bytes: $((KEEP_MIB * 1024 * 1024))" -o /dev/null
for _ in $(seq 1 "$TOTAL_MIB"); do
  curl -sf -X POST "$S" -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/chunk" -o /dev/null
done
stream_bytes() { du -sb "$TMP/data/streams" | cut -f1; }
before="$(stream_bytes)"
earliest() { curl -sfI "$S" | tr -d '\r' | awk -F': ' 'tolower($1)=="stream-earliest-offset"{print $2}'; }
# rounds run every 10 s: the first moves the start, the next frees the segments below it
deadline=$((SECONDS + 60))
while (( SECONDS < deadline )); do
  reclaimed="$(curl -sf "$URL/metrics" | awk '/^ds_retention_reclaimed_bytes_total/{print $2}')"
  [[ -n "$reclaimed" ]] && awk -v r="$reclaimed" 'BEGIN{exit !(r > 0)}' && break
  sleep 1
done
after="$(stream_bytes)"
mib() { awk -v b="$1" 'BEGIN{printf "%.1f MiB (%d bytes)", b / 1048576, b}'; }
echo "wrote ${TOTAL_MIB} MiB in 1 MiB appends; Stream-Retention-Bytes ${KEEP_MIB} MiB; ${SEGMENT_MIB} MiB segments"
echo "stream files on disk before retention: $(mib "$before")"
echo "stream files on disk after retention:  $(mib "$after")"
echo "ds_retention_reclaimed_bytes_total:    $(mib "$reclaimed")"
echo "Stream-Earliest-Offset:                $(earliest)"
echo "segments left: $(ls "$TMP"/data/streams/*/*/ | grep -c '\.data$')"
