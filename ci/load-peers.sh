#!/usr/bin/env bash
# ci/load-peers.sh - `vxnet load` against real peers on loopback: the C echo servers of ../shared/bench (skipped with
# a note when ../shared is absent), nginx (HTTP/1.1, HTTP/2 over TLS verified by its certificate, a 500 route) and
# dnsmasq (Do53 over UDP and TCP, NXDOMAIN answers, REFUSED for names it does not serve). Each check runs a bounded
# load (--count) and asserts what the JSON says: every operation done and verified, the errors a misbehaving
# route must give, the exit status. Speed is not asserted here (bench/load-vs-c.sh measures it).
# Needs: apt-get install -y gcc nginx dnsmasq openssl python3 (and a built target/vxnet.jar, made if missing).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PEERS=$(mktemp -d /tmp/vxnet-load-peers.XXXXXX)
# shellcheck source=ci/load-peers-lib.sh
source ci/load-peers-lib.sh
trap 'peers_stop; rm -rf "$PEERS"' EXIT
for tool in nginx dnsmasq openssl python3; do
  command -v "$tool" >/dev/null || { echo "load-peers: $tool is missing: apt-get install -y nginx dnsmasq openssl python3" >&2; exit 1; }
done
[ -f target/vxnet.jar ] || mvn -q -B -DskipTests package

passed=0
failed=0
# check NAME EXIT_STATUS PYTHON_CONDITION_ON_j ARGS...: runs `vxnet load ARGS --json` and checks both.
check() {
  local name=$1 want=$2 condition=$3 status=0 out
  shift 3
  out=$(java -jar target/vxnet.jar load "$@" --json 2>"$PEERS/err") || status=$?
  if [ "$status" = "$want" ] && python3 -c "import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if ($condition) else 1)" "$out" 2>/dev/null; then
    echo "ok    $name"
    passed=$((passed + 1))
  else
    echo "FAIL  $name: exit $status (expected $want), condition: $condition"
    echo "      output: $out"
    sed 's/^/      stderr: /' "$PEERS/err"
    failed=$((failed + 1))
  fi
}

echo "== C echo servers (../shared/bench/tools)"
if peers_c; then
  check "tcp ping-pong vs cecho: 20000 messages, every byte verified" 0 \
    "j['operations'] == 20000 and j['errors'] == 0 and j['bytes'] == 20000 * 64" \
    tcp --port "$CECHO_PORT" --connections 16 --count 20000
  check "tcp pipelined (window 8, 1000 B) vs cecho" 0 \
    "j['operations'] == 5000 and j['bytes'] == 5000 * 1000 and j['errors'] == 0" \
    tcp --port "$CECHO_PORT" --connections 4 --window 8 --size 1000 --count 5000
  check "tcp bulk vs cecho: 2000 chunks of 16 KiB" 0 \
    "j['operations'] == 2000 and j['bytes'] == 2000 * 16384 and j['errors'] == 0" \
    tcp --mode bulk --port "$CECHO_PORT" --count 2000
  check "tcp constant rate 2000/s vs cecho" 0 \
    "j['pacing'] == 'constant-rate' and 3900 <= j['operations'] <= 4001 and j['errors'] == 0" \
    tcp --port "$CECHO_PORT" --connections 8 --rate 2000 --duration 2 --warmup 1
  check "udp vs cudpecho: 20000 datagrams, none lost" 0 \
    "j['operations'] == 20000 and j['sent'] == 20000 and j['lost'] == 0 and j['errors'] == 0" \
    udp --port "$CUDPECHO_PORT" --window 8 --count 20000
  check "udp 1400-byte datagrams vs cudpecho" 0 \
    "j['operations'] == 5000 and j['bytes'] == 5000 * 1400" \
    udp --port "$CUDPECHO_PORT" --size 1400 --window 4 --count 5000
else
  echo "skip  C echo rows: no ../shared/bench/tools beside the clone"
fi

echo "== nginx"
peers_nginx
check "http/1.1 GET vs nginx: 8 keep-alive connections" 0 \
  "j['operations'] == 5000 and j['status'] == {'200': 5000} and j['connections_opened'] == 8" \
  http --url "http://127.0.0.1:$NGINX_HTTP_PORT/tiny" --connections 8 --count 5000
check "http/1.1 over TLS verified with --ca vs nginx (an IP address in the certificate)" 0 \
  "j['operations'] == 2000 and j['http_versions'] == {'http/1.1': 2000} and j['connections_opened'] == 4" \
  http --url "https://127.0.0.1:$NGINX_HTTPS_PORT/tiny" --ca "$NGINX_CERT" --connections 4 --count 2000
check "http/2 over TLS verified with --ca vs nginx: 2 connections x 16 streams" 0 \
  "j['operations'] == 5000 and j['http_versions'] == {'h2': 5000} and j['connections_opened'] == 2" \
  http --url "https://127.0.0.1:$NGINX_HTTPS_PORT/tiny" --ca "$NGINX_CERT" --http 2 --connections 2 --streams 16 --count 5000
check "https POST 10000 bytes, --insecure, vs nginx" 0 \
  "j['operations'] == 500 and j['errors'] == 0" \
  http --url "https://127.0.0.1:$NGINX_HTTPS_PORT/tiny" --insecure --method POST --size 10000 --connections 4 --count 500
check "https without --ca or --insecure: no connection, exit 1" 1 \
  "j['operations'] == 0 and j['error_kinds'].get('connect') == 2" \
  http --url "https://127.0.0.1:$NGINX_HTTPS_PORT/tiny" --connections 2 --count 10
check "a 500 route: every request an error, exit 1" 1 \
  "j['errors'] == 300 and j['error_kinds'] == {'status': 300} and j['status'] == {'500': 300}" \
  http --url "http://127.0.0.1:$NGINX_HTTP_PORT/fail" --connections 4 --count 300

echo "== dnsmasq"
peers_dnsmasq
check "dns over udp vs dnsmasq: 101 names in turn" 0 \
  "j['operations'] == 20200 and j['rcodes'] == {'NOERROR': 20000, 'NXDOMAIN': 200}" \
  dns --port "$DNSMASQ_PORT" --names "$DNS_NAMES" --connections 1 --window 20 --count 20200
check "dns over tcp vs dnsmasq: it closes each connection after 100 queries, vxnet load reconnects" 0 \
  "j['operations'] == 5000 and j['errors'] == 0 and j['reconnects'] >= 10" \
  dns --transport tcp --port "$DNSMASQ_PORT" --names "$DNS_NAMES" --connections 2 --window 10 --count 5000
printf 'refused.invalid A\nanother.invalid AAAA\n' >"$PEERS/refused.txt"
check "dns names dnsmasq does not serve: REFUSED, errors, exit 1" 1 \
  "j['errors'] == 100 and j['rcodes'] == {'REFUSED': 100}" \
  dns --port "$DNSMASQ_PORT" --names "$PEERS/refused.txt" --count 100

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
