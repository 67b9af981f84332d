#!/usr/bin/env bash
# bench/profile.sh - where vxnet's time goes under the load of one row of bench/compare.sh.
#
#   bench/profile.sh ROW [SECS]          # e.g. bench/profile.sh https-1k 20   (rows: bench/compare.sh rows)
#   PROFILER=jfr bench/profile.sh udp-w32
#   EVENT=alloc bench/profile.sh https-echo     # allocations instead of CPU (async-profiler only)
#   SYSCALLS=1 bench/profile.sh https-tiny     # also system calls per operation (strace -c, 5 s more)
#
# Starts the row's vxnet node alone (same configuration as in compare.sh, plus -XX:+DebugNonSafepoints), nginx and
# dnsmasq (the origin of /api/fetch and the upstream of /resolve), warms it up with the row's load (WARM_SECS_PROFILE, 20),
# then profiles it for SECS (20) under the same load, and prints: samples by thread, the hottest frames by self
# time, and the frames with the most inclusive time (Java, native and kernel frames alike with async-profiler).
# PROFILER=async (default): async-profiler 3.0 from Maven Central (tools.profiler:async-profiler, fetched into
# ~/.m2 with `mvn dependency:get` when missing), loaded into the running JVM with `jcmd PID JVMTI.agent_load`,
# event cpu (perf_events cpu-clock; itimer where perf events are not allowed). PROFILER=jfr: Java Flight Recorder
# (`jcmd PID JFR.start settings=profile`, `jfr print --events jdk.ExecutionSample`): Java frames only, and no
# samples of threads in native code (TLS in BoringSSL, epoll, syscalls).
# Outputs in bench/run/profile/: ROW-STAMP.collapsed (one stack a line, for flame graph tools) and ROW-STAMP.txt.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/compare.sh
. "$ROOT/bench/compare.sh"
ROW=${1:-}
SECS=${2:-20}
WARM=${WARM_SECS_PROFILE:-20}
PROFILER=${PROFILER:-async}
EVENT=${EVENT:-cpu}
AP_VERSION=3.0
OUT=$ROOT/bench/run/profile
mkdir -p "$OUT"

line=$(echo "$ROWS" | awk -F'|' -v id="$ROW" '$1==id')
[ -n "$line" ] || { bench_usage_rows; die "usage: bench/profile.sh ROW [SECS]; ROW one of the rows above"; }
IFS='|' read -r id kind conns peer ptarget node vtarget goal chartpts title <<<"$line"
vtarget=$(expand "$vtarget")

async_lib() { # prints the path of libasyncProfiler.so, extracted from the Maven Central artifact into bench/bin
  local jar=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
  local lib=$BIN/async-profiler-$AP_VERSION/libasyncProfiler.so
  [ -s "$lib" ] && { echo "$lib"; return 0; }
  [ -s "$jar" ] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION >&2 || return 1
  mkdir -p "$(dirname "$lib")"
  unzip -p "$jar" linux-x64/libasyncProfiler.so >"$lib" || return 1
  echo "$lib"
}

for tool in java jcmd nginx dnsmasq wrk curl; do command -v "$tool" >/dev/null || die "$tool is missing"; done
[ -s "$JAR" ] || die "no $JAR: build it first (mvn -q -B -DskipTests package)"
if [ "$PROFILER" = async ]; then
  LIB=$(async_lib) || { say "async-profiler not available: using JFR"; PROFILER=jfr; }
