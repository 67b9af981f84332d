#!/usr/bin/env python3
"""Fetches several URLs at once through vxnet's fetcher (vxnet.fetch.batch) and prints one line per URL.

    python3 clients/python/examples/fetch_batch.py [--host H] [--port P] [--concurrency N] URL [URL ...]
"""

import json

from common import connect, parser, run


async def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("urls", nargs="+", metavar="URL", help="http:// or https:// URLs")
    arguments.add_argument("--concurrency", type=int, help="fetches at once (default: the fetcher's)")
    arguments.add_argument("--timeout", type=float,
                           help="seconds for the whole batch; the fetcher then replies with what it has by then "
                                "(default and maximum: the bridge's request_timeout_ms)")
    arguments.add_argument("--json", action="store_true", help="print the whole reply as JSON")
    args = arguments.parse_args()
    batch = {"requests": [{"url": url} for url in args.urls]}
    if args.timeout is not None:
        # the fetcher answers with what it has half a second before the bridge would give up
        batch["reply_within_ms"] = max(1, int(args.timeout * 1000) - 500)
    if args.concurrency is not None:
        batch["concurrency"] = args.concurrency
    async with await connect(args) as bus:
        reply = await bus.request("vxnet.fetch.batch", batch, timeout=args.timeout)
    if args.json:
        print(json.dumps(reply, indent=2))
        return 0
    failed = 0
    for url, result in zip(args.urls, reply.get("results", [])):
        error = result.get("error") if isinstance(result, dict) else None
        if error:
            failed += 1
            print(f"ERR {error.get('code')}: {error.get('message')}  {url}")
        else:
            print(f"{result.get('status')} {result.get('bytes', 0):>9} B {result.get('elapsed_ms', 0):>6} ms  {url}")
    totals = reply.get("totals", {})
    print(f"{totals.get('ok', len(args.urls) - failed)} ok, {totals.get('failed', failed)} failed"
          f" in {totals.get('elapsed_ms', '?')} ms")
    return 0 if failed == 0 else 2


if __name__ == "__main__":
    run(main)
