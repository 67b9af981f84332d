#!/usr/bin/env bash
# bench/hold.sh - issue 12 item 4: 19,000 TCP echo connections held and echoing in one vxnet JVM with -Xmx512m,
# and the resident memory (RSS) each connection costs.
#
#   bench/hold.sh                 # 19,000 connections, held 10 s while 64 more run a ping-pong load (about 1 min)
#   CONNS=5000 HOLD_SECS=3 bench/hold.sh
#   TCP_MAX_CONNECTIONS=10000 bench/hold.sh   # vxnet's default cap: the connections past it are refused
#   NMT=1 bench/hold.sh           # also the JVM's native memory by category while every connection is open
#
# vxnet (target/vxnet.jar, every service on 127.0.0.1, TCP echo on 19191) runs with -Xmx512m, tcp.max_connections
# 20000 (its default 10,000 would refuse the rest) and node.reserved_fds 500 (the node cap is then 19,500, not
# 18,000). The connections come from tcpecho-load of ../shared/bench (hold mode: open them all, hold, then one byte
# echoed on each) in 2 processes spread over 4 source addresses 127.0.0.1-4 (one source address slows connect() once
# half its ephemeral ports to one destination are taken: DESIGN.md). During the hold a ping-pong load on 64 more
# connections shows that the echo still serves.
# RSS per connection = (peak RSS during the hold - RSS after a warm-up pass of 1,000 connections) / connections that
# echoed.
# The open-files hard limit here is 20,000 (it cannot be raised), which bounds one JVM at about 19,990 sockets.
# Needs ../shared/bench (the C load tool), gcc, java; loopback only; everything it starts is stopped by PID on exit.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T0=$(date +%s)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
CONNS=${CONNS:-19000}
HOLD_SECS=${HOLD_SECS:-10}
PORT=${PORT:-19191}
XMX=${XMX:-512m}
TCP_MAX_CONNECTIONS=${TCP_MAX_CONNECTIONS:-20000}
OUTDIR=$ROOT/bench/run/hold
mkdir -p "$OUTDIR"

[ -s "$JAR" ] || die "no $JAR: build it first (mvn -q -B -DskipTests package)"
build_c_tools
[ "$C_TOOLS" = 1 ] || die "needs the C load tool of ../shared/bench (set SHARED_BENCH to its folder)"
for p in $PORT $((PORT + 1)) $((PORT + 2)) $((PORT + 3)) $((PORT + 4)) $((PORT + 5)) $((PORT + 6)); do
  { listening tcp "$p" || listening udp "$p"; } && die "port $p is in use"
done
ulimit -n "$(ulimit -Hn)" || die "cannot raise the open-files limit to $(ulimit -Hn)"
# the node's cap is the limit less node.reserved_fds (500, below); the 64 ping-pong connections count against it too
[ "$(( $(ulimit -n) - 500 ))" -ge "$((CONNS + 64))" ] ||
  die "open-files limit $(ulimit -n) less 500 reserved leaves no room for $CONNS connections and 64 more"

trap cleanup EXIT
trap 'echo "hold: interrupted" >&2; exit 130' INT TERM

stamp=$(date +%Y%m%d-%H%M%S)
log=$OUTDIR/vxnet-$stamp.log
# node.reserved_fds 500: the node's own cap (open-files limit less the reserve, 18,000 by default) must leave room for
# 19,000 connections; this node has no fetch pool, cluster or file transfers to keep descriptors for
conf=$(printf '{"node":{"reserved_fds":500},"tcp":{"host":"127.0.0.1","port":%d,"max_connections":%d},
  "udp":{"host":"127.0.0.1","port":%d},"https":{"host":"127.0.0.1","port":%d},"http":{"host":"127.0.0.1","port":%d},
  "bridge":{"host":"127.0.0.1","port":%d},"chat":{"host":"127.0.0.1","port":%d},"dns":{"upstreams":["127.0.0.1:%d"]}}' \
  "$PORT" "$TCP_MAX_CONNECTIONS" $((PORT + 1)) $((PORT + 2)) $((PORT + 3)) $((PORT + 4)) $((PORT + 5)) $((PORT + 6)))
nmt=()
[ "${NMT:-0}" = 1 ] && nmt=(-XX:NativeMemoryTracking=summary)
start_bg "$log" java "-Xmx$XMX" ${nmt[@]+"${nmt[@]}"} -jar "$JAR" -conf "$conf"
VX=$BG_PID
wait_started "$log" "$VX" 60 || { tail -5 "$log" >&2; die "vxnet did not start"; }
say "vxnet pid $VX: $(grep -m1 'transport' "$log" | sed 's/.*: transport/transport/'), -Xmx$XMX, fd limit $(awk '/Max open files/ {print $4 "/" $5}' "/proc/$VX/limits")"

