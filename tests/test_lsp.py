"""`glutlint lsp` driven as a real subprocess over stdio by a small JSON-RPC client.

The client frames messages with Content-Length headers, reads the server's output on a thread
and waits for each reply or notification with a timeout, so a broken server fails the test
instead of hanging it. The project is a temporary copy of the flagship manuscript and its refs
and seeds, so the tests can edit the bibliography on disk.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import PYPROJECT, ROOT
from glutlint.config import load_config
from glutlint.engine import check_files
from glutlint.project import Project

TIMEOUT = 120.0  # a hang guard only: a broken server fails the test instead of hanging it
WRONG = (
    "Esketamine was approved by the FDA in 2017 for treatment-resistant depression [@mcintyre2024]."
)
RIGHT = WRONG.replace("2017", "2019")


def uri(path: Path) -> str:
    return path.resolve().as_uri()


class Client:
    """A minimal LSP client: requests wait for their reply, notifications are queued.

    Every message the server sends is also kept in `seen`, in the order it arrived, so a test
    can tell what came before what. The server's stderr is drained on a thread (a full pipe
    would block the server).
    """

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "glutlint", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.ids = itertools.count(1)
        self.replies: dict[object, queue.Queue] = {}
        self.notes: queue.Queue = queue.Queue()
        self.seen: list[dict] = []
        self.errors: list[bytes] = []
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.notes.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            assert length is not None
            msg = json.loads(out.read(length))
            self.seen.append(msg)
            if "id" in msg and "method" not in msg:
                self._reply_queue(msg["id"]).put(msg)
            elif "id" in msg:  # a request from the server (registerCapability): accept it
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                self.notes.put(msg)
            else:
                self.notes.put(msg)

    def _drain_stderr(self) -> None:
        err = self.proc.stderr
        assert err is not None
        while chunk := err.read1(65536):
            self.errors.append(chunk)

    def _reply_queue(self, ident: object) -> queue.Queue:
        with self.lock:
            return self.replies.setdefault(ident, queue.Queue())

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg: object) -> None:
        self.send_raw(frame(msg))

    def reply(self, ident: object, timeout: float = TIMEOUT) -> dict:
        """The next reply with this id (None: replies to messages whose id was unknown)."""
        try:
            return self._reply_queue(ident).get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no reply to id {ident!r} within {timeout}s; stderr: {self.stderr()}")

    def call(self, method: str, params: object, timeout: float = TIMEOUT) -> dict:
        """Send a request and return its whole reply (result or error)."""
        ident = next(self.ids)
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return self.reply(ident, timeout)

    def request(self, method: str, params: object, timeout: float = TIMEOUT) -> object:
        reply = self.call(method, params, timeout)
        assert "error" not in reply, reply["error"]
        return reply["result"]

    def notify(self, method: str, params: object) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(
        self, method: str, match: Callable[[dict], bool] = lambda p: True, timeout: float = TIMEOUT
    ) -> dict:
        """The params of the next notification `method` that `match`es (others are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"no {method} within {timeout}s; stderr: {self.stderr()}")
            try:
                msg = self.notes.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                pytest.fail(f"server exited; stderr: {self.stderr()}")
            if msg.get("method") == method and match(msg["params"]):
                return msg["params"]

    def diagnostics_for(
        self,
        path: Path,
        match: Callable[[list], bool] = lambda d: True,
        version: int | None = None,
        timeout: float = TIMEOUT,
    ) -> list:
        """The next diagnostics published for `path` (for buffer `version`, when given)."""
        params = self.wait_for(
            "textDocument/publishDiagnostics",
            lambda p: (
                p["uri"] == uri(path)
                and match(p["diagnostics"])
                and (version is None or p.get("version") == version)
            ),
            timeout,
        )
        return params["diagnostics"]

    def published_before(self, reply: dict) -> list[dict]:
        """The publishDiagnostics params that arrived before `reply`."""
        index = next(i for i, m in enumerate(self.seen) if m is reply)
        return [
            m["params"]
            for m in self.seen[:index]
            if m.get("method") == "textDocument/publishDiagnostics"
        ]

    def stderr(self) -> str:
        return b"".join(self.errors).decode("utf-8", "replace")[-2000:]

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """The server's exit code, once it has exited and all its output has been read."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server did not exit within {timeout}s; stderr: {self.stderr()}")
        self.reader.join(timeout)
        return code

    def close(self) -> None:
        try:
            if self.proc.poll() is None and not self.proc.stdin.closed:
                self.request("shutdown", None, timeout=TIMEOUT)
                self.notify("exit", None)
                self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                try:
                    if pipe is not None:
                        pipe.close()
                except OSError:
                    pass


def frame(msg: object, length: int | None = None) -> bytes:
    """A message with its Content-Length header (`length` overrides the true length)."""
    body = msg if isinstance(msg, bytes) else json.dumps(msg).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the flagship project: manuscript, refs and seeds."""
    for name in ("manuscript", "refs", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return tmp_path


@pytest.fixture
def client(project: Path) -> Iterator[Client]:
    c = Client(project)
    caps = {
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}},
        "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}},
    }
    result = c.request(
        "initialize", {"processId": os.getpid(), "rootUri": uri(project), "capabilities": caps}
    )
    assert result["serverInfo"]["name"] == "glutlint"
    c.notify("initialized", {})
    yield c
    c.close()


