#!/usr/bin/env bash
# bench/https-peers.sh - vxnet's HTTPS server next to nginx (../shared/bench peers), same run, same files,
# same certificate: wrk -t1 -c64 -d10s on /1k.bin and /1m.bin (static files) and on vxnet's /health against
# nginx's fixed /api/tiny. vxnet runs one instance of https on 127.0.0.1:19443, OpenSSL engine, TLS 1.3 + keep-alive.
#   bench/https-peers.sh            # about 4 minutes
#   INSTANCES=2 bench/https-peers.sh
# Needs: gcc nginx wrk openssl (apt-get install -y gcc nginx wrk openssl)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
home=${BENCH_HOME:-/tmp/vxnet-bench}
for tool in gcc nginx wrk openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: apt-get install -y gcc nginx wrk openssl" >&2; exit 1; }
done
[ -f "$root/target/vxnet.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
BENCH_HOME=$home "$shared/peers.sh" prepare >/dev/null   # the files and the certificate the peers serve

log=$(mktemp /tmp/vxnet-bench.XXXXXX.log)
conf=$(printf '{"https":{"host":"127.0.0.1","port":19443,"web_root":"%s","cert_path":"%s","key_path":"%s"},
  "tcp":{"enabled":false},"udp":{"enabled":false},"chat":{"enabled":false},"http":{"enabled":false},
  "dns":{"enabled":false},"fetch":{"enabled":false},"bridge":{"enabled":false}}' \
  "$home/run/www" "$home/run/tls/cert.pem" "$home/run/tls/key-pkcs8.pem")
java -Xmx1g -jar "$root/target/vxnet.jar" -conf "$conf" -instances "${INSTANCES:-1}" >"$log" 2>&1 &
vxnet=$!
trap 'kill "$vxnet" 2>/dev/null; wait "$vxnet" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 150); do grep -q ': started' "$log" && break; kill -0 "$vxnet" || { cat "$log"; exit 1; }; sleep 0.2; done
grep -q ': started' "$log" || { echo "bench: vxnet did not start in 30 s" >&2; cat "$log"; exit 1; }
grep 'TLS engine' "$log" | sed 's/.*https: //'

name="vxnet-x${INSTANCES:-1}"
url=https://127.0.0.1:19443
EXTRA="https $name $url/health; https $name $url/1k.bin; https $name $url/1m.bin" \
  WARMUP_SECS=${WARMUP_SECS:-3} ONLY="https" BENCH_HOME=$home "$shared/run-peers.sh"
