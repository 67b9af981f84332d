#!/usr/bin/env bash
# The Do53 listener answering from its cache, next to dnsmasq answering the same names from its own data: dnsperf
# against each, in the same run, interleaved rounds, all on 127.0.0.1 (issue 15: goal vxnet >= 0.8x dnsmasq).
# dnsmasq is also vxnet's upstream: after an unrecorded warm-up run (which fills the cache and lets the JIT compile)
# every vxnet answer comes from its cache. 200 names host1..host200.bench.test, TTL 300. The per-source rate limits
# are off for the run: every query comes from one address. Needs java, dnsmasq, dnsperf, curl, and dig or kdig.
#   bench/dns-do53.sh          # ROUNDS=3 SECS=10 WARMUP_SECS=10 CLIENTS=4 OUTSTANDING=100 INSTANCES=1
#   QUICK=1 bench/dns-do53.sh  # a smoke run: 1 round of 2 s
#   VXNET_JAR=/path/vxnet.jar bench/dns-do53.sh
set -uo pipefail
# shellcheck source=ci/dns-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ci/dns-env.sh"
require java dnsmasq curl dnsperf
if [ "${QUICK:-0}" = 1 ]; then rounds=1 secs=2 warmup=3; else rounds="${ROUNDS:-3}" secs="${SECS:-10}" warmup="${WARMUP_SECS:-10}"; fi
clients="${CLIENTS:-4}" outstanding="${OUTSTANDING:-100}" instances="${INSTANCES:-1}"

read -r dns_port https_port do53_port <<<"$(free_ports 3)"
hosts=()
: >"$work/queries.txt"
for i in $(seq 1 200); do
  hosts+=("--host-record=host$i.bench.test,192.0.2.$i")
  echo "host$i.bench.test A" >>"$work/queries.txt"
done
start_dnsmasq "$dns_port" host1.bench.test 192.0.2.1 --local=/bench.test/ --local-ttl=300 --cache-size=10000 "${hosts[@]}"
conf="$(vxnet_conf "$https_port" "{\"upstreams\":[\"127.0.0.1:$dns_port\"],\"do53_port\":$do53_port,\"dot_enabled\":false,\"rate_limit_per_second\":${RATE:-0},\"rate_limit_burst\":${RATE_BURST:-20000},\"rate_limit_bytes_per_second\":${BYTES_RATE:-0}}")"
start_vxnet "${conf%\}},\"node\":{\"instances\":$instances}}" "$https_port" host1.bench.test

# dnsperf_qps SECS PORT: "queries/s lost" of one run against 127.0.0.1:PORT (raw output appended to the log).
dnsperf_qps() {
  local out
  out="$(timeout $(($1 + 30)) dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries.txt" -l "$1" -c "$clients" -q "$outstanding" -t 2 2>&1)"
  echo "### port $2: $out" >>"$work/dnsperf.log"
  echo "$(awk '/Queries per second/ {print $4}' <<<"$out") $(awk '/Queries lost/ {print $3}' <<<"$out")"
}

dnsperf_qps "$warmup" "$do53_port" >/dev/null
dnsperf_qps "$warmup" "$dns_port" >/dev/null
echo "# dnsperf -c $clients -q $outstanding -l $secs, 200 names, $rounds round(s); vxnet $instances instance(s); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %14s %8s %14s %8s %7s\n' round "dnsmasq q/s" lost "vxnet q/s" lost ratio
ratios=()
for round in $(seq 1 "$rounds"); do
  read -r peer peer_lost <<<"$(dnsperf_qps "$secs" "$dns_port")"
  read -r vx vx_lost <<<"$(dnsperf_qps "$secs" "$do53_port")"
  ratio="$(awk -v a="${vx:-0}" -v b="${peer:-0}" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')"
  ratios+=("$ratio")
  printf '%-7s %14s %8s %14s %8s %7s\n' "$round" "${peer:-?}" "${peer_lost:-?}" "${vx:-?}" "${vx_lost:-?}" "$ratio"
done
cached="$(curl -sk --max-time 10 "https://127.0.0.1:$https_port/api/stats" | python3 -c \
  'import json, sys; c = json.load(sys.stdin)["totals"]["dns"]["counters"]; print(c["cache_hits"], c["cache_misses"], c["udp_queries"])')"
read -r hits misses udp <<<"$cached"
echo "# vxnet counters: $udp UDP queries, $hits cache hits, $misses misses (the warm-up's first round of 200)"
echo "# median ratio vxnet/dnsmasq: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}') (goal >= 0.8)"
kill -0 "$vxnet_pid" 2>/dev/null || { echo "FAIL - vxnet exited"; exit 1; }
