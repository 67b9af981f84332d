#!/usr/bin/env bash
# bench/load-vs-c.sh - `vxnet load` next to the C load tools on the same servers, in the same run: tcpecho-load and
# udpecho-load (../shared/bench) against cecho and cudpecho, wrk against nginx (plain and TLS), dnsperf against
# dnsmasq. Rounds interleave the two clients; every client gets one event loop or thread, the same connections,
# window and size, and an unrecorded warm-up (longer for HTTP: the JVM's HTTP client needs 10-20 s of JIT on 2 cores).
# Prints throughput per round, the mean ratio vxnet/C, and p50/p99 of the last round. Loopback only, bounded.
#   bench/load-vs-c.sh                      # 2 rounds of 5 s, about 7 minutes
#   ROUNDS=1 SECS=2 bench/load-vs-c.sh      # smoke run
#   ONLY="tcp udp" bench/load-vs-c.sh       # tcp, udp, http, dns
#   LOAD_OPTS="--io-transport epoll" bench/load-vs-c.sh   # options added to every vxnet load
# Needs: apt-get install -y gcc nginx dnsmasq dnsperf wrk openssl python3, and ../shared/bench beside the clone.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SECS=${SECS:-5}
WARMUP=${WARMUP:-2}
HTTP_WARMUP=${HTTP_WARMUP:-20}
ROUNDS=${ROUNDS:-2}
ONLY=${ONLY:-tcp udp http dns}
LOAD_OPTS=${LOAD_OPTS:-}
for tool in gcc nginx dnsmasq dnsperf wrk openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: apt-get install -y gcc nginx dnsmasq dnsperf wrk openssl python3" >&2; exit 1; }
done
[ -f target/vxnet.jar ] || mvn -q -B -DskipTests package
PEERS=$(mktemp -d /tmp/vxnet-load-vs-c.XXXXXX)
BUILD_LOADERS=1
# shellcheck source=ci/load-peers-lib.sh
source ci/load-peers-lib.sh
trap 'peers_stop; rm -rf "$PEERS"' EXIT
peers_c || exit 1
peers_nginx
peers_dnsmasq
RESULTS=$PEERS/results.tsv
: >"$RESULTS"
wants() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# record TEST CLIENT ROUND THROUGHPUT UNIT P50_US P99_US ERRORS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; printf '  %-10s %-14s round %s %12s %-6s p50 %8s us  p99 %8s us  errors %s\n' "$@"; }
kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
# vxnet TEST ROUND UNIT FIELD ARGS...: runs vxnet load --json and records FIELD (throughput_per_s or bytes_per_s/1e6)
vxnet() {
  local test=$1 round=$2 unit=$3 field=$4 json
  shift 4
  # shellcheck disable=SC2086 # LOAD_OPTS is a list of options
  json=$(java -jar target/vxnet.jar load "$@" $LOAD_OPTS --json --max-errors 1000000000) || true
  record "$test" "vxnet load" "$round" $(python3 -c '
import json, sys
j = json.loads(sys.argv[1]); field = sys.argv[2]
value = j["bytes_per_s"] / 1e6 if field == "MB_s" else j[field]
print("%.0f %s %.0f %.0f %d" % (value, sys.argv[3], j["latency_us"]["p50"], j["latency_us"]["p99"], j["errors"]))' "$json" "$field" "$unit")
}
wrk_row() { # TEST ROUND URL
  local out
  timeout $((HTTP_WARMUP + 30)) wrk -t1 -c64 -d"${HTTP_WARMUP}s" "$3" >/dev/null 2>&1 || true
  out=$(timeout $((SECS + 30)) wrk -t1 -c64 -d"${SECS}s" --timeout 5s --latency "$3")
  record "$1" wrk "$2" $(echo "$out" | awk '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return (v + 0) * 1000; if (v ~ /s$/) return (v + 0) * 1e6; return v }
    /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) } /^Requests\/sec:/ { rps = $2 }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 } /Non-2xx/ { err += $5 }
    END { printf "%.0f req/s %.0f %.0f %d\n", rps, p50, p99, err }')
}

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round of $ROUNDS ($(date +%T), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  if wants tcp; then
    out=$("$C_BIN/tcpecho-load" -p "$CECHO_PORT" -c 64 -s 64 -d "$SECS" -w "$WARMUP")
    record tcp-pp tcpecho-load "$round" "$(echo "$out" | kv msg_s)" msg/s "$(echo "$out" | kv p50_us)" "$(echo "$out" | kv p99_us)" "$(echo "$out" | kv errors)"
    vxnet tcp-pp "$round" msg/s throughput_per_s tcp --port "$CECHO_PORT" --connections 64 --size 64 --event-loops 1 --duration "$SECS" --warmup "$WARMUP"
    out=$("$C_BIN/tcpecho-load" -p "$CECHO_PORT" -m bulk -c 4 -s 16384 -d "$SECS" -w "$WARMUP")
    record tcp-bulk tcpecho-load "$round" "$(echo "$out" | kv MB_s)" MB/s - - "$(echo "$out" | kv errors)"
    vxnet tcp-bulk "$round" MB/s MB_s tcp --mode bulk --port "$CECHO_PORT" --event-loops 1 --duration "$SECS" --warmup "$WARMUP"
  fi
  if wants udp; then
    out=$("$C_BIN/udpecho-load" -p "$CUDPECHO_PORT" -c 4 -w 32 -s 64 -d "$SECS" -W "$WARMUP")
    record udp udpecho-load "$round" "$(echo "$out" | kv replies_s)" rep/s "$(echo "$out" | kv p50_us)" "$(echo "$out" | kv p99_us)" "$(echo "$out" | kv errors)"
    vxnet udp "$round" rep/s throughput_per_s udp --port "$CUDPECHO_PORT" --connections 4 --window 32 --size 64 --event-loops 1 --duration "$SECS" --warmup "$WARMUP"
  fi
  if wants http; then
    wrk_row http "$round" "http://127.0.0.1:$NGINX_HTTP_PORT/tiny"
    vxnet http "$round" req/s throughput_per_s http --url "http://127.0.0.1:$NGINX_HTTP_PORT/tiny" --connections 64 --event-loops 1 --duration "$SECS" --warmup "$HTTP_WARMUP"
    wrk_row https "$round" "https://127.0.0.1:$NGINX_HTTPS_PORT/tiny"
    vxnet https "$round" req/s throughput_per_s http --url "https://127.0.0.1:$NGINX_HTTPS_PORT/tiny" --insecure --connections 64 --event-loops 1 --duration "$SECS" --warmup "$HTTP_WARMUP"
  fi
  if wants dns; then
    timeout $((WARMUP + 30)) dnsperf -s 127.0.0.1 -p "$DNSMASQ_PORT" -d "$DNS_NAMES" -l "$WARMUP" -c 4 -q 100 >/dev/null 2>&1 || true
    out=$(timeout $((SECS + 30)) dnsperf -s 127.0.0.1 -p "$DNSMASQ_PORT" -d "$DNS_NAMES" -l "$SECS" -c 4 -q 100 -t 2)
    record dns dnsperf "$round" $(echo "$out" | awk '/Queries per second:/ { q = $4 } /Queries lost:/ { l = $3 }
      /Average Latency/ { a = $4 * 1e6 } END { printf "%.0f q/s %.0f - %d\n", q, a, l }')
    vxnet dns "$round" q/s throughput_per_s dns --port "$DNSMASQ_PORT" --names "$DNS_NAMES" --connections 4 --window 25 --event-loops 1 --duration "$SECS" --warmup "$WARMUP"
  fi
done

echo
echo "== vxnet load vs the C tools (same servers, same run; dnsperf's p50 column is its average)"
python3 - "$RESULTS" <<'PY'
import collections, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
by = collections.OrderedDict()
for test, client, rnd, thr, unit, p50, p99, err in rows:
    entry = by.setdefault(test, {}).setdefault(client, {"thr": [], "unit": unit})
    entry["thr"].append(float(thr) if thr not in ("", "-") else 0.0)
    entry["last"] = (p50, p99, err)
print("%-9s %-13s %-30s %-13s %-30s %s" % ("test", "C tool", "throughput per round", "vxnet load", "throughput per round", "vxnet/C"))
for test, clients in by.items():
    c_name = next(n for n in clients if n != "vxnet load")
    c, v = clients[c_name], clients.get("vxnet load")
    c_mean = sum(c["thr"]) / len(c["thr"])
    v_mean = sum(v["thr"]) / len(v["thr"]) if v else 0
    fmt = lambda e: " / ".join("%.0f" % t for t in e["thr"]) + " " + e["unit"]
    print("%-9s %-13s %-30s %-13s %-30s %.2f" % (test, c_name, fmt(c), "vxnet load", fmt(v), v_mean / c_mean if c_mean else 0))
    print("%-9s   p50/p99 us: %s / %s (C, last round)   %s / %s (vxnet load)   errors %s / %s" % (
        "", c["last"][0], c["last"][1], v["last"][0], v["last"][1], c["last"][2], v["last"][2]))
PY
