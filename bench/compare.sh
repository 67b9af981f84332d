#!/usr/bin/env bash
# bench/compare.sh - the whole performance table of issue 12 in one command: vxnet next to its peers on the same
# machine, in the same run, with the same files and the same certificate; same-run ratios, goals, TSV and charts.
#
#   bench/compare.sh                    # warm-up, 2 interleaved rounds of every row, table, TSV, charts (< 10 min)
#   QUICK=1 bench/compare.sh            # 1-second loads, 1 start per round: a smoke test (about 4.5 min)
#   ONLY='https-|start' bench/compare.sh   # only the rows whose id matches this extended regular expression
#   DOCS=1 bench/compare.sh             # also copy the charts to docs/bench-instances.png, docs/bench-connections.png
#   bench/compare.sh rows               # list the rows
#   bench/compare.sh chart RUN.tsv [DEVICE.tsv]   # charts again from a run's TSV (and a 16-core scale.tsv)
#
# It starts its own peers on 127.0.0.1 (ports 191xx, off vxnet's defaults, off ../shared/bench's 17xxx/18xxx and
# 5353): nginx with 1 and 2 workers (bench/compare/nginx.conf.in), dnsmasq with 200 names, and, when
# ../shared/bench exists, its C echo servers cecho/cudpecho and load tools tcpecho-load/udpecho-load, compiled into
# bench/bin/ (git-ignored); without it the TCP and UDP rows say "n/a (needs ../shared/bench)". vxnet runs from
# target/vxnet.jar as nodes of 1 and 2 instances (HTTPS with as many instances as nginx has workers). Loads: wrk,
# dnsperf, the C load tools; each bounded in time, loopback only. Every process it starts is stopped by its PID
# (process group) on exit, also on error and Ctrl-C. Outputs in bench/run/compare/ (git-ignored).
#
# Rows: the ROWS table below; add a line to add a row. A row whose route answers 404 is "n/a (route missing)",
# one whose port does not listen "n/a (listener missing)", one whose node has no configuration "n/a (...)".
# Needs (Debian): openjdk-17-jre-headless nginx wrk dnsmasq dnsperf openssl curl python3 gnuplot-nox, and gcc for
# the C rows. Environment: QUICK, ONLY, DOCS, ROUNDS (2), LOAD_SECS (4), SWEEP_SECS (3), WARM_SECS (8: each HTTPS
# load's warm-up; TCP, UDP and DNS loads get a quarter of it, at least 1 s), START_RUNS (3 per round), JAVA_OPTS
# (-Xmx1g), SHARED_BENCH (../shared/bench), DEADLINE_S (570).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE=$ROOT/bench/compare
RUN=$ROOT/bench/run/compare
QUICK=${QUICK:-0}
ROUNDS=${ROUNDS:-2}
if [ "$QUICK" = 1 ]; then
  LOAD_SECS=${LOAD_SECS:-1} SWEEP_SECS=${SWEEP_SECS:-1} WARM_SECS=${WARM_SECS:-1} START_RUNS=${START_RUNS:-1}
else
  LOAD_SECS=${LOAD_SECS:-4} SWEEP_SECS=${SWEEP_SECS:-3} WARM_SECS=${WARM_SECS:-8} START_RUNS=${START_RUNS:-3}
fi
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
DEADLINE_S=${DEADLINE_S:-570}   # stop measuring at this many seconds (the whole run stays under 10 minutes)
ONLY=${ONLY:-.}
T0=$(date +%s)

# ---------------------------------------------------------------- ports (127.0.0.1 only)
P_CECHO1=19101 P_CECHO2=19102 P_CUDP1=19111 P_CUDP2=19112 P_DNS=19131
P_NG1=https://127.0.0.1:19121 P_NG1_PLAIN=19122 P_NG2=https://127.0.0.1:19123 P_NG2_PLAIN=19124
# vxnet nodes: base port B; tcp B+1, udp B+2, https B+3, http B+4, bridge B+5, chat B+6, do53 B+7, dot B+8 (issue 15)
node_ports() { # prefix base
  eval "$1_TCP=$(($2 + 1)) $1_UDP=$(($2 + 2)) $1_HTTPS=https://127.0.0.1:$(($2 + 3)) $1_HTTP=$(($2 + 4))"
  eval "$1_BRIDGE=$(($2 + 5)) $1_CHAT=$(($2 + 6)) $1_DO53=$(($2 + 7))"
}
node_ports VX1 19140
node_ports VX2 19150
node_ports VXS 19160
node_ports VXNM 19170

# ---------------------------------------------------------------- the nodes (vxnet JVMs)
# name | base port | instances | extra configuration merged into the node's config ("-" = no configuration yet:
# the node is not started and its rows say so). Every node runs every service, on its own ports.
NODES='vx1|19140|1|{}
vx2|19150|2|{}
vxs|19160|1|{}
vx2-nometrics|19170|2|{"metrics":{"enabled":false}}'
# vxs: the node whose start is timed (started and stopped START_RUNS times a round). vx2-nometrics: metrics off; the
# "metrics" row compares vx2 (metrics on, the default) with it.
# Every node's Do53 listener is on B+7 and its DoT listener on B+8 (node_conf): their defaults would clash.

