"""vxnet_bridge and its examples against a real vxnet: ``java -jar target/vxnet.jar`` with the bridge and the
chat on free loopback ports, started once for this module and stopped at the end.

Needs the jar (``mvn -q -B package -DskipTests``) and java on the PATH (or $JAVA). The services to disable
come from $VXNET_TEST_CONF (JSON, set by the Maven test that runs these) or else from docs/config.md,
which is generated from the code: every section with an ``enabled`` key other than bridge and chat.
"""

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unittest

CLIENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, CLIENT)

from vxnet_bridge import BusError, EventBus, encode_frame  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(CLIENT))
JAR = os.path.join(ROOT, "target", "vxnet.jar")
EXAMPLES = os.path.join(CLIENT, "examples")
START_SECONDS = 60
MAX_FRAME_BYTES = 4096
REQUEST_TIMEOUT_MS = 3000

vxnet = None


def base_config():
    if os.environ.get("VXNET_TEST_CONF"):
        return json.loads(os.environ["VXNET_TEST_CONF"])
    with open(os.path.join(ROOT, "docs", "config.md"), encoding="utf-8") as doc:
        services = re.findall(r"^\| `([a-z0-9_]+)\.enabled` ", doc.read(), re.MULTILINE)
    return {name: {"enabled": False} for name in services if name not in ("bridge", "chat")}


def merged(base, overrides):
    result = dict(base)
    for key, value in overrides.items():
        result[key] = merged(result.get(key, {}), value) if isinstance(value, dict) else value
    return result


class Vxnet:
    """The jar as a child process; its output is collected by a thread and searched for log lines."""

    def __init__(self, config):
        if not os.path.isfile(JAR):
            raise RuntimeError(f"{JAR} is missing: build it with `mvn -q -B package -DskipTests` first")
        env = {name: value for name, value in os.environ.items() if not name.startswith("VXNET_")}
        self.process = subprocess.Popen([os.environ.get("JAVA", "java"), "-jar", JAR, "-conf", json.dumps(config)],
                                        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, encoding="utf-8", errors="replace")
        self.lines = []
        self.changed = threading.Condition()
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def await_line(self, pattern):
        regex = re.compile(pattern)
        deadline = time.monotonic() + START_SECONDS
        checked = 0
        with self.changed:
            while True:
                for line in self.lines[checked:]:
                    match = regex.search(line)
                    if match:
                        return match
                checked = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"no line matching /{pattern}/ from vxnet (exit status {self.process.poll()});"
                                         " output:\n" + "\n".join(self.lines))
                self.changed.wait(min(left, 0.5))

    def port(self, service):
        return int(self.await_line(rf"\] {service}: listening on [^ ]+:(\d+)$").group(1))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.pump.join(10)
        self.process.stdout.close()


def setUpModule():
    global vxnet
    vxnet = Vxnet(merged(base_config(), {
        "bridge": {"host": "127.0.0.1", "port": 0, "max_frame_bytes": MAX_FRAME_BYTES,
                   "request_timeout_ms": REQUEST_TIMEOUT_MS},
        "chat": {"host": "127.0.0.1", "port": 0}}))
    try:
        vxnet.await_line(r"node \S+: started")
        vxnet.bridge_port = vxnet.port("bridge")
        vxnet.chat_port = vxnet.port("chat")
    except BaseException:
        vxnet.stop()
        raise


def tearDownModule():
    if vxnet is not None:
        vxnet.stop()


class ChatClient:
    """A TCP chat client (what `nc 127.0.0.1 8000` is), reading lines with a deadline."""

    def __init__(self, reader, writer):
        self.reader, self.writer, self.seen = reader, writer, []

    @classmethod
    async def connect(cls):
        client = cls(*await asyncio.open_connection("127.0.0.1", vxnet.chat_port))
        await client.expect(lambda line: line.startswith("* welcome"), "the welcome")
        return client

    async def say(self, line):
        self.writer.write((line + "\n").encode())
        await self.writer.drain()

    async def expect(self, wanted, description):
        try:
            while True:
                line = (await asyncio.wait_for(self.reader.readline(), 5)).decode().rstrip("\n")
                if not line:
                    raise AssertionError(f"chat closed before {description}; read {self.seen}")
                self.seen.append(line)
                if wanted(line):
                    return line
        except asyncio.TimeoutError:
            raise AssertionError(f"no chat line {description} within 5 s; read {self.seen}") from None

    def close(self):
        self.writer.close()


