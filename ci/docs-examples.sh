#!/usr/bin/env bash
# Runs every example command of README.md and docs/*.md as written and checks what it prints (ci/docs_examples.py,
# docs/contributing.md). In a network namespace of its own when it can make one (root, or unprivileged user
# namespaces): only loopback exists there, so the default ports are free even on a shared machine, and nothing an
# example does can reach another machine. Needs target/vxnet.jar; arguments go to ci/docs_examples.py.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${VXNET_DOCS_NETNS:-}" != 1 ]; then
  for unshare in "unshare --net" "unshare --user --map-root-user --net"; do
    if $unshare true 2>/dev/null; then
      exec env VXNET_DOCS_NETNS=1 $unshare bash -c 'ip link set lo up && exec bash ci/docs-examples.sh "$@"' bash "$@"
    fi
  done
  echo "docs-examples: no network namespace here (needs root or user namespaces): running on this machine's network" >&2
fi
exec python3 ci/docs_examples.py "$@"
