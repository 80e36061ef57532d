#!/usr/bin/env bash
# Benchmarks ./ds serve (file store, default durability) against the Node reference server
# (@durable-streams/server 0.3.7, file-backed) on this machine, and the PostgreSQL store next to
# the file store, in one run:
#   1. builds the server and the bench module, installs the reference server (npm ci);
#   2. measures the physical limits: raw fdatasync latency of the data disk, loopback TCP;
#   3. starts each server in turn on a free port with a temp data dir and runs scenarios 1-6 and 8;
#   4. PostgreSQL: starts a throwaway PostgreSQL server (scripts/postgres.sh), then one
#      `ds serve --store postgres` node (scenarios 2, 4, 8), then two nodes behind nginx
#      (scripts/cluster.sh: scenario 2 through nginx; scenarios 4 and 8 writing on node 1 and
#      reading on node 2);
#   5. scenario 7: restarts each server over streams created over HTTP, and ours over 100,000
#      streams (~10 GiB) written directly in the file store's format;
#   6. runs the JMH micro-benchmarks;
#   7. writes bench/results/latest.json (and raw/*.json) and the tables in docs/benchmarks.md.
# Knobs (environment): BENCH_SCALE (1 = full; 0.05 for a quick tooling check), BENCH_SCENARIOS
# (s1,s2,s3,s4,s5lp,s5sse,s6,s7,s8), BENCH_REFERENCE (1 = run the reference server),
# BENCH_POSTGRES (1 = the PostgreSQL rows; default 1 when /usr/lib/postgresql/*/bin holds
# PostgreSQL; the two-node rows also need nginx), BENCH_RESTART_STREAMS (100000),
# BENCH_RESTART_BYTES_PER_STREAM (107374, i.e. 10 GiB in all), BENCH_HTTP_RESTART_STREAMS (5000),
# BENCH_JMH (1 = run it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

pg_installed=0
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/pg_ctl" ]] && pg_installed=1
done
SCALE="${BENCH_SCALE:-1}"
SCENARIOS="${BENCH_SCENARIOS:-s1,s2,s3,s4,s5lp,s5sse,s6,s7,s8}"
RUN_REFERENCE="${BENCH_REFERENCE:-1}"
RUN_POSTGRES="${BENCH_POSTGRES:-$pg_installed}"
RESTART_STREAMS="${BENCH_RESTART_STREAMS:-100000}"
RESTART_BYTES="${BENCH_RESTART_BYTES_PER_STREAM:-107374}"
HTTP_RESTART_STREAMS="${BENCH_HTTP_RESTART_STREAMS:-5000}"
RUN_JMH="${BENCH_JMH:-1}"
# The report names the command with every knob that was set, so the run can be repeated.
COMMAND="scripts/bench.sh"
for knob in BENCH_JMH BENCH_HTTP_RESTART_STREAMS BENCH_RESTART_BYTES_PER_STREAM BENCH_RESTART_STREAMS BENCH_POSTGRES \
    BENCH_REFERENCE BENCH_SCENARIOS BENCH_SCALE; do
  [[ -n "${!knob:-}" ]] && COMMAND="$knob=${!knob} $COMMAND"
done
wants() { [[ ",$SCENARIOS," == *",$1,"* ]]; }
# The scenarios of $SCENARIOS among those given, comma-separated.
among() {
  local out="" s
  for s in "$@"; do wants "$s" && out="$out${out:+,}$s"; done
  echo "$out"
}
if [[ "$RUN_POSTGRES" == 1 && "$pg_installed" != 1 ]]; then
  echo "BENCH_POSTGRES=1 but PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 2
fi

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
PG_DIR=""
CLUSTER_DIR=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n "$CLUSTER_DIR" ]]; then scripts/cluster.sh stop "$CLUSTER_DIR" || true; fi
  if [[ -n "$PG_DIR" ]]; then scripts/postgres.sh stop "$PG_DIR" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

load() { echo "[loadavg $(cat /proc/loadavg)] $*"; }

load "building"
mvn -q -DskipTests -pl cli,bench -am package
if [[ "$RUN_REFERENCE" == 1 ]]; then
  (cd bench/reference-server && [[ -d node_modules ]] || npm ci --no-audit --no-fund --silent)
fi
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

SERVERS=(ours)
[[ "$RUN_REFERENCE" == 1 ]] && SERVERS+=(reference)
for name in "${SERVERS[@]}"; do
  template="$OURS_CMD"; [[ "$name" == reference ]] && template="$REF_CMD"
  start_server "$template" "$WORK/$name-data" "$WORK/$name.log"
  load "$name listening on $SERVER_URL (pid $SERVER_PID)"
  "${BENCH[@]}" run --name "$name" --url "$SERVER_URL" --pid "$SERVER_PID" --scale "$SCALE" \
    --scenarios "$SCENARIOS" --out "$RAW/$name.json"
  stop_server
  rm -rf "$WORK/$name-data"