class BridgeTest(unittest.IsolatedAsyncioTestCase):

    async def asyncSetUp(self):
        self.errors = []
        self.bus = await EventBus.connect("127.0.0.1", vxnet.bridge_port, on_error=self.errors.append)
        self.chats = []

    async def asyncTearDown(self):
        for chat in self.chats:
            chat.close()
        await self.bus.close()

    async def chat(self):
        client = await ChatClient.connect()
        self.chats.append(client)
        return client

    async def test_ping_gets_a_pong(self):
        self.assertGreaterEqual(await self.bus.ping(), 0)

    async def test_stats_request_gets_the_counters_of_every_service(self):
        stats = await self.bus.request("vxnet.stats", {"timeout_ms": 2000}, timeout=2)
        self.assertTrue(stats["complete"], stats)
        self.assertIn("chat", stats["totals"])
        self.assertGreaterEqual(stats["totals"]["bridge"]["counters"]["requests"], 1)

    async def test_a_service_error_reply_is_raised_with_its_code(self):
        with self.assertRaises(BusError) as bad:
            await self.bus.request("vxnet.stats", {"timeout_ms": "soon"}, timeout=2)
        self.assertEqual("BAD_REQUEST", bad.exception.code)
        self.assertIn("timeout_ms", bad.exception.message)

    async def test_non_permitted_addresses_are_refused(self):
        with self.assertRaises(BusError) as request:
            await self.bus.request("vxnet.stats.collect", {}, timeout=2)
        self.assertEqual("DENIED", request.exception.code)
        self.assertIn("send to vxnet.stats.collect is not permitted", request.exception.message)
        with self.assertRaises(BusError) as subscribe:
            await self.bus.subscribe("vxnet.stats.reply.spy")
        self.assertEqual("DENIED", subscribe.exception.code)
        await self.bus.publish("vxnet.dns.resolve", {"name": "example.org"})  # services take requests only
        with self.assertRaises(BusError) as publish:
            await self.bus.ping()
        self.assertEqual("DENIED", publish.exception.code)
        self.assertEqual([], self.errors, "each refusal went to the call that caused it")
        self.assertGreaterEqual(await self.bus.ping(), 0, "the connection goes on")

    async def test_a_service_that_is_not_deployed_is_unavailable_at_once(self):
        started = time.monotonic()
        with self.assertRaises(BusError) as unavailable:
            await self.bus.request("vxnet.dns.resolve", {"name": "example.org", "type": "A"}, timeout=3)
        self.assertEqual("UNAVAILABLE", unavailable.exception.code)
        self.assertLess(time.monotonic() - started, 2, "no handlers fails at once, not at the timeout")

    async def test_a_timeout_longer_than_the_bridge_allows_is_refused_by_name(self):
        with self.assertRaises(BusError) as refused:
            await self.bus.request("vxnet.stats", {}, timeout=REQUEST_TIMEOUT_MS / 1000 + 1)
        self.assertEqual("BAD_REQUEST", refused.exception.code)
        self.assertIn(f"headers.timeout: expected an integer from 1 to {REQUEST_TIMEOUT_MS}", refused.exception.message)

    async def test_chat_lines_go_both_ways(self):
        human = await self.chat()
        room = await self.bus.subscribe("vxnet.chat.lobby")  # registered once this returns
        await human.say("/nick alice")
        await human.say("hello bridge")
        while True:
            message = await room.get(timeout=2)
            if message.body.get("type") == "message":
                break
        self.assertEqual(("vxnet.chat.lobby", "alice", "hello bridge"),
                         (message.address, message.body["nick"], message.body["text"]))
        await self.bus.publish("vxnet.chat.lobby", {"type": "message", "nick": "py", "text": "hi alice"})
        self.assertEqual("<py> hi alice", await human.expect(lambda line: line.startswith("<py>"), "from the bridge"))

    async def test_an_oversize_frame_is_refused_locally_and_by_the_server(self):
        with self.assertRaises(BusError) as local:
            await self.bus.publish("vxnet.chat.lobby", {"type": "message", "nick": "py", "text": "x" * 70000})
        self.assertEqual("TOO_LARGE", local.exception.code)
        self.assertGreaterEqual(await self.bus.ping(), 0, "nothing was sent: the connection goes on")

        # a client without the local check: the server answers with an error and closes
        reader, writer = await asyncio.open_connection("127.0.0.1", vxnet.bridge_port)
        bus = EventBus(reader, writer, max_send_bytes=None, on_error=self.errors.append)
        await bus.publish("vxnet.chat.lobby", {"type": "message", "nick": "py", "text": "x" * MAX_FRAME_BYTES})
        reason = await asyncio.wait_for(bus.closed, 5)
        await bus.close()
        self.assertEqual("connection closed by the server", reason)
        self.assertEqual(["TOO_LARGE"], [error.code for error in self.errors])
        self.assertIn(f"exceeds the limit of {MAX_FRAME_BYTES} bytes", self.errors[0].message)

    async def test_the_client_times_out_when_nothing_answers(self):
        silent = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) and never says a word
        try:
            bus = await EventBus.connect("127.0.0.1", silent.getsockname()[1], ping_interval=None)
            started = time.monotonic()
            with self.assertRaises(BusError) as timed_out:
                await bus.request("vxnet.stats", {}, timeout=0.2)
            self.assertEqual("TIMEOUT", timed_out.exception.code)
            self.assertLess(time.monotonic() - started, 5)
            await bus.close()
        finally:
            silent.close()

    async def test_connecting_where_nothing_listens_says_so(self):
        with socket.create_server(("127.0.0.1", 0)) as probe:
            port = probe.getsockname()[1]
        with self.assertRaises(BusError) as refused:
            await EventBus.connect("127.0.0.1", port)
        self.assertEqual("CONNECT", refused.exception.code)
        self.assertIn(f"127.0.0.1:{port}", refused.exception.message)

    async def test_a_raw_frame_with_bad_json_gets_an_error_frame(self):
        reader, writer = await asyncio.open_connection("127.0.0.1", vxnet.bridge_port)
        writer.write(len(b"{nope").to_bytes(4, "big") + b"{nope" + encode_frame({"type": "ping"}))
        frames = []
        for _ in range(2):
            length = int.from_bytes(await asyncio.wait_for(reader.readexactly(4), 5), "big")
            frames.append(json.loads(await reader.readexactly(length)))
        writer.close()
        self.assertEqual(("err", "invalid_json", "BAD_REQUEST"), (frames[0]["type"], frames[0]["message"], frames[0]["code"]))
        self.assertEqual({"type": "pong"}, frames[1])


