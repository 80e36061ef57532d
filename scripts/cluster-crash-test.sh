#!/usr/bin/env bash
# Crash test of stateless nodes on PostgreSQL: two `ds serve --store postgres` nodes on one database
# under concurrent load (idempotent producers and Stream-Seq writers that fail over to the other
# node while an answer is unknown, live readers, creates, closes, deletes) and a fault every cycle:
#
#   node-kill   SIGKILL one node at a random moment, keep the load on the other, start it again
#   db-restart  crash PostgreSQL (pg_ctl stop -m immediate) under both nodes and start it again
#
# After each cycle every stream is read through both nodes: exactly the acknowledged appends, in
# order, each once; the same bytes and offsets on both nodes; closed streams closed, deleted gone.
#
#   scripts/cluster-crash-test.sh [node-kill|db-restart] [CYCLES] [SEED]   (default node-kill, 8 cycles)
#
# Prints per-cycle progress, then "cluster crash test (MODE): N cycles, M appends acknowledged,
# L lost, D duplicated, F failovers"; exits non-zero on any anomaly (the node logs are then kept).
# The database: a throwaway PostgreSQL server (scripts/postgres.sh) in a temporary directory or, in
# node-kill mode with DS_TEST_POSTGRES_URL set (a user allowed to create databases), a new database
# there, dropped afterwards. db-restart always starts its own server: it crashes it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-node-kill}"
CYCLES="${2:-8}"
SEED="${3:-}"
case "$MODE" in
  node-kill|db-restart) ;;
  *) echo "usage: scripts/cluster-crash-test.sh [node-kill|db-restart] [CYCLES] [SEED]" >&2; exit 2 ;;
esac
cd "$ROOT"
# the run's database is made here, never one from the caller's environment
unset DS_POSTGRES_URL

TMP="$(mktemp -d)"
TEST_DB=""
STATUS=1
cleanup() {
  if [[ -f "$TMP/postgres/port" ]]; then
    scripts/postgres.sh stop "$TMP/postgres" >/dev/null 2>&1 || true
  fi
  if [[ -n "$TEST_DB" ]]; then
    psql "${DS_TEST_POSTGRES_URL#jdbc:}" -qc "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" >/dev/null || true
  fi
  if [[ "$STATUS" == 0 ]]; then
    rm -rf "$TMP"
  else
    echo "cluster-crash-test.sh: node and database logs kept in $TMP" >&2
  fi
}
trap cleanup EXIT

mvn -q -DskipTests package -pl cli,crash-test -am >&2

ARGS=(--launcher "$ROOT/ds" --mode "$MODE" --cycles "$CYCLES" --work-dir "$TMP/run")
if [[ "$MODE" == node-kill && -n "${DS_TEST_POSTGRES_URL:-}" ]]; then
  server="${DS_TEST_POSTGRES_URL#jdbc:}"
  TEST_DB="ds_cluster_crash_$$_${RANDOM}"
  psql "$server" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $TEST_DB" >&2
  base="${server%%\?*}"
  query=""
  [[ "$server" == *\?* ]] && query="?${server#*\?}"
  url="${base%/*}/$TEST_DB$query"
else
  # as root PostgreSQL runs as the postgres user, which must pass through the 0700 temp dir
  [[ "$(id -u)" == 0 ]] && chmod o+x "$TMP"
  url="$(scripts/postgres.sh start "$TMP/postgres")"
  ARGS+=(--postgres-script "$ROOT/scripts/postgres.sh" --postgres-dir "$TMP/postgres")
fi
ARGS+=(--postgres-url "$url")
[[ -n "$SEED" ]] && ARGS+=(--seed "$SEED")

set +e
java -cp "$ROOT/crash-test/target/classes" io.durablestreams.crashtest.ClusterCrashTest "${ARGS[@]}"
STATUS=$?
set -e
exit "$STATUS"