# ---------------------------------------------------------------- the rows
# id | kind | conns | peer | peer target | vxnet node | vxnet target | goal | chart points | workload
# kind: tcp-pp (64 B ping-pong), tcp-bulk (16 KiB writes), udp (window 32, 64 B), https (wrk), https-names (wrk
# cycling 200 names through /resolve), dns (dnsperf), start (java -jar to the node's "started" line).
# goal: the same-run ratio vxnet/peer must be at least this ("loss<=X" adds a UDP loss bound in %); "<=S" for start
# (seconds); "-" for rows that only feed the charts. chart: SERIES@X points of the charts (inst: instances, conn:
# connections). Targets: a port for tcp/udp/dns, a URL for https.
ROWS='tcp-pp|tcp-pp|64|cecho -t1|$P_CECHO1|vx1|$VX1_TCP|0.95|inst:tcp-pp@1 conn:tcp-pp@64|TCP ping-pong 64 B, 64 conns, vs C epoll (cecho)
tcp-bulk|tcp-bulk|4|cecho -t1|$P_CECHO1|vx1|$VX1_TCP|1.0||TCP bulk, 4 conns streaming 16 KiB writes, vs C
udp-w32|udp|4|cudpecho -t1|$P_CUDP1|vx1|$VX1_UDP|0.8 loss<=0.1|inst:udp@1|UDP 4 sockets x window 32, 64 B, vs C recvmmsg (cudpecho)
https-tiny|https|64|nginx-w2|$P_NG2/api/tiny|vx2|$VX2_HTTPS/health|1.2|inst:https-tiny@2 conn:https-tiny@64|HTTPS tiny JSON: /health vs nginx /api/tiny, 2 instances vs 2 workers
https-echo|https|64|nginx-w2|$P_NG2/api/tiny|vx2|$VX2_HTTPS/api/echo|1.0||HTTPS /api/echo vs nginx /api/tiny
https-1k|https|64|nginx-w2|$P_NG2/1k.bin|vx2|$VX2_HTTPS/1k.bin|1.0|inst:https-1k@2|HTTPS 1 KiB file vs nginx
https-1m|https|64|nginx-w2|$P_NG2/1m.bin|vx2|$VX2_HTTPS/1m.bin|0.8||HTTPS 1 MiB file vs nginx
doh-cached|https-names|64|vx2 /health|$VX2_HTTPS/health|vx2|$VX2_HTTPS/resolve?name=host1.bench.test&type=A|0.8||DoH /resolve answered from cache (200 names) vs vxnet'"'"'s own /health
fetch-1k|https|64|nginx-w2 /proxy|$P_NG2/proxy/1k.bin|vx2|$VX2_HTTPS/api/fetch?url=http://127.0.0.1:$P_NG2_PLAIN/1k.bin|1.0||/api/fetch of a 1 KiB file vs nginx reverse proxy (keep-alive upstream pool)
start|start|-|-|-|vxs|cds|<=1.0||start to all services ready: java -jar with the AppCDS archive as bin/vertx runs it, to the "node ...: started" line, median
start-plain|start|-|-|-|vxs|plain|-||start without the AppCDS archive: plain java -jar to the "started" line, median
do53|dns|-|dnsmasq|$P_DNS|vx1|$VX1_DO53|0.8||Do53 (dnsperf, 200 names, cached) vs dnsmasq (issue 15)
httpbin-get|https|64|nginx-w2|$P_NG2/api/tiny|vx2|$VX2_HTTPS/get|1.0||httpbin /get vs nginx /api/tiny (issue 16)
httpbin-bytes|https|64|nginx-w2|$P_NG2/1k.bin|vx2|$VX2_HTTPS/bytes/1024|1.0||httpbin /bytes/1024 vs nginx /1k.bin (issue 16)
metrics|https|64|vx2-nometrics|$VXNM_HTTPS/health|vx2|$VX2_HTTPS/health|0.95||HTTPS tiny /health, metrics on vs off (issue 13)
i2-tcp-pp|tcp-pp|64|cecho -t2|$P_CECHO2|vx2|$VX2_TCP|-|inst:tcp-pp@2|chart: TCP ping-pong, 2 threads vs 2 instances
i2-udp|udp|4|cudpecho -t2|$P_CUDP2|vx2|$VX2_UDP|-|inst:udp@2|chart: UDP window 32, 2 threads vs 2 instances
i1-https-tiny|https|64|nginx-w1|$P_NG1/api/tiny|vx1|$VX1_HTTPS/health|-|inst:https-tiny@1|chart: HTTPS tiny, 1 worker vs 1 instance
i1-https-1k|https|64|nginx-w1|$P_NG1/1k.bin|vx1|$VX1_HTTPS/1k.bin|-|inst:https-1k@1|chart: HTTPS 1 KiB, 1 worker vs 1 instance
c16-tcp-pp|tcp-pp|16|cecho -t1|$P_CECHO1|vx1|$VX1_TCP|-|conn:tcp-pp@16|chart: TCP ping-pong, 16 conns
c256-tcp-pp|tcp-pp|256|cecho -t1|$P_CECHO1|vx1|$VX1_TCP|-|conn:tcp-pp@256|chart: TCP ping-pong, 256 conns
c16-https-tiny|https|16|nginx-w2|$P_NG2/api/tiny|vx2|$VX2_HTTPS/health|-|conn:https-tiny@16|chart: HTTPS tiny, 16 conns
c256-https-tiny|https|256|nginx-w2|$P_NG2/api/tiny|vx2|$VX2_HTTPS/health|-|conn:https-tiny@256|chart: HTTPS tiny, 256 conns'

# chart series: id | title | unit | peer legend
SERIES='inst:tcp-pp|TCP ping-pong 64 B, 64 conns|msg/s|C epoll echo, N threads
inst:udp|UDP window 32, 4 sockets|replies/s|C recvmmsg echo, N threads
inst:https-tiny|HTTPS tiny JSON, wrk 64 conns|req/s|nginx, N workers
inst:https-1k|HTTPS 1 KiB file, wrk 64 conns|req/s|nginx, N workers
conn:tcp-pp|TCP ping-pong 64 B, 1 instance|msg/s|C epoll echo, 1 thread
conn:https-tiny|HTTPS tiny JSON, 2 instances|req/s|nginx, 2 workers'

# ---------------------------------------------------------------- helpers
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
# the counts and seconds of the environment, checked before anything starts: bash arithmetic would read a word as 0
for knob in ROUNDS LOAD_SECS SWEEP_SECS WARM_SECS START_RUNS DEADLINE_S; do
  [[ ${!knob} =~ ^[1-9][0-9]*$ ]] || die "$knob: expected a whole number from 1 up, got '${!knob}'"
done
row_field() { echo "$1" | cut -d'|' -f"$2"; }
expand() { eval "printf '%s' \"$1\""; }   # the tables' $VARIABLES (our own tables only)

