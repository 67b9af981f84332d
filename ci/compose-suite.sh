#!/usr/bin/env bash
# The compose integration suite: vxnet's docker-compose.yml topology (two edges and a worker clustered, a DNS
# upstream, an HTTP origin) built and run on this machine, checked through the edges' published ports, then the
# worker killed (calls must fail fast, edges keep serving) and started again (calls must succeed again).
#
#   ci/compose-suite.sh                     # as root; installs and starts what it needs, always tears down
#
# It installs Debian's docker.io, docker-compose and debootstrap when missing, starts its own dockerd (own
# data root, socket and pid file; no iptables, no default bridge) unless that engine already answers, builds
# the base images (docker/build-base-images.sh, cached in the engine's data root), the jar when missing, and
# the compose images. Environment:
#   VXNET_COMPOSE_SKIP    check groups to leave out (doh,fetch,stats) on builds that lack those services
#   VXNET_DOCKER_ROOT     the engine's data root (default /var/lib/vxnet-docker: kept, so images are cached)
#   KEEP_ENGINE=1         leave the engine running at the end (faster reruns while developing)
# Logs and timings go to target/compose-suite/. Exit status 0 only if every step and check passed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/target/compose-suite"
mkdir -p "$out"
data_root="${VXNET_DOCKER_ROOT:-/var/lib/vxnet-docker}"
exec_root=/run/vxnet-docker
export DOCKER_HOST="unix://$exec_root.sock"
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-vxnet}"
# Debian's client matches Debian's engine; a newer client elsewhere on PATH may not speak its API version.
export DOCKER="$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )"
skip=()
[ -n "${VXNET_COMPOSE_SKIP:-}" ] && skip=(--skip "$VXNET_COMPOSE_SKIP")

suite_started=$SECONDS
step_started=$SECONDS
log() { printf '%s compose-suite: %s\n' "$(date +%T)" "$*"; }
step() { log "$1 done in $((SECONDS - step_started)) s"; step_started=$SECONDS; }
fail() { log "FAILED: $*"; exit 1; }

started_engine=0
compose_up=0
teardown() {
  local status=$?
  set +e
  if [ "$compose_up" = 1 ]; then
    if [ "$status" != 0 ]; then
      docker-compose logs --no-color --timestamps > "$out/compose.log" 2>&1
      log "container logs in $out/compose.log; the last lines of each node:"
      for service in edge1 edge2 worker; do
        docker-compose logs --no-color --tail=15 "$service" 2>&1 | sed 's/^/    /'
      done
    fi
    timeout 120 docker-compose down --volumes --remove-orphans --timeout 10 > "$out/down.log" 2>&1 \
      || log "docker-compose down failed: $(tail -3 "$out/down.log")"
  fi
  if [ "$started_engine" = 1 ] && [ "${KEEP_ENGINE:-0}" != 1 ]; then
    local pid
    pid="$(cat "$exec_root.pid" 2>/dev/null)"
    if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && { log "dockerd still running after 30 s, killing it"; kill -KILL "$pid"; }
    fi
  fi
  log "$([ "$status" = 0 ] && echo passed || echo failed) in $((SECONDS - suite_started)) s"
  exit "$status"
}
trap teardown EXIT

# 1. Tools.
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
[ -x /usr/bin/docker ] || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq > "$out/apt.log" 2>&1 || { tail -5 "$out/apt.log"; fail "apt-get update"; }
  apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >> "$out/apt.log" 2>&1 \
    || { tail -10 "$out/apt.log"; fail "apt-get install ${missing[*]}"; }
fi
step "tools"

# 2. The engine: its own data root, exec root, socket and pid file, so it disturbs nothing else. No iptables
# rules and no docker0 bridge: the compose network is a user bridge, published ports go through docker-proxy.
if ! "$DOCKER" info >/dev/null 2>&1; then
  mkdir -p "$data_root"
  log "starting dockerd (data root $data_root, socket $exec_root.sock)"
  setsid dockerd --data-root "$data_root" --exec-root "$exec_root" --pidfile "$exec_root.pid" \
    --host "$DOCKER_HOST" --iptables=false --bridge=none > "$out/dockerd.log" 2>&1 < /dev/null &
  started_engine=1
  for _ in $(seq 120); do
    "$DOCKER" info >/dev/null 2>&1 && break
    kill -0 $! 2>/dev/null || { tail -20 "$out/dockerd.log"; fail "dockerd exited"; }
    sleep 0.5
  done
  "$DOCKER" info >/dev/null 2>&1 || { tail -20 "$out/dockerd.log"; fail "dockerd did not answer within 60 s"; }
fi
step "engine $("$DOCKER" version --format '{{.Server.Version}}')"

# 3. Images: the jar, the local base images (cached), then the compose services' images (layer cache).
if [ ! -f target/vxnet.jar ]; then
  log "target/vxnet.jar missing: building it"
  mvn -B -q package -DskipTests > "$out/mvn.log" 2>&1 || { tail -30 "$out/mvn.log"; fail "mvn package"; }
fi
docker/build-base-images.sh 2>&1 | tee "$out/base-images.log"
step "base images"
docker-compose config -q || fail "docker-compose.yml does not validate"
# --profile tests: without it the tests image is left out of the build, and `run` reuses whatever image of
# that name the engine's data root still holds from an older checkout (stale checks.py).
docker-compose --profile tests build > "$out/build.log" 2>&1 || { tail -30 "$out/build.log"; fail "docker-compose build"; }
step "compose images"

# 4. The topology, from a clean slate.
docker-compose down --volumes --remove-orphans --timeout 5 > /dev/null 2>&1 || true
compose_up=1
docker-compose up -d dns origin edge1 edge2 worker > "$out/up.log" 2>&1 || { cat "$out/up.log"; fail "docker-compose up"; }
step "up"

checks() { python3 docker/tests/checks.py "$1" "${skip[@]}" || fail "checks $1"; step "checks $1"; }

# 5. The checks, through the published ports; once also from inside the network by service name.
checks wait
checks healthy
docker-compose run --rm tests healthy "${skip[@]}" || fail "in-network checks"
step "in-network checks (tests container)"

docker-compose kill worker > /dev/null 2>&1 || fail "docker-compose kill worker"
log "worker killed"
checks worker-down

docker-compose start worker > /dev/null 2>&1 || fail "docker-compose start worker"
log "worker started again"
checks worker-back
