#!/usr/bin/env bash
# A local two-node cluster: two `ds serve --store postgres` nodes on one database, behind nginx
# (Debian: apt-get install -y nginx) balancing round robin without stickiness, so consecutive
# requests of one client land on different nodes.
#
#   scripts/cluster.sh start DIR [SERVE FLAGS...]   start it; prints the nginx URL (http://127.0.0.1:PORT)
#   scripts/cluster.sh stop DIR                     stop nginx, the nodes and a database started here
#
# The database is DS_POSTGRES_URL when set (its password, if any, from DS_POSTGRES_PASSWORD_FILE,
# which the nodes read), else a PostgreSQL server started with scripts/postgres.sh under
# DIR/postgres (kept there: a later start reuses its data). SERVE FLAGS go to both nodes (e.g.
# --long-poll-timeout 1s); --public-url is set to nginx's URL already. DIR holds the node logs
# (node1.log, node2.log), pid files and nginx's prefix, config and logs (nginx/logs/access.log
# names the node that answered each request). Ports are free ones picked at start; nginx runs
# as the current user.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
dir="${2:-}"
[[ -n "$cmd" && -n "$dir" ]] || { sed -n '2,15p' "$0" >&2; exit 2; }
shift 2
nginx=/usr/sbin/nginx
[[ -x "$nginx" ]] || nginx="$(command -v nginx || true)"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pid_of() {  # $1: pid file; prints the pid, fails when there is none (nginx removes its file on exit)
  local pid
  pid="$(cat "$1" 2>/dev/null)" && [[ -n "$pid" ]] && echo "$pid"
}

alive() {  # $1: pid file
  local pid
  pid="$(pid_of "$1")" && kill -0 "$pid" 2>/dev/null
}

start_node() {  # $1: node number, $2: database URL, $3..: extra flags; prints host:port
  local n="$1" url="$2" pid i origin
  shift 2
  # no stdin and no stdout of ours: the node outlives this script, and $(cluster.sh start) must end
  "$root/ds" serve --host 127.0.0.1 --port 0 --store postgres --postgres-url "$url" "$@" \
    </dev/null >"$dir/node$n.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/node$n.pid"
  for i in $(seq 1 600); do
    origin="$(sed -n 's#.*listening on http://\([^/ ]*\).*#\1#p' "$dir/node$n.log" | head -1)"
    if [[ -n "$origin" ]]; then
      echo "$origin"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "cluster.sh: node $n did not start:" >&2; cat "$dir/node$n.log" >&2; return 1; }
    sleep 0.1
  done
  echo "cluster.sh: node $n did not start within 60 s (see $dir/node$n.log)" >&2
  return 1
}

write_nginx_conf() {  # $1: listen port, $2 $3: node host:port
  local user_line=""
  # as root, nginx would hand its workers to "nobody"; keep them as the current user
  [[ "$(id -u)" == 0 ]] && user_line="user $(id -un);"
  mkdir -p "$dir/nginx/logs"
  cat >"$dir/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  log_format nodes '\$upstream_addr \$status \$request_method \$request_uri';
  access_log $dir/nginx/logs/access.log nodes;
  # round robin (nginx's default), no stickiness: any node must answer any request
  # nginx closes a keep-alive connection after 1,000 requests by default; clients that keep one
  # connection for a long run (the benchmark's load tool) would see it closed under them
  keepalive_requests 1000000;
  upstream ds {
    server $2;
    server $3;
    # idle connections kept to the nodes: fewer than the requests in flight, and nginx closes the
    # surplus after each response and opens new ones for the next (a TCP handshake and a new
    # connection on the node per request)
    keepalive 256;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$1;
    # the nodes enforce --max-append-bytes (413) themselves
    client_max_body_size 0;
    location / {
      proxy_pass http://ds;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # the nodes build Location headers from Host: keep the client's
      proxy_set_header Host \$http_host;
      # live reads (SSE, long-poll) and streamed appends pass through as they come
      proxy_buffering off;
      proxy_request_buffering off;
      # above --long-poll-timeout (30 s by default) and the SSE keep-alive interval
      proxy_read_timeout 120s;
      proxy_send_timeout 120s;
    }
    # the fault-injection endpoint of nodes started with --test-faults (client conformance): a
    # fault must be armed on every node, whichever one serves the request it is meant for
    location /_test/ {
      mirror /_test_mirror;
      proxy_pass http://$2;
    }
    location = /_test_mirror {
      internal;
      proxy_pass http://$3\$request_uri;
    }
  }
}
EOF
}

