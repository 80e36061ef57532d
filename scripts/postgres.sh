#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, benchmarks and trying out the PostgreSQL store.
#
#   scripts/postgres.sh start DIR     initdb a cluster in DIR (if new) and start it on a free loopback
#                                     port; prints the JDBC-style URL (postgresql://ds@127.0.0.1:PORT/ds)
#   scripts/postgres.sh stop DIR      fast shutdown
#   scripts/postgres.sh crash DIR     immediate shutdown (pg_ctl stop -m immediate: no checkpoint, as a crash)
#   scripts/postgres.sh restart DIR   start again on the same port after stop or crash
#   scripts/postgres.sh url DIR       the URL of a started cluster
#
# Uses the PostgreSQL binaries of Debian's `postgresql` package (/usr/lib/postgresql/*/bin) or the
# ones on PATH. PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres`
# system user (created by the package) and DIR is handed to it, so DIR's parents must be searchable
# by that user (a 0700 directory from mktemp -d needs chmod o+x). Connections from 127.0.0.1 are
# trusted (no password): this is for tests on one machine, never for production.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
[[ -n "$cmd" && -n "$dir" ]] || { sed -n '2,15p' "$0" >&2; exit 2; }

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x "$candidate/pg_ctl" ]] && bindir="$candidate"
done
if [[ -z "$bindir" ]] && command -v pg_ctl >/dev/null 2>&1; then
  bindir="$(dirname "$(command -v pg_ctl)")"
fi
[[ -n "$bindir" ]] || { echo "postgres.sh: PostgreSQL not found (apt-get install -y postgresql)" >&2; exit 2; }

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

data="$dir/pgdata"
port_file="$dir/port"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() {
  echo "postgresql://ds@127.0.0.1:$(cat "$port_file")/ds"
}

start() {
  if [[ ! -d "$data" ]]; then
    mkdir -p "$dir"
    if [[ "$(id -u)" == 0 ]]; then
      chown postgres "$dir"
      # mktemp -d makes 0700 directories: the postgres user cannot pass through one that root owns
      runuser -u postgres -- test -w "$dir" || {
        echo "postgres.sh: the postgres user cannot reach $dir: a parent directory is not searchable (chmod o+x it)" >&2
        exit 1
      }
    fi
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    free_port >"$port_file"
  fi
  local port
  port="$(cat "$port_file")"
  # fsync stays on: acknowledged appends must survive `crash`. Small shared memory footprint;
  # enough connections for several nodes with their pools and LISTEN connections.
  as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB" \
    start >/dev/null || { tail -20 "$dir/postgres.log" >&2; exit 1; }
  if ! as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -Atqc "select 1 from pg_roles where rolname='ds'" postgres | grep -q 1; then
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create role ds login createdb" postgres
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database ds owner ds" postgres
  fi
  url
}

case "$cmd" in
  start|restart) start ;;
  stop) as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null ;;
  crash) as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null ;;
  url) url ;;
  *) echo "postgres.sh: unknown command $cmd" >&2; exit 2 ;;
esac
