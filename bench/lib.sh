# bench/lib.sh - helpers of compare.sh, hold.sh and profile.sh (sourced, not run): the C tools of ../shared/bench,
# processes started in their own process group and stopped by that PID, port checks.
# Expects ROOT (the project's root) and T0 (the run's start, seconds since the epoch) to be set.

BIN=$ROOT/bench/bin
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
# a git worktree elsewhere: the shared folder beside the main checkout
[ -d "$SHARED" ] || [ -n "${SHARED_BENCH:-}" ] ||
  SHARED=$(cd "$ROOT" && cd "$(git rev-parse --git-common-dir 2>/dev/null)/../.." 2>/dev/null && pwd)/shared/bench
JAR=${VXNET_JAR:-$ROOT/target/vxnet.jar}
# not passed on to the nodes: vxnet reads every VXNET_* variable as configuration and refuses an unknown one ("jar")
export -n VXNET_JAR

say() { printf '[%3ds] %s\n' $(($(date +%s) - T0)) "$*"; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }
elapsed() { echo $(($(date +%s) - T0)); }

# C_TOOLS=1 when tcpecho-load, udpecho-load, cecho and cudpecho of ../shared/bench/tools are built in bench/bin
C_TOOLS=0
build_c_tools() {
  [ -d "$SHARED/tools" ] || { say "no ../shared/bench/tools (SHARED_BENCH): rows that need the C tools are n/a"; return; }
  command -v gcc >/dev/null || { say "no gcc (apt-get install -y gcc): rows that need the C tools are n/a"; return; }
  mkdir -p "$BIN"
  local t
  for t in tcpecho-load udpecho-load cecho cudpecho; do
    if [ ! -x "$BIN/$t" ] || [ "$SHARED/tools/$t.c" -nt "$BIN/$t" ] || [ "$SHARED/tools/common.h" -nt "$BIN/$t" ]; then
      gcc -O2 -Wall -std=gnu11 -pthread -o "$BIN/$t" "$SHARED/tools/$t.c" -lm || { say "gcc failed on $t: C rows are n/a"; return; }
    fi
  done
  C_TOOLS=1
}

PGIDS=()   # process groups started here (each a setsid'ed process: its PID is its process group id)
start_bg() { # log command...: starts the command in a session of its own; sets BG_PID
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  BG_PID=$!
  PGIDS+=("$BG_PID")
}
stop_pgid() { # pgid: SIGTERM to its process group, SIGKILL after 5 s; forgets it
  local g=$1 i k
  for k in "${!PGIDS[@]}"; do [ "${PGIDS[$k]}" = "$g" ] && unset 'PGIDS[k]'; done
  kill -0 "$g" 2>/dev/null || return 0
  kill -TERM -- "-$g" 2>/dev/null
  for i in $(seq 50); do kill -0 "$g" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$g" 2>/dev/null && kill -KILL -- "-$g" 2>/dev/null
  wait "$g" 2>/dev/null
  return 0
}
cleanup() {
  local g
  for g in ${PGIDS[@]+"${PGIDS[@]}"}; do stop_pgid "$g"; done
  PGIDS=()
}

listening() { # proto port
  local flag=-Hltn
  [ "$1" = udp ] && flag=-Hlun
  [ -n "$(ss $flag "sport = :$2" 2>/dev/null)" ]
}
wait_listen() { # proto port seconds pid
  local i
  for i in $(seq $(($3 * 10))); do
    listening "$1" "$2" && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
wait_started() { # log pid seconds: waits for vxnet's "node ...: started" line
  local i
  for i in $(seq $(($3 * 20))); do
    grep -q ': started' "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1==k{v=$2} END{print v==""?"-":v}'; }   # value of key=value
num() { case "$1" in '' | - | *[!0-9.]*) echo 0 ;; *) echo "${1%%.*}" ;; esac; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
