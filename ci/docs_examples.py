#!/usr/bin/env python3
"""Runs every example command of README.md and docs/*.md exactly as written and checks it against the expectation
written next to it; a false example fails. docs/contributing.md says how to write and mark examples; in short:

* Commands are the lines of ```sh (bash, shell, console) blocks; a command continues over lines until bash can parse
  it (quotes, backslashes). In a block with `$ ` prompts only those lines are commands, the rest their output.
* Expectations, in the command's trailing comment: `exits N` (default 0), `prints WORD`, `prints "TEXT"`,
  `prints: TEXT TO THE END`; a comment starting with an HTTP status (`# 301 to ...`) on a curl command. Output shown
  below a command (comment lines starting with {, [, <, HTTP/ or ;; directly below it, or below a comment ending
  with `:`; the lines after a `$` command) is checked by its first line, `...` matching anything.
* A vxnet launch (java ... -jar ...vxnet.jar, bin/vertx run) runs in the background until the next launch or the end
  of the file: the check waits for its "started" line (or its exit, with `exits N`). A command ending in `&` runs in
  the background until the end of the file. Other commands get a default vxnet (java -jar target/vxnet.jar) if none
  runs, then run with a timeout, stdin empty. Every command naming `nc` runs once per netcat installed (OpenBSD nc,
  ncat, traditional nc).
* `<!-- docs-check: ... -->` on the line before a block: `skip: REASON` (the block), `skip "TEXT": REASON` (its
  commands containing TEXT), `interactive "TEXT"` (still running at its timeout is fine), `timeout N` (seconds), `alone` (the vxnet the block
  starts stops at its end: a configuration shown by the way, not the server of the examples after it).

Usage: python3 ci/docs_examples.py [--list] [FILE ...]   (ci/docs-examples.sh runs it in a network namespace of its
own: loopback only, so the default ports are free and nothing leaves the machine).
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w+)?\s*$")
SHELL_LANGS = {"sh", "bash", "shell", "console"}
MARKER = re.compile(r"^<!--\s*docs-check:(.*?)-->\s*$")
LAUNCH = re.compile(r"(java\b[^|;&]*?-jar\s+\S*vxnet\.jar|bin/vertx\s+run)")
NOT_A_SERVER = re.compile(r"vxnet\.jar\s+(version|help|--help|-h|load)\b|\s--help\b")
DEFINITION = re.compile(r"^\s*([A-Za-z_]\w*\s*\(\)\s*\{|(export\s+)?[A-Za-z_]\w*=\S*\s*(#.*)?$)")
NO_SERVER_NEEDED = re.compile(r"^\s*(bin/demo|mvn|openssl|mkdir|printf|echo hello|head|rm|cp|ls|cat)\b")
TALKS_TO_A_SERVER = re.compile(r"127\.0\.0\.1|localhost|::1|\bnc\b|\bcurl\b|\bk?dig\b|clients/|vxnet-load")
NETCATS = [("openbsd", ["/bin/nc.openbsd", "/usr/bin/nc.openbsd"]), ("ncat", ["/usr/bin/ncat", "/bin/ncat"]),
           ("traditional", ["/bin/nc.traditional", "/usr/bin/nc.traditional"])]
COMMAND_TIMEOUT_S = 30
START_TIMEOUT_S = 300  # a launch may build the jar first (mvn ... && java -jar ...)
INTERACTIVE_S = 3  # connects, then waits for a user: a few seconds show it connected
DEFAULT_LAUNCH = "java -jar target/vxnet.jar"


@dataclass
class Example:
    file: str
    line: int
    command: str
    comment: str = ""
    shown: list = field(default_factory=list)
    skip: str = None
    interactive: bool = False
    timeout: int = COMMAND_TIMEOUT_S
    ends_server: bool = False  # the last command of an `alone` block: the vxnet it started stops after it

    def where(self):
        return f"{self.file}:{self.line}"


# ---------------------------------------------------------------------------------------------------- extraction

def complete(text):
    """Whether bash can parse text as it stands (no open quote, no trailing backslash, no open brace)."""
    if text.rstrip("\n").endswith("\\"):
        return False
    return subprocess.run(["bash", "-n", "-c", text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def trailing_comment(line):
    """The text after an unquoted `#` that starts a word, or ''."""
    start = comment_start(line)
    return line[start + 1:].strip() if start is not None else ""


def comment_start(line):
    """The index of the unquoted `#` that starts a word, or None."""
    quote = None
    escaped = False
    for i, c in enumerate(line):
        if escaped:
            escaped = False
        elif c == "\\" and quote != "'":
            escaped = True
        elif quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return i
    return None


def parse_marker(text):
    """{'skip': reason or None, 'skip_commands': [(text, reason)], 'interactive': [text or ''], 'timeout': n}"""
    marker = {"skip": None, "skip_commands": [], "interactive": [], "timeout": None, "alone": False}
    for directive in filter(None, (d.strip() for d in text.split(";"))):
        m = re.match(r'(skip|interactive)\s*(?:"([^"]*)")?\s*(?::\s*(.*))?$', directive)
        t = re.match(r"timeout\s+(\d+)$", directive)
        if m and m.group(1) == "skip" and m.group(2) is None:
            marker["skip"] = m.group(3) or "marked skip"
        elif m and m.group(1) == "skip":
            marker["skip_commands"].append((m.group(2), m.group(3) or "marked skip"))
        elif m:
            marker["interactive"].append(m.group(2) or "")
        elif t:
            marker["timeout"] = int(t.group(1))
        elif directive == "alone":
            marker["alone"] = True
        else:
            raise SystemExit(f"docs-check: unknown directive {directive!r} (skip, interactive, timeout, alone)")
    return marker


def code(command):
    """The command without its comments."""
    return "\n".join(line[:start] if (start := comment_start(line)) is not None else line for line in command.splitlines())


def launches(command):
    """Whether the command starts a vxnet node (not `version`, `help`, `load`)."""
    return bool(LAUNCH.search(code(command))) and not NOT_A_SERVER.search(code(command))


def looks_like_output(comment):
    return comment.startswith(("{", "[", "<", "HTTP/", ";;"))


def extract(path):
    """The examples of one Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rel = str(path.relative_to(ROOT))
    examples = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start = i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append((i + 1, lines[i]))
            i += 1
        i += 1
        if (fence.group(1) or "") not in SHELL_LANGS:
            continue
        previous = next((lines[j] for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        m = MARKER.match(previous.strip())
        marker = parse_marker(m.group(1)) if m else parse_marker("")
        block = transcript(rel, body) if any(text.startswith("$ ") for _, text in body) else commands(rel, body)
        for example in block:
            example.skip = marker["skip"]
            for text, reason in marker["skip_commands"]:
                if text in example.command:
                    example.skip = reason
            example.interactive = any(text in example.command for text in marker["interactive"])
            if marker["timeout"]:
                example.timeout = marker["timeout"]
        if block and marker["alone"]:
            block[-1].ends_server = True
        examples.extend(block)
    return examples


def continued(body, k, first):
    """The command starting at body[k] (its text `first`) with the lines it continues over, and the index after it."""
    command = first
    while not complete(command) and k + 1 < len(body):
        k += 1
        command += "\n" + body[k][1]
    return command, k + 1


def commands(rel, body):
    examples = []
    k = 0
    while k < len(body):
        number, text = body[k]
        if not text.strip() or text.lstrip().startswith("#"):
            k += 1
            continue
        command, k = continued(body, k, text)
        comment = trailing_comment(command.splitlines()[-1])
        example = Example(rel, number, command, comment)
        shows = comment.endswith(":")
        while k < len(body) and body[k][1].lstrip().startswith("#"):
            shown = body[k][1].lstrip()[1:].strip()
            if not (shows or looks_like_output(shown)):
                break
            example.shown.append(shown)
            shows = True
            k += 1
        examples.append(example)
    return examples


def transcript(rel, body):
    examples = []
    k = 0
    while k < len(body):
        number, text = body[k]
        if not text.startswith("$ "):
            k += 1
            continue
        command, k = continued(body, k, text[2:])
        example = Example(rel, number, command, trailing_comment(command.splitlines()[-1]))
        while k < len(body) and not body[k][1].startswith("$ "):
            example.shown.append(body[k][1])
            k += 1
        examples.append(example)
    return examples


# ---------------------------------------------------------------------------------------------------- expectations

def expectations(example):
    """(exit status, [texts the output must contain], HTTP status or None, regex of the first shown line or None)"""
    comment = example.comment
    status = int(m.group(1)) if (m := re.search(r"\bexits (\d+)\b", comment)) else 0
    texts = []
    for m in re.finditer(r'\bprints(?::\s*(.+)$|\s+"([^"]*)"|\s+`([^`]*)`|\s+(\S+))', comment):
        text = m.group(1) or m.group(2) or m.group(3) or m.group(4).rstrip(",;:.)")
        texts.append(text.strip())
    http = None
    if re.match(r"^\d{3}\b", comment) and re.match(r"\s*curl\b", example.command):
        http = comment[:3]
    first = next((line for line in example.shown if line.strip() and line.strip() != "..."), None)
    shown = None
    if first is not None:
        first = re.sub(r"\s+#\s.*$", "", first).strip()  # a comment inside shown output explains, it is not output
        shown = ".*".join(re.escape(" ".join(part.split())) for part in first.split("..."))
    return status, texts, http, shown


def check(example, code, output):
    """Why the result is false, or None."""
    status, texts, http, shown = expectations(example)
    if code != status:
        return f"exit status {code}, expected {status}"
    for text in texts:
        if text not in output:
            return f"output lacks {text!r}"
    if http and not re.search(r"^HTTP/[\d.]+ " + http + r"\b", output, re.M):
        return f"no HTTP {http} status line in the output"
    if shown and not re.search(shown, " ".join(output.split())):
        return f"output does not show {example.shown[0].strip()!r}"
    return None


# ---------------------------------------------------------------------------------------------------- running

class Runner:
    def __init__(self, scratch, netcats):
        self.scratch = scratch
        self.netcats = netcats
        self.server = None  # (Popen, output list, example)
        self.background = []
        self.prelude = []
        self.results = []

    def env(self, netcat=None):
        env = dict(os.environ)
        env = {k: v for k, v in env.items() if not k.startswith("VXNET_")}
        if netcat:
            env["PATH"] = str(netcat) + os.pathsep + env["PATH"]
        return env

    def spawn(self, command, env):
        out = []
        process = subprocess.Popen(["bash", "-c", "\n".join(self.prelude + [command])], cwd=self.scratch, env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True, text=True, errors="replace")

        def pump():
            for line in process.stdout:
                out.append(line)
        threading.Thread(target=pump, daemon=True).start()
        return process, out

    @staticmethod
    def stop(process, grace=30):
        """Ends the command's whole process group: a `... &` command's shell has exited, its children have not."""
        def alive():
            try:
                os.killpg(process.pid, 0)
                return True
            except ProcessLookupError:
                return False
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
            if not alive():
                break
            os.killpg(process.pid, sig)
            deadline = time.monotonic() + wait
            while alive() and time.monotonic() < deadline:
                process.poll()  # reaps the shell itself, so that the group can empty
                time.sleep(0.1)
        process.poll()

    def stop_server(self):
        if self.server:
            self.stop(self.server[0])
            self.server = None

    def end_of_file(self):
        self.stop_server()
        for process in self.background:
            self.stop(process, grace=5)
        self.background = []
        self.prelude = []
        subprocess.run(["bin/demo", "stop"], cwd=self.scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def launch(self, example):
        """Starts a vxnet in the background; waits for its start (or its exit, when an exit status is expected)."""
        self.stop_server()
        status, _, _, _ = expectations(example)
        process, out = self.spawn(example.command, self.env())
        # A verticle run alone (a Java class, a Groovy script) logs its "listening on", not the node's "started".
        single_verticle = re.search(r"run\s+(?!dev\.vxnet\.MainVerticle)([\w.]+Verticle\b|\S+\.groovy\b)", example.command)
        ready = re.compile(r"node \S+: started" + (r"|: listening on " if single_verticle else ""))
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                time.sleep(0.2)  # the pump thread reads the last lines
                return check(example, process.returncode, "".join(out)), "".join(out)
            if status == 0 and any(ready.search(line) for line in out):
                self.server = (process, out, example)
                return check(example, 0, "".join(out)), "".join(out)
            time.sleep(0.2)
        self.stop(process)
        return f"no \"started\" line within {START_TIMEOUT_S} s", "".join(out)

    @staticmethod
    def await_start(process, out, example, ready):
        """None once a background vxnet logged its start; why not, if it exited or did not start in time."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if any(ready.search(line) for line in out):
                return check(example, 0, "".join(out))
            process.poll()  # the shell of `... &` exits at once; the node lives on in its process group
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return "exited before its \"started\" line"
            time.sleep(0.2)
        return f"no \"started\" line within {START_TIMEOUT_S} s"

    def ensure_server(self):
        if self.server and self.server[0].poll() is None:
            return None
        default = Example("(default vxnet)", 0, DEFAULT_LAUNCH)
        problem, output = self.launch(default)
        return None if not problem else f"the default vxnet did not start: {problem}\n{tail(output)}"

    def run(self, example, netcat=None):
        if DEFINITION.match(example.command):
            self.prelude.append(example.command)  # a function or variable the next commands of this file use
            return None, ""
        background = code(example.command).rstrip()
        if background.endswith("&") and not background.endswith("&&"):
            if launches(example.command):
                self.stop_server()  # the foreground vxnet would hold the ports this one takes
            process, out = self.spawn(example.command, self.env(netcat))
            self.background.append(process)
            if launches(example.command):  # a vxnet in the background: the next commands need it started
                return self.await_start(process, out, example, re.compile(r"node \S+: started")), "".join(out)
            time.sleep(1)  # background peers (dnsmasq, an http.server) bind at once; the next command checks them
            return None, ""
        if TALKS_TO_A_SERVER.search(code(example.command)) or not NO_SERVER_NEEDED.match(example.command):
            problem = self.ensure_server()
            if problem:
                return problem, ""
        process, out = self.spawn(example.command, self.env(netcat))
        limit = INTERACTIVE_S if example.interactive else example.timeout
        try:
            process.wait(limit)
        except subprocess.TimeoutExpired:
            self.stop(process, grace=5)
            time.sleep(0.2)
            if example.interactive:
                return check(example, 0, "".join(out)), "".join(out)
            return f"still running after {limit} s", "".join(out)
        time.sleep(0.1)
        output = "".join(out)
        return check(example, process.returncode, output + self.status_probe(example, output)), output

    def status_probe(self, example, output):
        """For `curl URL  # 400 ...` without -i: the status of the same request, as a status line, else ''."""
        http = expectations(example)[2]
        line = example.command.strip()
        if not http or "\n" in line or re.search(r"^HTTP/", output, re.M):
            return ""
        start = comment_start(line)
        bare = (line[:start] if start is not None else line).rstrip()
        if re.search(r"[|;&<>`$]", bare):
            return ""
        probe = subprocess.run(["bash", "-c", bare + " -s -o /dev/null -w '%{http_version} %{http_code}'"], cwd=self.scratch,
                               stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=example.timeout)
        return "\nHTTP/" + probe.stdout.strip() + " (status of the same request)\n"


def tail(text, lines=15):
    return "\n".join("      " + line for line in text.rstrip().splitlines()[-lines:])


def netcat_shims(scratch):
    """One directory per netcat installed, holding `nc` for it."""
    shims = []
    for name, candidates in NETCATS:
        binary = next((c for c in candidates if os.access(c, os.X_OK)), None)
        if binary:
            directory = Path(scratch) / ".nc" / name
            directory.mkdir(parents=True)
            (directory / "nc").symlink_to(binary)
            shims.append((name, directory))
    return shims


def scratch_directory():
    """A working directory that sees the checkout (each top-level entry linked) but keeps what commands write."""
    scratch = Path(tempfile.mkdtemp(prefix="vxnet-docs-"))
    for entry in ROOT.iterdir():
        if entry.name != ".git":
            (scratch / entry.name).symlink_to(entry)
    return scratch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the examples and their expectations, run nothing")
    parser.add_argument("files", nargs="*", help="Markdown files (default: README.md and docs/*.md)")
    args = parser.parse_args()
    files = [Path(f).resolve() for f in args.files] or [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    examples = {f: extract(f) for f in files}
    if args.list:
        for f, found in examples.items():
            for e in found:
                status, texts, http, shown = expectations(e)
                what = f"SKIP ({e.skip})" if e.skip else f"exits {status}" + (f", prints {texts}" if texts else "") \
                    + (f", HTTP {http}" if http else "") + (f", shows {e.shown[0].strip()!r}" if shown else "") \
                    + (", interactive" if e.interactive else "")
                print(f"{e.where()}: {e.command.splitlines()[0][:90]}\n    {what}")
        return 0
    if not os.access(ROOT / "target" / "vxnet.jar", os.R_OK):
        print("docs-check: target/vxnet.jar is missing: build it first (mvn -q -B -DskipTests package)", file=sys.stderr)
        return 2
    scratch = scratch_directory()
    shims = netcat_shims(scratch)
    runner = Runner(scratch, shims)
    passed, skipped, failed = 0, [], []
    started = time.monotonic()
    try:
        for f, found in examples.items():
            for e in found:
                first = e.command.splitlines()[0][:100]
                if e.skip:
                    skipped.append(e)
                    print(f"SKIP {e.where()} {first}  ({e.skip})", flush=True)
                    continue
                variants = [(f"nc={name}", path) for name, path in shims] if re.search(r"\bnc\b", code(e.command)) else [("", None)]
                if not variants:
                    failed.append((e, "no netcat installed (netcat-openbsd and ncat are expected)"))
                    print(f"FAIL {e.where()} {first}: no netcat installed", flush=True)
                for label, shim in variants:
                    t0 = time.monotonic()
                    if launches(e.command) and not e.interactive and not code(e.command).rstrip().endswith(" &"):
                        problem, output = runner.launch(e)
                    else:
                        problem, output = runner.run(e, shim)
                    if e.ends_server:
                        runner.stop_server()
                    took = f"{time.monotonic() - t0:.1f}s"
                    suffix = f" [{label}]" if label else ""
                    if problem:
                        failed.append((e, problem))
                        print(f"FAIL {e.where()} {first}{suffix} ({took}): {problem}\n{tail(output)}", flush=True)
                    else:
                        passed += 1
                        print(f"PASS {e.where()} {first}{suffix} ({took})", flush=True)
            runner.end_of_file()
    finally:
        runner.end_of_file()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\ndocs-check: {passed} passed, {len(failed)} failed, {len(skipped)} skipped "
          f"in {time.monotonic() - started:.0f} s")
    for e, problem in failed:
        print(f"  FAILED  {e.where()}: {problem}")
    for e in skipped:
        print(f"  skipped {e.where()}: {e.skip}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
