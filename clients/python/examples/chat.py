#!/usr/bin/env python3
"""Joins a vxnet chat room through the bridge: prints what others say, sends the lines you type.

    python3 clients/python/examples/chat.py [--host H] [--port P] ROOM NICK

Type a line to say it; /who lists who is in the room (TCP chat users); /quit or end of input leaves.
Everyone in the room sees it, whether they came by TCP (nc 127.0.0.1 8000, /join ROOM) or by a bridge.
"""

import asyncio
import re
import sys
import threading
import uuid

from common import parser, connect, run

ROOM = re.compile(r"[a-z0-9_-]{1,32}")
NICK = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def render(event, room):
    """The line a chat client sees for a room event, as vxnet's TCP chat shows it."""
    kind, nick = event.get("type"), event.get("nick")
    if kind == "message":
        return f"<{nick}> {event.get('text')}"
    if kind == "join":
        return f"* {nick} joined #{room}"
    if kind == "leave":
        return f"* {nick} left #{room}"
    if kind == "nick":
        return f"* {nick} is now known as {event.get('text')}"
    return None  # who: a question to the TCP chat instances, not a line


def stdin_lines(loop):
    """Lines of stdin as an asyncio queue (None at the end); a daemon thread reads, so exit never waits for it."""
    queue = asyncio.Queue()

    def read():
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, daemon=True).start()
    return queue


async def who(bus, address, timeout):
    answers = f"vxnet.chat.who.{uuid.uuid4()}"
    nicks = set()
    subscription = await bus.subscribe(answers, lambda message: nicks.update(message.body.get("nicks", [])))
    await bus.publish(address, {"type": "who", "replyTo": answers})
    await asyncio.sleep(timeout)  # answers come from every chat instance that has members; no count to wait for
    await subscription.close()
    return sorted(nicks)


async def main():
    arguments = parser(__doc__.splitlines()[0])
    arguments.add_argument("room", help="room name: 1-32 of a-z 0-9 _ - (TCP chat users start in lobby)")
    arguments.add_argument("nick", help="your nick: 1-32 of A-Z a-z 0-9 _ . -")
    arguments.add_argument("--who-timeout", type=float, default=0.5, help="seconds /who waits for answers")
    args = arguments.parse_args()
    if not ROOM.fullmatch(args.room):
        arguments.error(f"ROOM must be 1-32 of a-z 0-9 _ -, got {args.room!r}")
    if not NICK.fullmatch(args.nick):
        arguments.error(f"NICK must be 1-32 of A-Z a-z 0-9 _ . -, got {args.nick!r}")
    address = f"vxnet.chat.{args.room}"
    me = f"bridge/{uuid.uuid4()}"  # chat does not send a line back to its sender: this marks ours

    def show(message):
        event = message.body if isinstance(message.body, dict) else {}
        line = render(event, args.room) if event.get("from") != me else None
        if line is not None:
            print(line, flush=True)

    async with await connect(args) as bus:
        await bus.subscribe(address, show)
        await bus.publish(address, {"type": "join", "nick": args.nick, "from": me})
        await bus.ping()  # raises here if the bridge refused the room
        print(f"* you are {args.nick} in #{args.room}; /who, /quit", flush=True)
        lines = stdin_lines(asyncio.get_running_loop())
        closed = asyncio.ensure_future(bus.closed)
        while True:
            next_line = asyncio.ensure_future(lines.get())
            done, _ = await asyncio.wait({next_line, closed}, return_when=asyncio.FIRST_COMPLETED)
            if closed in done:
                next_line.cancel()
                print(f"! {closed.result()}", file=sys.stderr)
                return 1
            line = next_line.result()
            if line is None or line.strip() == "/quit":
                break
            if line.strip() == "/who":
                nicks = await who(bus, address, args.who_timeout)
                print(f"* in #{args.room} ({len(nicks)}): {', '.join(nicks)} (and bridge users like you)", flush=True)
            elif line.strip():
                await bus.publish(address, {"type": "message", "nick": args.nick, "text": line, "from": me})
        await bus.publish(address, {"type": "leave", "nick": args.nick, "from": me})
        await bus.ping()
    return 0


if __name__ == "__main__":
    run(main)
