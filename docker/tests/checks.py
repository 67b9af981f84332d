#!/usr/bin/env python3
"""Integration checks of vxnet's compose topology (docker-compose.yml), through the two edge nodes' ports only.

    checks.py PHASE [--skip GROUPS]

PHASE is one of
  wait         until both edges serve and the cluster is whole (bounded), before the other phases
  healthy      TCP and UDP echo on each edge, chat across the edges, DoH answered by the worker against the
               dns container, a fetch of the origin through the worker, /api/stats listing three nodes
  worker-down  after `docker-compose kill worker`: resolve and fetch fail fast with a clear 503/504 error,
               the edges' own services keep working, /api/stats drops the worker
  worker-back  after `docker-compose start worker`: resolve, fetch and stats work again (bounded polling)
  prometheus   the prometheus container scrapes all three nodes (targets up, through its HTTP API), and
               vxnet_https_requests_total grows by the requests this phase sends to edge1
GROUPS (comma-separated) leaves out checks of services a build may lack: doh, fetch, stats.

The edges are VXNET_CHECK_EDGE1 and VXNET_CHECK_EDGE2, each host:tcp:udp:chat:https, and Prometheus is
VXNET_CHECK_PROMETHEUS, host:port; the defaults are the ports docker-compose.yml publishes on 127.0.0.1. Only the Python 3 standard library is used. Prints one line per check
and ends with "checks: N passed, N failed"; the exit status is 1 if any failed.
"""

import base64
import http.client
import json
import os
import secrets
import socket
import ssl
import sys
import time
import urllib.parse

EDGES = {
    "edge1": os.environ.get("VXNET_CHECK_EDGE1", "127.0.0.1:18888:19999:18000:18443"),
    "edge2": os.environ.get("VXNET_CHECK_EDGE2", "127.0.0.1:28888:29999:28000:28443"),
}
ZONE_NAME = "www.vxnet.test"
ZONE_ADDRESS = "192.0.2.10"
ORIGIN_URL = "http://origin/hello.txt"
ORIGIN_BODY = "hello from the origin\n"
NODES = {"edge1", "edge2", "worker"}
PROMETHEUS = os.environ.get("VXNET_CHECK_PROMETHEUS", "127.0.0.1:19090")
# Requests the prometheus phase sends to count them again in Prometheus.
COUNTED_REQUESTS = 25
# A call to a service on a dead node must fail within this (the edge's send timeout plus slack), not 30 s.
FAIL_FAST_S = 10.0


class CheckFailed(Exception):
    pass


class Edge:
    def __init__(self, name, spec):
        parts = spec.split(":")
        if len(parts) != 5 or not all(p.isdigit() for p in parts[1:]):
            sys.exit(f"VXNET_CHECK_{name.upper()}: expected host:tcp:udp:chat:https, got {spec!r}")
        self.name = name
        self.host = parts[0]
        self.tcp, self.udp, self.chat, self.https = (int(p) for p in parts[1:])

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------------------------- protocols

def tcp_echo(edge, size=100_000):
    payload = secrets.token_bytes(size)
    with socket.create_connection((edge.host, edge.tcp), timeout=10) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        received = bytearray()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            received += chunk
    if bytes(received) != payload:
        raise CheckFailed(f"sent {size} bytes, got {len(received)} back" + (" (different bytes)" if len(received) == size else ""))
    return f"{size} bytes back, byte-exact"


def udp_echo(edge, tries=3):
    payload = b"vxnet-" + secrets.token_hex(16).encode()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        for attempt in range(1, tries + 1):
            s.sendto(payload, (edge.host, edge.udp))
            try:
                data, _ = s.recvfrom(65536)
            except socket.timeout:
                continue
            if data != payload:
                raise CheckFailed(f"sent {payload!r}, got {data!r}")
            return f"datagram echoed (attempt {attempt})"
    raise CheckFailed(f"no echo in {tries} tries of 2 s")


class ChatUser:
    def __init__(self, edge, nick):
        self.sock = socket.create_connection((edge.host, edge.chat), timeout=10)
        self.file = self.sock.makefile("r", encoding="utf-8", newline="\n")
        self.expect("* welcome", 10)
        self.type(f"/nick {nick}")
        self.expect(f"* you are now {nick}", 10)

    def type(self, line):
        self.sock.sendall((line + "\n").encode())

    def until_listed(self, nick, attempts):
        """Asks /who until NICK is in the answer, at most ATTEMPTS times (each answer waits chat.who_timeout_ms)."""
        seen = []
        for _ in range(attempts):
            self.type("/who")
            answer = self.expect("* in #", 10)
            if nick in answer.split(": ", 1)[-1].split(", "):
                return
            seen.append(answer)
        raise CheckFailed(f"{nick} not in /who after {attempts} tries: {seen}")

    def expect(self, prefix, timeout):
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CheckFailed(f"no line starting with {prefix!r} within {timeout} s; got {seen}")
            self.sock.settimeout(left)
            try:
                line = self.file.readline()
            except (socket.timeout, TimeoutError):
                continue
            if not line:
                raise CheckFailed(f"connection closed while waiting for {prefix!r}; got {seen}")
            line = line.rstrip("\n")
            if line.startswith(prefix):
                return line
            seen.append(line)

    def close(self):
        self.sock.close()


