#!/usr/bin/env python3
"""bench/tls-flood.py - issue 9 row 13: TLS connections that never send a byte, at the open-files limit.

    python3 bench/tls-flood.py                  # 19,500 to HTTPS, then 200 to the TCP echo (about 30 s)
    python3 bench/tls-flood.py --https 5000 --tcp 100
    VXNET_HTTPS_MAX_CONNECTIONS=19000 python3 bench/tls-flood.py   # HTTPS's cap above the node's: the node cap acts

Starts target/vxnet.jar (every service but DNS, ports offset by 300: HTTPS 8743, HTTP 8380, TCP echo 9188, UDP
echo 10299) under an open-files limit of 20,000 (this machine's hard limit), opens --https TCP connections to the
HTTPS port that never send a ClientHello, then --tcp connections to the TCP echo, and reports what the caps did:
how many the server closed at once, its descriptors (/proc/PID/fd), its refused counters (/api/stats), whether
TCP echo, UDP echo, plain HTTP and HTTPS answer a new client while the connections are held, and again after they
are closed. Loopback only; bounded in count (the two flags) and time (each step has a deadline); the node is
stopped on exit. Needs: java, python3, target/vxnet.jar (mvn package).
"""
import argparse
import json
import os
import resource
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

OFFSET = 300
HTTPS, HTTP, TCP, UDP = 8443 + OFFSET, 8080 + OFFSET, 8888 + OFFSET, 9999 + OFFSET
UNVERIFIED = ssl._create_unverified_context()  # vxnet's development certificate: self-signed


def tcp_echo():
    try:
        with socket.create_connection(("127.0.0.1", TCP), timeout=3) as s:
            s.sendall(b"ping\n")
            return "ok" if s.recv(16) == b"ping\n" else "wrong echo"
    except OSError as e:
        return type(e).__name__


def udp_echo():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(b"x", ("127.0.0.1", UDP))
        try:
            return "ok" if s.recv(16) == b"x" else "wrong echo"
        except OSError as e:
            return type(e).__name__


def health(port, tls):
    url = ("https" if tls else "http") + "://127.0.0.1:%d/health" % port
    try:
        with urllib.request.urlopen(url, timeout=5, context=UNVERIFIED if tls else None) as r:
            return "ok" if r.status == 200 else "status %d" % r.status
    except Exception as e:  # noqa: BLE001 - any failure is the answer
        return type(getattr(e, "reason", e)).__name__


def refused():
    """The refused counters of every service, from /api/stats (HTTPS only; it fails while HTTPS is at its cap)."""
    try:
        with urllib.request.urlopen("https://127.0.0.1:%d/api/stats" % HTTPS, timeout=10, context=UNVERIFIED) as r:
            totals = json.load(r)["totals"]
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    found = {}
    for service, body in totals.items():
        for name, value in body.get("counters", {}).items():
            if "refused" in name and value:
                found[service + "." + name] = value
    return found


def hold(port, count):
    """Opens count connections that send nothing."""
    held = []
    deadline = time.monotonic() + 120
    for _ in range(count):
        if time.monotonic() > deadline:
            sys.exit("tls-flood: connecting took over 120 s")
        s = socket.socket()
        s.settimeout(2)
        s.connect(("127.0.0.1", port))
        held.append(s)
    return held


def closed_by_server(sockets):
    """How many of sockets the server has closed (end of stream or reset) by now."""
    closed = 0
    for s in sockets:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def report(tag, pid, counters=False):
    print("%-26s server fds %5d; new clients: tcp echo %s, udp echo %s, http %s, https %s%s" % (
        tag, len(os.listdir("/proc/%d/fd" % pid)), tcp_echo(), udp_echo(), health(HTTP, False), health(HTTPS, True),
        "; refused %s" % refused() if counters else ""), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--https", type=int, default=19500, help="connections to HTTPS that never send a byte")
    parser.add_argument("--tcp", type=int, default=200, help="connections to the TCP echo after them")
    args = parser.parse_args()
    if args.https < 0 or args.tcp < 0:
        sys.exit("tls-flood: --https and --tcp must be 0 or more, got %d and %d" % (args.https, args.tcp))
    if args.https + args.tcp > 19800:
        sys.exit("tls-flood: --https + --tcp must stay under 19,800 (this process holds them under the same limit)")
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    log = open(os.path.join(root, "bench", "run", "tls-flood.log"), "w") if os.path.isdir(os.path.join(root, "bench", "run")) \
        else open("/tmp/tls-flood.log", "w")
    env = dict(os.environ, VXNET_NODE_PORT_OFFSET=str(OFFSET), VXNET_DNS_ENABLED="false")
    node = subprocess.Popen(["java", "-Xmx512m", "-jar", os.path.join(root, "target", "vxnet.jar")], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "started" not in open(log.name).read():
            if node.poll() is not None or time.monotonic() > deadline:
                sys.exit("tls-flood: the node did not start; see " + log.name)
            time.sleep(0.2)
        report("before:", node.pid)
        tls = hold(HTTPS, args.https)
        plain = hold(TCP, args.tcp)
        report("all open:", node.pid)
        print("closed by the server (seen after the checks above): HTTPS %d of %d, TCP echo %d of %d" % (
            closed_by_server(tls), len(tls), closed_by_server(plain), len(plain)), flush=True)
        for s in tls + plain:
            s.close()
        # the server sees the closes asynchronously: wait until a TLS handshake is admitted again
        deadline = time.monotonic() + 30
        while health(HTTPS, True) != "ok" and time.monotonic() < deadline:
            time.sleep(0.2)
        report("after closing them:", node.pid, counters=True)
        with open(log.name) as f:
            text = f.read()
        print("node log: %d lines with 'Too many open files', %d with 'Exception'" % (
            text.count("Too many open files"), text.count("Exception")))
    finally:
        node.terminate()
        node.wait(30)


if __name__ == "__main__":
    main()