def test_rule_links_follow_the_client_template(project: Path) -> None:
    c = Client(project)
    try:
        c.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": uri(project),
                "capabilities": {},
                "initializationOptions": {"rulesUrl": "https://docs.example/rules/{code}.html"},
            },
        )
        c.notify("initialized", {})
        path = intro(project)
        text = open_doc(c, path)
        c.diagnostics_for(path)
        replace_all(c, path, text + "\n" + WRONG + "\n", 2)
        diags = c.diagnostics_for(path, version=2)
        hrefs = {d["code"]: d["codeDescription"]["href"] for d in diags}
        assert hrefs["GL201"] == "https://docs.example/rules/GL201.html"
    finally:
        c.close()


def intro(project: Path) -> Path:
    return next((project / "manuscript").glob("02-*.md"))


def open_doc(client: Client, path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri(path), "languageId": "markdown", "version": 1, "text": text}},
    )
    return text


def append_at_end(client: Client, path: Path, text: str, version: int, added: str) -> str:
    """An incremental didChange that appends a paragraph; returns the new text."""
    lines = text.split("\n")
    end = {"line": len(lines) - 1, "character": len(lines[-1])}
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [{"range": {"start": end, "end": end}, "text": added}],
        },
    )
    return text + added


def replace_all(client: Client, path: Path, text: str, version: int) -> None:
    """A full-text didChange."""
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [{"text": text}],
        },
    )


def codes(diags: list) -> set[str]:
    return {d["code"] for d in diags}


def test_diagnostics_follow_the_unsaved_buffer(client: Client, project: Path) -> None:
    path = intro(project)
    text = open_doc(client, path)
    assert client.diagnostics_for(path) == []  # the flagship manuscript is clean

    new = append_at_end(client, path, text, 2, "\n" + WRONG + "\n")
    diags = client.diagnostics_for(path, version=2)
    assert {"GL201", "GL301"} <= codes(diags)
    d = next(d for d in diags if d["code"] == "GL201")
    assert d["source"] == "glutlint"
    assert d["severity"] == 1
    assert "codeDescription" not in d  # no documentation URL is installed: no dead link
    line = len(new.split("\n")) - 2  # 0-based line of the appended sentence
    assert d["range"]["start"] == {"line": line, "character": WRONG.index("2017")}
    assert d["range"]["end"] == {"line": line, "character": WRONG.index("2017") + 4}
    assert path.read_text(encoding="utf-8") == text  # the file on disk was never touched

    replace_all(client, path, text + "\n" + RIGHT + "\n", 3)
    assert client.diagnostics_for(path, version=3) == []


