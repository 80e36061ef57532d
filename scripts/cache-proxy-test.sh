#!/usr/bin/env bash
# Reads through a real caching proxy (nginx from Debian: apt-get install -y nginx) in front of
# `ds serve`, once with plain offset=-1 caching and once with --immutable-start-urls
# (docs/extensions/stream-incarnations.md):
#   1. correctness: a stream read from -1 (and cached), then deleted and recreated with other data;
#      how long the proxy keeps serving the old stream's data, and what a reader holding an old
#      offset gets;
#   2. benefit and cost: N sequential readers catch up a stream of many chunks through the proxy;
#      origin requests (nginx access log: every request not answered from cache) and latency.
# Prints a table. Everything (nginx prefix, config, cache, logs, pid) lives in a temp dir; nginx runs
# as the current user. Exits non-zero if the extension does not do what the doc promises.
#
# Usage: scripts/cache-proxy-test.sh [readers] [chunks]     (defaults: 20 readers, 64 chunks)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readers="${1:-20}"
chunks="${2:-64}"
chunk_bytes=1024
stale_wait_seconds=10

command -v nginx >/dev/null || { echo "nginx not found: apt-get install -y nginx" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found" >&2; exit 2; }

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  stop_nginx
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() {  # $@: extra ds serve flags; sets origin (host:port)
  : >"$tmp/server.log"
  "$root/ds" serve --port 0 --store memory --long-poll-timeout 1s --read-chunk-bytes "$chunk_bytes" "$@" \
    >"$tmp/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    origin="$(sed -n 's#.*listening on http://\([^/ ]*\).*#\1#p' "$tmp/server.log" | head -1)"
    [[ -n "$origin" ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "ds serve did not start" >&2; exit 1
}

stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

start_nginx() {  # sets proxy (http://127.0.0.1:port)
  local port user_line=""
  port="$(free_port)"
  rm -rf "$tmp/nginx" && mkdir -p "$tmp/nginx/logs" "$tmp/nginx/cache"
  # As root nginx would hand its workers to "nobody"; keep them as the current user.
  [[ "$(id -u)" == 0 ]] && user_line="user $(id -un);"
  cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  log_format cache '\$upstream_cache_status \$status \$request_uri';
  access_log $tmp/nginx/logs/access.log cache;
  proxy_cache_path $tmp/nginx/cache levels=1:2 keys_zone=ds:10m max_size=256m inactive=10m use_temp_path=off;
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://$origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The origin builds the 307 Location from Host: keep the proxy's, so redirects stay cached.
      proxy_set_header Host \$http_host;
      proxy_cache ds;
      # A CDN's key: the URI with its query string (offset and cursor are part of the resource).
      proxy_cache_key \$request_uri;
      # Collapse concurrent misses of one URL into one origin request.
      proxy_cache_lock on;
      # No proxy_cache_valid: the origin's Cache-Control alone decides (also for 307 and 410).
      add_header X-Cache-Status \$upstream_cache_status always;
    }
  }
}
EOF
  nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log"
  proxy="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$proxy/" && return 0
    sleep 0.05
  done
  echo "nginx did not start" >&2; cat "$tmp/nginx/logs/error.log" >&2; exit 1
}

stop_nginx() {
  if [[ -f "$tmp/nginx/nginx.pid" ]]; then
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" -s stop 2>/dev/null || true
    for _ in $(seq 1 100); do [[ -f "$tmp/nginx/nginx.pid" ]] || break; sleep 0.05; done
  fi
}

header() {  # $1 header name, stdin: response headers
  tr -d '\r' | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' 'tolower($1)==h {print $2; exit}'
}

