#!/usr/bin/env bash
# bench/sockets.sh - vxnet's TCP and UDP echo next to the C reference servers of ../shared/bench, same run.
# Starts vxnet (target/vxnet.jar) on loopback ports 19001 (tcp) and 19002 (udp), runs the shared
# `run-peers.sh` with ONLY="tcp udp" and vxnet as an extra server, stops vxnet, prints the table.
# Every load is loopback-only and bounded in time (see ../shared/bench/README.md).
#   bench/sockets.sh                 # 2 rounds, ~3 min
#   QUICK=1 bench/sockets.sh         # 1-second loads, smoke test
#   INSTANCES=2 bench/sockets.sh     # vxnet with 2 instances of each service
# Needs: gcc (builds the C tools), socat and ncat (peer servers): apt-get install -y gcc socat ncat
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED_BENCH:-$root/../shared/bench}
[ -x "$shared/run-peers.sh" ] || { echo "bench: $shared/run-peers.sh not found (set SHARED_BENCH)" >&2; exit 1; }
for tool in gcc socat ncat; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: apt-get install -y gcc socat ncat" >&2; exit 1; }
done
[ -f "$root/target/vxnet.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)

log=$(mktemp /tmp/vxnet-bench.XXXXXX.log)
conf='{"tcp":{"host":"127.0.0.1","port":19001,"max_connections":20000},
       "udp":{"host":"127.0.0.1","port":19002,"rate_limit_per_second":0},
       "chat":{"enabled":false}}'
java -Xmx1g -jar "$root/target/vxnet.jar" -conf "$conf" -instances "${INSTANCES:-1}" >"$log" 2>&1 &
vxnet=$!
trap 'kill "$vxnet" 2>/dev/null; wait "$vxnet" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q ': started' "$log" && break; kill -0 "$vxnet" || { cat "$log"; exit 1; }; sleep 0.2; done
grep -q ': started' "$log" || { echo "bench: vxnet did not start in 20 s" >&2; cat "$log"; exit 1; }
grep 'transport' "$log"

name="vxnet-x${INSTANCES:-1}"
EXTRA="tcp-pingpong $name 19001; tcp-bulk $name 19001; tcp-hold $name 19001; udp $name 19002; udp-w1 $name 19002" \
  WARMUP_SECS=${WARMUP_SECS:-2} ONLY="tcp udp" BENCH_HOME=${BENCH_HOME:-/tmp/vxnet-bench} "$shared/run-peers.sh"