def test_whole_manuscript_rules_still_run(client: Client, project: Path) -> None:
    """Checking one open buffer must not drop rules that need the whole manuscript."""
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path)
    # Removing the heading "# Introduction" trips GL601 (a missing required section), which
    # is reported on the first manuscript file: published there, though it is not open.
    replace_all(client, path, text.replace("# Introduction\n", "", 1), 2)
    front = project / "manuscript" / "00-front.md"
    diags = client.diagnostics_for(front, lambda d: bool(d))
    assert "GL601" in codes(diags)
    replace_all(client, path, text, 3)
    assert client.diagnostics_for(front) == []


def test_hover_shows_entry_and_supporting_passage(client: Client, project: Path) -> None:
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path)
    new = append_at_end(client, path, text, 2, "\n" + RIGHT + "\n")
    client.diagnostics_for(path)
    line = len(new.split("\n")) - 2
    character = RIGHT.index("@mcintyre2024") + 3
    result = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}},
    )
    assert result is not None
    value = result["contents"]["value"]
    assert "Glutamatergic Modulators for Major Depression" in value
    assert "McIntyre" in value and "2024" in value
    assert "`2019`: supported" in value
    assert "seeds/000_a568ac835381dff8.txt:" in value  # the passage, with file and line
    assert result["range"]["start"] == {"line": line, "character": RIGHT.index("@mcintyre2024")}

    nothing = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": 2}},
    )
    assert nothing is None


def test_completion_of_citation_keys(client: Client, project: Path) -> None:
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path)
    new = append_at_end(client, path, text, 2, "\nKetamine acts fast [@mc")
    last = new.split("\n")
    position = {"line": len(last) - 1, "character": len(last[-1])}
    result = client.request(
        "textDocument/completion",
        {
            "textDocument": {"uri": uri(path)},
            "position": position,
            "context": {"triggerKind": 1},
        },
    )
    items = {i["label"]: i for i in result["items"]}
    assert {"mcintyre2024", "sanacora2008", "kadriu2019"} <= set(items)
    item = items["mcintyre2024"]
    assert "Glutamatergic Modulators" in item["detail"]
    edit = item["textEdit"]
    assert edit["newText"] == "mcintyre2024"
    assert edit["range"]["start"] == {
        "line": position["line"],
        "character": position["character"] - 2,
    }

    # No completion inside an e-mail address.
    new = append_at_end(client, path, new, 3, " write to someone@exa")
    last = new.split("\n")
    none = client.request(
        "textDocument/completion",
        {
            "textDocument": {"uri": uri(path)},
            "position": {"line": len(last) - 1, "character": len(last[-1])},
        },
    )
    assert not none or not none["items"]


def test_broken_input_is_reported_not_fatal(client: Client, project: Path) -> None:
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path)
    bib = project / "refs" / "references.bib"
    good = bib.read_text(encoding="utf-8")
    bib.write_text(
        good.replace("@article{sanacora2008,", "@article{sanacora2008", 1) + "\n@x{", "utf-8"
    )
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(bib), "type": 2}]})
    message = client.wait_for("window/logMessage", lambda p: p["type"] == 1)
    assert "references.bib" in message["message"]
    diags = client.diagnostics_for(bib, lambda d: bool(d))
    assert diags[0]["severity"] == 1 and diags[0]["source"] == "glutlint"

    # A malformed suppression comment in the buffer: an input error on that line.
    replace_all(client, path, text + "\n<!-- glutlint: frobnicate -->\n", 2)
    bib.write_text(good, encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(bib), "type": 2}]})
    diags = client.diagnostics_for(path, lambda d: bool(d))
    assert diags[0]["code"] == "input-error"
    assert "malformed suppression" in diags[0]["message"]
    assert diags[0]["range"]["start"]["line"] == len(text.split("\n"))

    # Still alive and well: fixing the buffer clears everything.
    replace_all(client, path, text, 3)
    assert client.diagnostics_for(path, version=3) == []
    assert (
        client.request(
            "textDocument/hover",
            {
                "textDocument": {"uri": uri(path)},
                "position": {"line": 0, "character": 0},
            },
        )
        is None
    )


