#!/usr/bin/env bash
# bench/bridge.sh - the TCP event-bus bridge under load from the Python client (bench/bridge_load.py):
# ping round trips, vxnet.stats requests with many in flight, chat publishes to a subscriber.
# Starts vxnet (target/vxnet.jar) with only the bridge and chat, on free loopback ports, and stops it.
#   bench/bridge.sh                  # 5 s per load
#   SECONDS_PER_LOAD=1 bench/bridge.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -f "$root/target/vxnet.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
disable=$(sed -n 's/^| `\([a-z0-9_]*\)\.enabled` .*/\1/p' "$root/docs/config.md" | grep -vx -e bridge -e chat \
  | sed 's/.*/"&":{"enabled":false}/' | paste -sd, -)
conf="{${disable:+$disable,}\"bridge\":{\"host\":\"127.0.0.1\",\"port\":0},\"chat\":{\"host\":\"127.0.0.1\",\"port\":0}}"
log=$(mktemp /tmp/vxnet-bridge-bench.XXXXXX.log)
(cd "$root" && exec java -Xmx512m -jar target/vxnet.jar -conf "$conf") >"$log" 2>&1 &
vxnet=$!
trap 'kill "$vxnet" 2>/dev/null; wait "$vxnet" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 150); do grep -q ': started' "$log" && break; kill -0 "$vxnet" || { cat "$log"; exit 1; }; sleep 0.2; done
port=$(sed -n 's/.*\] bridge: listening on [^ ]*:\([0-9]*\)$/\1/p' "$log")
[ -n "$port" ] || { echo "bench: the bridge did not start" >&2; cat "$log"; exit 1; }
python3 "$root/bench/bridge_load.py" --port "$port" --seconds "${SECONDS_PER_LOAD:-5}"
