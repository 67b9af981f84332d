#!/usr/bin/env bash
# Throughput of the DNS resolver service as HTTP clients see it: wrk against GET /resolve (HTTPS -> event bus ->
# resolver), dnsmasq as the upstream, all on 127.0.0.1, in one run: /health (the HTTPS server alone, for scale),
# /resolve answered from the cache, and /resolve with the cache off (each request one UDP query to dnsmasq).
# 200 names host1..host200.bench.test, asked in turn. Needs java, dnsmasq, curl, wrk, and dig or kdig.
#   bench/dns-resolve.sh                       # WRK_THREADS=1 WRK_CONNS=64 WRK_SECS=10 WARMUP_SECS=15
#   VXNET_JAR=/path/vxnet.jar bench/dns-resolve.sh
set -uo pipefail
# shellcheck source=ci/dns-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../ci/dns-env.sh"
require java dnsmasq curl wrk
threads="${WRK_THREADS:-1}" conns="${WRK_CONNS:-64}" secs="${WRK_SECS:-10}" warmup="${WARMUP_SECS:-15}"

read -r dns_port cached_port uncached_port <<<"$(free_ports 3)"
hosts=()
for i in $(seq 1 200); do
  hosts+=("--host-record=host$i.bench.test,192.0.2.$i")
done
start_dnsmasq "$dns_port" host1.bench.test 192.0.2.1 --local=/bench.test/ --local-ttl=300 "${hosts[@]}"
# The DNS listeners of the two nodes would both take their default ports: this benchmark does not need them.
off='"do53_enabled":false,"dot_enabled":false'
start_vxnet "$(vxnet_conf "$cached_port" "{\"upstreams\":[\"127.0.0.1:$dns_port\"],$off}")" "$cached_port" host1.bench.test
start_vxnet "$(vxnet_conf "$uncached_port" "{\"upstreams\":[\"127.0.0.1:$dns_port\"],\"cache_max_entries\":0,$off}")" \
  "$uncached_port" host1.bench.test

cat >"$work/names.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/resolve?name=host" .. (n % 200 + 1) .. ".bench.test&type=A")
end
LUA

# measure LABEL URL [wrk options]: one line of the table; a warmup run first (JIT), not recorded.
measure() {
  local label="$1" url="$2" out
  shift 2
  timeout $((warmup + 30)) wrk -t"$threads" -c"$conns" -d"${warmup}s" "$@" "$url" >/dev/null 2>&1
  out="$(timeout $((secs + 30)) wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$@" "$url" 2>&1)"
  printf '%-34s %10s %9s %9s %8s\n' "$label" \
    "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")"
}

echo "# wrk -t$threads -c$conns -d${secs}s (after ${warmup}s warmup), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %9s %9s %8s\n' load req/s p50 p99 errors
measure "https /health" "https://127.0.0.1:$cached_port/health"
measure "/resolve, cache hits" "https://127.0.0.1:$cached_port" -s "$work/names.lua"
measure "/resolve, cache off (dnsmasq)" "https://127.0.0.1:$uncached_port" -s "$work/names.lua"