def chat_across(sender_edge, receiver_edge):
    tag = secrets.token_hex(4)
    receiver = ChatUser(receiver_edge, f"r{tag}")
    try:
        sender = ChatUser(sender_edge, f"s{tag}")
        try:
            # The receiver's room consumer is registered cluster-wide before its welcome, but the sender's node
            # learns of it through Hazelcast a moment later (longer while a node rejoins): wait until the sender's
            # /who lists the receiver, which proves that the room's events from the sender's node reach it.
            sender.until_listed(f"r{tag}", 10)
            sender.type(f"hello {tag} from {sender_edge}")
            line = receiver.expect(f"<s{tag}>", 10)
        finally:
            sender.close()
    finally:
        receiver.close()
    if line != f"<s{tag}> hello {tag} from {sender_edge}":
        raise CheckFailed(f"unexpected line {line!r}")
    return f"{sender_edge} -> {receiver_edge}"


def https_get(edge, path, timeout=FAIL_FAST_S + 20):
    """GET over HTTPS (self-signed certificate accepted) -> (status, parsed JSON or None, body text, seconds)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    started = time.monotonic()
    connection = http.client.HTTPSConnection(edge.host, edge.https, timeout=timeout, context=context)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        status = response.status
    finally:
        connection.close()
    elapsed = time.monotonic() - started
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    return status, body, text, elapsed


def resolve(edge):
    status, body, text, elapsed = https_get(edge, "/resolve?" + urllib.parse.urlencode({"name": ZONE_NAME, "type": "A"}))
    if status != 200 or not isinstance(body, dict):
        raise CheckFailed(f"GET /resolve: HTTP {status}: {text[:200]}")
    answers = [a.get("data") for a in body.get("Answer", []) if isinstance(a, dict)]
    if body.get("Status") != 0 or ZONE_ADDRESS not in answers:
        raise CheckFailed(f"expected Status 0 with {ZONE_ADDRESS}, got {text[:200]}")
    return f"{ZONE_NAME} A {ZONE_ADDRESS} via the worker and dnsmasq, {elapsed * 1000:.0f} ms"


def fetch(edge):
    status, body, text, elapsed = https_get(edge, "/api/fetch?" + urllib.parse.urlencode({"url": ORIGIN_URL}))
    if status != 200 or not isinstance(body, dict):
        raise CheckFailed(f"GET /api/fetch: HTTP {status}: {text[:200]}")
    content = body.get("body")
    if body.get("encoding") == "base64" and isinstance(content, str):
        content = base64.b64decode(content).decode("utf-8", "replace")
    if body.get("status") != 200 or content != ORIGIN_BODY:
        raise CheckFailed(f"expected status 200 and {ORIGIN_BODY!r}, got {text[:200]}")
    return f"{ORIGIN_URL} through the worker, {elapsed * 1000:.0f} ms"


def stats_lists(edge, expected):
    """/api/stats names exactly these nodes, and the cluster itself counts that many (a dead node is dropped)."""
    status, body, text, _ = https_get(edge, "/api/stats")
    if status != 200 or not isinstance(body, dict) or not isinstance(body.get("nodes"), list):
        raise CheckFailed(f"GET /api/stats: HTTP {status}: {text[:200]}")
    nodes = {n.get("node") for n in body["nodes"] if isinstance(n, dict)}
    if nodes != expected or body.get("nodes_expected") != len(expected):
        raise CheckFailed(f"/api/stats lists {sorted(nodes)} of nodes_expected {body.get('nodes_expected')}, "
                          f"expected {sorted(expected)}; problems {body.get('problems')}")
    return f"nodes {sorted(nodes)}"


def fails_fast(edge, path, codes):
    status, body, text, elapsed = https_get(edge, path)
    code = body.get("error", {}).get("code") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None
    if status not in (503, 504) or code not in codes:
        raise CheckFailed(f"expected HTTP 503/504 with error code {'/'.join(codes)}, got HTTP {status}: {text[:200]}")
    if elapsed > FAIL_FAST_S:
        raise CheckFailed(f"HTTP {status} {code} took {elapsed:.1f} s (more than {FAIL_FAST_S:.0f} s)")
    return f"HTTP {status} {code} in {elapsed * 1000:.0f} ms: {body['error'].get('message', '')[:80]}"


def ready(edge):
    """/ready: 200 in vertx-health-check's format, every check UP, the cluster among them."""
    status, body, text, _ = https_get(edge, "/ready")
    if status != 200 or not isinstance(body, dict) or body.get("outcome") != "UP":
        raise CheckFailed(f"GET /ready: HTTP {status}: {text[:300]}")
    checks = {c.get("id"): c.get("status") for c in body.get("checks", []) if isinstance(c, dict)}
    if checks.get("cluster") != "UP" or any(state != "UP" for state in checks.values()):
        raise CheckFailed(f"expected every check UP, the cluster among them: {checks}")
    return f"UP: {', '.join(sorted(checks))}"


