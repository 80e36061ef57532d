#!/usr/bin/env bash
# Runs every test: unit and integration tests (Maven), the official server conformance suite on
# every store, on one PostgreSQL node and on two nodes behind nginx, through the servlet binding
# (Jetty) and the Spring Boot starter (the jars `mvn verify` built are reused), the official client
# conformance cases against the reference server (also with a non-UTF-8 default charset), against
# ours and against two PostgreSQL nodes, the kill -9 crash test of the file store, the crash tests
# of two PostgreSQL-store nodes (a node killed, the database crashed), and the caching-proxy test of
# the stream-incarnations extension (needs nginx), and the web console in a headless Chromium.
# Needs a JDK 17+, Maven and Node 20+; npm packages are installed on first use; PostgreSQL
# (Debian's postgresql package) for the PostgreSQL store: one throwaway server is started for the
# whole run (scripts/postgres.sh), unless DS_TEST_POSTGRES_URL names one.
#   DS_CRASH_CYCLES (default 30) sets the number of crash-test kill cycles,
#   DS_CLUSTER_CRASH_CYCLES (default 8) those of each cluster crash test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PG_DIR=""
if [[ -z "${DS_TEST_POSTGRES_URL:-}" ]] && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  PG_DIR="$(mktemp -d)"
  [[ "$(id -u)" == 0 ]] && chmod o+x "$PG_DIR"
  trap '"$ROOT/scripts/postgres.sh" stop "$PG_DIR/pg" >/dev/null 2>&1 || true; rm -rf "$PG_DIR"' EXIT
  export DS_TEST_POSTGRES_URL
  DS_TEST_POSTGRES_URL="$("$ROOT/scripts/postgres.sh" start "$PG_DIR/pg")"
fi
echo "== unit and integration tests"
mvn -B -q verify
echo "== server conformance suite, in-memory store"
scripts/server-conformance.sh memory
echo "== server conformance suite, file store"
scripts/server-conformance.sh file
echo "== server conformance suite, PostgreSQL store (one node)"
scripts/server-conformance.sh postgres
echo "== server conformance suite, two PostgreSQL nodes behind nginx (round robin)"
if command -v nginx >/dev/null 2>&1; then
  scripts/server-conformance.sh cluster
else
  echo "SKIPPED: nginx is not installed (apt-get install -y nginx)"
fi
echo "== server conformance suite, servlet binding in Jetty"
scripts/server-conformance.sh servlet
echo "== server conformance suite, Spring Boot starter (examples/spring-boot)"
scripts/server-conformance.sh spring
echo "== client conformance, Java client against the Node reference server"
scripts/client-conformance.sh reference | tail -3
echo "== client conformance, Java client against the reference server, LANG=C"
LANG=C LC_ALL=C scripts/client-conformance.sh reference | tail -3
echo "== client conformance, Java client against our server"
scripts/client-conformance.sh ours | tail -3
echo "== client conformance, Java client against two PostgreSQL nodes behind nginx"
if command -v nginx >/dev/null 2>&1; then
  scripts/client-conformance.sh cluster | tail -3
else
  echo "SKIPPED: nginx is not installed (apt-get install -y nginx)"
fi
echo "== crash test: kill -9 under load, ${DS_CRASH_CYCLES:-30} cycles"
scripts/crash-test.sh "${DS_CRASH_CYCLES:-30}" | tail -6
echo "== cluster crash test: two PostgreSQL nodes, kill -9 of a node under load, ${DS_CLUSTER_CRASH_CYCLES:-8} cycles"
scripts/cluster-crash-test.sh node-kill "${DS_CLUSTER_CRASH_CYCLES:-8}"
echo "== cluster crash test: two PostgreSQL nodes, PostgreSQL crashed under load, ${DS_CLUSTER_CRASH_CYCLES:-8} cycles"
scripts/cluster-crash-test.sh db-restart "${DS_CLUSTER_CRASH_CYCLES:-8}"
echo "== caching proxy (nginx) in front of the server, with and without immutable start URLs"
if command -v nginx >/dev/null 2>&1; then
  scripts/cache-proxy-test.sh | tail -8
else
  echo "SKIPPED: nginx is not installed (apt-get install -y nginx)"
fi
echo "== web console in headless Chromium (Playwright)"
scripts/console-test.sh
echo "== all tests passed"