fi
trap cleanup EXIT
trap 'echo "profile: interrupted" >&2; exit 130' INT TERM
prepare_files
RAW=$OUT/$id-raw.log
: >"$RAW"
case "$kind" in tcp-* | udp) build_c_tools; [ "$C_TOOLS" = 1 ] || die "this row needs the C tools of ../shared/bench" ;; esac
start_peers_for_profile
# keep netty's native libraries on disk (it deletes them after loading), so that their symbols resolve
mkdir -p "$OUT/native"
JAVA_OPTS="$JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -Dio.netty.native.deleteLibAfterLoading=false -Dio.netty.native.workdir=$OUT/native"
if [ "$kind" = start ]; then
  # the start itself: the agent is loaded with the JVM and its profile written once vxnet logs "started"
  [ "$PROFILER" = async ] || die "the start row needs async-profiler (JFR starts too late to see the start)"
  stamp=$(date +%Y%m%d-%H%M%S)
  base=$OUT/$id-$stamp
  log=$RUN/logs/vxs-profile.log
  t0=$(date +%s%3N)
  JAVA_OPTS="$JAVA_OPTS -agentpath:$LIB=start,event=$EVENT,interval=1000000,threads"
  start_bg "$log" java $JAVA_OPTS -jar "$JAR" -conf "$(node_conf vxs)"
  pid=$BG_PID
  wait_started "$log" "$pid" 60 || die "vxs did not start: $(tail -2 "$log")"
  t1=$(date +%s%3N)
  jcmd "$pid" JVMTI.agent_load "$LIB" "\"stop,file=$base.collapsed,collapsed\"" >"$base.agent.log" 2>&1
  res="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') s-to-started-line-seen - - 0 -"
  cpu0=0
  cpu1=$(stat_ticks "/proc/$pid/stat")
  SECS=1
  conns=- vtarget="java -jar to the started line"
else
start_node "$node"
wait_nodes
[ -z "${DOWN[$node]:-}" ] || die "${DOWN[$node]}"
pid=$(for e in "${NODE_PIDS[@]}"; do [ "${e%%:*}" = "$node" ] && echo "${e#*:}"; done)
why=$(check_side "$kind" "$node" "$vtarget")
[ -z "$why" ] || die "$id: n/a ($why)"

say "warm-up: $WARM s of $kind on $vtarget"
measure "$kind" "$conns" "$vtarget" "$WARM" >/dev/null
stamp=$(date +%Y%m%d-%H%M%S)
base=$OUT/$id-$stamp
case "$PROFILER" in
async)
  # jcmd parses name=value pairs itself: the agent's options go in double quotes
  ev=$EVENT
  jcmd "$pid" JVMTI.agent_load "$LIB" "\"start,event=$ev,interval=1000000,threads\"" >"$base.agent.log" 2>&1
  if ! grep -q 'return code: 0' "$base.agent.log"; then
    say "event $ev refused ($(grep -a ERROR "$RUN/logs/$node.log" | tail -1)): itimer instead"
    ev=itimer
    jcmd "$pid" JVMTI.agent_load "$LIB" "\"start,event=itimer,interval=1000000,threads\"" >>"$base.agent.log" 2>&1
  fi
  ;;