# ---------------------------------------------------------------- measuring: one load, one line
# measure KIND CONNS TARGET SECS -> "throughput unit p50_us p99_us errors note"; raw output appended to $RAW
measure() {
  local kind=$1 conns=$2 target=$3 secs=$4 out e
  case "$kind" in
  tcp-pp)
    out=$(timeout -k 5 $((secs + 30)) "$BIN/tcpecho-load" -h 127.0.0.1 -p "$target" -m pingpong -c "$conns" -s 64 -d "$secs" -t 1 2>&1)
    echo "### tcp-pp $target c$conns: $out" >>"$RAW"
    out=$(echo "$out" | grep '^tcpecho')
    e=$(($(num "$(echo "$out" | kv errors)") + $(num "$(echo "$out" | kv connect_errors)") + $(num "$(echo "$out" | kv stalled)")))
    [ "$(num "$(echo "$out" | kv msgs)")" = 0 ] && e=$((e + 1))
    echo "$(echo "$out" | kv msg_s) msg/s $(echo "$out" | kv p50_us) $(echo "$out" | kv p99_us) $e -"
    ;;
  tcp-bulk)
    out=$(timeout -k 5 $((secs + 30)) "$BIN/tcpecho-load" -h 127.0.0.1 -p "$target" -m bulk -c "$conns" -s 16384 -d "$secs" 2>&1)
    echo "### tcp-bulk $target c$conns: $out" >>"$RAW"
    out=$(echo "$out" | grep '^tcpecho')
    e=$(($(num "$(echo "$out" | kv errors)") + $(num "$(echo "$out" | kv connect_errors)") + $(num "$(echo "$out" | kv stalled)")))
    [ "$(num "$(echo "$out" | kv bytes)")" = 0 ] && e=$((e + 1))
    echo "$(echo "$out" | kv MB_s) MB/s - - $e -"
    ;;
  udp)
    out=$(timeout -k 5 $((secs + 30)) "$BIN/udpecho-load" -h 127.0.0.1 -p "$target" -c "$conns" -w 32 -s 64 -d "$secs" -S 20 2>&1)
    echo "### udp $target c$conns: $out" >>"$RAW"
    out=$(echo "$out" | grep '^udpecho')
    e=$(num "$(echo "$out" | kv errors)")
    [ "$(num "$(echo "$out" | kv replies)")" = 0 ] && e=$((e + 1))
    echo "$(echo "$out" | kv replies_s) rep/s $(echo "$out" | kv p50_us) $(echo "$out" | kv p99_us) $e loss=$(echo "$out" | kv loss_pct)%"
    ;;
  https | https-names)
    local script=()
    [ "$kind" = https-names ] && script=(-s "$HERE/resolve.lua")
    out=$(timeout -k 5 $((secs + 30)) wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s --latency ${script[@]+"${script[@]}"} "$target" 2>&1)
    echo "### $kind $target c$conns: $out" >>"$RAW"
    echo "$out" | awk '
      function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return (v + 0) * 1000;
                       if (v ~ /m$/) return (v + 0) * 60e6; if (v ~ /s$/) return (v + 0) * 1e6; return v }
      /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) }
      /^Requests\/sec:/ { rps = $2 } /^Transfer\/sec:/ { tps = $2 }
      /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
      /Non-2xx or 3xx responses:/ { err += $5 }
      END { if (rps == "") { rps = "-"; err++ }
            printf "%s req/s %s %s %d xfer=%s/s\n", rps, p50 == "" ? "-" : p50, p99 == "" ? "-" : p99, err, tps }'
    ;;
  dns)
    out=$(timeout -k 5 $((secs + 30)) dnsperf -s 127.0.0.1 -p "$target" -d "$RUN/dns/queries.txt" -l "$secs" -c 4 -q 100 -t 2 2>&1)
    echo "### dns $target: $out" >>"$RAW"
    echo "$out" | awk '/Queries per second:/ { q = sprintf("%.0f", $4) } /Queries lost:/ { l = $3 }
      /Average Latency/ { a = sprintf("%.0f", $4 * 1e6) }
      END { if (q == "") { q = "-"; l = 1 } printf "%s q/s - - %s avg=%sus\n", q, l == "" ? 0 : l, a }'
    ;;
  *) echo "- - - - 1 unknown-kind-$kind" ;;
  esac
}

# ---------------------------------------------------------------- start to ready
# One start of node vxs, once the machine is at least 85 % idle (at most 10 s of waiting, noted as settled-for): the
# nodes the previous row loaded may go on compiling and collecting for a moment, and a start is timed alone. t0 is
# taken right before `java -jar` is executed (the node's configuration is made before it); ready is the timestamp of the
# "node NAME: started" log line, which MainVerticle writes after every enabled service's listen (or consumer
# registration) future completed. Then /health and the TCP echo are checked once, and the node is stopped.
idle_percent() { # the share of CPU time the whole machine spent idle over the next 0.5 s, in percent; iowait counts
  # as idle: an io_uring event loop waiting for completions is accounted as iowait
  local a b
  read -r -a a < <(head -1 /proc/stat)
  sleep 0.5
  read -r -a b < <(head -1 /proc/stat)
  # fields 1-8 (user to steal): guest and guest_nice are already counted in user and nice
  awk -v i1="$((a[4] + a[5]))" -v i2="$((b[4] + b[5]))" -v t1="$(IFS=+; echo "$((${a[*]:1:8}))")" -v t2="$(IFS=+; echo "$((${b[*]:1:8}))")" \
    'BEGIN { d = t2 - t1; print (d > 0) ? int(100 * (i2 - i1) / d) : 100 }'
}
settle() { # waits (at most 10 s) until the machine is at least 85 % idle: a start is timed alone, not beside the
  # JIT compilers and collectors of the nodes the last load ran on; sets SETTLED to the seconds waited
  local i
  SETTLED=0
  for i in $(seq 20); do
    [ "$(idle_percent)" -ge 85 ] && return
    SETTLED=$(awk -v n="$i" 'BEGIN { printf "%.1f", n / 2 }')
  done
}
start_once() { # sets START_T to seconds, or "-" on failure
  local log=$RUN/logs/vxs-start.log t0 t1 line="" ts i pid conf
  START_T=-
  # made before t0: python's own start (0.3 s here) was timed as part of vxnet's until 2026-12-01 18:30 UTC
  conf=$(node_conf vxs)
  settle
  t0=$(date +%s%3N)
  # shellcheck disable=SC2086 # START_FLAGS: bin/cds-flags' words
  start_bg "$log" java $JAVA_OPTS ${START_FLAGS:-} -jar "$JAR" -conf "$conf"
  pid=$BG_PID
  for i in $(seq 600); do
    line=$(grep -m1 ': started' "$log" 2>/dev/null) && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$line" ]; then
    echo "### start failed: $(tail -3 "$log")" >>"$RAW"
    stop_pgid "$pid"
    return
  fi
  ts=$(date -d "$(echo "$line" | cut -c1-23)" +%s%3N 2>/dev/null)
  t1=$(date -d "$(head -1 "$log" | cut -c1-23)" +%s%3N 2>/dev/null)
  local ok=1
  curl -sk --max-time 5 -o /dev/null "$VXS_HTTPS/health" || ok=0
  [ "$(printf 'ping' | tcp_exchange 127.0.0.1 "$VXS_TCP")" = ping ] || ok=0
  stop_pgid "$pid"
  if [ "$ok" = 0 ] || [ -z "$ts" ]; then echo "### start: a service did not answer after the started line" >>"$RAW"; return; fi
  START_T=$(awk -v a="$t0" -v b="$ts" 'BEGIN { printf "%.3f\n", (b - a) / 1000 }')
  # the part before vxnet's first log line: JVM, launcher, Vert.x and configuration
  START_FIRST=$(awk -v a="$t0" -v b="${t1:-$t0}" 'BEGIN { printf "%.2f\n", (b - a) / 1000 }')
  START_WAITED=$SETTLED
}
tcp_exchange() { # host port: send stdin, close the write side, print what comes back (5 s timeout)
  python3 -c 'import socket,sys
s=socket.create_connection((sys.argv[1],int(sys.argv[2])),5); s.sendall(sys.stdin.buffer.read()); s.shutdown(socket.SHUT_WR)
d=b""
while True:
  b=s.recv(4096)
  if not b: break
  d+=b
sys.stdout.buffer.write(d)' "$1" "$2"
}
start_flags() { # mode (cds | plain) -> START_FLAGS: the JVM flags of the timed starts
  START_FLAGS=""
  [ "$1" = cds ] || return 0
  # as bin/vertx starts vxnet: with the AppCDS archive beside the jar, written by one untimed start when missing
  START_FLAGS=$("$ROOT/bin/cds-flags" "$JAR")
  case "$START_FLAGS" in
  *ArchiveClassesAtExit*)
    start_once
    START_FLAGS=$("$ROOT/bin/cds-flags" "$JAR")
    ;;
  esac
}
measure_start() { # runs [mode: cds (default) | plain] -> RES="median unit - - errors note"
  local runs=$1 i all="" first="" waited="" n=0 e=0
  start_flags "${2:-cds}"
  for i in $(seq "$runs"); do
    start_once
    if [ "$START_T" = - ]; then e=$((e + 1)); else all="$all $START_T"; first="$first $START_FIRST"; waited="$waited $START_WAITED"; n=$((n + 1)); fi
  done
  if [ "$n" = 0 ]; then RES="- s - - $e -"; return; fi
  RES="$(echo $all | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}') s - - $e starts=$(echo $all | tr ' ' ','),first-log-line-at=$(echo $first | tr ' ' ','),settled-for=$(echo $waited | tr ' ' ',')"
}