# Catches up $1 (a stream URL) from -1 through the proxy like a client: follows the 307 by taking its
# offset, then Stream-Next-Offset until Stream-Up-To-Date. Writes the data to $tmp/data, the number of
# requests to $tmp/requests, their summed curl time_total (microseconds, process start-up excluded)
# to $tmp/micros and the HTTP status of the last response to $tmp/status.
catch_up() {
  local url="$1" offset="${2:--1}" n=0 micros=0 status next location
  : >"$tmp/data"
  while true; do
    n=$((n + 1))
    micros=$((micros + $(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{time_total}' "$url?offset=$offset" \
      | awk '{printf "%d", $1 * 1e6}')))
    status="$(head -1 "$tmp/h" | awk '{print $2}')"
    if [[ "$status" == 307 ]]; then
      location="$(header Location <"$tmp/h")"
      offset="${location##*offset=}"
      continue
    fi
    if [[ "$status" != 200 ]]; then
      break
    fi
    cat "$tmp/b" >>"$tmp/data"
    next="$(header Stream-Next-Offset <"$tmp/h")"
    [[ -n "$(header Stream-Up-To-Date <"$tmp/h")" ]] && break
    offset="$next"
  done
  echo "$n" >"$tmp/requests"
  echo "$micros" >"$tmp/micros"
  echo "$status" >"$tmp/status"
}

origin_requests() {  # requests nginx did not answer from its cache
  grep -vc '^HIT ' "$tmp/nginx/logs/access.log" || true
}

now_ms() { date +%s%3N; }  # for the stale window only

scenario() {  # $1 label, $2.. ds serve flags; appends a row to $tmp/table
  local label="$1"; shift
  start_server "$@"
  start_nginx
  local s="$proxy/v1/stream/recreated" t0 old_tail stale_ms="" old_reader
  # 1. correctness across delete + recreate
  curl -sf -o /dev/null -X PUT "$s" -H 'Content-Type: text/plain'
  curl -sf -o /dev/null -X POST "$s" -H 'Content-Type: text/plain' --data-binary 'old stream data'
  catch_up "$s"; catch_up "$s"
  [[ "$(cat "$tmp/data")" == "old stream data" ]] || { echo "$label: first read wrong" >&2; exit 1; }
  old_tail="$(curl -sI "http://$origin/v1/stream/recreated" | header Stream-Next-Offset)"
  curl -sf -o /dev/null -X DELETE "$s"
  curl -sf -o /dev/null -X PUT "$s" -H 'Content-Type: text/plain'
  curl -sf -o /dev/null -X POST "$s" -H 'Content-Type: text/plain' --data-binary 'NEW'
  t0="$(now_ms)"
  while (( $(now_ms) - t0 < stale_wait_seconds * 1000 )); do
    catch_up "$s"
    if [[ "$(cat "$tmp/data")" == "NEW" ]]; then stale_ms=$(( $(now_ms) - t0 )); break; fi
    sleep 0.2
  done
  catch_up "$s" "$old_tail"
  old_reader="$(cat "$tmp/status")"
  # 2. N readers catch up a stream of many chunks
  local c="$proxy/v1/stream/chunks" i first_us warm_us=0 requests=0 before after
  curl -sf -o /dev/null -X PUT "$c" -H 'Content-Type: application/octet-stream'
  for i in $(seq 1 "$chunks"); do
    head -c "$chunk_bytes" /dev/zero | curl -sf -o /dev/null -X POST "$c" \
      -H 'Content-Type: application/octet-stream' --data-binary @-
  done
  before="$(origin_requests)"
  for i in $(seq 1 "$readers"); do
    catch_up "$c"
    [[ "$(wc -c <"$tmp/data")" -eq $((chunks * chunk_bytes)) ]] || { echo "$label: reader $i got $(wc -c <"$tmp/data") bytes" >&2; exit 1; }
    requests=$((requests + $(cat "$tmp/requests")))
    if [[ "$i" == 1 ]]; then first_us="$(cat "$tmp/micros")"; else warm_us=$((warm_us + $(cat "$tmp/micros"))); fi
  done
  after="$(origin_requests)"
  local outcome="still the old data after ${stale_wait_seconds} s"
  [[ -n "$stale_ms" ]] && outcome="new data after ${stale_ms} ms"
  printf '| %s | %s | %s | %d | %d | %.1f | %.1f |\n' "$label" "$outcome" "$old_reader" "$requests" \
    "$((after - before))" "$(awk -v u="$first_us" 'BEGIN {print u / 1000}')" \
    "$(awk -v u="$warm_us" -v n="$((readers > 1 ? readers - 1 : 1))" 'BEGIN {print u / n / 1000}')" >>"$tmp/table"
  echo "$label:${stale_ms:-stale}:$old_reader" >>"$tmp/verdicts"
  stop_nginx
  stop_server
}

: >"$tmp/table"; : >"$tmp/verdicts"
scenario "plain offset=-1"
scenario "immutable start URLs" --immutable-start-urls

echo
echo "$readers readers, $chunks chunks of $chunk_bytes bytes, through nginx $(nginx -v 2>&1 | sed 's#.*/##')"
echo "| mode | after delete + recreate | old-offset reader | proxy requests | origin requests | first reader ms | warm reader avg ms |"
echo "|---|---|---|---|---|---|---|"
cat "$tmp/table"

# The doc's promises: without the extension the old data is still served; with it the new data
# appears within the redirect's max-age (5 s), and an old offset is answered 410.
grep -q '^plain offset=-1:stale:' "$tmp/verdicts" || { echo "FAIL: plain caching did not serve stale data" >&2; exit 1; }
grep -q '^immutable start URLs:[0-9]*:410$' "$tmp/verdicts" || { echo "FAIL: immutable start URLs: $(grep immutable "$tmp/verdicts")" >&2; exit 1; }
echo "OK"