jfr) jcmd "$pid" JFR.start name=bench settings=profile "filename=$base.jfr" >"$base.agent.log" 2>&1 ;;
*) die "PROFILER must be async or jfr" ;;
esac
say "profiling ($PROFILER, $EVENT) for $SECS s under the load"
cpu0=$(stat_ticks "/proc/$pid/stat")
res=$(measure "$kind" "$conns" "$vtarget" "$SECS")
cpu1=$(stat_ticks "/proc/$pid/stat")
case "$PROFILER" in
async) jcmd "$pid" JVMTI.agent_load "$LIB" "\"stop,file=$base.collapsed,collapsed\"" >>"$base.agent.log" 2>&1 ;;
jfr)
  jcmd "$pid" JFR.stop name=bench >>"$base.agent.log" 2>&1
  jfr print --events jdk.ExecutionSample --stack-depth 128 "$base.jfr" | awk '
    /^jdk.ExecutionSample/ { n = 0; th = "" }
    /sampledThread = / { th = $0; sub(/.*sampledThread = "/, "", th); sub(/".*/, "", th) }
    /^    [a-zA-Z_$].*\(/ { f = $0; sub(/^ +/, "", f); sub(/\(.*/, "", f); fr[++n] = f }
    /^}/ { if (n) { s = "[" th "]"; for (i = n; i >= 1; i--) s = s ";" fr[i]; c[s]++ } }
    END { for (s in c) print s, c[s] }' >"$base.collapsed"
  ;;
esac
fi
[ -s "$base.collapsed" ] || die "no profile written: $(cat "$base.agent.log")"

{
  echo "# $id: $title"
  echo "# vxnet node $node, load: $kind, $conns connections, on $vtarget; $SECS s after $WARM s warm-up; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  read -r thr unit p50 p99 err note <<<"$res"
  echo "# throughput while profiling: $thr $unit (errors $err), vxnet CPU $(awk -v a="$cpu0" -v b="$cpu1" -v s="$SECS" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f%%", (b - a) / hz / s * 100 }') of one core"
  echo "# profiler: $PROFILER, event $EVENT; frames: Java (package/Class.method), native (library symbol), kernel ([k])"
  awk -v top="${TOP:-30}" '
    function pct(v) { return sprintf("%5.1f%%", 100 * v / total) }
    $NF !~ /^[0-9]+$/ { next }
    {
      n = $NF; $NF = ""; sub(/ $/, ""); total += n
      k = split($0, fr, ";")
      th = fr[1]; gsub(/^\[|\]$/, "", th); sub(/ tid=.*/, "", th); gsub(/[-#]?[0-9]+$/, "", th); threads[th] += n
      self[fr[k]] += n
      comp[component(th, fr[k])] += n
      delete seen
      for (i = 2; i <= k; i++) if (!(fr[i] in seen)) { seen[fr[i]] = 1; incl[fr[i]] += n }
    }
    END {
      printf "\nsamples: %d\n\n## by thread\n", total
      m = 0; for (t in threads) order[++m] = t
      sortdesc(threads, order, m); for (i = 1; i <= m && i <= 12; i++) printf "%s  %s\n", pct(threads[order[i]]), order[i]
      printf "\n## self time by component (library or package of the leaf frame; JIT and GC by thread)\n"
      delete order; m = 0; for (c in comp) order[++m] = c
      sortdesc(comp, order, m); for (i = 1; i <= m; i++) printf "%s  %s\n", pct(comp[order[i]]), order[i]
      printf "\n## self time (top %d frames)\n", top
      delete order; m = 0; for (f in self) order[++m] = f
      sortdesc(self, order, m); for (i = 1; i <= m && i <= top; i++) printf "%s  %s\n", pct(self[order[i]]), order[i]
      printf "\n## inclusive time of vxnet, Vert.x and netty handler frames (top %d; generic event-loop frames left out)\n", top
      delete order; m = 0
      for (f in incl) if (f ~ /^(dev\/vxnet|io\/vertx\/(ext|core\/(json|eventbus|http\/impl\/Http1xServerResponse|file|datagram|net\/impl\/NetSocketImpl)))|^io\/netty\/(handler\/(ssl|stream)|channel\/epoll\/(EpollDatagram|Native))|^SSL_|tcnative|^(send|recv|writev|__send|sendto|recvfrom|sendmsg|recvmsg)/) order[++m] = f
      sortdesc(incl, order, m); for (i = 1; i <= m && i <= top; i++) printf "%s  %s\n", pct(incl[order[i]]), order[i]
    }
    function component(th, f) {
      if (th ~ /Compiler/) return "JIT compiler threads"
      if (th ~ /^(GC|G1|VM Thread)/) return "GC and VM threads"
      if (f ~ /_\[k\]$/) return "kernel"
      if (f ~ /tcnative/) return "BoringSSL (netty-tcnative: TLS records, crypto)"
      if (f ~ /transport_native_epoll/) return "netty epoll JNI"
      if (f ~ /^(io\/vertx\/core\/json|com\/fasterxml)/) return "JSON (Vert.x JsonObject, Jackson)"
      if (f ~ /^io\/vertx\/ext\/web/) return "vertx-web"
      if (f ~ /^io\/vertx\/core\/eventbus/) return "Vert.x event bus"
      if (f ~ /^io\/vertx/) return "Vert.x core and others"
      if (f ~ /^io\/netty\/handler\/ssl/) return "netty SslHandler (Java side)"
      if (f ~ /^io\/netty\/handler\/codec\/http/) return "netty HTTP codec"
      if (f ~ /^io\/netty/) return "netty other"
      if (f ~ /^dev\/vxnet/) return "vxnet"
      if (f ~ /^(java|jdk|sun)\//) return "JDK classes"
      if (f ~ /\//) return "other Java"
      if (f ~ /^(Interpreter|itable stub|vtable stub|.*_stub)$/) return "interpreter and stubs"
      return "native: JVM runtime, libc (send/recv wrappers, memcpy)"
    }
    function sortdesc(v, o, m,   i, j, t) { for (i = 2; i <= m; i++) { t = o[i]; for (j = i - 1; j >= 1 && v[o[j]] < v[t]; j--) o[j + 1] = o[j]; o[j + 1] = t } }
  ' "$base.collapsed"
  echo
  echo "## inclusive time of the suspects (issue 12): % of all samples, % of the event-loop threads' samples"
  for pat in ${SUSPECTS:-'dev/vxnet/' 'SSL_write|SSL_read|ssl3_|aead|tls13|ReferenceCountedOpenSslEngine' 'epoll_wait|epollWait' \
    'sendto|sendmsg|writev|__libc_write|__send|sendmmsg' 'recvfrom|recvmsg|__libc_read|recvmmsg' \
    'io/vertx/core/json|com/fasterxml/jackson' 'encodePrettily' 'JsonObject.copy|JsonObjectMessageCodec|copyJson' 'Base64' \
    'eventbus/impl' 'dev/vxnet/https/StaticFiles|StaticHandler' \
    'sun/nio/fs/Unix|java/nio/file/Files\.|RandomAccessFile|stat64|__xstat|statx|realpath|readlink|fstatat|libc_open|__close' 'ThreadPoolExecutor|WorkerExecutor|executeBlocking' \
    'VertxImpl.setTimer|VertxImpl.cancelTimer|InternalTimerHandler' 'Throwable|fill_in_stack_trace' \
    'SourceRateLimiter|LocalMap|LongAdder' 'Unsafe.park|futex|pthread_cond' 'InetAddress|InetSocketAddress|SocketAddressImpl|resolve' \
    'GC Thread|G1 |gc_|G1Young' 'CompilerThread|C2 |C1 '}; do
    awk -v pat="$pat" '$NF ~ /^[0-9]+$/ { n = $NF; t += n; s = $0; sub(/ [0-9]+$/, "", s); el = (s ~ /^\[vert\.x-eventloop/)
      if (el) te += n; if (s ~ pat) { h += n; if (el) he += n } }
      END { printf "%5.1f%%  %5.1f%%  %s\n", t ? 100 * h / t : 0, te ? 100 * he / te : 0, pat }' "$base.collapsed"
  done
} | tee "$base.txt"
if [ "${SYSCALLS:-0}" = 1 ]; then
  # system calls per operation: strace -c on every thread of the JVM for a few seconds of the same load (strace
  # slows the JVM down a lot: the counts per operation hold, the throughput does not)
  command -v strace >/dev/null || die "SYSCALLS=1 needs strace (apt-get install -y strace)"
  ss_secs=${STRACE_SECS:-5}
  timeout -k 2 $((ss_secs + 5)) strace -c -f -p "$pid" -o "$base.strace" &
  tracer=$!
  sleep 1
  res=$(measure "$kind" "$conns" "$vtarget" "$ss_secs")
  kill -INT "$tracer" 2>/dev/null
  wait "$tracer" 2>/dev/null
  read -r thr unit p50 p99 err note <<<"$res"
  ops=$(awk -v t="$thr" -v s="$ss_secs" 'BEGIN { printf "%.0f", t * s }')
  {
    echo
    echo "## system calls per operation under strace ($ss_secs s, $thr $unit there: about $ops operations)"
    awk -v ops="$ops" '$1 ~ /^[0-9.]+$/ && NF >= 5 { name = $NF; calls = $4; if (calls !~ /^[0-9]+$/) next
      if (ops > 0) printf "%8.2f  %s\n", calls / ops, name }' "$base.strace" | sort -rn | head -12
  } | tee -a "$base.txt"
fi
say "profile: $base.txt and $base.collapsed"
