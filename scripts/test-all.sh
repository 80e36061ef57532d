#!/usr/bin/env bash
# Runs every test: unit and integration tests (Maven), the README's commands, the official server conformance suite on
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
#
# Each stage's output goes to target/test-all/NAME.log and is printed (its last lines) only when
# the stage fails; the run ends with a table of every stage: passed, FAILED or SKIPPED and why.
# A stage is skipped when something it needs is missing (stage --skip REASON), or when its command
# exits 77 after printing "SKIPPED: reason". With CI=true a skipped stage fails the run.
# Every stage runs even after one failed; the exit status is non-zero if any failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOGS="$ROOT/target/test-all"
rm -rf "$LOGS"
mkdir -p "$LOGS"
BACKGROUND=()
PG_DIR=""
cleanup() {
  for pid in "${BACKGROUND[@]}"; do kill -- "$pid" 2>/dev/null || true; done
  if [[ -n "$PG_DIR" ]]; then
    "$ROOT/scripts/postgres.sh" stop "$PG_DIR/pg" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT

# stage [--skip REASON] NAME CMD...
# Runs CMD with its output in $LOGS/<slug of NAME>.log and records passed, FAILED or SKIPPED in
# $LOGS/<slug>.result (files, so stages may run in background subshells); a non-empty REASON skips it.
stage() {
  local skip=""
  if [[ "$1" == --skip ]]; then skip="$2"; shift 2; fi
  local name="$1"; shift
  local slug log status note rc start=$SECONDS
  slug="$(tr -cs 'A-Za-z0-9' '-' <<<"$name" | sed 's/^-*//; s/-*$//' | tr 'A-Z' 'a-z')"
  log="$LOGS/$slug.log"
  echo "$slug" >>"$LOGS/order"
  if [[ -n "$skip" ]]; then
    status=SKIPPED; note="$skip"
  elif "$@" >"$log" 2>&1 </dev/null; then
    status=passed; note="$(grep -v '^[[:space:]]*$' "$log" | tail -1 | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-90 || true)"
  else
    rc=$?
    if [[ $rc == 77 ]]; then
      status=SKIPPED; note="$(grep -o 'SKIPPED: .*' "$log" | tail -1 | cut -c10- || true)"
    else
      status=FAILED; note="exit $rc, log: ${log#"$ROOT"/}"
      { echo "---- $name FAILED (exit $rc); the last 150 lines of ${log#"$ROOT"/}:"
        tail -n 150 "$log"
        echo "---- end of $name"; }
    fi
  fi
  printf '%s\t%s\t%s\t%s\n' "$status" "$((SECONDS - start))" "$name" "$note" >"$LOGS/$slug.result"
  printf '%-8s %5ss  %s\n' "$status" "$((SECONDS - start))" "$name"
}

# Maven's unit and integration tests, in every module that can build (also after a failure);
# ends with the total of Surefire's and Failsafe's module summaries.
maven_verify() {
  mvn -B -ntp --fail-at-end verify 2>&1 | awk '{ print }
    /^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$/ {
      split($0, f, /[:,] */); r += f[2]; x += f[4] + f[6]; s += f[8] }
    END { printf "maven: %d tests run, %d failed, %d skipped\n", r, x, s }'
}

NO_NGINX=""
command -v nginx >/dev/null 2>&1 || NO_NGINX="nginx is not installed (apt-get install -y nginx)"
NO_POSTGRES=""
if [[ -z "${DS_TEST_POSTGRES_URL:-}" ]]; then
  if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    PG_DIR="$(mktemp -d)"
    [[ "$(id -u)" == 0 ]] && chmod o+x "$PG_DIR"
    export DS_TEST_POSTGRES_URL
    DS_TEST_POSTGRES_URL="$("$ROOT/scripts/postgres.sh" start "$PG_DIR/pg")"
  else
    NO_POSTGRES="PostgreSQL is not installed (apt-get install -y postgresql) and DS_TEST_POSTGRES_URL is not set"
  fi
fi
NO_CLUSTER="${NO_NGINX:-$NO_POSTGRES}"

echo "stage logs: ${LOGS#"$ROOT"/}/"
stage "unit and integration tests (mvn verify)" maven_verify
stage "consumer project against the installed artifacts" scripts/consumer-test.sh
stage "distribution: unpacked, bin/ds serve with only a JRE, round trip" scripts/dist-test.sh
stage "examples, each against a started server" scripts/examples-test.sh
# The reference-server runs mostly wait on the network, so they run beside the server conformance
# stages (which never build anything; these two build the client, in turn, so they stay in sequence).
{
  stage "client conformance, Java client against the Node reference server" scripts/client-conformance.sh reference
  stage "client conformance, against the reference server, LANG=C" env LANG=C LC_ALL=C scripts/client-conformance.sh reference
  stage "README, top to bottom" scripts/readme-test.sh
} &
BACKGROUND+=($!)
stage "server conformance, in-memory store" scripts/server-conformance.sh memory
stage "server conformance, file store" scripts/server-conformance.sh file
stage --skip "$NO_POSTGRES" "server conformance, PostgreSQL store (one node)" scripts/server-conformance.sh postgres
stage --skip "$NO_CLUSTER" "server conformance, two PostgreSQL nodes behind nginx" scripts/server-conformance.sh cluster
stage "server conformance, servlet binding in Jetty" scripts/server-conformance.sh servlet
stage "server conformance, Spring Boot starter (examples/spring-boot)" scripts/server-conformance.sh spring
wait "${BACKGROUND[@]}"
BACKGROUND=()
stage "client conformance, Java client against our server" scripts/client-conformance.sh ours
stage --skip "$NO_CLUSTER" "client conformance, two PostgreSQL nodes behind nginx" scripts/client-conformance.sh cluster
stage "crash test, kill -9 under load, ${DS_CRASH_CYCLES:-30} cycles" scripts/crash-test.sh "${DS_CRASH_CYCLES:-30}"
stage --skip "$NO_POSTGRES" "cluster crash test, a node killed, ${DS_CLUSTER_CRASH_CYCLES:-8} cycles" \
  scripts/cluster-crash-test.sh node-kill "${DS_CLUSTER_CRASH_CYCLES:-8}"
stage --skip "$NO_POSTGRES" "cluster crash test, PostgreSQL crashed, ${DS_CLUSTER_CRASH_CYCLES:-8} cycles" \
  scripts/cluster-crash-test.sh db-restart "${DS_CLUSTER_CRASH_CYCLES:-8}"
stage --skip "$NO_NGINX" "caching proxy (nginx), with and without immutable start URLs" scripts/cache-proxy-test.sh
stage "web console in headless Chromium (Playwright)" scripts/console-test.sh

# The summary: every stage in the order it started.
passed=0 failed=0 skipped=0
echo
echo "== summary (logs in ${LOGS#"$ROOT"/}/)"
while read -r slug; do
  IFS=$'\t' read -r status seconds name note <"$LOGS/$slug.result"
  case "$status" in passed) passed=$((passed + 1)) ;; FAILED) failed=$((failed + 1)) ;; *) skipped=$((skipped + 1)) ;; esac
  printf '%-8s %5ss  %-68s %s\n' "$status" "$seconds" "$name" "$note"
done <"$LOGS/order"
echo "test-all: $passed passed, $failed failed, $skipped skipped"
if [[ "${CI:-}" == true && $skipped -gt 0 ]]; then
  echo "CI=true: a skipped stage fails the run (.ci/run must install what it needs)" >&2
  exit 1
fi
[[ $failed -eq 0 ]]