done

# The URL of node $1 of the cluster in $CLUSTER_DIR, from its "listening on" line.
node_url() {
  echo "http://$(sed -n 's#.*listening on http://\([^/ ]*\).*#\1#p' "$CLUSTER_DIR/node$1.log" | head -1)"
}

# A fresh JVM needs tens of seconds of load before its hot paths are compiled; the file store and
# the reference get that from scenario 1 before scenario 2, the PostgreSQL nodes from one
# unmeasured, shorter pass of scenario 2 (two nodes on 2 cores otherwise measure their JIT).
warm_up() {  # $1: URL, $2: pid
  "${BENCH[@]}" run --name warm-up --url "$1" --pid "$2" --scale "$(awk "BEGIN {print $SCALE * 0.4}")" \
    --scenarios s2 --out "$WORK/warm-up.json" >/dev/null
}

PG_SCENARIOS="$(among s2 s4 s8)"
if [[ "$RUN_POSTGRES" == 1 && -n "$PG_SCENARIOS" ]]; then
  # as root, PostgreSQL runs as the postgres user, which must pass through the 0700 work directory
  chmod o+x "$WORK"
  PG_DIR="$WORK/postgres"
  PG_URL="$(scripts/postgres.sh start "$PG_DIR")"
  load "PostgreSQL ($(sed -n 1p "$PG_DIR/pgdata/PG_VERSION")) at $PG_URL"
  PG_CMD="java -jar $DS_JAR serve --port {port} --store postgres --postgres-url $PG_URL --long-poll-timeout 30s"
  start_server "$PG_CMD" "$WORK/postgres-node" "$WORK/postgres-node.log"
  load "postgres node listening on $SERVER_URL (pid $SERVER_PID); warming up"
  warm_up "$SERVER_URL" "$SERVER_PID"
  "${BENCH[@]}" run --name postgres --url "$SERVER_URL" --pid "$SERVER_PID" --scale "$SCALE" \
    --scenarios "$PG_SCENARIOS" --out "$RAW/postgres.json"
  stop_server
  if [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null; then
    CLUSTER_DIR="$WORK/cluster"
    PROXY_URL="$(DS_POSTGRES_URL="$PG_URL" scripts/cluster.sh start "$CLUSTER_DIR" --long-poll-timeout 30s)"
    # node B serves the reads, so RSS is sampled there
    NODE_B_PID="$(cat "$CLUSTER_DIR/node2.pid")"
    load "two postgres nodes $(node_url 1) and $(node_url 2) behind nginx at $PROXY_URL; warming up"
    warm_up "$PROXY_URL" "$NODE_B_PID"
    if wants s2; then
      "${BENCH[@]}" run --name postgres-2nodes --url "$PROXY_URL" --pid "$NODE_B_PID" --scale "$SCALE" \
        --scenarios s2 --out "$RAW/postgres-2nodes.json"
    fi
    ACROSS="$(among s4 s8)"
    if [[ -n "$ACROSS" ]]; then
      "${BENCH[@]}" run --name postgres-2nodes --url "$(node_url 1)" --url-b "$(node_url 2)" --pid "$NODE_B_PID" \
        --scale "$SCALE" --scenarios "$ACROSS" --out "$RAW/postgres-2nodes-across.json"
    fi
    scripts/cluster.sh stop "$CLUSTER_DIR"
    CLUSTER_DIR=""
  else
    echo "nginx not found (apt-get install -y nginx): the two-node PostgreSQL rows are skipped"
  fi
  scripts/postgres.sh stop "$PG_DIR"
  PG_DIR=""
fi

if wants s7; then
  for name in "${SERVERS[@]}"; do
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
fi

JMH_RESULTS=()
if [[ "$RUN_JMH" == 1 ]]; then
  load "JMH micro-benchmarks"
  java -cp "$ROOT/bench/target/ds-bench.jar" org.openjdk.jmh.Main -rf json -rff "$ROOT/bench/results/jmh.json"
  JMH_RESULTS=(--jmh "$ROOT/bench/results/jmh.json")
fi

load "report"
"${BENCH[@]}" report --results "$RAW" --json "$ROOT/bench/results/latest.json" --doc "$ROOT/docs/benchmarks.md" \
  --command "$COMMAND" "${JMH_RESULTS[@]}"
