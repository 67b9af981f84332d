#!/usr/bin/env python3
"""Load on the TCP event-bus bridge through the Python client: ping round trips, vxnet.stats requests with
many in flight, and chat publishes received by a second connection. Each load runs for --seconds.

    python3 bench/bridge_load.py --port PORT [--seconds 5] [--in-flight 32]
"""

import argparse
import asyncio
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))

from vxnet_bridge import EventBus  # noqa: E402


async def pings(bus, seconds):
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        latencies.append(await bus.ping())
    latencies.sort()
    return (f"ping (1 in flight):         {len(latencies) / seconds:9.0f} round trips/s, "
            f"p50 {statistics.median(latencies) * 1e3:.2f} ms, p99 {latencies[int(len(latencies) * 0.99)] * 1e3:.2f} ms")


async def stats_requests(bus, seconds, in_flight):
    done = 0
    deadline = time.monotonic() + seconds

    async def worker():
        nonlocal done
        while time.monotonic() < deadline:
            await bus.request("vxnet.stats", {"timeout_ms": 1000})
            done += 1

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return f"vxnet.stats ({in_flight} in flight): {done / seconds:9.0f} requests/s"


async def publishes(host, port, seconds):
    async with await EventBus.connect(host, port) as sender, await EventBus.connect(host, port) as receiver:
        received = 0
        room = await receiver.subscribe("vxnet.chat.bench")
        line = {"type": "message", "nick": "bench", "text": "x" * 100}

        async def receive():
            nonlocal received
            async for _ in room:
                received += 1

        reading = asyncio.ensure_future(receive())
        sent = 0
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            for _ in range(100):
                await sender.publish("vxnet.chat.bench", line)
            sent += 100
            await sender.ping()  # bounded: the bridge has handled everything sent so far
        await asyncio.wait_for(_until(lambda: received >= sent), 30)
        elapsed = time.monotonic() - started
        reading.cancel()
        return (f"chat publish -> subscriber:  {received / elapsed:9.0f} messages/s end to end "
                f"({sent} sent, {received} received, {room.dropped} dropped)")


async def _until(condition):
    while not condition():
        await asyncio.sleep(0.01)


async def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--host", default="127.0.0.1")
    arguments.add_argument("--port", type=int, required=True)
    arguments.add_argument("--seconds", type=float, default=5.0)
    arguments.add_argument("--in-flight", type=int, default=32)
    args = arguments.parse_args()
    async with await EventBus.connect(args.host, args.port) as bus:
        print(await pings(bus, args.seconds))
        print(await stats_requests(bus, args.seconds, args.in_flight))
    print(await publishes(args.host, args.port, args.seconds))


if __name__ == "__main__":
    asyncio.run(main())