# a warm-up pass: the code paths of accept, echo and close loaded and compiled before the baseline
"$BIN/tcpecho-load" -p "$PORT" -m hold -c 1000 -H 0.5 -d 30 -T 10000 >/dev/null 2>&1
"$BIN/tcpecho-load" -p "$PORT" -c 64 -s 64 -d 2 >/dev/null 2>&1
sleep 1   # let the closes of the warm-up settle before the baseline
base=$(rss_kib "$VX")
say "baseline RSS $((base / 1024)) MiB"

sampler() { # RSS (KiB) and open fds of the JVM every 0.2 s, one line each, until killed
  while kill -0 "$VX" 2>/dev/null; do
    echo "$(rss_kib "$VX") $(ls "/proc/$VX/fd" 2>/dev/null | wc -l)"
    sleep 0.2
  done
}
hold_out=$OUTDIR/hold-$stamp.out
pp_out=$OUTDIR/pingpong-$stamp.out
# -P 2: each loader process stays under the open-files limit; -a 4: source addresses 127.0.0.1 to 127.0.0.4
timeout -k 5 $((HOLD_SECS + 120)) "$BIN/tcpecho-load" -p "$PORT" -m hold -c "$CONNS" -P 2 -a 4 -H "$HOLD_SECS" -d 60 -T 10000 >"$hold_out" 2>&1 &
holder=$!
sampler >"$OUTDIR/samples-$stamp.txt" &
sampling=$!
# once every connection is open (or their number stops growing), 64 more run a ping-pong load for most of the hold
last=-1 still=0
for i in $(seq 600); do
  est=$(ss -Htn state established "( sport = :$PORT )" 2>/dev/null | wc -l)
  [ "$est" -ge "$CONNS" ] && break
  if [ "$est" = "$last" ]; then still=$((still + 1)); else still=0; fi
  [ "$still" -ge 20 ] && break
  last=$est
  kill -0 "$holder" 2>/dev/null || break
  sleep 0.1
done
say "$est connections established on the server side"
if [ "${NMT:-0}" = 1 ]; then
  jcmd "$VX" VM.native_memory summary scale=MB >"$OUTDIR/nmt-$stamp.txt" 2>&1
  say "native memory with the connections open (committed MB): $(grep -E '^-? *(Java Heap|Class|Thread|Code|GC|Internal|Other|Symbol|Arena Chunk|Metaspace)' "$OUTDIR/nmt-$stamp.txt" |
    sed -E 's/^- *//; s/ *\(reserved=[0-9]+MB, committed=([0-9]+)MB\).*/=\1/' | tr '\n' ' ')"
fi
pp_secs=$((HOLD_SECS > 4 ? HOLD_SECS - 3 : 1))
timeout -k 5 $((pp_secs + 30)) "$BIN/tcpecho-load" -p "$PORT" -c 64 -s 64 -d "$pp_secs" >"$pp_out" 2>&1 &
pinger=$!
wait "$holder"
hold_rc=$?
wait "$pinger"
kill "$sampling" 2>/dev/null
wait "$sampling" 2>/dev/null
read -r peak fds <<<"$(awk -v b="$base" 'BEGIN { r = b; f = 0 } $1 > r { r = $1 } $2 > f { f = $2 } END { print r, f }' "$OUTDIR/samples-$stamp.txt")"
line=$(grep '^tcpecho' "$hold_out")
pp=$(grep '^tcpecho' "$pp_out")
heap=$(jcmd "$VX" GC.heap_info 2>/dev/null | awk '/total/ {print; exit}' | sed 's/^ *//')
echoed=$(echo "$line" | kv echoed)
per=$(awk -v p="$peak" -v b="$base" -v n="$(num "$echoed")" 'BEGIN { printf "%.1f", (n > 0 ? (p - b) / n : 0) }')
say "hold: $line"
say "ping-pong during the hold: $(echo "$pp" | kv msg_s) msg/s, p99 $(echo "$pp" | kv p99_us) us, errors $(echo "$pp" | kv errors)"
refused=$(curl -sk --max-time 5 "https://127.0.0.1:$((PORT + 2))/api/stats" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["tcp"]["counters"].get("refused", 0))' 2>/dev/null || echo "?")
echo
echo "result: $CONNS connections, $echoed held and echoed (open $(echo "$line" | kv connect_s) s, $(echo "$line" | kv src_addrs) source addresses), peak $fds fds in the JVM"
echo "result: RSS baseline $((base / 1024)) MiB, peak $((peak / 1024)) MiB: $per KiB per connection; -Xmx$XMX; ${heap:-heap n/a}"
echo "result: tcp.max_connections $TCP_MAX_CONNECTIONS"
echo "result: tcp refused (from /api/stats): $refused; loader exit status $hold_rc"
printf 'stamp\tconns\techoed\topen_s\tbase_kib\tpeak_kib\tkib_per_conn\tpeak_fds\tpingpong_msg_s\n%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
  "$stamp" "$CONNS" "$echoed" "$(echo "$line" | kv connect_s)" "$base" "$peak" "$per" "$fds" "$(echo "$pp" | kv msg_s)" >"$OUTDIR/hold-$stamp.tsv"
[ "$echoed" = "$CONNS" ]