class ExamplesTest(unittest.IsolatedAsyncioTestCase):

    async def run_example(self, *args, stdin=None):
        process = await asyncio.create_subprocess_exec(
            sys.executable, *args, "--port", str(vxnet.bridge_port),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=EXAMPLES)
        out, err = await asyncio.wait_for(process.communicate(stdin), 30)
        return process.returncode, out.decode(), err.decode()

    async def test_stats_prints_every_service(self):
        status, out, err = await self.run_example("stats.py")
        self.assertEqual(0, status, out + err)
        self.assertRegex(out, r"(?m)^bridge +instances=1 ")
        self.assertRegex(out, r"(?m)^chat +instances=1 ")

    async def test_resolve_and_fetch_batch_say_clearly_that_their_service_is_not_deployed(self):
        for args in (("resolve.py", "example.org", "AAAA"), ("fetch_batch.py", "http://127.0.0.1:9/", "http://127.0.0.1:9/x")):
            status, out, err = await self.run_example(*args)
            self.assertEqual(1, status, out + err)
            self.assertIn("error: UNAVAILABLE: no service is registered at vxnet.", err)
            self.assertIn("hint: the service is not deployed", err)

    async def test_chat_joins_talks_listens_and_leaves(self):
        human = await ChatClient.connect()
        try:
            await human.say("/nick bob")
            process = await asyncio.create_subprocess_exec(
                sys.executable, "chat.py", "--port", str(vxnet.bridge_port), "lobby", "pybot",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=EXAMPLES)
            ready = await asyncio.wait_for(process.stdout.readline(), 15)
            self.assertEqual(b"* you are pybot in #lobby; /who, /quit\n", ready)
            await human.expect(lambda line: line == "* pybot joined #lobby", "announcing pybot")
            process.stdin.write(b"hello from a script\n")
            await process.stdin.drain()
            await human.expect(lambda line: line == "<pybot> hello from a script", "from chat.py")
            await human.say("hi script")
            self.assertEqual(b"<bob> hi script\n", await asyncio.wait_for(process.stdout.readline(), 5))
            process.stdin.write(b"/who\n")
            await process.stdin.drain()
            who = (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
            self.assertTrue(who.startswith("* in #lobby (1): bob"), who)
            process.stdin.write(b"/quit\n")
            await process.stdin.drain()
            out, err = await asyncio.wait_for(process.communicate(), 10)
            self.assertEqual(0, process.returncode, (out + err).decode())
            self.assertNotIn(b"hello from a script", out, "our own line is not printed back to us")
            await human.expect(lambda line: line == "* pybot left #lobby", "announcing the leave")
        finally:
            human.close()


if __name__ == "__main__":
    unittest.main()
