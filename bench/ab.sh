#!/usr/bin/env bash
# bench/ab.sh - two (or more) builds of vxnet under the load of one row of bench/compare.sh, back to back, alternating:
# the check of a change on a machine too busy for absolute figures.
#
#   bench/ab.sh ROW OLD.jar NEW.jar              # e.g. cp target/vxnet.jar /tmp/old.jar; (change, build); bench/ab.sh https-1k /tmp/old.jar target/vxnet.jar
#   ROUNDS=4 SECS=10 WARM=20 bench/ab.sh udp-w32 a.jar b.jar
#   JAVA_OPTS='-Xmx1g -XX:TieredStopAtLevel=1' bench/ab.sh start a.jar b.jar
#
# Each round starts the row's vxnet node from each jar in turn (the order alternates between rounds: A B, B A, ...),
# warms it up with the row's load for WARM seconds (15), then measures SECS seconds (10) of the same load, and stops
# it. Per jar and round it prints the throughput (load-dependent) and what does not depend much on the machine's load:
# the node's CPU time per operation (user + system, from /proc/PID/stat) and its system calls per operation (perf stat
# -e raw_syscalls:sys_enter on the JVM's threads; "-" where perf is missing). The "start" row times START_RUNS starts
# per jar and round instead. Last: the median of each column per jar and the ratio to the first jar.
# Peers as bench/profile.sh (nginx-w2 and dnsmasq, which /api/fetch and /resolve use); the C tools for tcp/udp rows.
# Outputs in bench/run/ab/: ROW-STAMP.tsv (one line per jar and round).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/compare.sh
. "$ROOT/bench/compare.sh"
ROW=${1:-}
shift || true
JARS=("$@")
SECS=${SECS:-10}
WARM=${WARM:-15}
ROUNDS=${ROUNDS:-3}
OUT=$ROOT/bench/run/ab
mkdir -p "$OUT"

line=$(echo "$ROWS" | awk -F'|' -v id="$ROW" '$1==id')
[ -n "$line" ] && [ ${#JARS[@]} -ge 2 ] || { bench_usage_rows; die "usage: bench/ab.sh ROW A.jar B.jar [C.jar...]; ROW one of the rows above"; }
IFS='|' read -r id kind conns peer ptarget node vtarget goal chartpts title <<<"$line"
vtarget=$(expand "$vtarget")
for j in "${JARS[@]}"; do [ -s "$j" ] || die "no jar $j"; done
for tool in java nginx dnsmasq wrk curl; do command -v "$tool" >/dev/null || die "$tool is missing"; done
PERF=0
perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1 && PERF=1

trap cleanup EXIT
trap 'echo "ab: interrupted" >&2; exit 130' INT TERM
prepare_files
RAW=$OUT/$id-raw.log
: >"$RAW"
case "$kind" in tcp-* | udp) build_c_tools; [ "$C_TOOLS" = 1 ] || die "this row needs the C tools of ../shared/bench" ;; esac
start_peers_for_profile
stamp=$(date +%Y%m%d-%H%M%S)
TSV=$OUT/$id-$stamp.tsv
printf 'round\tjar\tthroughput\tunit\tcpu_us_per_op\tsyscalls_per_op\tp99_us\terrors\n' >"$TSV"
say "$id: $title; jars: ${JARS[*]}; $ROUNDS rounds, $WARM s warm-up + $SECS s each; load average $(cut -d' ' -f1-3 /proc/loadavg)"

one() { # round jar: one node from one jar, warmed and measured; appends a TSV line
  local r=$1 jar=$2 pid res thr unit p50 p99 err note cpu0 cpu1 sc ops
  JAR=$jar
  if [ "$kind" = start ]; then
    measure_start "$START_RUNS" "$vtarget"
    read -r thr unit p50 p99 err note <<<"$RES"
    printf '%s\t%s\t%s\t%s\t-\t-\t-\t%s\n' "$r" "$jar" "$thr" "$unit" "$err" >>"$TSV"
    say "round $r $(basename "$jar"): $thr $unit ($note)"
    return
  fi
  NODE_PIDS=()
  start_node "$node"
  wait_nodes
  [ -z "${DOWN[$node]:-}" ] || die "${DOWN[$node]}"
  pid=$(for e in "${NODE_PIDS[@]}"; do [ "${e%%:*}" = "$node" ] && echo "${e#*:}"; done)
  measure "$kind" "$conns" "$vtarget" "$WARM" >/dev/null
  cpu0=$(stat_ticks "/proc/$pid/stat")
  if [ "$PERF" = 1 ]; then
    perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -o "$OUT/perf.out" -- sleep "$SECS" &
    local perfpid=$!
  fi
  res=$(measure "$kind" "$conns" "$vtarget" "$SECS")
  cpu1=$(stat_ticks "/proc/$pid/stat")
  sc=-
  if [ "$PERF" = 1 ]; then
    wait "$perfpid"
    sc=$(awk -F, '/raw_syscalls/ {print $1}' "$OUT/perf.out")
  fi
  read -r thr unit p50 p99 err note <<<"$res"
  ops=$(awk -v t="$thr" -v s="$SECS" 'BEGIN { print (t + 0) * s }')
  [ "$unit" = MB/s ] && ops=$(awk -v t="$thr" -v s="$SECS" 'BEGIN { print (t + 0) * s * 16 }') # per 64 KiB
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$jar" "$thr" "$unit" \
    "$(awk -v a="$cpu0" -v b="$cpu1" -v o="$ops" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (o > 0) ? (b - a) / hz * 1e6 / o : 0 }')" \
    "$(awk -v c="$sc" -v o="$ops" 'BEGIN { if (c == "-" || c == "" || o == 0) print "-"; else printf "%.2f", c / o }')" "$p99" "$err" >>"$TSV"
  say "round $r $(basename "$jar"): $(tail -1 "$TSV" | cut -f3-)"
  for e in "${NODE_PIDS[@]}"; do stop_pgid "${e#*:}"; done
  NODE_PIDS=()
}

for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order=("${JARS[@]}"); else order=(); for ((i = ${#JARS[@]} - 1; i >= 0; i--)); do order+=("${JARS[$i]}"); done; fi
  for jar in "${order[@]}"; do one "$r" "$jar"; done
done

echo
echo "# $id ($(awk -F'\t' 'NR == 2 {print $4}' "$TSV"); cpu_us_per_op and syscalls_per_op per request, datagram or message; per 64 KiB for MB/s): medians of $ROUNDS rounds, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' -v first="${JARS[0]}" '
  NR == 1 { next }
  { k = $2; n[k]++; thr[k, n[k]] = $3; cpu[k, n[k]] = $5; sc[k, n[k]] = $6; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  function med(a, k,   i, j, v, t, c) { c = 0; for (i = 1; i <= n[k]; i++) if (a[k, i] != "-") v[++c] = a[k, i] + 0
    for (i = 2; i <= c; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    if (c == 0) return "-"; return (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
  function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
  END {
    printf "%-40s %12s %8s %14s %8s %16s %8s\n", "jar", "throughput", "x first", "cpu_us_per_op", "x first", "syscalls_per_op", "x first"
    t0 = med(thr, first); c0 = med(cpu, first); s0 = med(sc, first)
    for (i = 1; i <= m; i++) { k = order[i]; t = med(thr, k); c = med(cpu, k); s = med(sc, k)
      printf "%-40s %12s %8s %14s %8s %16s %8s\n", k, t, ratio(t, t0), c, ratio(c, c0), s, ratio(s, s0) }
  }' "$TSV"
echo "($TSV)"
