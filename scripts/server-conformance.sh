#!/usr/bin/env bash
# Runs the official server conformance suite (@durable-streams/server-conformance-tests) against
# our server. Usage: scripts/server-conformance.sh [memory|file|postgres|cluster]   (default: memory)
#   memory, file  one node on that store
#   postgres      one node on the PostgreSQL store
#   cluster       two PostgreSQL nodes on one database behind nginx round robin (scripts/cluster.sh);
#                 the suite talks to nginx, so consecutive requests reach different nodes
# The PostgreSQL modes use a throwaway server (scripts/postgres.sh) in a temporary directory, or,
# when DS_TEST_POSTGRES_URL (postgresql://USER@HOST:PORT/DB, a user allowed to create databases) is
# set, a new database in that server, dropped afterwards.
# Nodes run with a 1 s long-poll timeout and --allow-local-webhooks: the suite's webhook receivers
# listen on 127.0.0.1, which the server refuses by default. conformance/server/server.test.mjs starts
# the single node; in cluster mode it is given the nginx URL (DS_BASE_URL).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STORE="${1:-memory}"
case "$STORE" in
  memory|file|postgres) LABEL="$STORE store" ;;
  cluster) LABEL="postgres store, two nodes behind nginx" ;;
  *) echo "usage: scripts/server-conformance.sh [memory|file|postgres|cluster]" >&2; exit 2 ;;
esac
# the run's database is made here, never one from the caller's environment
unset DS_POSTGRES_URL
cd "$ROOT/conformance/server"
[[ -d node_modules ]] || npm ci --no-audit --no-fund

TMP="$(mktemp -d)"
TEST_DB=""
cleanup() {
  if [[ "$STORE" == cluster ]]; then
    "$ROOT/scripts/cluster.sh" stop "$TMP/cluster" || true
  fi
  if [[ -f "$TMP/postgres/port" ]]; then
    "$ROOT/scripts/postgres.sh" stop "$TMP/postgres" || true
  fi
  if [[ -n "$TEST_DB" ]]; then
    psql "${DS_TEST_POSTGRES_URL#jdbc:}" -qc "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# Creates database TEST_DB in DS_TEST_POSTGRES_URL's server; prints its URL.
fresh_database() {
  local server="${DS_TEST_POSTGRES_URL#jdbc:}" base query=""
  psql "$server" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $TEST_DB" >&2
  base="${server%%\?*}"
  [[ "$server" == *\?* ]] && query="?${server#*\?}"
  echo "${base%/*}/$TEST_DB$query"
}

ENV=()
case "$STORE" in
  memory)
    ENV+=(DS_STORE=memory)
    ;;
  file)
    ENV+=(DS_STORE=file DS_DATA_DIR="$TMP/data")
    ;;
  postgres)
    if [[ -n "${DS_TEST_POSTGRES_URL:-}" ]]; then
      TEST_DB="ds_conf_$$_${RANDOM}"
      url="$(fresh_database)"
    else
      # as root PostgreSQL runs as the postgres user, which must pass through the 0700 temp dir
      [[ "$(id -u)" == 0 ]] && chmod o+x "$TMP"
      url="$("$ROOT/scripts/postgres.sh" start "$TMP/postgres")"
    fi
    ENV+=(DS_STORE=postgres DS_POSTGRES_URL="$url")
    ;;
  cluster)
    [[ "$(id -u)" == 0 ]] && chmod o+x "$TMP"
    if [[ -n "${DS_TEST_POSTGRES_URL:-}" ]]; then
      TEST_DB="ds_conf_$$_${RANDOM}"
      export DS_POSTGRES_URL
      DS_POSTGRES_URL="$(fresh_database)"
    fi
    # cluster.sh starts its own PostgreSQL under $TMP/cluster without DS_POSTGRES_URL
    proxy="$("$ROOT/scripts/cluster.sh" start "$TMP/cluster" --long-poll-timeout 1s --allow-local-webhooks)"
    ENV+=(DS_BASE_URL="$proxy")
    ;;
esac

LOG="$TMP/vitest.log"
set +e
env "${ENV[@]}" NO_COLOR=1 npx vitest run --reporter=dot 2>&1 | tee "$LOG"
STATUS=${PIPESTATUS[0]}
set -e
SUMMARY="$(sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -E '^ *Tests +[0-9]' | tail -1 || true)"
echo "server conformance ($LABEL): $SUMMARY"
# every test must pass: 332 always-on plus the 6 opt-in subscription tests
if [[ $STATUS -ne 0 ]] || ! grep -q "338 passed" <<<"$SUMMARY"; then
  if [[ "$STORE" == cluster ]]; then
    echo "node logs: the last lines of each" >&2
    tail -n 20 "$TMP/cluster/node1.log" "$TMP/cluster/node2.log" >&2 || true
  fi
  echo "server conformance ($LABEL) FAILED" >&2
  exit 1
fi