start() {
  command -v python3 >/dev/null || { echo "cluster.sh: python3 not found (picks free ports)" >&2; exit 2; }
  [[ -n "$nginx" ]] || { echo "cluster.sh: nginx not found (apt-get install -y nginx)" >&2; exit 2; }
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if alive "$dir/node1.pid" || alive "$dir/node2.pid" || alive "$dir/nginx/nginx.pid"; then
    echo "cluster.sh: a cluster is already running in $dir (scripts/cluster.sh stop $dir)" >&2
    exit 1
  fi
  trap 'status=$?; if [[ $status -ne 0 ]]; then stop; fi; exit $status' EXIT
  local url
  if [[ -n "${DS_POSTGRES_URL:-}" ]]; then
    url="$DS_POSTGRES_URL"
  else
    # as root PostgreSQL runs as the postgres user, which must be able to pass through DIR
    [[ "$(id -u)" == 0 ]] && chmod o+x "$dir"
    url="$("$root/scripts/postgres.sh" start "$dir/postgres")"
  fi
  # build once now rather than twice at the same time in the two nodes' launchers
  "$root/ds" --version >/dev/null
  local node1 node2 port proxy i
  port="$(free_port)"
  proxy="http://127.0.0.1:$port"
  # webhook callback and JWKS URLs are made without a request to take the Host from: name nginx
  node1="$(start_node 1 "$url" --public-url "$proxy" "$@")"
  node2="$(start_node 2 "$url" --public-url "$proxy" "$@")"
  write_nginx_conf "$port" "$node1" "$node2"
  "$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/logs/error.log" </dev/null >/dev/null 2>&1 \
    || { echo "cluster.sh: nginx did not start:" >&2; cat "$dir/nginx/logs/error.log" >&2; exit 1; }
  for i in $(seq 1 100); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$proxy/healthz")" == 200 ]]; then
      echo "cluster.sh: node 1 http://$node1, node 2 http://$node2 (logs in $dir), database $(sed 's#//[^@/]*:[^@/]*@#//***@#' <<<"$url")" >&2
      echo "$proxy"
      return 0
    fi
    sleep 0.05
  done
  echo "cluster.sh: nginx does not answer on $proxy:" >&2
  cat "$dir/nginx/logs/error.log" >&2
  exit 1
}

terminate() {  # $@: pid files; SIGTERM to each process still running
  local f pid
  for f in "$@"; do
    pid="$(pid_of "$f")" && kill -TERM "$pid" 2>/dev/null || true
  done
}

await_exit() {  # $1: seconds, $2..: pid files; SIGKILL what is still running after that
  local seconds="$1" f i
  shift
  for f in "$@"; do
    for i in $(seq 1 $((seconds * 10))); do
      alive "$f" || break
      sleep 0.1
    done
    if alive "$f"; then
      echo "cluster.sh: $(basename "$f" .pid) did not stop within $seconds s; killing it" >&2
      kill -KILL "$(pid_of "$f")" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

stop() {
  # nginx first, so no new requests arrive; then the nodes, which finish in-flight requests
  # (--shutdown-grace, 10 s by default), both at once; then a database started here
  terminate "$dir/nginx/nginx.pid"
  await_exit 10 "$dir/nginx/nginx.pid"
  terminate "$dir/node1.pid" "$dir/node2.pid"
  await_exit 30 "$dir/node1.pid" "$dir/node2.pid"
  if [[ -f "$dir/postgres/port" ]]; then
    "$root/scripts/postgres.sh" stop "$dir/postgres" 2>/dev/null || true
  fi
}

case "$cmd" in
  start) start "$@" ;;
  stop)
    if [[ -d "$dir" ]]; then
      dir="$(cd "$dir" && pwd)"
      stop
    fi
    ;;
  *) echo "cluster.sh: unknown command $cmd (start or stop)" >&2; exit 2 ;;
esac