def prometheus_get(path):
    host, port = PROMETHEUS.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        if response.status != 200:
            raise CheckFailed(f"Prometheus GET {path}: HTTP {response.status}: {text[:200]}")
        body = json.loads(text)
    finally:
        connection.close()
    if body.get("status") != "success":
        raise CheckFailed(f"Prometheus GET {path}: {text[:200]}")
    return body["data"]


def targets_up():
    """Every node is a target of job vxnet, and its last scrape worked."""
    targets = [t for t in prometheus_get("/api/v1/targets?state=active")["activeTargets"]
               if t.get("labels", {}).get("job") == "vxnet"]
    health = {t["labels"].get("node", t["labels"].get("instance")): t.get("health") for t in targets}
    if len(targets) != 3 or any(h != "up" for h in health.values()):
        raise CheckFailed(f"expected 3 vxnet targets up, got {health} "
                          f"{[t.get('lastError') for t in targets if t.get('lastError')]}")
    return f"targets up: {sorted(health)}"


def https_requests():
    """sum(vxnet_https_requests_total) over the edges, as Prometheus last scraped it."""
    query = urllib.parse.urlencode({"query": 'sum(vxnet_https_requests_total{node="edge1"})'})
    result = prometheus_get("/api/v1/query?" + query)["result"]
    if not result:
        raise CheckFailed("no vxnet_https_requests_total series for edge1 yet")
    return float(result[0]["value"][1])


def counter_grows(edge):
    before = https_requests()
    for _ in range(COUNTED_REQUESTS):
        status, _, text, _ = https_get(edge, "/api/echo")
        if status != 200:
            raise CheckFailed(f"GET /api/echo: HTTP {status}: {text[:200]}")

    def grown():
        now = https_requests()
        if now < before + COUNTED_REQUESTS:
            raise CheckFailed(f"vxnet_https_requests_total on edge1 went from {before:.0f} to {now:.0f}, "
                              f"expected at least +{COUNTED_REQUESTS}")
        return f"vxnet_https_requests_total on edge1: {before:.0f} -> {now:.0f}"
    return eventually(grown, 30)


def eventually(check, timeout, pause=1.0):
    """Runs check until it passes or timeout seconds went by; the last failure explains."""
    deadline = time.monotonic() + timeout
    attempts = 0
    while True:
        attempts += 1
        try:
            result = check()
            return f"{result} (attempt {attempts})" if attempts > 1 else result
        except (CheckFailed, OSError, http.client.HTTPException) as failure:
            if time.monotonic() + pause >= deadline:
                raise CheckFailed(f"still failing after {timeout:.0f} s and {attempts} attempts: {failure}")
        time.sleep(pause)  # between polls of a remote condition; each attempt itself is bounded


# ---------------------------------------------------------------------------------------------- phases

