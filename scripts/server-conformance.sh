#!/usr/bin/env bash
# Runs the official server conformance suite (@durable-streams/server-conformance-tests) against
# our server. Usage: scripts/server-conformance.sh [memory|file|postgres|cluster|servlet|spring]   (default: memory)
#   memory, file  one node on that store
#   servlet       the servlet binding in embedded Jetty (servlet-jetty/target/ds-servlet-jetty.jar), memory store
#   spring        the Spring Boot example app (examples/spring-boot) with the starter, memory store
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
  servlet) LABEL="servlet binding in Jetty, memory store" ;;
  spring) LABEL="Spring Boot starter, memory store" ;;
  *) echo "usage: scripts/server-conformance.sh [memory|file|postgres|cluster|servlet|spring]" >&2; exit 2 ;;
esac
# the run's database is made here, never one from the caller's environment
unset DS_POSTGRES_URL
cd "$ROOT/conformance/server"
[[ -d node_modules ]] || npm ci --no-audit --no-fund

TMP="$(mktemp -d)"
TEST_DB=""
cleanup() {
  if [[ -f "$TMP/app.pid" ]]; then
    kill "$(cat "$TMP/app.pid")" 2>/dev/null || true
  fi
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

# Builds JAR (module MODULE, with the modules it needs) unless it is newer than every source it is
# built from (after `mvn verify` it is, so CI builds once).
fresh_jar() {
  local jar="$1" module="$2" m
  shift 2
  if [[ -f "$jar" ]]; then
    local stale=""
    for m in pom.xml "$@"; do
      [[ -n "$(find "$ROOT/$m" -newer "$jar" \( -name '*.java' -o -name pom.xml -o -name '*.properties' \) -print -quit 2>/dev/null)" ]] && stale=1
    done
    [[ -z "$stale" ]] && return 0
  fi
  echo "building $module (mvn package)..." >&2
  (cd "$ROOT" && mvn -q -DskipTests -pl "$module" -am package >&2)
}

# Starts a Java application (arguments: the command) that prints "listening on URL"; prints the URL.
# Runs in a command substitution, so the process id goes to a file for cleanup.
start_app() {
  "$@" >"$TMP/app.log" 2>&1 &
  local pid=$! i
  echo "$pid" >"$TMP/app.pid"
  for i in $(seq 1 1800); do
    if grep -aqo 'listening on http://[^ ]*' "$TMP/app.log"; then
      grep -ao 'listening on http://[^ ]*' "$TMP/app.log" | head -1 | sed 's/^listening on //'
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the application did not start:" >&2
  tail -n 30 "$TMP/app.log" >&2
  return 1
}

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
  servlet)
    JAR="$ROOT/servlet-jetty/target/ds-servlet-jetty.jar"
    fresh_jar "$JAR" servlet-jetty protocol engine server-common webhooks store-file servlet servlet-jetty
    url="$(start_app java -jar "$JAR" --port 0 --long-poll-timeout-ms 1000 --allow-local-webhooks)"
    ENV+=(DS_BASE_URL="$url")
    ;;
  spring)
    JAR="$ROOT/examples/spring-boot/target/ds-spring-boot-example.jar"
    fresh_jar "$JAR" examples/spring-boot protocol engine server-common webhooks store-file store-postgres servlet \
      client client-jackson spring-boot-starter examples/spring-boot
    # the suite's base path and timings; /v1/stream as the mount point, local webhook receivers allowed
    url="$(start_app java -jar "$JAR" --server.port=0 --server.address=127.0.0.1 \
      --durable-streams.server.path=/v1/stream --durable-streams.server.store=memory \
      --durable-streams.server.long-poll-timeout=1s --durable-streams.server.allow-local-webhooks=true)"
    ENV+=(DS_BASE_URL="$url")
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
  if [[ -f "$TMP/app.pid" ]]; then
    echo "application log: the last lines" >&2
    tail -n 30 "$TMP/app.log" >&2 || true
  fi
  echo "server conformance ($LABEL) FAILED" >&2
  exit 1
fi
