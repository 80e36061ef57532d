#!/usr/bin/env bash
# Runs every test: unit and integration tests (Maven), then the official conformance suites.
# Needs a JDK 17+, Maven and Node 20+; npm packages are installed on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
echo "== unit and integration tests"
mvn -B -q verify
echo "== server conformance suite, in-memory store"
scripts/server-conformance.sh memory
echo "== all tests passed"
