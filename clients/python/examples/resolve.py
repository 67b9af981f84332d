#!/usr/bin/env python3
"""Resolves a name through vxnet's DNS resolver (vxnet.dns.resolve), like a small dig.

    python3 clients/python/examples/resolve.py [--host H] [--port P] [--json] NAME [TYPE]
"""

import json

from common import connect, parser, run


async def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("name", help="the name to resolve, e.g. example.org")
    arguments.add_argument("type", nargs="?", default="A", help="record type: A, AAAA, MX, TXT, ... (default A)")
    arguments.add_argument("--timeout", type=float,
                           help="seconds to wait for the answer (default and maximum: the bridge's request_timeout_ms)")
    arguments.add_argument("--json", action="store_true", help="print the whole reply as JSON")
    args = arguments.parse_args()
    async with await connect(args) as bus:
        reply = await bus.request("vxnet.dns.resolve", {"name": args.name, "type": args.type.upper()}, timeout=args.timeout)
    if args.json or "answers" not in reply:
        print(json.dumps(reply, indent=2))
        return 0
    cached = ", cached" if reply.get("cached") else ""
    print(f";; {reply.get('name', args.name)} {reply.get('type', args.type)}: {reply.get('rcode', '?')}{cached}")
    for record in reply["answers"]:
        print(f"{record.get('name')}\t{record.get('ttl')}\t{record.get('type')}\t{record.get('data')}")
    return 0


if __name__ == "__main__":
    run(main)
