#!/usr/bin/env bash
# Benchmarks ./ds serve (file store, default durability) against the Node reference server
# (@durable-streams/server 0.3.7, file-backed) on this machine, in one run:
#   1. builds the server and the bench module, installs the reference server (npm ci);
#   2. measures the physical limits: raw fdatasync latency of the data disk, loopback TCP;
#   3. starts each server in turn on a free port with a temp data dir and runs scenarios 1-6;
#   4. scenario 7: restarts each server over streams created over HTTP, and ours over 100,000
#      streams (~10 GiB) written directly in the file store's format;
#   5. runs the JMH micro-benchmarks;
#   6. writes bench/results/latest.json (and raw/*.json) and the table in docs/benchmarks.md.
# Knobs (environment): BENCH_SCALE (1 = full; 0.05 for a quick tooling check), BENCH_SCENARIOS
# (s1,s2,s3,s4,s5lp,s5sse,s6), BENCH_RESTART_STREAMS (100000), BENCH_RESTART_BYTES_PER_STREAM
# (107374, i.e. 10 GiB in all), BENCH_HTTP_RESTART_STREAMS (5000), BENCH_JMH (1 = run it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SCALE="${BENCH_SCALE:-1}"
SCENARIOS="${BENCH_SCENARIOS:-s1,s2,s3,s4,s5lp,s5sse,s6}"
RESTART_STREAMS="${BENCH_RESTART_STREAMS:-100000}"
RESTART_BYTES="${BENCH_RESTART_BYTES_PER_STREAM:-107374}"
HTTP_RESTART_STREAMS="${BENCH_HTTP_RESTART_STREAMS:-5000}"
RUN_JMH="${BENCH_JMH:-1}"
COMMAND="scripts/bench.sh"
[[ "$SCALE" != 1 ]] && COMMAND="BENCH_SCALE=$SCALE $COMMAND"

# The SSE scenario holds 10,000 sockets in the load tool and as many in the server.
ulimit -n "$(ulimit -Hn)"
echo "open files limit: $(ulimit -n)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ds-bench.XXXXXX")"
# Per-server raw results are kept (gitignored) so one scenario can be re-run and the report redone:
# java -jar bench/target/ds-bench.jar report --results bench/results/raw ...
RAW="$ROOT/bench/results/raw"
rm -rf "$RAW"
mkdir -p "$RAW"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

load() { echo "[loadavg $(cat /proc/loadavg)] $*"; }

load "building"
mvn -q -DskipTests -pl cli,bench -am package
(cd bench/reference-server && [[ -d node_modules ]] || npm ci --no-audit --no-fund --silent)
DS_JAR="$ROOT/cli/target/ds.jar"
BENCH=(java -Xmx2g -jar "$ROOT/bench/target/ds-bench.jar")
OURS_CMD="java -jar $DS_JAR serve --port {port} --store file --data-dir {dir} --long-poll-timeout 30s"
REF_CMD="env DS_PORT={port} DS_DATA_DIR={dir} DS_LONG_POLL_TIMEOUT_MS=30000 node $ROOT/bench/reference-server/server.mjs"

load "physical limits"
"${BENCH[@]}" probe --dir "$WORK" --out "$RAW/machine.json"

# Starts a server from a command template in the background (as SERVER_PID, the server process
# itself, for RSS sampling) and sets SERVER_URL from its "listening on URL" line.
start_server() {
  local template="$1" dir="$2" log="$3"
  mkdir -p "$dir"
  local cmd="${template//\{port\}/0}"
  cmd="${cmd//\{dir\}/$dir}"
  # exec: the background job becomes the server, so $! is the server's pid.
  bash -c "exec $cmd" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    SERVER_URL="$(grep -o 'listening on http://[^ ]*' "$log" | head -1 | sed 's/listening on //' || true)"
    [[ -n "$SERVER_URL" ]] && return 0
    sleep 0.1
  done
  echo "server did not start; log:" >&2; cat "$log" >&2; exit 1
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

for name in ours reference; do
  template="$OURS_CMD"; [[ "$name" == reference ]] && template="$REF_CMD"
  start_server "$template" "$WORK/$name-data" "$WORK/$name.log"
  load "$name listening on $SERVER_URL (pid $SERVER_PID)"
  "${BENCH[@]}" run --name "$name" --url "$SERVER_URL" --pid "$SERVER_PID" --scale "$SCALE" \
    --scenarios "$SCENARIOS" --out "$RAW/$name.json"
  stop_server
  rm -rf "$WORK/$name-data"
done

for name in ours reference; do
  template="$OURS_CMD"; [[ "$name" == reference ]] && template="$REF_CMD"
  mkdir -p "$WORK/$name-restart"
  "${BENCH[@]}" restart --name "$name" --cmd "$template" --dir "$WORK/$name-restart" --populate http \
    --streams "$HTTP_RESTART_STREAMS" --metric s7.ready_http_streams_ms --out "$RAW/$name-restart-http.json"
  rm -rf "$WORK/$name-restart"
done

# 100,000 streams with ~10 GiB need 3x that free, to leave the page cache and other work room.
need_kib=$(( RESTART_STREAMS * (RESTART_BYTES + 8192) * 3 / 1024 ))
free_kib=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
if (( free_kib < need_kib )); then
  echo "only $((free_kib >> 20)) GiB free: restart data reduced to 100 bytes per stream"
  RESTART_BYTES=100
fi
mkdir -p "$WORK/ours-100k"
"${BENCH[@]}" restart --name ours --cmd "$OURS_CMD" --dir "$WORK/ours-100k" --populate disk \
  --streams "$RESTART_STREAMS" --bytes-per-stream "$RESTART_BYTES" --metric s7.ready_100k_streams_ms \
  --out "$RAW/ours-restart-disk.json"
rm -rf "$WORK/ours-100k"

if [[ "$RUN_JMH" == 1 ]]; then
  load "JMH micro-benchmarks"
  java -cp "$ROOT/bench/target/ds-bench.jar" org.openjdk.jmh.Main -rf json -rff "$ROOT/bench/results/jmh.json"
fi

load "report"
"${BENCH[@]}" report --results "$RAW" --json "$ROOT/bench/results/latest.json" --doc "$ROOT/docs/benchmarks.md" \
  --command "$COMMAND" --jmh "$ROOT/bench/results/jmh.json"
