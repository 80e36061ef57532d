#!/usr/bin/env bash
# Runs every test: unit and integration tests (Maven), the official server conformance suite on
# both stores, the official client conformance cases against the reference server (also with a
# non-UTF-8 default charset) and against ours, the kill -9 crash test of the file store, the crash
# tests of two PostgreSQL-store nodes (a node killed, the database crashed; needs PostgreSQL), and
# the caching-proxy test of the stream-incarnations extension (needs nginx).
# Needs a JDK 17+, Maven and Node 20+; npm packages are installed on first use.
#   DS_CRASH_CYCLES (default 30) sets the number of crash-test kill cycles,
#   DS_CLUSTER_CRASH_CYCLES (default 8) those of each cluster crash test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
echo "== unit and integration tests"
mvn -B -q verify
echo "== server conformance suite, in-memory store"
scripts/server-conformance.sh memory
echo "== server conformance suite, file store"
scripts/server-conformance.sh file
echo "== client conformance, Java client against the Node reference server"
scripts/client-conformance.sh reference | tail -3
echo "== client conformance, Java client against the reference server, LANG=C"
LANG=C LC_ALL=C scripts/client-conformance.sh reference | tail -3
echo "== client conformance, Java client against our server"
scripts/client-conformance.sh ours | tail -3
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
echo "== all tests passed"
