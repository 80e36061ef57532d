#!/usr/bin/env bash
# Crash test of the file store: runs the real server (./ds serve --store file) under concurrent
# load, kills it with SIGKILL at random moments, restarts it on the same data directory and checks
# that acknowledged appends survive exactly once and in order, producer retries are deduplicated,
# offsets only grow and closed/deleted streams stay so. A third of the streams keep only their last
# 2 KiB (Stream-Retention-Bytes; the server runs with 8 KiB segments and a 200 ms retention sweep):
# they may start later, never earlier than a read saw, and always hold what retention must keep.
#
#   scripts/crash-test.sh [CYCLES] [SEED]     (default 30 cycles, random seed)
#
# Prints per-cycle progress, then cycles, appends checked and anomalies; exits non-zero on any anomaly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CYCLES="${1:-30}"
cd "$ROOT"
mvn -q -DskipTests package -pl cli,crash-test -am >&2
exec java -cp "$ROOT/crash-test/target/classes" io.durablestreams.crashtest.CrashTest "$ROOT/ds" "$CYCLES" ${2:-}
