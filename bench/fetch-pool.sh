#!/usr/bin/env bash
# fetch-pool.sh - pooled vs unpooled fetch throughput of the vxnet fetcher against a local nginx origin,
# with wrk straight at the same origin as the reference. Loopback only, bounded in time; every process it
# starts is stopped by its recorded PID.
#
#   bench/fetch-pool.sh                 # ~5 min: http and https, gateway (wrk -> /api/fetch) and batch (event bus)
#   DUR=3 WARMUP=1 bench/fetch-pool.sh  # quick look
#   ONLY=http bench/fetch-pool.sh       # http | https
#
# Env: DUR (s per run, 10), WARMUP (s of JIT warm-up before each JVM run, unrecorded, 8), CONNS (wrk connections and batch concurrency, 64),
#      BATCH_N (fetches per batch, 1000), NGINX_WORKERS (1), ports HTTP_PORT (18190) TLS_PORT (18543) GW_PORT (18191).
# Needs: nginx, wrk, openssl, curl, java 17+ and target/vxnet.jar (mvn -q -B -o package -DskipTests).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/vxnet.jar
RUN=$ROOT/bench/run/fetch-pool
DUR=${DUR:-10}
WARMUP=${WARMUP:-8}
CONNS=${CONNS:-64}
BATCH_N=${BATCH_N:-1000}
NGINX_WORKERS=${NGINX_WORKERS:-1}
HTTP_PORT=${HTTP_PORT:-18190}
TLS_PORT=${TLS_PORT:-18543}
GW_PORT=${GW_PORT:-18191}
ONLY=${ONLY:-http https}

missing=""
for tool in nginx wrk openssl curl java; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "missing:$missing  (Debian: apt-get install -y nginx wrk openssl curl openjdk-17-jre-headless)" >&2
    exit 2
fi
[ -s "$JAR" ] || { echo "no $JAR: build it first with: mvn -q -B -o package -DskipTests" >&2; exit 2; }
for port in $HTTP_PORT $TLS_PORT $GW_PORT; do
    if ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then
        echo "port $port is in use; choose others with HTTP_PORT / TLS_PORT / GW_PORT" >&2
        exit 2
    fi
done

mkdir -p "$RUN/www" "$RUN/tls" "$RUN/tmp" "$RUN/logs"
RESULTS=$RUN/results-$(date +%Y%m%d-%H%M%S).txt
PIDS=()

stop_pid() { # pid: TERM, then KILL after 5 s
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
}
cleanup() { local pid; for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; }
trap cleanup EXIT INT TERM

wait_for() { # log pattern seconds
    local i
    for i in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; return 1
}

# Origin: nginx serving 1 KiB over HTTP/1.1 and over TLS 1.3 with HTTP/2 (ALPN), keep-alive.
[ -s "$RUN/www/1k.bin" ] || head -c 1024 /dev/urandom >"$RUN/www/1k.bin"
if [ ! -s "$RUN/tls/cert.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" >/dev/null 2>&1 || { echo "openssl failed" >&2; exit 1; }
fi
cat >"$RUN/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $RUN/nginx.pid;
error_log $RUN/logs/nginx.error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path $RUN/tmp/body;
    proxy_temp_path $RUN/tmp/proxy;
    fastcgi_temp_path $RUN/tmp/fastcgi;
    uwsgi_temp_path $RUN/tmp/uwsgi;
    scgi_temp_path $RUN/tmp/scgi;
    types { application/octet-stream bin; }
    server {
        listen 127.0.0.1:$HTTP_PORT;
        listen 127.0.0.1:$TLS_PORT ssl http2;
        ssl_certificate $RUN/tls/cert.pem;
        ssl_certificate_key $RUN/tls/key.pem;
        ssl_protocols TLSv1.3;
        root $RUN/www;
    }
}
EOF
setsid nginx -c "$RUN/nginx.conf" -p "$RUN" >"$RUN/logs/nginx.out" 2>&1 &
PIDS+=($!)
for i in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/1k.bin" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/1k.bin" || { echo "nginx did not start:" >&2; cat "$RUN/logs/nginx.out" "$RUN/logs/nginx.error.log" >&2; exit 1; }

ROWS=()
row() { ROWS+=("$(printf '%-46s %10s %8s %9s %9s %7s %12s' "$@")"); echo "${ROWS[-1]}"; }

wrk_run() { # url -> "req/s p50 p99 errors"
    local out
    out=$(wrk -t1 -c"$CONNS" -d"${DUR}s" --timeout 10s --latency "$1" 2>&1)
    echo "$out" >>"$RUN/logs/wrk.log"
    local rps p50 p99 errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",", ""); n+=$4+$6+$8+$10} END {print n+0}')
    echo "$rps $p50 $p99 $errors"
}

ref_rps=""
ratio() { [ -n "$ref_rps" ] && [ "$ref_rps" -gt 0 ] && awk -v a="$1" -v b="$ref_rps" 'BEGIN {printf "%.2f", a / b}' || echo "-"; }

