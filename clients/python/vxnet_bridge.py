"""An asyncio client for the vxnet TCP event-bus bridge (standard library only, Python 3.8+).

The bridge speaks Vert.x's TCP event-bus bridge protocol: each frame is a 4-byte big-endian length followed
by that many bytes of UTF-8 JSON. Clients send ``send`` / ``publish`` / ``register`` / ``unregister`` /
``ping`` frames and receive ``message`` / ``err`` / ``pong`` frames (see docs/bridge.md).

    import asyncio, vxnet_bridge

    async def main():
        async with await vxnet_bridge.EventBus.connect("127.0.0.1", 7000) as bus:
            stats = await bus.request("vxnet.stats", {}, timeout=5)
            print(stats["totals"])

    asyncio.run(main())

One reader task reads every frame and dispatches it by address: replies go to the request that chose
that reply address (a fresh UUID per request), messages to the subscriptions of their address.
"""

import asyncio
import collections
import inspect
import json
import logging
import struct
import uuid

__all__ = ["EventBus", "BusError", "Message", "Subscription", "encode_frame", "read_frame",
           "DEFAULT_PORT", "DEFAULT_MAX_SEND_BYTES"]

DEFAULT_PORT = 7000
#: The bridge's default ``bridge.max_frame_bytes``: a longer frame would make the server close the connection.
DEFAULT_MAX_SEND_BYTES = 65536
#: Frames from the server can be large (a batch of fetched pages); this only guards against garbage.
DEFAULT_MAX_RECEIVE_BYTES = 64 * 1024 * 1024

_HEADER = struct.Struct(">I")
_LOG = logging.getLogger("vxnet_bridge")