# ---------------------------------------------------------------- preparing files and peers
node_conf() { # name -> the node's JSON configuration
  local line base inst extra
  line=$(echo "$NODES" | awk -F'|' -v n="$1" '$1==n')
  base=$(row_field "$line" 2) inst=$(row_field "$line" 3) extra=$(row_field "$line" 4-)
  python3 - "$1" "$base" "$inst" "$extra" "$RUN" "$P_DNS" <<'PY'
import json, sys
name, base, inst, extra, run, dns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
h = "127.0.0.1"
conf = {
  "node": {"name": name, "instances": inst},
  "tcp": {"host": h, "port": base + 1, "max_connections": 20000},
  # the per-source rate limit stays on (its cost is measured) but high, as every load comes from one address;
  # not higher: SourceRateLimiter multiplies idle nanoseconds by the rate in a long, which overflows after
  # 9.2e18 / rate ns (15 minutes at 1e7/s; 9 s at 1e9/s, when the source is then refused for a long time)
  "udp": {"host": h, "port": base + 2, "rate_limit_per_second": 10000000, "rate_limit_burst": 10000000},
  "https": {"host": h, "port": base + 3, "web_root": run + "/www", "cert_path": run + "/tls/cert.pem",
            "key_path": run + "/tls/key-pkcs8.pem"},
  "http": {"host": h, "port": base + 4},
  "bridge": {"host": h, "port": base + 5},
  "chat": {"host": h, "port": base + 6},
  # the Do53 row's listener (B+7) and DoT (B+8) on their own ports, as the defaults (8053, 8853) would clash between
  # nodes; the per-source limits on but high, as for udp (the byte budget is per second: 2 GB/s)
  "dns": {"upstreams": [h + ":" + dns], "do53_host": h, "do53_port": base + 7, "dot_host": h, "dot_port": base + 8,
          "dot_cert_path": run + "/tls/cert.pem", "dot_key_path": run + "/tls/key-pkcs8.pem",
          "rate_limit_per_second": 10000000, "rate_limit_burst": 10000000, "rate_limit_bytes_per_second": 2000000000},
  "fetch": {"allow": [h]},
  # like the nginx peers (access_log off): no access log line per request
  "logging": {"access_log": False},
}
def merge(a, b):
  for k, v in b.items():
    if isinstance(v, dict) and isinstance(a.get(k), dict): merge(a[k], v)
    else: a[k] = v
merge(conf, json.loads(extra))
print(json.dumps(conf, separators=(",", ":")))
PY
}