opened_of() { echo "$1" | sed -n 's/.*"connections_opened":\([0-9]*\).*/\1/p'; }

gateway_case() { # label scheme config
    local url=$2://127.0.0.1:$([ "$2" = https ] && echo $TLS_PORT || echo $HTTP_PORT)/1k.bin
    local log=$RUN/logs/gateway.log
    setsid java -cp "$JAR" "$ROOT/bench/FetchBench.java" gateway "$GW_PORT" "$3" >"$log" 2>&1 &
    local pid=$!
    PIDS+=($pid)
    wait_for "$log" "ready port" 90 || { stop_pid "$pid"; return 1; }
    local api="http://127.0.0.1:$GW_PORT/api/fetch?url=$url"
    curl -sf "$api" | grep -q '"status":200' || { echo "gateway fetch failed: $(curl -s "$api")" >&2; stop_pid "$pid"; return 1; }
    [ "$WARMUP" -gt 0 ] && wrk -t1 -c"$CONNS" -d"${WARMUP}s" "$api" >/dev/null 2>&1
    local before after
    before=$(curl -s "http://127.0.0.1:$GW_PORT/stats")
    read -r rps p50 p99 errors <<<"$(wrk_run "$api")"
    after=$(curl -s "http://127.0.0.1:$GW_PORT/stats")
    local opened
    opened=$(( $(opened_of "$after") - $(opened_of "$before") ))
    row "$1" "$rps" "$(ratio "$rps")" "$p50" "$p99" "$errors" "$opened"
    stop_pid "$pid"
}

batch_case() { # label scheme config
    local url=$2://127.0.0.1:$([ "$2" = https ] && echo $TLS_PORT || echo $HTTP_PORT)/1k.bin
    local out
    out=$(timeout $((DUR + WARMUP + 120)) java -cp "$JAR" "$ROOT/bench/FetchBench.java" batch "$url" "$BATCH_N" "$CONNS" "$DUR" "$WARMUP" "$3" 2>>"$RUN/logs/batch.log" | tail -1)
    echo "$out" >>"$RUN/logs/batch.log"
    local rps failed opened
    rps=$(echo "$out" | sed -n 's/.*fetches_s=\([0-9]*\).*/\1/p')
    failed=$(echo "$out" | sed -n 's/.*failed=\([0-9]*\).*/\1/p')
    opened=$(echo "$out" | sed -n 's/.*connections_opened=\([0-9]*\).*/\1/p')
    row "$1" "${rps:-?}" "$(ratio "${rps:-0}")" "-" "-" "${failed:-?}" "${opened:-?}"
}

ALLOW='"allow":["127.0.0.1"]'
CA="\"ca_file\":\"$RUN/tls/cert.pem\""
LIMITS="\"max_connections_per_origin\":$CONNS,\"batch_concurrency_max\":$CONNS,\"batch_max\":$BATCH_N"
POOLED="{$ALLOW,$CA,$LIMITS}"
POOLED_H1="{$ALLOW,$CA,$LIMITS,\"http2_multiplexing\":false}"
UNPOOLED="{$ALLOW,$CA,$LIMITS,\"http2_multiplexing\":false,\"keep_alive\":false}"

{
    echo "fetch-pool $(date -u +%FT%TZ)  DUR=${DUR}s CONNS=$CONNS BATCH_N=$BATCH_N nginx workers=$NGINX_WORKERS  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "java: $(java -version 2>&1 | head -1)   nginx: $(nginx -v 2>&1)   wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
} | tee "$RESULTS"
row "case (1 KiB body)" "req/s" "vs ref" "p50" "p99" "errors" "conns opened"
for scheme in $ONLY; do
    port=$([ "$scheme" = https ] && echo $TLS_PORT || echo $HTTP_PORT)
    read -r rps p50 p99 errors <<<"$(wrk_run "$scheme://127.0.0.1:$port/1k.bin")"
    ref_rps=$rps
    row "$scheme: wrk -> nginx (reference)" "$rps" "1.00" "$p50" "$p99" "$errors" "$CONNS"
    if [ "$scheme" = https ]; then
        gateway_case "https: wrk -> /api/fetch -> nginx, pooled h2" https "$POOLED"
        gateway_case "https: wrk -> /api/fetch -> nginx, pooled h1.1" https "$POOLED_H1"
        gateway_case "https: wrk -> /api/fetch -> nginx, unpooled" https "$UNPOOLED"
        batch_case "https: batch over event bus, pooled h2" https "$POOLED"
        batch_case "https: batch over event bus, unpooled" https "$UNPOOLED"
    else
        gateway_case "http: wrk -> /api/fetch -> nginx, pooled" http "$POOLED"
        gateway_case "http: wrk -> /api/fetch -> nginx, unpooled" http "$UNPOOLED"
        batch_case "http: batch over event bus, pooled" http "$POOLED"
        batch_case "http: batch over event bus, unpooled" http "$UNPOOLED"
    fi
done
printf '%s\n' "${ROWS[@]}" >>"$RESULTS"
echo "results: $RESULTS (wrk and batch output in $RUN/logs)"
