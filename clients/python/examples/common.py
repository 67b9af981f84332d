"""What every example shares: --host/--port, finding vxnet_bridge, and one clear line per error."""

import argparse
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import vxnet_bridge  # noqa: E402  (found through the path above)

HINTS = {
    "UNAVAILABLE": "the service is not deployed on any node of this vxnet (is it enabled in its config section?)",
    "DENIED": "the bridge does not permit this address (see docs/bridge.md for the permitted ones)",
    "CONNECT": "start vxnet with the bridge enabled, or pass --host/--port",
}


def parser(description):
    arguments = argparse.ArgumentParser(description=description)
    arguments.add_argument("--host", default=os.environ.get("VXNET_BRIDGE_HOST", "127.0.0.1"),
                           help="bridge host (default 127.0.0.1, or $VXNET_BRIDGE_HOST)")
    arguments.add_argument("--port", type=int, default=int(os.environ.get("VXNET_BRIDGE_PORT", vxnet_bridge.DEFAULT_PORT)),
                           help=f"bridge port (default {vxnet_bridge.DEFAULT_PORT}, or $VXNET_BRIDGE_PORT)")
    return arguments


def connect(args, **options):
    return vxnet_bridge.EventBus.connect(args.host, args.port, **options)


def run(main):
    """Runs ``main()``; a BusError becomes ``error: CODE: message`` on stderr and exit status 1."""
    try:
        sys.exit(asyncio.run(main()) or 0)
    except vxnet_bridge.BusError as error:
        print(f"error: {error}", file=sys.stderr)
        if error.code in HINTS:
            print(f"hint: {HINTS[error.code]}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