def test_latency_of_an_edit(client: Client, project: Path) -> None:
    """20 edits in a row, each published for its own version; the time from didChange to
    publishDiagnostics is printed (a measurement, never a pass/fail bound)."""
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path)
    times = []
    for i in range(20):
        year = 2017 if i % 2 == 0 else 2019
        sentence = WRONG.replace("2017", str(year))
        start = time.perf_counter()
        replace_all(client, path, text + "\n" + sentence + "\n", i + 2)
        diags = client.diagnostics_for(path, version=i + 2)
        times.append(time.perf_counter() - start)
        assert bool(diags) == (year == 2017)
    median, worst = statistics.median(times), max(times)
    ms = f"median {median * 1000:.1f} ms, max {worst * 1000:.1f} ms"
    print(f"\nLSP didChange -> publishDiagnostics over 20 edits: {ms}")  # shown, not asserted


# ------------------------------------------------------------------ in-process checker


def test_warm_checker_matches_check_files(project: Path) -> None:
    """The server's memoised check gives exactly what `glutlint check` gives on the same text."""
    from glutlint.lsp import Checker

    config = load_config(project)
    checker = Checker(config.root)
    path = intro(project)
    text = path.read_text(encoding="utf-8")
    variants = [
        text,
        text + "\n" + WRONG + "\n",
        text + "\n" + RIGHT + "\n",
        text.replace("# Introduction\n", "", 1),
        text + "\n<!-- glutlint: disable-next-line GL201 -->\n" + WRONG + "\n",
        text + "\nKetamine was discovered in 1962 [@mcintyre2042].\n",
    ]
    for variant in variants:
        fresh = check_files(Project.load(config), texts={path: variant})
        assert checker.check({path: variant}).diagnostics == fresh
    assert checker.loads == 1  # the project stayed warm across edits

    bib = project / "refs" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(bib, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    checker.check({path: text})
    assert checker.loads == 2  # ... and reloaded when the bibliography changed


def test_positions_are_in_utf16_units() -> None:
    """An astral character counts as two UTF-16 units in the client's columns."""
    from pygls.workspace import PositionCodec

    from glutlint.lsp import to_range

    lines = ["\U0001f600 approved in 2017 [@x]"]
    rng = to_range(PositionCodec(), lines, 1, 15, 1, 19)  # 1-based code points of "2017"
    assert (rng.start.character, rng.end.character) == (15, 19)


# ------------------------------------------------- malformed input, end of input, huge buffers

HOVER_900 = json.dumps(
    {
        "jsonrpc": "2.0",
        "id": 900,
        "method": "textDocument/hover",
        "params": {
            "textDocument": {"uri": "file:///x.md"},
            "position": {"line": 0, "character": 0},
        },
    }
).encode("utf-8")


def request_900(method: str, params: object) -> bytes:
    return frame({"jsonrpc": "2.0", "id": 900, "method": method, "params": params})


#: What a broken client may send: the bytes, and the error the server must answer with (the id
#: of the reply, None when the message's own id cannot be known, and the JSON-RPC code) or None
#: when the bytes can only be skipped.
MALFORMED: dict[str, tuple[bytes, tuple[int | None, int] | None]] = {
    "content-length-not-a-number": (b"Content-Length: abc\r\n\r\n" + HOVER_900, None),
    "content-length-shorter-than-body": (frame(HOVER_900, len(HOVER_900) - 10), (None, -32700)),
    "content-length-longer-than-body": (frame(HOVER_900, len(HOVER_900) + 10), (None, -32700)),
    "header-without-content-length": (
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + HOVER_900,
        None,
    ),
    "garbage-between-messages": (b"\r\nnot a header\r\n\x00\xff\xfe}]garbage", None),
    "malformed-json": (frame(b'{"jsonrpc": "2.0", "id": 900, "method": '), (None, -32700)),
    "body-not-utf8": (frame(b'{"jsonrpc": "2.0", "id": 900, "method": "\xff"}'), (None, -32700)),
    "json-nested-too-deeply": (frame(b"[" * 100_000 + b"]" * 100_000), (None, -32700)),
    "not-an-object": (frame(b"[1, 2, 3]"), (None, -32600)),
    "method-not-a-string": (frame({"jsonrpc": "2.0", "id": 900, "method": 42}), (900, -32600)),
    "neither-request-nor-response": (frame({"jsonrpc": "2.0", "id": 900}), (900, -32600)),
    "wrong-jsonrpc-version": (
        frame({"jsonrpc": "1.0", "id": 900, "method": "shutdown"}),
        (900, -32600),
    ),
    "hover-position-of-strings": (
        request_900(
            "textDocument/hover",
            {"textDocument": {"uri": "file:///x.md"}, "position": {"line": "a", "character": "b"}},
        ),
        (900, -32602),
    ),
    "params-not-structured": (request_900("textDocument/hover", "hover here"), (900, -32602)),
    "did-change-without-text-document": (
        frame(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {"contentChanges": [{"text": "everything replaced"}]},
            }
        ),
        None,
    ),
    # just under the old cap of 256 MiB: the server waited for a body that never came
    "content-length-over-the-cap": (b"Content-Length: 268435000\r\n\r\n{}", None),
    "did-change-negative-positions": (
        frame(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": "file:///x.md", "version": 2},
                    "contentChanges": [
                        {
                            "range": {
                                "start": {"line": -5, "character": -1},
                                "end": {"line": -1, "character": -3},
                            },
                            "text": "x",
                        }
                    ],
                },
            }
        ),
        None,
    ),
    "unknown-request": (request_900("glutlint/frobnicate", {}), (900, -32601)),
    "unknown-notification": (
        frame({"jsonrpc": "2.0", "method": "glutlint/frobnicate", "params": {}}),
        None,
    ),
}


