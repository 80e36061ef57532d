#!/usr/bin/env bash
# Runs the official client conformance YAML cases against the Java client:
# builds the client, adapter and runner, installs the Node reference server
# (@durable-streams/server, pinned in reference-server/package-lock.json) and runs the suite.
# Extra arguments go to the runner, e.g. --test 'sse-*' or --server-url http://127.0.0.1:4437.
# Exits non-zero if any case fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

echo "== building client, adapter and runner"
(cd "$root" && mvn -q install -DskipTests -pl client -am)
(cd "$here/adapter" && mvn -q package -DskipTests)
(cd "$here/runner" && mvn -q package -DskipTests)

if [[ " $* " != *" --server-url "* ]]; then
  echo "== installing the reference server"
  # npm install (not ci): npm 11 rejects this lock file in ci mode over other platforms' optional
  # packages; install still takes the exact versions the lock file pins.
  (cd "$here/reference-server" && npm install --no-audit --no-fund --loglevel=error)
fi

echo "== running the client conformance suite"
cd "$root"
exec java -Dfile.encoding=UTF-8 -jar "$here/runner/target/ds-client-conformance-runner.jar" \
  --adapter "$here/client-adapter" \
  --reference-server "$here/reference-server" \
  "$@"
