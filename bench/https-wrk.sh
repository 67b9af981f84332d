#!/usr/bin/env bash
# Throughput of the HTTPS server with wrk: /api/echo against a static 1 KiB file, over TLS (OpenSSL and JDK
# engines) and plain HTTP (sendfile). Starts its own server from target/vxnet.jar on the ports below.
# Usage: bench/https-wrk.sh [seconds] [connections]     (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
CONNECTIONS=${2:-64}
HTTPS_PORT=${HTTPS_PORT:-37443}
HTTP_PORT=${HTTP_PORT:-37080}
JDK_PORT=${JDK_PORT:-37444}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }
[ -f target/vxnet.jar ] || { echo "build first: mvn -q -B -o package -DskipTests" >&2; exit 2; }

WWW=$(mktemp -d)
LOGS=$(mktemp -d)
head -c 1024 /dev/urandom > "$WWW/1k.bin"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WWW"
}
trap cleanup EXIT

start() { # name, -conf JSON
  java -jar target/vxnet.jar -conf "$2" > "$LOGS/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    grep -q 'started' "$LOGS/$1.log" && return 0
    grep -q 'cannot start' "$LOGS/$1.log" && { cat "$LOGS/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$1 did not start" >&2; exit 1
}

OFF='"tcp":{"enabled":false},"udp":{"enabled":false},"chat":{"enabled":false},"bridge":{"enabled":false}'
start openssl "{$OFF,\"node\":{\"name\":\"bench-openssl\"},\"https\":{\"port\":$HTTPS_PORT,\"web_root\":\"$WWW\"},\"http\":{\"port\":$HTTP_PORT,\"redirect\":false,\"web_root\":\"$WWW\"}}"
start jdk "{$OFF,\"node\":{\"name\":\"bench-jdk\"},\"https\":{\"port\":$JDK_PORT,\"tls_engine\":\"jdk\",\"web_root\":\"$WWW\"},\"http\":{\"enabled\":false}}"

run() { # label, url
  wrk -t1 -c"$CONNECTIONS" -d10s "$2" > /dev/null 2>&1 # warm-up: JIT compiles the path first
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$2")
  printf '%-34s %12s req/s   p50 %8s   p99 %8s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")"
}

echo "wrk -t1 -c$CONNECTIONS -d${SECONDS_EACH}s, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run "https /api/echo (OpenSSL)" "https://127.0.0.1:$HTTPS_PORT/api/echo"
run "https /1k.bin (OpenSSL)" "https://127.0.0.1:$HTTPS_PORT/1k.bin"
run "https /api/echo (JDK)" "https://127.0.0.1:$JDK_PORT/api/echo"
run "https /1k.bin (JDK)" "https://127.0.0.1:$JDK_PORT/1k.bin"
run "http /api/echo (plain)" "http://127.0.0.1:$HTTP_PORT/api/echo"
run "http /1k.bin (plain, sendfile)" "http://127.0.0.1:$HTTP_PORT/1k.bin"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