class BusError(Exception):
    """A failure reported by the bridge or a service, or a local one (CLOSED, TIMEOUT, TOO_LARGE).

    ``code`` is a stable string: the bridge's (DENIED, BAD_REQUEST, LIMIT, TOO_LARGE, UNAVAILABLE, TIMEOUT)
    or a service's error code (e.g. the DNS resolver's); ``message`` says what happened, for people.
    ``frame`` is the ``err`` frame, ``reply`` the service's ``{"error": ...}`` reply, when there is one.
    """

    def __init__(self, code, message, frame=None, reply=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.frame = frame
        self.reply = reply


class Message:
    """A message received at a subscribed address."""

    __slots__ = ("address", "body", "headers", "reply_address", "send")

    def __init__(self, address, body, headers=None, reply_address=None, send=False):
        self.address = address
        self.body = body
        self.headers = headers or {}
        self.reply_address = reply_address
        self.send = send

    def __repr__(self):
        return f"Message(address={self.address!r}, body={self.body!r})"


def encode_frame(frame, max_bytes=None):
    """The bytes of one frame: 4-byte big-endian length, then the JSON in UTF-8."""
    payload = json.dumps(frame, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if max_bytes is not None and len(payload) > max_bytes:
        raise BusError("TOO_LARGE", f"frame of {len(payload)} bytes exceeds the limit of {max_bytes} bytes "
                                    "(the bridge's max_frame_bytes; raise max_send_bytes only if the server allows it)")
    return _HEADER.pack(len(payload)) + payload


async def read_frame(reader, max_bytes=DEFAULT_MAX_RECEIVE_BYTES):
    """The next frame from an ``asyncio.StreamReader`` as a dict, or None at a clean end of stream.

    Raises BusError: TOO_LARGE for a length above ``max_bytes`` (before reading its payload), BAD_FRAME for a
    payload that is not a JSON object, CLOSED when the stream ends inside a frame.
    """
    try:
        header = await reader.readexactly(4)
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise BusError("CLOSED", f"connection closed inside a frame header ({len(e.partial)} of 4 bytes)") from None
    (length,) = _HEADER.unpack(header)
    if length > max_bytes:
        raise BusError("TOO_LARGE", f"the server announced a frame of {length} bytes, above the limit of {max_bytes}")
    try:
        payload = await reader.readexactly(length)
    except asyncio.IncompleteReadError as e:
        raise BusError("CLOSED", f"connection closed inside a frame ({len(e.partial)} of {length} bytes)") from None
    try:
        frame = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise BusError("BAD_FRAME", f"frame payload is not UTF-8 JSON: {e}") from None
    if not isinstance(frame, dict):
        raise BusError("BAD_FRAME", f"frame payload is not a JSON object: {payload[:40]!r}")
    return frame


_FAILURE_TYPES = {"NO_HANDLERS": "UNAVAILABLE", "TIMEOUT": "TIMEOUT", "RECIPIENT_FAILURE": "FAILED"}


def error_of(frame):
    """The BusError an ``err`` frame stands for; frames of a stock Vert.x bridge (no ``code``) work too."""
    code = frame.get("code")
    if not code:
        code = _FAILURE_TYPES.get(frame.get("failureType"), "DENIED" if frame.get("message") == "access_denied" else "ERROR")
    return BusError(code, frame.get("detail") or frame.get("message") or "error", frame=frame)


class Subscription:
    """Messages of one subscribed address: iterate with ``async for``, or give ``subscribe`` a handler.

    Unread messages wait in a queue of at most ``max_queued``; beyond it the oldest is dropped and counted in
    ``dropped`` (a reader that never reads must not fill the memory).
    """

    def __init__(self, bus, address, handler, max_queued):
        self.address = address
        self.dropped = 0
        self._bus = bus
        self._handler = handler
        self._queue = collections.deque()
        self._max_queued = max_queued
        self._ready = asyncio.Event()
        self._ended = False

    def _deliver(self, message):
        if self._handler is not None:
            result = self._handler(message)
            if inspect.isawaitable(result):
                self._bus._spawn(result)
            return
        if len(self._queue) >= self._max_queued:
            self._queue.popleft()
            self.dropped += 1
        self._queue.append(message)
        self._ready.set()

    def _end(self):
        self._ended = True
        self._ready.set()

    def __aiter__(self):
        return self

    async def __anext__(self):
        while not self._queue:
            if self._ended:
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        return self._queue.popleft()

    async def get(self, timeout=None):
        """The next message; raises asyncio.TimeoutError after ``timeout`` seconds, BusError CLOSED at the end."""
        try:
            return await asyncio.wait_for(self.__anext__(), timeout)
        except StopAsyncIteration:
            raise BusError("CLOSED", f"subscription to {self.address} ended") from None

    async def close(self):
        """Stops this subscription; the address is unregistered once no subscription of it is left."""
        await self._bus._remove(self)


class _Barrier:
    """A ping in flight. The server handles frames in order, so an error without a reply address that
    arrives before this ping's pong is about a frame sent before the ping."""

    __slots__ = ("pong", "errors")

    def __init__(self, loop):
        self.pong = loop.create_future()
        self.errors = []


class EventBus:
    """A connection to the bridge. Create it with ``await EventBus.connect(...)``; use it as an async
    context manager or call ``close()``.

    Errors the server reports about a publish, register or unregister arrive later than the call that
    caused them; ``ping()`` raises them (it waits until the server has handled everything sent before it),
    and any that arrive otherwise go to ``on_error`` (default: logged as warnings).
    """

    def __init__(self, reader, writer, *, max_send_bytes=DEFAULT_MAX_SEND_BYTES,
                 max_receive_bytes=DEFAULT_MAX_RECEIVE_BYTES, ping_interval=30.0, default_timeout=30.0,
                 max_queued=10000, on_error=None):
        self._reader = reader
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self.max_send_bytes = max_send_bytes
        self.max_receive_bytes = max_receive_bytes
        self.default_timeout = default_timeout
        self.max_queued = max_queued
        self.on_error = on_error or (lambda error: _LOG.warning("bridge: %s", error))
        self._replies = {}
        self._subscriptions = {}
        self._barriers = collections.deque()
        self._tasks = set()
        self._closed_reason = None
        self.closed = self._loop.create_future()
        self._reader_task = self._loop.create_task(self._read_loop())
        self._keepalive_task = self._loop.create_task(self._keepalive(ping_interval)) if ping_interval else None

    @classmethod
    async def connect(cls, host="127.0.0.1", port=DEFAULT_PORT, *, connect_timeout=10.0, **options):
        """Opens a connection; raises BusError CONNECT when nothing answers at host:port."""
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), connect_timeout)
        except (OSError, asyncio.TimeoutError) as e:
            reason = "timed out" if isinstance(e, asyncio.TimeoutError) else (e.strerror or str(e))
            raise BusError("CONNECT", f"cannot connect to the bridge at {host}:{port}: {reason} "
                                      "(is vxnet running with the bridge enabled?)") from None
        return cls(reader, writer, **options)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # --- requests and messages ---------------------------------------------------------------------------

    async def request(self, address, body=None, *, timeout=None, headers=None):
        """Sends ``body`` to ``address`` and returns the reply's body.

        ``timeout`` (seconds) is also sent to the bridge as its send timeout (at most its
        ``request_timeout_ms``); without it the bridge's own timeout applies. Raises BusError: an ``err``
        frame (DENIED, UNAVAILABLE, TIMEOUT, BAD_REQUEST, ...), a service's ``{"error": {"code", "message"}}``
        reply (its code), TIMEOUT if nothing came back in time, CLOSED if the connection ended.
        """
        reply_address = str(uuid.uuid4())
        frame = {"type": "send", "address": address, "replyAddress": reply_address}
        if body is not None:
            frame["body"] = body
        all_headers = dict(headers or {})
        if timeout is not None:
            all_headers["timeout"] = max(1, int(timeout * 1000))
        if all_headers:
            frame["headers"] = all_headers
        # the bridge answers at its own timeout; wait a little longer so that its TIMEOUT error wins
        wait = timeout + 2.0 if timeout is not None else self.default_timeout
        reply = self._loop.create_future()
        self._replies[reply_address] = reply
        try:
            await self._write(frame)
            try:
                return await asyncio.wait_for(reply, wait)
            except asyncio.TimeoutError:
                raise BusError("TIMEOUT", f"no reply from {address} within {wait:g} s") from None
        finally:
            self._replies.pop(reply_address, None)

    async def send(self, address, body=None, *, headers=None):
        """Sends ``body`` to ``address`` without waiting for a reply."""
        await self._write(self._frame("send", address, body, headers))

    async def publish(self, address, body=None, *, headers=None):
        """Publishes ``body`` to every consumer of ``address``; a refusal is raised by the next ``ping()``."""
        await self._write(self._frame("publish", address, body, headers))

    async def subscribe(self, address, handler=None):
        """Receives the messages sent or published to ``address`` from now on.

        Returns once the bridge has registered the address, or raises BusError (DENIED, LIMIT, ...).
        ``handler(message)`` is called for each Message (a coroutine is run as a task); without a handler,
        iterate the returned Subscription.
        """
        self._check_open()
        subscription = Subscription(self, address, handler, self.max_queued)
        first = address not in self._subscriptions
        self._subscriptions.setdefault(address, []).append(subscription)
        if first:
            try:
                await self._write({"type": "register", "address": address})
                await self._barrier(address)
            except BaseException:
                self._subscriptions.pop(address, None)
                raise
        return subscription

    async def unsubscribe(self, address):
        """Ends every subscription of ``address`` and unregisters it."""
        for subscription in list(self._subscriptions.get(address, [])):
            await self._remove(subscription)

    async def ping(self, timeout=10.0):
        """Round trip to the bridge, in seconds. Raises the first error the bridge reported about a frame
        sent before this ping (a refused publish, say)."""
        started = self._loop.time()
        await self._barrier(None, timeout)
        return self._loop.time() - started

    async def close(self):
        """Closes the connection; pending requests fail with CLOSED, subscriptions end."""
        self._shut("connection closed by the client")
        try:
            await self._writer.wait_closed()
        except OSError:
            pass
        await asyncio.gather(self._reader_task, return_exceptions=True)

    # --- internals ---------------------------------------------------------------------------------------

    @staticmethod
    def _frame(kind, address, body, headers):
        frame = {"type": kind, "address": address}
        if body is not None:
            frame["body"] = body
        if headers:
            frame["headers"] = dict(headers)
        return frame

    def _check_open(self):
        if self._closed_reason is not None:
            raise BusError("CLOSED", self._closed_reason)

    async def _write(self, frame):
        self._check_open()
        data = encode_frame(frame, self.max_send_bytes)
        self._writer.write(data)
        try:
            await self._writer.drain()
        except (ConnectionError, OSError) as e:
            raise BusError("CLOSED", f"connection lost while sending: {e}") from None

    async def _barrier(self, address, timeout=None):
        """Pings and waits for the pong; raises the errors that arrived before it (those about ``address``
        when one is given; the others go to on_error)."""
        barrier = _Barrier(self._loop)
        self._barriers.append(barrier)  # before writing: the pong may come while drain() waits
        try:
            await self._write({"type": "ping"})
        except BusError:
            self._barriers.remove(barrier)
            raise
        try:  # from here the barrier stays queued even when abandoned: pongs are matched by order
            await asyncio.wait_for(barrier.pong, timeout or self.default_timeout)
        except asyncio.TimeoutError:
            raise BusError("TIMEOUT", f"no pong from the bridge within {timeout or self.default_timeout:g} s") from None
        mine = [e for e in barrier.errors if address is None or e.frame.get("sourceAddress") in (None, address)]
        for error in barrier.errors:
            if error not in mine:
                self.on_error(error)
        if mine:
            for error in mine[1:]:
                self.on_error(error)
            raise mine[0]

    async def _remove(self, subscription):
        subscribers = self._subscriptions.get(subscription.address, [])
        if subscription in subscribers:
            subscribers.remove(subscription)
            subscription._end()
            if not subscribers:
                del self._subscriptions[subscription.address]
                if self._closed_reason is None:
                    await self._write({"type": "unregister", "address": subscription.address})

    def _spawn(self, awaitable):
        task = self._loop.create_task(awaitable)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _keepalive(self, interval):
        """Pings now and then: the bridge closes connections idle for its idle_timeout_ms."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self._barrier(None)
            except BusError as error:
                if error.code == "CLOSED":
                    return
                self.on_error(error)

    async def _read_loop(self):
        reason = "connection closed by the server"
        try:
            while True:
                frame = await read_frame(self._reader, self.max_receive_bytes)
                if frame is None:
                    break
                self._dispatch(frame)
        except BusError as e:
            reason = str(e)
        except (ConnectionError, OSError) as e:
            reason = f"connection lost: {e}"
        except asyncio.CancelledError:
            reason = "connection closed"
            raise
        finally:
            self._shut(reason)

    def _dispatch(self, frame):
        kind = frame.get("type")
        address = frame.get("address")
        if kind == "pong":
            if self._barriers:
                barrier = self._barriers.popleft()
                if barrier.pong.done():  # its ping() gave up waiting
                    for error in barrier.errors:
                        self.on_error(error)
                else:
                    barrier.pong.set_result(None)
        elif kind == "message":
            reply = self._replies.get(address)
            if reply is not None:
                if not reply.done():
                    body = frame.get("body")
                    error = body.get("error") if isinstance(body, dict) else None
                    if isinstance(error, dict) and "code" in error:
                        reply.set_exception(BusError(error["code"], error.get("message", ""), frame=frame, reply=body))
                    else:
                        reply.set_result(body)
                return
            message = Message(address, frame.get("body"), frame.get("headers"), frame.get("replyAddress"),
                              bool(frame.get("send")))
            for subscription in list(self._subscriptions.get(address, [])):
                subscription._deliver(message)
        elif kind == "err":
            error = error_of(frame)
            reply = self._replies.get(address) if address else None
            if reply is not None:
                if not reply.done():
                    reply.set_exception(error)
            elif self._barriers:
                self._barriers[0].errors.append(error)
            else:
                self.on_error(error)
        else:
            _LOG.debug("ignored a frame of type %r", kind)

    def _shut(self, reason):
        if self._closed_reason is not None:
            return
        self._closed_reason = reason
        if self._keepalive_task:
            self._keepalive_task.cancel()
        for reply in self._replies.values():
            if not reply.done():
                reply.set_exception(BusError("CLOSED", reason))
        for barrier in self._barriers:
            if not barrier.pong.done():
                barrier.pong.set_exception(BusError("CLOSED", reason))
        for subscribers in self._subscriptions.values():
            for subscription in subscribers:
                subscription._end()
        if not self.closed.done():
            self.closed.set_result(reason)
        if not self._writer.is_closing():
            self._writer.close()