prepare_files() {
  mkdir -p "$RUN/tls" "$RUN/www" "$RUN/dns" "$RUN/logs" "$RUN/results"
  if [ ! -s "$RUN/tls/key-pkcs8.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" \
      >/dev/null 2>&1 || die "openssl could not make the certificate"
    openssl pkcs8 -topk8 -nocrypt -in "$RUN/tls/key.pem" -out "$RUN/tls/key-pkcs8.pem" || die "openssl pkcs8 failed"
  fi
  [ -s "$RUN/www/1k.bin" ] || head -c 1024 /dev/urandom >"$RUN/www/1k.bin"
  [ -s "$RUN/www/1m.bin" ] || head -c 1048576 /dev/urandom >"$RUN/www/1m.bin"
  [ -s "$RUN/www/index.html" ] || echo '<!doctype html><title>bench</title>' >"$RUN/www/index.html"
  if [ ! -s "$RUN/dns/queries.txt" ]; then
    : >"$RUN/dns/hosts"
    : >"$RUN/dns/queries.txt"
    for i in $(seq 1 200); do
      echo "127.0.$((i / 250 + 10)).$((i % 250 + 1)) host$i.bench.test" >>"$RUN/dns/hosts"
      echo "host$i.bench.test A" >>"$RUN/dns/queries.txt"
    done
  fi
}

declare -A DOWN   # server or node name -> why it is not there
declare -A SRV_PID   # server or node name -> its process id (nginx: the master, whose workers are its children)
start_nginx() { # name workers tls_port plain_port
  local d=$RUN/$1
  mkdir -p "$d/tmp"
  sed -e "s|@NAME@|$1|g" -e "s|@WORKERS@|$2|g" -e "s|@TLS_PORT@|$3|g" -e "s|@PLAIN_PORT@|$4|g" -e "s|@DIR@|$d|g" \
    -e "s|@WWW@|$RUN/www|g" -e "s|@CERT@|$RUN/tls/cert.pem|g" -e "s|@KEY@|$RUN/tls/key.pem|g" \
    "$HERE/nginx.conf.in" >"$d/nginx.conf"
  start_bg "$RUN/logs/$1.log" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
  SRV_PID[$1]=$BG_PID
  wait_listen tcp "$3" 10 "$BG_PID" || { DOWN[$1]="did not start: $(tail -1 "$RUN/logs/$1.log" "$d/error.log" 2>/dev/null | tail -1)"; return; }
}
start_c() { # name proto port command...
  local name=$1 proto=$2 port=$3
  shift 3
  start_bg "$RUN/logs/$name.log" "$@"
  SRV_PID[$name]=$BG_PID
  wait_listen "$proto" "$port" 10 "$BG_PID" || DOWN[$name]="did not start: $(tail -1 "$RUN/logs/$name.log")"
}
NODE_PIDS=()
start_node() { # name: starts without waiting
  local line extra
  line=$(echo "$NODES" | awk -F'|' -v n="$1" '$1==n')
  extra=$(row_field "$line" 4-)
  if [ "$extra" = - ]; then DOWN[$1]="node $1 has no configuration yet (NODES table)"; return; fi
  start_bg "$RUN/logs/$1.log" java $JAVA_OPTS -jar "$JAR" -conf "$(node_conf "$1")"
  NODE_PIDS+=("$1:$BG_PID")
  SRV_PID[$1]=$BG_PID
}
wait_nodes() {
  local e name pid
  for e in ${NODE_PIDS[@]+"${NODE_PIDS[@]}"}; do
    name=${e%%:*} pid=${e#*:}
    if wait_started "$RUN/logs/$name.log" "$pid" 60; then
      say "node $name: $(grep -m1 'transport' "$RUN/logs/$name.log" | sed 's/.*: transport/transport/'), started"
    else
      DOWN[$name]="node $name did not start: $(grep -v '^\s*at ' "$RUN/logs/$name.log" | tail -1 | cut -c1-160)"
      say "${DOWN[$name]}"
    fi
  done
}

stat_ticks() { # /proc/.../stat file -> its user + system CPU time (clock ticks); 0 once the process or thread
  # is gone. Fields are counted after the ") " that closes the name, which may hold spaces ("C2 CompilerThre"):
  # utime is then field 12, stime 13.
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1" 2>/dev/null || echo 0
}
server_ticks() { # server name -> CPU time (user + system, clock ticks) of its process and its children so far
  local pid=${SRV_PID[$1]:-} p t=0
  [ -n "$pid" ] || { echo 0; return; }
  for p in $pid $(pgrep -P "$pid"); do
    [ -r "/proc/$p/stat" ] && t=$((t + $(stat_ticks "/proc/$p/stat")))
  done
  echo "$t"
}
jit_ticks() { # server name -> CPU time (clock ticks) of its JVM's JIT compiler threads so far ("C1 CompilerThre...",
  # "C2 CompilerThre..."); 0 for a server that is no JVM. What a JVM still spends compiling while measured is not serving.
  local pid=${SRV_PID[$1]:-} t=0 task comm
  [ -n "$pid" ] || { echo 0; return; }
  for task in /proc/"$pid"/task/*; do
    comm=$(cat "$task/comm" 2>/dev/null) || continue
    case "$comm" in C1\ * | C2\ *) t=$((t + $(stat_ticks "$task/stat"))) ;; esac
  done
  echo "$t"
}
load_ticks() { # sets LOAD_T: CPU time (user + system, clock ticks) of this shell's finished children, the load tools
  # run so far; not in $(...): `times` in a subshell would count the subshell's children only
  times >"$RUN/times"
  LOAD_T=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * '"$(getconf CLK_TCK)"' }' "$RUN/times")
}

# server name of a row side -> the peer process or node it needs
server_of() { case "$1" in cecho\ -t1) echo cecho1 ;; cecho\ -t2) echo cecho2 ;; cudpecho\ -t1) echo cudp1 ;;
  cudpecho\ -t2) echo cudp2 ;; nginx-w1*) echo nginx-w1 ;; nginx-w2*) echo nginx-w2 ;; *) echo "${1%% *}" ;; esac; }

# why a side of a row cannot be measured, or nothing
check_side() { # kind server target
  local kind=$1 server code
  server=$(server_of "$2")
  [ -n "${DOWN[$server]:-}" ] && { echo "${DOWN[$server]}"; return; }
  case "$kind" in
  tcp-pp | tcp-bulk | udp)
    [ "$C_TOOLS" = 1 ] || { echo "needs ../shared/bench (C tools)"; return; }
    local proto=tcp
    [ "$kind" = udp ] && proto=udp
    listening "$proto" "$3" || echo "listener missing"
    ;;
  dns) listening udp "$3" || echo "listener missing" ;;
  https | https-names)
    code=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' "$3")
    case "$code" in
    2??) ;;
    404) echo "route missing" ;;
    000) echo "no answer" ;;
    *) echo "HTTP $code" ;;
    esac
    ;;
  esac
}

# ---------------------------------------------------------------- report and charts (from the TSV alone)
report() { # tsv -> markdown table and the summary line
  awk -F'\t' '
    function f(v) { if (v == "-" || v == "") return "-"; v += 0; return v >= 1000 ? sprintf("%.0f", v) : v >= 100 ? sprintf("%.0f", v) : sprintf("%.2f", v) }
    $1 == "meta" { meta[$2] = $3; next }
    $1 == "row" { id = $2; order[++n] = id; kind[id] = $3; peer[id] = $5; vx[id] = $6; goal[id] = $7; status[id] = $9; title[id] = $10; next }
    $1 == "res" {
      k = $3 SUBSEP $4; r = $2
      thr[k, r] = $6; unit[$3] = $7; p99[k, r] = $9; err[k] += $10; note[k, r] = $11
      if (NF >= 12) { split($12, cu, " "); cpu[k, r] = cu[1]; tool[k, r] = cu[2]; jit[k, r] = (3 in cu) ? cu[3] : "" }
      if ($6 != "-" && $6 != "") { sum[k] += $6; cnt[k]++ }
      if (r > rounds) rounds = r
    }
    END {
      print "| row | workload | peer | peer run 1 / 2 | vxnet | vxnet run 1 / 2 | unit | vxnet/peer run 1 / 2 (mean) | goal | met | notes |"
      print "|---|---|---|---|---|---|---|---|---|---|---|"
      for (i = 1; i <= n; i++) {
        id = order[i]; kp = id SUBSEP "peer"; kv = id SUBSEP "vxnet"; g = goal[id]; notes = ""
        if (status[id] != "") {
          printf "| %s | %s | %s | | %s | | | n/a (%s) | %s | n/a | |\n", id, title[id], peer[id], vx[id], status[id], g
          if (g != "-") na++
          continue
        }
        tp = ""; tv = ""; rr = ""; lossok = 1
        for (r = 1; r <= rounds; r++) {
          tp = tp (r > 1 ? " / " : "") f(thr[kp, r]); tv = tv (r > 1 ? " / " : "") f(thr[kv, r])
          q = (thr[kp, r] + 0 > 0 && thr[kv, r] != "-") ? sprintf("%.2f", thr[kv, r] / thr[kp, r]) : "-"
          rr = rr (r > 1 ? " / " : "") q
          if (note[kv, r] ~ /^loss=/) { l = note[kv, r]; sub(/^loss=/, "", l); sub(/%$/, "", l); loss = loss (r > 1 ? "/" : "") l "%"; if (l + 0 > maxloss[id]) maxloss[id] = l + 0 }
        }
        mean = (cnt[kp] && cnt[kv] && sum[kp] > 0) ? (sum[kv] / cnt[kv]) / (sum[kp] / cnt[kp]) : -1
        if (kind[id] == "start") { tp = "-"; mean = -1; rr = "-"; if (cnt[kv]) med = sum[kv] / cnt[kv] }
        else rr = rr (mean >= 0 ? sprintf(" (**%.2f**)", mean) : "")
        met = "-"
        if (g != "-") {
          if (kind[id] == "start") { lim = g; sub(/^<=/, "", lim); met = (cnt[kv] && med <= lim + 0) ? "yes" : "no"; g = "<= " lim " s" }
          else {
            split(g, gp, " "); met = (mean >= gp[1] + 0) ? "yes" : "no"
            if (gp[2] ~ /^loss<=/) { lb = gp[2]; sub(/^loss<=/, "", lb); if (maxloss[id] > lb + 0) met = "no" }
          }
          if (met == "yes") ok++; else bad++
        }
        if (err[kp] + err[kv] > 0) notes = notes "errors peer " err[kp] + 0 ", vxnet " err[kv] + 0 "; "
        if (loss != "") notes = notes "vxnet loss " loss "; "
        if (kind[id] == "start") notes = notes note[kv, 1] (rounds > 1 ? " / " note[kv, 2] : "")
        else if (p99[kv, 1] != "-" && p99[kv, 1] != "") notes = notes "p99 peer " f(p99[kp, 1]) " us, vxnet " f(p99[kv, 1]) " us (run 1)"
        if (kind[id] != "start" && cpu[kv, 1] != "" && cpu[kv, 1] != "-" && cpu[kp, 1] != "-")
          { u = unit[id]; sub(/\/s$/, "", u)
            notes = notes (notes == "" ? "" : "; ") "server CPU per " u " peer " cpu[kp, 1] " us, vxnet " cpu[kv, 1] " us; load tool " tool[kp, 1] "% / " tool[kv, 1] "% of a core (run 1)"
            if (jit[kv, 1] != "" && jit[kv, 1] != "-")
              notes = notes "; vxnet JIT " jit[kv, 1] "%" (rounds > 1 && jit[kv, 2] != "" && jit[kv, 2] != "-" ? " / " jit[kv, 2] "%" : "") " of its CPU" }
        loss = ""
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", id, title[id], peer[id], tp, vx[id], tv, unit[id], rr, g, met, notes
      }
      printf "\nsummary: %d of %d goal rows met, %d not met, %d n/a; %s\n", ok, ok + bad + na, bad, na, meta["conditions"]
    }' "$1"
}

chart() { # tsv [device-tsv] -> PNGs beside the tsv (and in docs/ with DOCS=1)
  local tsv=$1 dev=${2:-} out=${1%.tsv} d
  command -v gnuplot >/dev/null || { say "no gnuplot: no charts (apt-get install -y gnuplot-nox)"; return; }
  d=$(mktemp -d)
  # data: one file per series: x peer vxnet (means over the rounds)
  awk -F'\t' -v d="$d" '
    $1 == "row" && $8 != "" && $9 == "" { n = split($8, pts, " "); for (i = 1; i <= n; i++) { split(pts[i], sx, "@"); pt[$2, ++np[$2]] = pts[i] } }
    $1 == "res" && $6 != "-" && $6 != "" { s[$3, $4] += $6; c[$3, $4]++ }
    END {
      for (k in np) for (i = 1; i <= np[k]; i++) {
        split(pt[k, i], sx, "@"); f = d "/" sx[1] ".dat"; gsub(/:/, "_", f)
        if (c[k, "peer"] && c[k, "vxnet"]) printf "%s %.0f %.0f\n", sx[2], s[k, "peer"] / c[k, "peer"], s[k, "vxnet"] / c[k, "vxnet"] >> f
      }
    }' "$tsv"
  for f in "$d"/*.dat; do [ -e "$f" ] && sort -n -o "$f" "$f"; done
  plot_group() { # prefix png title xlabel logx
    local gp=$d/$1.gp n=0 line id title unit legend
    {
      echo "set terminal pngcairo size 1400,420 font 'sans,10'"
      echo "set output '$2'"
      echo "set multiplot layout 1,$(echo "$SERIES" | grep -c "^$1:") title '$3'"
      echo "set key outside bottom center horizontal; set grid; set yrange [0:*]; set format y '%.1s%c'; set xlabel '$4'"
      [ "$5" = 1 ] && echo "set logscale x 2"
      while IFS='|' read -r id title unit legend; do
        [[ $id == "$1:"* ]] || continue
        local f=$d/${id/:/_}.dat
        [ -s "$f" ] || { echo "set title '$title'; set label 1 'n/a in this run' at graph 0.5,0.5 center; unset key; unset tics; set ylabel ''; plot [1:2][0:1] -1 notitle; unset label 1; set tics; set key"; continue; }
        echo "set title '$title'; set ylabel '$unit'; set xtics ($(awk '{printf "%s\"%s\" %s", (NR > 1 ? ", " : ""), $1, $1}' "$f"))"
        echo "set xrange [$(awk -v lg="$5" 'NR == 1 { lo = $1 } { hi = $1 } END { if (lg == 1) printf "%g:%g", lo / 1.3, hi * 1.3; else printf "%g:%g", lo - 0.15, hi + 0.15 }' "$f")]"
        echo "plot '$f' using 1:2 with linespoints lw 2 pt 7 title '$legend', '' using 1:3 with linespoints lw 2 pt 5 title 'vxnet'"
        n=$((n + 1))
      done <<<"$SERIES"
      echo "unset multiplot"
    } >"$gp"
    gnuplot "$gp" 2>>"$d/gnuplot.err" || say "gnuplot failed: $(tail -2 "$d/gnuplot.err")"
  }
  plot_group inst "$out-instances.png" "vxnet vs peers by instances (N verticle instances vs N threads / workers), $(nproc) cores, same run" "instances (N)" 0
  plot_group conn "$out-connections.png" "vxnet vs peers by concurrent connections, $(nproc) cores, same run" "connections" 1
  local made="$out-instances.png $out-connections.png"
  if [ -n "$dev" ]; then
    device_chart "$dev" "$out-instances-16core.png" "$d"
    made="$made $out-instances-16core.png"
  fi
  say "charts: $made"
  if [ "${DOCS:-0}" = 1 ]; then
    cp "$out-instances.png" "$ROOT/docs/bench-instances.png"
    cp "$out-connections.png" "$ROOT/docs/bench-connections.png"
    [ -n "$dev" ] && cp "$out-instances-16core.png" "$ROOT/docs/bench-instances-16core.png"
    say "copied to docs/bench-*.png"
  fi
  rm -rf "$d"
}

# the TSV that ../shared/bench/device/scale.sh writes (test, server, N, the tool's output) -> a chart like inst:
device_chart() { # scale.tsv png tmpdir
  local d=$3
  awk -F'\t' -v d="$d" '
    { v = $4; x = "-"
      if (v ~ /msg_s=/) { sub(/.*msg_s=/, "", v); sub(/ .*/, "", v); x = v }
      else if (v ~ /replies_s=/) { sub(/.*replies_s=/, "", v); sub(/ .*/, "", v); x = v }
      else if (v ~ /Requests\/sec:/) { sub(/.*Requests\/sec: */, "", v); sub(/ .*/, "", v); x = v }
      if (x == "-") next
      side = ($2 == "vxnet") ? "vx" : "peer"; val[$1, $3, side] = x; ns[$1, $3] = 1; tests[$1] = 1 }
    END { for (k in ns) { split(k, kk, SUBSEP); printf "%s %.0f %.0f\n", kk[2], val[kk[1], kk[2], "peer"], val[kk[1], kk[2], "vx"] >> (d "/dev_" kk[1] ".dat") } }' "$1"
  local t gp=$d/dev.gp
  {
    echo "set terminal pngcairo size 1400,420 font 'sans,10'"
    echo "set output '$2'"
    echo "set multiplot layout 1,4 title 'vxnet vs peers by instances on a 16-core machine ($(basename "$1"))'"
    echo "set key outside bottom center horizontal; set grid; set yrange [0:*]; set format y '%.1s%c'; set xlabel 'instances (N)'; set logscale x 2"
    for t in 'tcp-pp:msg/s:C epoll echo:TCP ping-pong 64 B, 512 conns' 'udp:replies/s:C recvmmsg echo:UDP window 32, 16 sockets' \
      'https-tiny:req/s:nginx:HTTPS tiny, wrk -t8 -c256' 'https-1k:req/s:nginx:HTTPS 1 KiB file, wrk -t8 -c256'; do
      local name=${t%%:*} rest=${t#*:} title=${t##*:}
      local f=$d/dev_$name.dat
      [ -s "$f" ] || continue
      sort -n -o "$f" "$f"
      rest=${rest%:*}
      echo "set title '$title'; set ylabel '${rest%%:*}'; set xtics ($(awk '{printf "%s\"%s\" %s", (NR > 1 ? ", " : ""), $1, $1}' "$f"))"
      echo "set xrange [$(awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%g:%g", lo / 1.3, hi * 1.3 }' "$f")]"
      echo "plot '$f' using 1:2 with linespoints lw 2 pt 7 title '${rest#*:}, N', '' using 1:3 with linespoints lw 2 pt 5 title 'vxnet'"
    done
    echo "unset multiplot"
  } >"$gp"
  gnuplot "$gp" 2>>"$d/gnuplot.err" || say "gnuplot failed: $(tail -2 "$d/gnuplot.err")"
}