def cited_position(text: str) -> tuple[dict, str]:
    """A position inside the first `[@key]` that follows a number in its line, and the key."""
    for i, line in enumerate(text.split("\n")):
        for m in re.finditer(r"\d[^\[\]]*\[@(\w+)", line):
            return {"line": i, "character": m.start(1) + 1}, m.group(1)
    raise AssertionError("no cited number in the text")


def opened(client: Client, project: Path) -> tuple[Path, str]:
    """The introduction, opened and checked."""
    path = intro(project)
    text = open_doc(client, path)
    assert client.diagnostics_for(path, version=1) == []
    return path, text


def edit(client: Client, path: Path, text: str) -> None:
    """A well-formed edit (sent before waiting for the reply to a bad message: a server cannot
    know that a Content-Length is larger than its body until more bytes arrive)."""
    replace_all(client, path, text + "\n" + RIGHT + "\n", 2)


def still_serving(client: Client, path: Path, text: str) -> None:
    """The edit is checked and published for its version, and hover shows the evidence for
    the edited text."""
    assert client.diagnostics_for(path, version=2) == []
    line = len(text.split("\n"))
    character = RIGHT.index("@mcintyre2024") + 3
    result = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": uri(path)}, "position": {"line": line, "character": character}},
    )
    assert "`2019`: supported" in result["contents"]["value"]


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_message_is_answered_or_skipped(name: str, client: Client, project: Path) -> None:
    path, text = opened(client, project)
    data, answer = MALFORMED[name]
    client.send_raw(data)
    edit(client, path, text)
    if answer is not None:
        ident, code = answer
        reply = client.reply(ident)
        assert reply["error"]["code"] == code, reply
        assert "result" not in reply
    still_serving(client, path, text)
    if answer is None:  # skipped: not answered later either
        assert client.replies.get(900) is None or client.replies[900].empty()


