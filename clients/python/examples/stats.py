#!/usr/bin/env python3
"""Prints the counters of every vxnet service on every node (vxnet.stats).

    python3 clients/python/examples/stats.py [--host H] [--port P] [--json]
"""

import json

from common import connect, parser, run


async def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("--json", action="store_true", help="print the whole reply as JSON")
    arguments.add_argument("--timeout-ms", type=int, default=1000, help="how long the nodes get to answer (10-10000)")
    args = arguments.parse_args()
    async with await connect(args) as bus:
        stats = await bus.request("vxnet.stats", {"timeout_ms": args.timeout_ms})
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    print(f"nodes: {stats['nodes_answered']} of {stats['nodes_expected']} answered in {stats['elapsed_ms']} ms")
    for service, total in sorted(stats["totals"].items()):
        counters = " ".join(f"{name}={value}" for name, value in total["counters"].items())
        print(f"{service:8} instances={total['instances']} {counters}")
    for problem in stats["problems"]:
        print(f"problem: {problem}")
    return 0 if stats["complete"] else 2


if __name__ == "__main__":
    run(main)