# ---------------------------------------------------------------- the peers
start_peers() { # every peer of the rows: nginx with 1 and 2 workers, dnsmasq, the C echo servers
  start_peers_for_profile
  start_nginx nginx-w1 1 19121 19122
  if [ "$C_TOOLS" = 1 ]; then
    start_c cecho1 tcp "$P_CECHO1" "$BIN/cecho" -a 127.0.0.1 -p "$P_CECHO1"
    start_c cecho2 tcp "$P_CECHO2" "$BIN/cecho" -a 127.0.0.1 -p "$P_CECHO2" -t 2
    start_c cudp1 udp "$P_CUDP1" "$BIN/cudpecho" -a 127.0.0.1 -p "$P_CUDP1"
    start_c cudp2 udp "$P_CUDP2" "$BIN/cudpecho" -a 127.0.0.1 -p "$P_CUDP2" -t 2
  fi
}
start_peers_for_profile() { # the peers vxnet itself uses: nginx-w2 (origin of /api/fetch), dnsmasq (upstream of /resolve)
  start_nginx nginx-w2 2 19123 19124
  start_c dnsmasq udp "$P_DNS" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
    --listen-address=127.0.0.1 --port="$P_DNS" --pid-file="$RUN/dnsmasq.pid" --addn-hosts="$RUN/dns/hosts" \
    --local=/bench.test/ --local-ttl=300 --cache-size=10000 --dns-forward-max=1000
}
bench_usage_rows() { echo "$ROWS" | awk -F'|' '{printf "%-16s %-11s goal %-13s %s\n", $1, $2, $8 == "" ? "-" : $8, $10}'; }

