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
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import PYPROJECT, ROOT
from glutlint.config import load_config
from glutlint.engine import check_files
from glutlint.project import Project

TIMEOUT = 30.0
WRONG = (
    "Esketamine was approved by the FDA in 2017 for treatment-resistant depression [@mcintyre2024]."
)
RIGHT = WRONG.replace("2017", "2019")


def uri(path: Path) -> str:
    return path.resolve().as_uri()


class Client:
    """A minimal LSP client: requests wait for their reply, notifications are queued."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "glutlint", "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.ids = itertools.count(1)
        self.replies: dict[int, queue.Queue] = {}
        self.notes: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

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
            if "id" in msg and "method" not in msg:
                self._reply_queue(msg["id"]).put(msg)
            elif "id" in msg:  # a request from the server (registerCapability): accept it
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                self.notes.put(msg)
            else:
                self.notes.put(msg)

    def _reply_queue(self, ident: int) -> queue.Queue:
        with self.lock:
            return self.replies.setdefault(ident, queue.Queue())

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: object, timeout: float = TIMEOUT) -> object:
        ident = next(self.ids)
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        try:
            reply = self._reply_queue(ident).get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no reply to {method} within {timeout}s; stderr: {self.stderr()}")
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
    ) -> list:
        """The next diagnostics published for `path` (for buffer `version`, when given)."""
        params = self.wait_for(
            "textDocument/publishDiagnostics",
            lambda p: (
                p["uri"] == uri(path)
                and match(p["diagnostics"])
                and (version is None or p.get("version") == version)
            ),
        )
        return params["diagnostics"]

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(server still running)"
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode("utf-8", "replace")[-2000:]

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


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
    assert d["codeDescription"]["href"].endswith("gl201")
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
    """Time from didChange to the publishDiagnostics of the edited file, over 20 edits."""
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
    print(f"\nLSP didChange -> publishDiagnostics over 20 edits: {ms}")


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
