# Sourced by ci/dns-integration.sh and bench/dns-resolve.sh: a work directory, every process started stopped by
# its PID on exit, free ports and configuration sections read from the built jar, dnsmasq and vxnet started and
# waited for (every wait bounded). Needs java, dnsmasq, curl, and dig or kdig.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${VXNET_JAR:-$root/target/vxnet.jar}"
# not passed on to vxnet: it reads every VXNET_* variable as configuration and refuses an unknown one ("jar")
export -n VXNET_JAR
work="$(mktemp -d /tmp/vxnet-dns.XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
  echo "FAIL - $1"
  for log in "$work"/*.log; do
    [ -f "$log" ] && { echo "--- $log (last 30 lines)"; tail -n 30 "$log"; }
  done
  exit 1
}

require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done
  command -v dig >/dev/null || command -v kdig >/dev/null || die "neither dig (bind9-dnsutils) nor kdig (knot-dnsutils) is installed"
  [ -f "$jar" ] || die "$jar is missing: build it first (mvn -B package -DskipTests)"
}

setup() { timeout 60 java -cp "$jar" "$root/ci/DnsIntegrationSetup.java" "$@"; }

# free_ports N: N ports of 127.0.0.1 free for TCP and UDP, on one line.
free_ports() {
  local ports
  ports="$(setup ports "$1" | tr '\n' ' ')"
  [ "$(wc -w <<<"$ports")" -eq "$1" ] || die "cannot find $1 free ports"
  echo "$ports"
}

# vxnet_conf HTTPS_PORT DNS_SECTION_JSON: a -conf with only https (on 127.0.0.1) and dns enabled, whatever other
# services this build has.
vxnet_conf() {
  local sections conf='{' name has_enabled
  sections="$(setup sections)" || die "cannot list the configuration sections of $jar"
  grep -q '^https ' <<<"$sections" || die "this build has no https service (the DoH routes are mounted by it)"
  while read -r name has_enabled; do
    case "$name" in
      dns) conf+="\"dns\":$2," ;;
      https) conf+="\"https\":{\"host\":\"127.0.0.1\",\"port\":$1}," ;;
      *) [ "$has_enabled" == true ] && conf+="\"$name\":{\"enabled\":false}," ;;
    esac
  done <<<"$sections"
  echo "${conf%,}}"
}

# ask_dns ARGS...: the answer lines of one DNS question (dig or kdig, whichever is installed).
ask_dns() {
  if command -v dig >/dev/null; then
    dig +norec +time=2 +tries=1 +noall +answer "$@"
  else
    kdig +norec +timeout=2 +retry=0 +noall +answer "$@"
  fi
}

# start_dnsmasq PORT PROBE_NAME PROBE_ADDRESS OPTIONS...: dnsmasq on 127.0.0.1:PORT with no upstream of its own,
# ready once PROBE_NAME resolves to PROBE_ADDRESS. Queries are logged to $work/dnsmasq-queries.log.
start_dnsmasq() {
  local port="$1" probe="$2" address="$3" as_root=()
  shift 3
  [ "$(id -u)" == 0 ] && as_root=(--user=root --group=root)
  dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
    --listen-address=127.0.0.1 --port="$port" "${as_root[@]}" --pid-file="$work/dnsmasq.pid" \
    --log-queries --log-facility="$work/dnsmasq-queries.log" "$@" >"$work/dnsmasq.log" 2>&1 &
  pids+=($!)
  local dnsmasq_pid=$!
  for _ in $(seq 1 50); do
    ask_dns @127.0.0.1 -p "$port" "$probe" A 2>/dev/null | grep -qF "$address" && return 0
    kill -0 "$dnsmasq_pid" 2>/dev/null || die "dnsmasq exited"
    sleep 0.2
  done
  die "dnsmasq did not answer $probe within 10 s"
}

# start_vxnet CONF HTTPS_PORT PROBE_NAME: vxnet from the jar, ready once /resolve answers PROBE_NAME (at most 60 s).
# Sets vxnet_pid.
start_vxnet() {
  java -jar "$jar" -conf "$1" >"$work/vxnet-$2.log" 2>&1 &
  vxnet_pid=$!
  pids+=("$vxnet_pid")
  for _ in $(seq 1 300); do
    kill -0 "$vxnet_pid" 2>/dev/null || die "vxnet exited"
    [ "$(curl -sk --max-time 5 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$2/resolve?name=$3")" == 200 ] && return 0
    sleep 0.2
  done
  die "vxnet did not answer https://127.0.0.1:$2/resolve within 60 s"
}