@pytest.mark.parametrize(
    "name", ["did-change-negative-positions", "hover-position-of-strings", "params-not-structured"]
)
def test_invalid_params_leave_one_line_on_stderr(name: str, client: Client, project: Path) -> None:
    """Before, pygls printed the nested cattrs traceback of each (dozens of lines)."""
    path, text = opened(client, project)
    before = len(b"".join(client.errors).splitlines())
    client.send_raw(MALFORMED[name][0])
    edit(client, path, text)
    still_serving(client, path, text)
    err = b"".join(client.errors).decode("utf-8", "replace")
    new = err.splitlines()[before:]
    assert "Traceback" not in err, err
    assert len(new) == 1 and "invalid params" in new[0].lower(), new


def test_malformed_messages_in_a_row(client: Client, project: Path) -> None:
    """All of them, back to back in one write, cost only themselves."""
    path, text = opened(client, project)
    client.send_raw(b"".join(data for data, _ in MALFORMED.values()))
    edit(client, path, text)
    still_serving(client, path, text)
    for _, answer in MALFORMED.values():
        if answer is not None and answer[0] is not None:
            assert client.reply(answer[0])["error"]["code"] == answer[1]


def test_requests_after_shutdown_are_refused(client: Client) -> None:
    assert client.request("shutdown", None) is None
    reply = client.call(
        "textDocument/hover",
        {"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}},
    )
    assert reply["error"]["code"] == -32600
    client.notify("exit", None)
    assert client.wait_exit() == 0


def huge(text: str, size: int = 300_000) -> str:
    """The text repeated to at least `size` characters."""
    return "\n\n".join([text] * (size // len(text) + 1))


def test_exits_when_the_client_closes_stdin(project: Path) -> None:
    """No exit notification, a long check under way: the end of input ends the server, and
    the check of a text nobody will read is never published."""
    c = Client(project)
    try:
        c.request("initialize", {"processId": None, "rootUri": uri(project), "capabilities": {}})
        c.notify("initialized", {})
        path = intro(project)
        text = open_doc(c, path)
        c.diagnostics_for(path, version=1)
        replace_all(c, path, huge(text), 2)
        assert c.proc.stdin is not None
        c.proc.stdin.close()
        assert c.wait_exit() == 1  # LSP: ending without a shutdown request
        published = [m for m in c.seen if m.get("method") == "textDocument/publishDiagnostics"]
        assert all(m["params"].get("version") != 2 for m in published)
    finally:
        c.close()


def test_idle_server_exits_at_end_of_input(project: Path) -> None:
    c = Client(project)
    try:
        c.request("initialize", {"processId": None, "rootUri": uri(project), "capabilities": {}})
        c.request("shutdown", None)
        assert c.proc.stdin is not None
        c.proc.stdin.close()
        assert c.wait_exit() == 0
    finally:
        c.close()


def test_hover_and_completion_answered_while_a_huge_buffer_is_checked(
    client: Client, project: Path
) -> None:
    """A 300 KB didChange is checked off the message loop: hover and completion are answered
    before its diagnostics, and a newer version supersedes it, so diagnostics for the huge
    version are never published."""
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path, version=1)
    position, key = cited_position(text)
    big = huge(text)
    replace_all(client, path, big, 2)
    hover = client.call(
        "textDocument/hover", {"textDocument": {"uri": uri(path)}, "position": position}
    )
    assert f"**@{key}**" in hover["result"]["contents"]["value"]
    assert all(p.get("version") != 2 for p in client.published_before(hover))
    lines = big.split("\n")
    at_end = {"line": len(lines) - 1, "character": len(lines[-1])}
    append_at_end(client, path, big, 3, "\nKetamine acts fast [@mc")
    completion = client.call(
        "textDocument/completion",
        {
            "textDocument": {"uri": uri(path)},
            "position": {"line": at_end["line"] + 1, "character": 23},
        },
    )
    assert "mcintyre2024" in {i["label"] for i in completion["result"]["items"]}
    assert all(p.get("version") not in (2, 3) for p in client.published_before(completion))

    # The user undoes it all: only this last version's diagnostics are published.
    replace_all(client, path, text + "\n" + WRONG + "\n", 4)
    diags = client.diagnostics_for(path, version=4)
    assert "GL201" in codes(diags)
    published = [
        m["params"] for m in client.seen if m.get("method") == "textDocument/publishDiagnostics"
    ]
    assert all(p.get("version") not in (2, 3) for p in published)
    full = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri(path)}, "position": position}
    )
    assert "Claim:" in full["contents"]["value"]


