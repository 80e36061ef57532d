#!/usr/bin/env bash
# Builds the distribution for people who do not build from source:
#   target/dist/ds-VERSION.tar.gz = ds-VERSION/{bin/ds, lib/ds.jar, LICENSE, README.md, docs/, deploy/}
# bin/ds runs on any machine with a Java 17+ runtime (JAVA_HOME, or java on PATH); nothing else is
# needed: no Maven, no network, no clone. Prints the archive's path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="$(sed -n '/<artifactId>durable-streams-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$ROOT/pom.xml")"
NAME="ds-$VERSION"
OUT="$ROOT/target/dist"

(cd "$ROOT" && mvn -q -B -DskipTests package -pl cli -am >&2)
rm -rf "${OUT:?}/$NAME" "$OUT/$NAME.tar.gz"
mkdir -p "$OUT/$NAME/bin" "$OUT/$NAME/lib"
cp "$ROOT/cli/target/ds.jar" "$OUT/$NAME/lib/ds.jar"
cp -r "$ROOT/LICENSE" "$ROOT/README.md" "$ROOT/docs" "$ROOT/deploy" "$OUT/$NAME/"
cat >"$OUT/$NAME/bin/ds" <<'LAUNCHER'
#!/bin/sh
# The ds launcher of the distribution: runs lib/ds.jar with a Java 17+ runtime, from JAVA_HOME or
# PATH. DS_JAVA_OPTS passes options to the JVM (e.g. -Xmx2g).
set -e
self="$(readlink -f "$0" 2>/dev/null || echo "$0")"   # bin/ds may be a symlink, e.g. in /usr/local/bin
home="$(cd "$(dirname "$self")/.." && pwd)"
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java="$(command -v java || true)"; fi
if [ -z "$java" ] || [ ! -x "$java" ]; then
  echo "ds: needs a Java 17+ runtime: install one (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME" >&2
  exit 1
fi
# shellcheck disable=SC2086  # DS_JAVA_OPTS holds several options
exec "$java" ${DS_JAVA_OPTS:-} -jar "$home/lib/ds.jar" "$@"
LAUNCHER
chmod +x "$OUT/$NAME/bin/ds"
tar -C "$OUT" -czf "$OUT/$NAME.tar.gz" "$NAME"
echo "$OUT/$NAME.tar.gz"
