#!/usr/bin/env bash
# Builds, on this machine and without any registry, the two base images that the Dockerfile and
# docker-compose.yml use through their BASE_IMAGE build arguments:
#
#   vxnet/jre:17           a jlink-ed Java 17 runtime in a FROM scratch image: no shell, no package manager
#                          (the vxnet nodes: edge1, edge2, worker)
#   vxnet/debian:bookworm  a debootstrapped Debian 12 with dnsmasq, nginx, prometheus, python3, curl and dig
#                          (the DNS upstream, the HTTP origin, Prometheus and the test runner)
#
# An image that already exists is kept (that is the cache) while it was built from the same package list (a label
# of the image); FORCE=1 rebuilds both.
# Needs: root (debootstrap, chroot), a JDK 17 with jmods (jlink), a running Docker engine, and Debian's
# debootstrap. Settings (environment): DOCKER (client, default /usr/bin/docker when present, else docker),
# JRE_IMAGE, DEBIAN_IMAGE (image names), JDK_HOME (the JDK to jlink from), DEBIAN_MIRROR, WORK (scratch dir).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKER="${DOCKER:-$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker )}"
JRE_IMAGE="${JRE_IMAGE:-vxnet/jre:17}"
DEBIAN_IMAGE="${DEBIAN_IMAGE:-vxnet/debian:bookworm}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="${WORK:-$root/target/base-images}"
FORCE="${FORCE:-0}"

# Every module vxnet's fat jar needs. jdeps on the jar alone finds too few (Hazelcast reaches JMX, XML,
# JNDI, scripting and SQL types by reflection), so the list is generous: this set ran the compose suite.
JRE_MODULES="java.base,java.logging,java.management,java.naming,java.scripting,java.security.jgss,java.security.sasl,\
java.sql,java.transaction.xa,java.xml,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,\
jdk.unsupported,jdk.zipfs"
DEBIAN_PACKAGES="dnsmasq,nginx-light,prometheus,python3,curl,bind9-dnsutils,ca-certificates,netcat-openbsd,procps"

log() { printf '%s build-base-images: %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "error: $*"; exit 1; }

have_image() { [ "$FORCE" != 1 ] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# Copies a file and the shared libraries it loads (as ldd resolves them on this machine) into rootfs,
# at the same paths, so that a FROM scratch image can run it.
copy_with_libraries() {
  local rootfs="$1" file="$2" lib
  for lib in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*' || true); do
    if [ ! -e "$rootfs$lib" ]; then
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    fi
  done
}

build_jre() {
  if have_image "$JRE_IMAGE"; then
    log "$JRE_IMAGE exists, kept (FORCE=1 rebuilds)"
    return
  fi
  local started=$SECONDS
  local jdk="${JDK_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
  [ -d "$jdk/jmods" ] || fail "$jdk/jmods is missing: jlink needs a JDK with jmods (Debian: openjdk-17-jdk-headless), set JDK_HOME"
  local dir="$WORK/jre" rootfs="$WORK/jre/rootfs"
  rm -rf "$dir"
  mkdir -p "$rootfs/opt" "$rootfs/etc" "$rootfs/tmp" "$rootfs/app"
  log "jlink $JRE_MODULES from $jdk"
  "$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$JRE_MODULES" --output "$dir/jre" \
    --strip-debug --no-header-files --no-man-pages --compress=2
  # Debian's JDK keeps cacerts and security files as symbolic links into /etc: copy what they point to.
  cp -rL "$dir/jre" "$rootfs/opt/java"
  local so
  for so in "$rootfs/opt/java/bin/java" $(find "$rootfs/opt/java/lib" -name '*.so'); do
    copy_with_libraries "$rootfs" "$so"
  done
  # Netty's epoll transport and BoringSSL are extracted from the jar at run time; they need these too.
  mkdir -p "$dir/native"
  (cd "$dir/native" && unzip -q -o "$root/target/vxnet.jar" 'META-INF/native/*.so' 2>/dev/null) \
    || log "target/vxnet.jar not built yet: taking the natives' libraries from the list below only"
  for so in $(find "$dir/native" -name '*.so' 2>/dev/null); do
    copy_with_libraries "$rootfs" "$so"
  done
  for lib in /lib/x86_64-linux-gnu/librt.so.1 /lib/x86_64-linux-gnu/libgcc_s.so.1; do
    [ -e "$rootfs$lib" ] || { mkdir -p "$rootfs$(dirname "$lib")"; cp -L "$lib" "$rootfs$lib"; }
  done
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/nonexistent\nvxnet:x:10001:10001:vxnet:/app:/nonexistent\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nvxnet:x:10001:\n' > "$rootfs/etc/group"
  # Without this file glibc asks DNS before /etc/hosts, and the container's own name might not resolve.
  printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
  cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin LANG=C.UTF-8
CMD ["java", "-version"]
DOCKERFILE
  "$DOCKER" build -q -t "$JRE_IMAGE" "$dir" >/dev/null
  local version
  version="$("$DOCKER" run --rm --network none "$JRE_IMAGE" java -version 2>&1)" || fail "$JRE_IMAGE does not run java: $version"
  log "$JRE_IMAGE runs: ${version%%$'\n'*}"
  log "$JRE_IMAGE built in $((SECONDS - started)) s ($(du -sh "$rootfs" | cut -f1) on disk)"
}

build_debian() {
  if have_image "$DEBIAN_IMAGE" \
    && [ "$("$DOCKER" image inspect -f '{{ index .Config.Labels "vxnet.packages" }}' "$DEBIAN_IMAGE")" = "$DEBIAN_PACKAGES" ]; then
    log "$DEBIAN_IMAGE exists with the same packages, kept (FORCE=1 rebuilds)"
    return
  fi
  command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"
  local started=$SECONDS rootfs="$WORK/debian/rootfs"
  rm -rf "$WORK/debian"
  mkdir -p "$rootfs"
  log "debootstrap bookworm from $DEBIAN_MIRROR with $DEBIAN_PACKAGES"
  # Two stages, so that a policy-rc.d is in place before any package is configured: no daemon of the
  # chroot (nginx, dnsmasq) may start on this machine's own network.
  debootstrap --foreign --variant=minbase --include="$DEBIAN_PACKAGES" bookworm "$rootfs" "$DEBIAN_MIRROR" \
    > "$WORK/debian/debootstrap.log" 2>&1 || { tail -20 "$WORK/debian/debootstrap.log" >&2; fail "debootstrap (first stage) failed"; }
  mkdir -p "$rootfs/usr/sbin"
  printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  chroot "$rootfs" /debootstrap/debootstrap --second-stage >> "$WORK/debian/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debian/debootstrap.log" >&2; fail "debootstrap (second stage) failed"; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  log "debootstrap done in $((SECONDS - started)) s, importing"
  tar -C "$rootfs" --numeric-owner -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' --change "LABEL vxnet.packages=$DEBIAN_PACKAGES" - "$DEBIAN_IMAGE" >/dev/null
  log "$DEBIAN_IMAGE built in $((SECONDS - started)) s"
}

mkdir -p "$WORK"
build_jre
build_debian