def test_shutdown_answered_while_a_huge_buffer_is_checked(client: Client, project: Path) -> None:
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path, version=1)
    replace_all(client, path, huge(text), 2)
    reply = client.call("shutdown", None)
    assert reply["result"] is None
    assert all(p.get("version") != 2 for p in client.published_before(reply))
    client.notify("exit", None)
    assert client.wait_exit() == 0


def test_buffer_over_the_size_limit_is_refused_with_a_message(
    client: Client, project: Path
) -> None:
    path = intro(project)
    text = open_doc(client, path)
    client.diagnostics_for(path, version=1)
    replace_all(client, path, huge(text, 21 * 1024 * 1024), 2)
    shown = client.wait_for("window/showMessage")
    assert "too large" in shown["message"] and "20 MiB" in shown["message"]
    diags = client.diagnostics_for(path, version=2)
    assert [d["code"] for d in diags] == ["input-error"]
    replace_all(client, path, text, 3)
    assert client.diagnostics_for(path, version=3) == []


class Trickle:
    """A stream that hands over its bytes in the chunk sizes given, as a pipe may."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.at = data, sizes or [1], 0

    def read(self, size: int = -1) -> bytes:
        n = min(size, self.sizes[self.at % len(self.sizes)]) if size > 0 else len(self.data)
        out, self.data = self.data[:n], self.data[n:]
        self.at += 1
        return out


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(
    pieces=st.lists(
        st.tuples(st.binary(max_size=30), st.text(max_size=20), st.integers(0, 60)),
        min_size=1,
        max_size=6,
    ),
    sizes=st.lists(st.integers(min_value=1, max_value=50), max_size=5),
)
def test_every_message_survives_garbage_before_it(
    pieces: list[tuple[bytes, str, int]], sizes: list[int]
) -> None:
    """Garbage of any kind between messages (with no `Content-Length:` in it) and messages
    cut short by their Content-Length, delivered in chunks of any size, cost no other
    message: each well-formed one is read, in order."""
    from glutlint.jsonrpc import HEADER, PARSE_ERROR, Invalid, messages

    sent = []
    data = b""
    for i, (garbage, text, cut) in enumerate(pieces):
        assume(HEADER not in garbage.lower() and HEADER.decode() not in text.lower())
        msg = {"jsonrpc": "2.0", "id": i, "method": "x/y", "params": {"text": text}}
        if cut:
            body = json.dumps(msg).encode("utf-8")
            data += frame(body, max(len(body) - cut, 1))
        sent.append(msg)
        data += garbage + frame(msg)
    out = list(messages(Trickle(data, sizes)))
    assert [m for m in out if isinstance(m, dict)] == sent
    errors = [m for m in out if isinstance(m, Invalid)]
    assert len(errors) == sum(1 for *_, cut in pieces if cut)
    assert all(e.code == PARSE_ERROR and e.id is None for e in errors)
