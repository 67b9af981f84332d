#!/usr/bin/env bash
# bench/metrics-cost.sh - issue 13: what metrics cost on the HTTPS tiny route, metrics on vs off in one run.
#
#   bench/metrics-cost.sh               # 16 rounds (about 3.5 min)
#   ROUNDS=4 SECS=2 bench/metrics-cost.sh
#
# Two nodes of target/vxnet.jar, 2 instances each, the same configuration but metrics.enabled (on: port offset 500,
# HTTPS 8943; off: offset 600, HTTPS 9043; access log, DNS and fetch off on both). Both are warmed the same (two
# 8-s wrk loads each, alternated), then each round loads one node and then the other for SECS seconds with
# wrk -t1 -c64 on /health, in ABBA order (on first in odd rounds) so that neither side always runs second.
# The throughput of every load, then: the ratio of the means, the ratio of the medians and the paired ratios
# (on/off in the same round) with their median. Loopback only; bounded (ROUNDS x 2 loads of SECS s); both nodes
# are stopped on exit, also on error and Ctrl-C. Needs: java, wrk, python3.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T0=$(date +%s)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
ROUNDS=${ROUNDS:-16}
SECS=${SECS:-5}
case "$ROUNDS$SECS" in *[!0-9]* | '') die "ROUNDS ($ROUNDS) and SECS ($SECS) must be whole numbers from 1" ;; esac
[ "$ROUNDS" -ge 1 ] && [ "$SECS" -ge 1 ] || die "ROUNDS ($ROUNDS) and SECS ($SECS) must be whole numbers from 1"
OUT=$ROOT/bench/run/metrics-cost
mkdir -p "$OUT"
for tool in java wrk python3; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[ -f "$JAR" ] || die "$JAR is missing: mvn -q package -DskipTests"
trap cleanup EXIT
start() { # NAME OFFSET METRICS: a node of 2 instances, port offset OFFSET, metrics.enabled METRICS
  start_bg "$OUT/$1.log" env VXNET_NODE_PORT_OFFSET="$2" java -Xmx1g -jar "$JAR" -conf "{\"node\":{\"name\":\"$1\",\"instances\":2},\"metrics\":{\"enabled\":$3},\"logging\":{\"access_log\":false},\"dns\":{\"enabled\":false},\"fetch\":{\"enabled\":false}}"
  wait_started "$OUT/$1.log" "$BG_PID" 120 || die "node $1 did not start; see $OUT/$1.log"
}
start metrics-on 500 true
start metrics-off 600 false
ON=https://127.0.0.1:8943/health OFF=https://127.0.0.1:9043/health
for url in $ON $OFF $ON $OFF; do timeout 60 wrk -t1 -c64 -d8s "$url" >/dev/null; done
: >"$OUT/rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="on off"; else order="off on"; fi
  for side in $order; do
    url=$ON; [ "$side" = off ] && url=$OFF
    rps=$(timeout $((SECS + 30)) wrk -t1 -c64 -d"${SECS}s" "$url" | awk '/Requests\/sec/ {print $2}')
    echo "$r $side ${rps:-0}" | tee -a "$OUT/rounds.txt"
  done
done
python3 - "$OUT/rounds.txt" <<'EOF'
import statistics as st, sys
rounds = {}
for line in open(sys.argv[1]):
    r, side, rps = line.split()
    rounds.setdefault(int(r), {})[side] = float(rps)
on = [v["on"] for v in rounds.values()]
off = [v["off"] for v in rounds.values()]
paired = sorted(v["on"] / v["off"] for v in rounds.values() if v["off"] > 0)
print("metrics on : mean %.0f req/s, median %.0f" % (st.mean(on), st.median(on)))
print("metrics off: mean %.0f req/s, median %.0f" % (st.mean(off), st.median(off)))
print("on/off: ratio of means %.3f, of medians %.3f; paired ratios (%d rounds) median %.3f, from %.3f to %.3f"
      % (st.mean(on) / st.mean(off), st.median(on) / st.median(off), len(paired), st.median(paired), paired[0], paired[-1]))
EOF