def phase_checks(phase, e1, e2):
    """(name, group or None, function) for the phase."""
    unavailable = ("UNAVAILABLE", "TIMEOUT")
    resolve_path = "/resolve?" + urllib.parse.urlencode({"name": ZONE_NAME, "type": "A"})
    fetch_path = "/api/fetch?" + urllib.parse.urlencode({"url": ORIGIN_URL})
    echo = [
        (f"tcp echo {e}", None, lambda e=e: tcp_echo(e)) for e in (e1, e2)
    ] + [
        (f"udp echo {e}", None, lambda e=e: udp_echo(e)) for e in (e1, e2)
    ]
    chat = [
        (f"chat {e2} -> {e1}", None, lambda: chat_across(e2, e1)),
        (f"chat {e1} -> {e2}", None, lambda: chat_across(e1, e2)),
    ]
    # A chat connection joins its room in the cluster-wide subscription map; after a node vanished, Hazelcast
    # reassigns that map's partitions once it drops the node (heartbeat timeout, 10 s): joins wait until then.
    chat_after_loss = [(name, group, lambda check=check: eventually(check, 40)) for name, group, check in chat]
    if phase == "wait":
        return [
            (f"{e} serves", None, lambda e=e: eventually(lambda: tcp_echo(e, 16), 180)) for e in (e1, e2)
        ] + [
            # Every member first: each join moves Hazelcast's partitions, and a member may miss subscription-map
            # events for a moment (a chat line edge1 -> edge2 was lost right after the worker joined). Then chat
            # both ways, since a room joined on one edge may not yet be seen from the other; the healthy checks that
            # follow need a settled cluster, not one still forming.
            ("worker joined (/api/stats)", "stats", lambda: eventually(lambda: stats_lists(e1, NODES), 180)),
            ("edges clustered (chat)", None, lambda: eventually(lambda: chat_across(e2, e1), 120)),
            ("edges clustered (chat, other way)", None, lambda: eventually(lambda: chat_across(e1, e2), 120)),
            ("worker resolves", "doh", lambda: eventually(lambda: resolve(e1), 120)),
        ]
    if phase == "healthy":
        return echo + chat + [
            (f"doh via {e}", "doh", lambda e=e: resolve(e)) for e in (e1, e2)
        ] + [
            (f"fetch via {e}", "fetch", lambda e=e: fetch(e)) for e in (e1, e2)
        ] + [
            (f"/api/stats on {e} lists 3 nodes", "stats", lambda e=e: stats_lists(e, NODES)) for e in (e1, e2)
        ] + [
            (f"/ready on {e}", None, lambda e=e: ready(e)) for e in (e1, e2)
        ]
    if phase == "prometheus":
        return [
            ("Prometheus scrapes 3 nodes", None, lambda: eventually(targets_up, 90)),
            ("a request counter grows in Prometheus", None, lambda: eventually(lambda: counter_grows(e1), 60, pause=2.0)),
        ]
    if phase == "worker-down":
        return [
            (f"doh via {e1} fails fast", "doh", lambda: fails_fast(e1, resolve_path, unavailable)),
            (f"fetch via {e2} fails fast", "fetch", lambda: fails_fast(e2, fetch_path, unavailable)),
        ] + echo + chat_after_loss + [
            ("/api/stats drops the worker", "stats", lambda: eventually(lambda: stats_lists(e2, {"edge1", "edge2"}), 60)),
            (f"doh via {e2} unavailable at once", "doh", lambda: fails_fast(e2, resolve_path, ("UNAVAILABLE",))),
            (f"fetch via {e1} unavailable at once", "fetch", lambda: fails_fast(e1, fetch_path, ("UNAVAILABLE",))),
        ]
    if phase == "worker-back":
        return [
            (f"doh via {e1} again", "doh", lambda: eventually(lambda: resolve(e1), 180)),
            (f"doh via {e2} again", "doh", lambda: eventually(lambda: resolve(e2), 60)),
            (f"fetch via {e1} again", "fetch", lambda: eventually(lambda: fetch(e1), 60)),
            (f"fetch via {e2} again", "fetch", lambda: eventually(lambda: fetch(e2), 60)),
            ("/api/stats lists 3 nodes again", "stats", lambda: eventually(lambda: stats_lists(e1, NODES), 60)),
        ] + echo + chat
    sys.exit(f"unknown phase {phase!r}: expected wait, healthy, worker-down, worker-back or prometheus")


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    phase = argv[0]
    skip = set()
    if len(argv) == 3 and argv[1] == "--skip":
        skip = {g.strip() for g in argv[2].split(",") if g.strip()}
        unknown = skip - {"doh", "fetch", "stats"}
        if unknown:
            sys.exit(f"--skip: unknown groups {sorted(unknown)} (known: doh, fetch, stats)")
    elif len(argv) != 1:
        sys.exit("usage: checks.py PHASE [--skip doh,fetch,stats]")
    e1, e2 = (Edge(name, spec) for name, spec in EDGES.items())
    passed = failed = skipped = 0
    for name, group, check in phase_checks(phase, e1, e2):
        if group in skip:
            print(f"skip {phase}: {name} (--skip {group})", flush=True)
            skipped += 1
            continue
        started = time.monotonic()
        try:
            detail = check()
        except (CheckFailed, OSError, http.client.HTTPException) as failure:
            print(f"FAIL {phase}: {name}: {failure}", flush=True)
            failed += 1
            continue
        print(f"ok   {phase}: {name}: {detail} [{time.monotonic() - started:.1f} s]", flush=True)
        passed += 1
    print(f"checks: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