# ---------------------------------------------------------------- commands
main() {
  case "${1:-run}" in
  rows)
    bench_usage_rows
    exit 0
    ;;
  chart)
    [ -s "${2:-}" ] || die "usage: bench/compare.sh chart RUN.tsv [DEVICE.tsv]"
    chart "$2" "${3:-}"
    exit 0
    ;;
  run) ;;
  *) sed -n '2,22p' "$0"; exit 2 ;;
  esac


  for tool in java nginx wrk dnsmasq dnsperf openssl curl python3 ss; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y openjdk-17-jre-headless nginx wrk dnsmasq dnsperf openssl curl python3 iproute2 gnuplot-nox gcc)"
  done
  [ -s "$JAR" ] || die "no $JAR: build it first (mvn -q -B -DskipTests package)"
  # every port this run binds must be free: a clash would measure someone else's server
  busy=""
  for p in $P_CECHO1 $P_CECHO2 $P_CUDP1 $P_CUDP2 $P_DNS 19121 19122 19123 19124 $(seq 19141 19147) $(seq 19151 19157) $(seq 19161 19167) $(seq 19171 19177); do
    { listening tcp "$p" || listening udp "$p"; } && busy="$busy $p"
  done
  [ -z "$busy" ] || die "ports in use:$busy (another compare.sh running?)"

  trap cleanup EXIT
  trap 'echo "compare: interrupted" >&2; exit 130' INT TERM

  stamp=$(date +%Y%m%d-%H%M%S)
  mkdir -p "$RUN/results"
  TSV=$RUN/results/compare-$stamp.tsv
  RAW=$RUN/results/compare-$stamp.raw.log
  : >"$TSV"
  : >"$RAW"
  prepare_files
  build_c_tools
  LOAD0=$(cut -d' ' -f1 /proc/loadavg)
  say "starting peers and vxnet nodes (load average $LOAD0, $(nproc) cores)"

  # nodes first (JVM start is the slow part), peers while they start
  for n in $(echo "$NODES" | cut -d'|' -f1); do [ "$n" = vxs ] || start_node "$n"; done
  start_peers
  for s in "${!DOWN[@]}"; do say "$s: ${DOWN[$s]}"; done
  wait_nodes

  # the rows to run, each checked once: a route that answers 404 is reported, not measured. The goal rows are
  # measured in all their rounds first and the rows without a goal (charts, start-plain) in theirs after them, so
  # that a slow run's time budget cuts those and never a goal row's round.
  PLAN=() LATER=()
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    id=$(row_field "$line" 1)
    [[ $id =~ $ONLY ]] || continue
    kind=$(row_field "$line" 2) conns=$(row_field "$line" 3) peer=$(row_field "$line" 4)
    ptarget=$(expand "$(row_field "$line" 5)") vxnode=$(row_field "$line" 6) vtarget=$(expand "$(row_field "$line" 7)")
    goal=$(row_field "$line" 8) chartpts=$(row_field "$line" 9) title=$(row_field "$line" 10)
    why=""
    if [ "$kind" != start ]; then
      why=$(check_side "$kind" "$vxnode" "$vtarget")
      [ -z "$why" ] && why=$(check_side "$kind" "$peer" "$ptarget")
    fi
    [ -z "$goal" ] && goal=-
    printf 'row\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$kind" "$conns" "$peer" "$vxnode" "$goal" "$chartpts" "$why" "$title" >>"$TSV"
    if [ -n "$why" ]; then say "$id: n/a ($why)"; continue; fi
    entry="$id|$kind|$conns|$peer|$ptarget|$vxnode|$vtarget|$goal"
    if [ "$goal" = - ]; then LATER+=("$entry"); else PLAN+=("$entry"); fi
  done <<<"$ROWS"
  ALL=(${PLAN[@]+"${PLAN[@]}"} ${LATER[@]+"${LATER[@]}"})

  # warm-up (JIT): every distinct vxnet load, unrecorded, and the loads of vxnet nodes that are a row's peer, in two
  # passes of half the time each. HTTPS loads get WARM_SECS in all: with 3 s in one pass a node's compilers still took
  # 14-21 % of its CPU in round 1 of the HTTPS rows. One pass of 8 s left https-echo at 19 %: the loads after it
  # (fetch above all) take code it had compiled down other paths, and the second pass compiles again what the
  # first one's mix broke. TCP, UDP and DNS loads settle sooner (0-6 % after 3 s) and get a quarter, so that the
  # whole run still fits its 10 minutes.
  declare -A warmed
  local warm_other=$(((WARM_SECS + 3) / 4)) pass
  say "warm-up: ${WARM_SECS} s per vxnet HTTPS load, ${warm_other} s per other load, in 2 passes"
  for pass in 1 2; do
    for p in ${ALL[@]+"${ALL[@]}"}; do
      IFS='|' read -r id kind conns peer ptarget vxnode vtarget goal <<<"$p"
      [ "$kind" = start ] && continue
      wsecs=$warm_other
      [[ $kind == https* ]] && wsecs=$WARM_SECS
      wsecs=$(((wsecs + 1) / 2))
      if [ -z "${warmed[$pass $kind $vtarget]:-}" ]; then
        warmed[$pass $kind $vtarget]=1
        measure "$kind" "$conns" "$vtarget" "$wsecs" >/dev/null
      fi
      # A vxnet node as the peer (the metrics row's vx2-nometrics) serves no other row: without this it would be
      # measured cold against a node that every other row has warmed. Twice the time makes up for those rows.
      if [[ "$peer" == vx* ]] && [ -z "${warmed[$pass $kind $ptarget]:-}" ]; then
        warmed[$pass $kind $ptarget]=1
        measure "$kind" "$conns" "$ptarget" $((wsecs * 2)) >/dev/null
      fi
    done
  done

  # rounds: each row's two sides back to back (the peer first in odd rounds, vxnet first in even ones); the goal
  # rows in all their rounds first, then the rows without a goal in theirs
  local phase
  for phase in goal other; do
    for r in $(seq 1 "$ROUNDS"); do
      if [ "$phase" = goal ]; then
        NOW=(${PLAN[@]+"${PLAN[@]}"}) label=""
      else
        NOW=(${LATER[@]+"${LATER[@]}"}) label=" of the rows without a goal"
      fi
      [ ${#NOW[@]} -gt 0 ] && say "round $r of $ROUNDS$label"
      for p in ${NOW[@]+"${NOW[@]}"}; do
        IFS='|' read -r id kind conns peer ptarget vxnode vtarget goal <<<"$p"
        secs=$LOAD_SECS
        [ "$goal" = - ] && secs=$SWEEP_SECS
        need=$((secs * 2 + 10))
        [ "$kind" = start ] && need=$((START_RUNS * 19)) # a start, its checks and stop, and up to 10.5 s of settling
        if [ $(($(elapsed) + need)) -gt "$DEADLINE_S" ]; then
          say "$id: skipped in round $r (time budget of ${DEADLINE_S} s)"
          continue
        fi
        if [ "$kind" = start ]; then
          measure_start "$START_RUNS" "$vtarget"
          read -r thr unit p50 p99 err note <<<"$RES"
          printf 'res\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$id" vxnet "$vxnode" "$thr" "$unit" "$p50" "$p99" "$err" "$note" >>"$TSV"
          say "$id: median $thr s ($note)"
          continue
        fi
        sides="peer vxnet"
        [ $((r % 2)) = 0 ] && sides="vxnet peer"
        line="$id:"
        for side in $sides; do
          skind=$kind
          if [ "$side" = peer ]; then
            target=$ptarget server=$peer
            [ "$kind" = https-names ] && skind=https   # the names script is for /resolve only
          else
            target=$vtarget server=$vxnode
          fi
          srv=$(server_of "$server") c0=$(server_ticks "$srv") j0=$(jit_ticks "$srv")
          load_ticks; l0=$LOAD_T w0=$(date +%s%N)
          res=$(measure "$skind" "$conns" "$target" "$secs")
          c1=$(server_ticks "$srv") j1=$(jit_ticks "$srv")
          load_ticks; l1=$LOAD_T w1=$(date +%s%N)
          read -r thr unit p50 p99 err note <<<"$res"
          # the server's CPU per unit of work (us) and the load tool's CPU share of one core: a tool near 100 % is the limit
          # (the tool's share over the whole measured span, its start and teardown included; the server's CPU over the
          # same span per unit the tool counted in its own SECS, so a little high on short rows), and the share of the
          # server's CPU its JIT compilers took (a JVM still compiling is not yet at its steady state)
          cpu=$(awk -v c=$((c1 - c0)) -v l=$((l1 - l0)) -v j=$((j1 - j0)) -v t="$thr" -v s="$secs" \
            -v w=$(((w1 - w0) / 1000000)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
            if (t + 0 > 0 && c > 0) printf "%.1f", 1e6 * c / hz / (t * s); else printf "-"; printf " %.0f", 100 * l / hz / (w / 1000)
            if (c > 0 && j >= 0) printf " %.0f", 100 * j / c; else printf " -" }')
          printf 'res\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$id" "$side" "$server" "$thr" "$unit" "$p50" "$p99" "$err" "$note" "$cpu" >>"$TSV"
          line="$line $side $thr $unit (err $err)"
        done
        say "$line"
      done
    done
  done

  cleanup
  printf 'meta\tconditions\t%s\n' "$(nproc) cores, load average $LOAD0 at the start, $ROUNDS rounds, loads ${LOAD_SECS} s (chart rows ${SWEEP_SECS} s) after a warm-up of ${WARM_SECS} s per HTTPS load$([ "$QUICK" = 1 ] && echo ', QUICK'), $(date -u +%Y-%m-%dT%H:%MZ), total $(elapsed) s" >>"$TSV"
  echo
  report "$TSV" | tee "${TSV%.tsv}.md"
  chart "$TSV" "${DEVICE_TSV:-}"
  echo "TSV: $TSV   raw output: $RAW   total $(elapsed) s"
}

# run when executed, not when sourced (bench/profile.sh uses the tables and functions)
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
