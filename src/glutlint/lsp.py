"""glutlint's language server: diagnostics as you type, citation hover and key completion.

The server keeps one warm `Checker` per project (the folder of the `pyproject.toml` with
`[tool.glutlint]` above an opened file). The project (bibliography, source texts, lexicon,
ledger) is loaded once and reloaded only when one of its input files changes on disk, which a
cheap mtime check notices before every run. Every edit re-checks the WHOLE manuscript with the
open buffers' unsaved text in place of the files on disk, because whole-manuscript rules
(uncited entries, required sections) are skipped when only some files are checked; diagnostics
are then published for every file they concern, including the bibliography and the ledger.

To stay well under 100 ms per edit on the flagship manuscript, the checker reuses what an
edit cannot have changed: parsed documents whose text is unchanged, their claims, and the
verdicts on those claims. The result is the same as `glutlint check` on the same text
(tests/test_lsp.py compares them).

Errors in the inputs (an `InputError`: a broken bibliography, a malformed suppression comment)
never stop the server: they become an error diagnostic at the file and line concerned and a
window/logMessage.

Nor does the client: the server reads its messages with `jsonrpc` (malformed ones are
answered with a JSON-RPC error or skipped) and checks on a thread of its own (`Linter`), so
hover, completion and shutdown are answered while a long check runs, and a newer edit
cancels the check of an older text, whose diagnostics are never published. The server exits
at `exit` or when its input ends.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import PositionCodec

from . import __version__, jsonrpc
from .claims import Claim, claims_of
from .config import Config, find_pyproject, load_config
from .diagnostics import ERROR, Diagnostic
from .engine import Context, run_rules
from .errors import InputError
from .evidence import Verdict, check_claim
from .manuscript import Cite, Document, parse
from .nesting import refuse_deep_nesting, too_deep
from .project import Project
from .textio import MAX_BYTES, read_text

log = logging.getLogger(__name__)

SOURCE = "glutlint"
INPUT_ERROR = "input-error"
# A citation key being typed: `@` at the start, after a space, `[`, `;` or `-` (pandoc's
# author-suppressing `-@key`), never inside an e-mail address.
COMPLETING_RE = re.compile(r"(?:^|(?<=[\s\[;\-(]))@(?P<prefix>[\w:.#$%&+?<>~/-]*)$")
# A citation key as pandoc reads it: inner punctuation only when a word character follows.
KEY_RE = re.compile(r"(?:^|(?<=[\s\[;\-(]))@(?P<key>\w(?:[\w]|[:.#$%&+?<>~/-](?=\w))*)")


class Superseded(Exception):
    """A newer edit arrived while a check ran: its result would be stale, so it is dropped."""


class BufferTooLarge(InputError):
    """An open buffer over the size `glutlint check` accepts for a file: not checked."""


def _never() -> bool:
    return False


# --------------------------------------------------------------------------- the checker


@dataclass
class _Memo:
    """Claims per parsed document and verdicts per claim, valid while the project is."""

    claims: dict[int, tuple[Document, list[Claim]]] = field(default_factory=dict)
    verdicts: dict[int, tuple[Claim, Verdict]] = field(default_factory=dict)

    def prune(self, documents: list[Document]) -> None:
        """Forget what belongs to documents no longer current, so memory stays bounded."""
        alive = {id(d) for d in documents}
        self.claims = {k: v for k, v in self.claims.items() if k in alive}
        claims = {id(c) for _, cs in self.claims.values() for c in cs}
        self.verdicts = {k: v for k, v in self.verdicts.items() if k in claims}


@dataclass
class WarmContext(Context):
    """A Context whose claims and verdicts come from the memo when the document is unchanged."""

    memo: _Memo = field(default_factory=_Memo)
    cancelled: Callable[[], bool] = _never

    @cached_property
    def claims(self) -> list[Claim]:
        out: list[Claim] = []
        for doc in self.documents:
            if self.cancelled():
                raise Superseded
            hit = self.memo.claims.get(id(doc))
            if hit is None or hit[0] is not doc:
                hit = (
                    doc,
                    claims_of(doc, self.project.lexicon, self.exempt_sections, self.project.store),
                )
                self.memo.claims[id(doc)] = hit
            out.extend(hit[1])
        return out

    @cached_property
    def verdicts(self) -> list[Verdict]:
        p = self.project
        out: list[Verdict] = []
        for c in self.claims:
            if not c.cites:
                continue
            if self.cancelled():
                raise Superseded
            hit = self.memo.verdicts.get(id(c))
            if hit is None or hit[0] is not c:
                hit = (c, check_claim(c, p.indexes, p.lexicon, p.entries))
                self.memo.verdicts[id(c)] = hit
            out.append(hit[1])
        return out


@dataclass
class Outcome:
    """One check of the whole manuscript: diagnostics per file, and inputs that failed."""

    texts: dict[Path, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    ctx: Context | None = None

    @cached_property
    def records(self) -> list:  # list[trail.ClaimRecord]
        from .trail import records

        return records(self.ctx, self.diagnostics) if self.ctx is not None else []


class Checker:
    """A warm project and the last check of its manuscript."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config: Config | None = None
        self.project: Project | None = None
        self.load_error: InputError | None = None
        self._stamps: dict[Path, int | None] = {}
        self._docs: dict[Path, tuple[str, Document]] = {}
        self._memo = _Memo()
        self._last: Outcome | None = None
        self.loads = 0  # how many times the project was loaded (tests read it)
        self.busy = threading.Lock()  # held while a check runs (on the server's lint thread)

    # -- project ----------------------------------------------------------------------

    def _inputs(self) -> list[Path]:
        """Files whose change means the project must be loaded again."""
        c = self.config
        files = [self.root / "pyproject.toml"]
        if c is not None:
            files += [p for p in (c.bibliography, c.sources, c.facts, c.lexicon) if p]
        if self.project is not None:
            files += [e.file for e in self.project.entries.values() if e.file is not None]
        return files

    @staticmethod
    def _stamp(path: Path) -> int | None:
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return None

    def refresh(self) -> bool:
        """Reload the project when its configuration or an input file changed; True if so."""
        stamps = {p: self._stamp(p) for p in self._inputs()}
        try:
            config = load_config(self.root)
        except InputError as exc:
            changed = self.config is not None or self.load_error is None
            changed = changed or stamps != self._stamps
            self.config, self.project, self.load_error = None, None, exc
            self._stamps = stamps
            if changed:
                self._forget()
            return changed
        if config == self.config and stamps == self._stamps:
            return False
        self.config = config
        self._forget()
        try:
            self.project = Project.load(config)
            self.load_error = None
        except InputError as exc:
            self.project, self.load_error = None, exc
        self.loads += 1
        self._stamps = {p: self._stamp(p) for p in self._inputs()}
        return True

    def _forget(self) -> None:
        self._docs.clear()
        self._memo = _Memo()
        self._last = None

    # -- checking ---------------------------------------------------------------------

    def manuscript(self) -> list[Path]:
        return list(self.config.manuscript) if self.config is not None else []

    def _document(self, path: Path, text: str | None) -> Document:
        assert self.config is not None
        shown = self.config.rel(path)
        if text is None:
            text = read_text(path, shown)
        elif len(text) > MAX_BYTES // 4 and len(text.encode("utf-8")) > MAX_BYTES:
            size = len(text.encode("utf-8")) // 1048576
            limit = MAX_BYTES // 1048576
            raise BufferTooLarge(
                shown, None, f"buffer too large to check ({size} MiB; limit {limit} MiB)"
            )
        cached = self._docs.get(path)
        if cached is not None and cached[0] == text:
            return cached[1]
        refuse_deep_nesting(text, shown)  # as `check` does, before pandoc reads it
        try:
            doc = parse(path, text, shown, self.project.store if self.project else None)
        except RecursionError:
            raise too_deep([(text, shown)]) from None
        self._docs[path] = (text, doc)
        return doc

    def check(self, texts: dict[Path, str], cancelled: Callable[[], bool] = _never) -> Outcome:
        """Check the whole manuscript with `texts` (open buffers) in place of the disk files.

        `cancelled` is asked between documents, claims and verdicts; when it says yes, the
        check stops with `Superseded` (what it computed so far stays memoised)."""
        self.refresh()
        wanted = set(self.manuscript())
        texts = {p: _normal(t) for p, t in texts.items() if p in wanted}
        last = self._last
        if last is not None and last.texts == texts and self._disk_unchanged(last):
            return last
        out = Outcome(dict(texts))
        if self.project is None:
            out.failures.append(self.load_error or InputError(None, None, "no project loaded"))
            self._last = out
            return out
        docs: list[Document] = []
        for path in self.manuscript():
            if cancelled():
                raise Superseded
            try:
                docs.append(self._document(path, texts.get(path)))
            except InputError as exc:
                out.failures.append(exc)
                self._docs.pop(path, None)
        for stale in set(self._docs) - set(self.manuscript()):
            del self._docs[stale]
        full = not out.failures
        ctx = WarmContext(self.project, docs, full, memo=self._memo, cancelled=cancelled)
        out.diagnostics = run_rules(ctx)
        ctx.cancelled = _never  # the outcome is complete: reading it later never cancels
        out.ctx = ctx
        self._memo.prune(docs)
        self._last = out
        return out

    def _disk_unchanged(self, last: Outcome) -> bool:
        """Whether the manuscript files not open in the editor still hold what was checked."""
        for path in self.manuscript():
            if path in last.texts:
                continue
            cached = self._docs.get(path)
            try:
                text = read_text(path, str(path))
            except InputError:
                return False
            if cached is None or cached[0] != text:
                return False
        return True

    def path_of(self, shown: str | None) -> Path:
        """The file a diagnostic or an input error names (paths are shown root-relative)."""
        if not shown:
            return self.root / "pyproject.toml"
        p = Path(shown)
        return (p if p.is_absolute() else self.root / p).resolve()

    def document_at(self, path: Path) -> Document | None:
        hit = self._docs.get(path)
        return hit[1] if hit is not None else None


# --------------------------------------------------------------------------- conversion


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _normal(text: str) -> str:
    """Editor text as glutlint reads files: CRLF and CR folded to LF (columns unchanged)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def to_range(
    codec: PositionCodec, lines: list[str], line: int, col: int, end_line: int, end_col: int
) -> lsp.Range:
    """1-based code-point positions (end exclusive) to an LSP range in the client's units."""
    start = lsp.Position(max(line - 1, 0), max(col - 1, 0))
    end = lsp.Position(max(end_line - 1, 0), max(end_col - 1, 0))
    if (end.line, end.character) < (start.line, start.character):
        end = lsp.Position(start.line, start.character + 1)
    return lsp.Range(
        codec.position_to_client_units(lines, start), codec.position_to_client_units(lines, end)
    )


def default_rules_url() -> str:
    """`<documentation URL>#gl201`; clients can pass their own template as `rulesUrl`."""
    from .formats.sarif import information_uri

    base = information_uri()
    return base.replace("{", "{{").replace("}", "}}") + "#{code_lower}" if base else ""


def rule_url(code: str, template: str) -> str:
    """The rule's documentation link: `{code}` and `{code_lower}` in `template` are filled in."""
    try:
        return template.format(code=code, code_lower=code.lower())
    except (KeyError, IndexError, ValueError):
        return template


def to_lsp(
    d: Diagnostic, codec: PositionCodec, lines: list[str], url_template: str
) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=to_range(codec, lines, d.line, d.column, d.end_line, d.end_column),
        message=d.message,
        severity=lsp.DiagnosticSeverity.Error
        if d.severity == ERROR
        else lsp.DiagnosticSeverity.Warning,
        code=d.code,
        code_description=lsp.CodeDescription(href=rule_url(d.code, url_template))
        if url_template
        else None,
        source=SOURCE,
        tags=[lsp.DiagnosticTag.Unnecessary] if d.code == "GL001" else None,
    )


def failure_to_lsp(exc: InputError, codec: PositionCodec, lines: list[str]) -> lsp.Diagnostic:
    line = max((exc.line or 1) - 1, 0)
    width = len(lines[line]) if line < len(lines) else 0
    return lsp.Diagnostic(
        range=to_range(codec, lines, line + 1, 1, line + 1, max(width, 1) + 1),
        message=exc.message,
        severity=lsp.DiagnosticSeverity.Error,
        code=INPUT_ERROR,
        source=SOURCE,
    )


def cite_at(doc: Document, line: int, col: int) -> Cite | None:
    """The citation under a 1-based code-point position."""
    for c in doc.cites:
        if (c.line, c.column) <= (line, col) < (c.end_line, c.end_column):
            return c
    return None


def key_at(line: str, col: int) -> tuple[str, int, int] | None:
    """The citation key under a 0-based code-point column of a line: key, start, end."""
    for m in KEY_RE.finditer(line):
        if m.start() <= col < m.end():
            return m.group("key"), m.start(), m.end()
    return None


def entry_text(project: Project | None, key: str) -> list[str]:
    """Markdown paragraphs: the entry's authors, year and title."""
    entry = project.entries.get(key) if project is not None else None
    if entry is None:
        return [f"**@{key}**: not in the bibliography"]
    authors = "; ".join(entry.authors) or "(no authors)"
    year = entry.year or "n.d."
    return [f"**@{key}**: {authors} ({year})", f"*{entry.title or '(no title)'}*"]


def hover_text(project: Project, outcome: Outcome, doc: Document, cite: Cite) -> str:
    """Markdown: the entry, then, for a claim, its items and the passages that support them."""
    parts = entry_text(project, cite.key)
    if cite.key not in project.entries:
        return parts[0]
    sentence = next((s for s in doc.sentences if cite in s.cites), None)
    rec = None
    if sentence is not None:
        rec = next(
            (
                r
                for r in outcome.records
                if r.path == doc.shown and (r.line, r.column) == (sentence.line, sentence.column)
            ),
            None,
        )
    if rec is None:
        return "\n\n".join(parts)
    lines = [f"Claim: **{rec.verdict}**"]
    for item in rec.items:
        row = f"- {item.kind} `{item.text}`: {item.status}"
        if item.note:
            row += f" ({item.note})"
        p = item.passage
        if p is not None:
            row += f'; {p.key} `{p.where}`: "{p.snippet}"'
        lines.append(row)
    for d in rec.diagnostics:
        lines.append(f"- {d.code} {d.message}")
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- the lint thread


@dataclass
class Job:
    """A check of one project's manuscript against a snapshot of the open buffers."""

    checker: Checker
    texts: dict[Path, str]
    generation: int


class Linter:
    """One background thread that checks, one at a time, the newest snapshot of each project.

    The message loop never checks: it hands a snapshot over with `submit` and goes on
    answering. A newer snapshot of a project replaces the one waiting and cancels the one
    running (at its next document, claim or verdict), so edits made during a long check are
    folded into one check of the latest text. `done` receives each finished check (or the
    exception of a failed one); it is stale, and must not be published, unless `current`.
    """

    def __init__(self, done: Callable[[Job, Outcome | Exception], None]) -> None:
        self._done = done
        self._cond = threading.Condition()
        self._waiting: dict[Path, Job] = {}
        self._generation: dict[Path, int] = {}
        self._running: Job | None = None
        self._stopped = False
        self._thread: threading.Thread | None = None

    def submit(self, checker: Checker, texts: dict[Path, str]) -> None:
        with self._cond:
            if self._stopped:
                return
            generation = self._generation.get(checker.root, 0) + 1
            self._generation[checker.root] = generation
            self._waiting[checker.root] = Job(checker, texts, generation)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="glutlint-lint", daemon=True)
                self._thread.start()
            self._cond.notify()

    def current(self, job: Job) -> bool:
        """Whether no newer snapshot of the job's project was submitted since."""
        return not self._stopped and self._generation.get(job.checker.root) == job.generation

    def _stale(self, job: Job) -> bool:
        return not self.current(job)

    def stop(self) -> bool:
        """Take no more work and cancel what runs; True if no check is running any more."""
        with self._cond:
            self._stopped = True
            self._waiting.clear()
            self._cond.notify()
            return self._running is None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                job = self._waiting.pop(next(iter(self._waiting)))
                self._running = job
            result: Outcome | Exception | None
            try:
                with job.checker.busy:
                    result = job.checker.check(job.texts, partial(self._stale, job))
            except Superseded:
                result = None
            except Exception as exc:  # a bug must not take the server down with it
                log.exception("check failed")
                result = exc
            finally:
                with self._cond:
                    self._running = None
            if result is not None and self.current(job):
                self._done(job, result)


# --------------------------------------------------------------------------- the server


class GlutlintServer(LanguageServer):
    """The pygls server with one Checker per project and the diagnostics it has published.

    pygls' own stdio loop stops for good on a malformed message and checks on the message
    loop, so `serve_stdio` runs a loop of its own: a thread reads messages (`jsonrpc`), the
    main thread answers them one by one, and the `Linter` thread checks. Only the main thread
    writes to the client.
    """

    def __init__(self) -> None:
        super().__init__(
            "glutlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental
        )
        self.checkers: dict[Path, Checker] = {}
        self.published: dict[Path, set[Path]] = {}
        self.rules_url = default_rules_url()
        self.shut_down = False
        self.inbox: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self.linter = Linter(lambda job, result: self.inbox.put(("linted", (job, result))))
        self._first: dict[Path, list[Path]] = {}  # files to publish for even if clean
        self._reported: dict[Path, set[str]] = {}
        self._shown: dict[Path, Outcome] = {}  # the Outcome last published per project
        self._roots: dict[Path, Path | None] = {}

    # -- the message loop -------------------------------------------------------------

    def serve_stdio(self, stdin: jsonrpc.ByteStream, stdout: object) -> int:
        """Answer messages until `exit` or the end of input; the process's exit code."""
        self.protocol.set_writer(StdoutWriter(stdout))  # type: ignore[arg-type]
        reader = threading.Thread(
            target=self._read_input, args=(stdin,), name="glutlint-stdin", daemon=True
        )
        reader.start()
        try:
            while True:
                kind, item = self.inbox.get()
                if kind == "eof":
                    log.info("end of input: exiting")
                    return 0 if self.shut_down else 1
                if kind == "in":
                    self.receive(item)  # type: ignore[arg-type]
                else:
                    self.linted(*item)  # type: ignore[misc]
        except SystemExit as exc:  # pygls ends the `exit` notification with sys.exit()
            return exc.code if isinstance(exc.code, int) else 1
        except BrokenPipeError:
            return 1

    def _read_input(self, stdin: jsonrpc.ByteStream) -> None:
        try:
            for item in jsonrpc.messages(stdin):
                self.inbox.put(("in", item))
        except (OSError, ValueError):
            log.exception("reading input failed")
        finally:
            self.inbox.put(("eof", None))

    def receive(self, item: dict | jsonrpc.Invalid | jsonrpc.Skipped) -> None:
        """Answer or skip one message: a broken one never stops the loop."""
        if isinstance(item, jsonrpc.Skipped):
            self.log(f"glutlint: skipped {item.size} bytes of input: {item.reason}", WARNING)
            return
        if isinstance(item, jsonrpc.Invalid):
            self.reply_error(item)
            return
        method = item.get("method")
        request = "method" in item and "id" in item
        if "method" not in item and item.get("jsonrpc") != "2.0":  # a response is never answered
            self.log("glutlint: ignored a response that is not JSON-RPC 2.0", WARNING)
            return
        if self.shut_down and method != lsp.EXIT:
            if request:
                self.reply_error(jsonrpc.Invalid(jsonrpc.INVALID_REQUEST, "shut down", item["id"]))
            return
        try:
            message = self.protocol.structure_message(item)
        except JsonRpcException as exc:
            detail = _why(exc)
            if request:
                text = f"Invalid params for {method}{detail}"
                self.reply_error(jsonrpc.Invalid(jsonrpc.INVALID_PARAMS, text, item["id"]))
            else:
                self.log(f"glutlint: ignored {method!r} with invalid params{detail}", WARNING)
            return
        try:
            self.protocol.handle_message(message)
        except Exception:  # pygls answers a request whose handler failed; this is the rest
            log.exception("message not handled: %.200r", item)

    def reply_error(self, error: jsonrpc.Invalid) -> None:
        self.log(f"glutlint: {error.message}", WARNING)
        self.protocol._send_data(error.response())  # the error must carry "id": null

    # -- bookkeeping ------------------------------------------------------------------

    @staticmethod
    def path_of(uri: str) -> Path | None:
        fs = to_fs_path(uri)
        return Path(fs).resolve() if fs else None

    def checker_for(self, path: Path) -> Checker | None:
        """The checker of the project holding `path`, created on first use."""
        if path not in self._roots:
            pyproject = find_pyproject(path.parent)
            self._roots[path] = pyproject.parent.resolve() if pyproject is not None else None
        root = self._roots[path]
        if root is None:
            return None
        if root not in self.checkers:
            self.checkers[root] = Checker(root)
        return self.checkers[root]

    def open_texts(self, checker: Checker) -> dict[Path, str]:
        texts: dict[Path, str] = {}
        for uri, doc in self.workspace.text_documents.items():
            path = self.path_of(uri)
            if path is not None and path.is_relative_to(checker.root):
                texts[path] = doc.source
        return texts

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        if kind in (lsp.MessageType.Error, lsp.MessageType.Warning):
            log.warning("%s", message)
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    # -- checking and publishing ------------------------------------------------------

    def schedule(self, checker: Checker, first: Path | None = None) -> None:
        """Check the current buffers on the lint thread; `first` is published even if clean."""
        if first is not None:
            firsts = self._first.setdefault(checker.root, [])
            if first not in firsts:
                firsts.append(first)
        self.linter.submit(checker, self.open_texts(checker))

    def recheck_all(self) -> None:
        """After a save or a change on disk: check again what changed (a no-op otherwise)."""
        for checker in list(self.checkers.values()):
            self.schedule(checker)

    def linted(self, job: Job, result: Outcome | Exception) -> None:
        """A check finished on the lint thread: publish it, unless the text moved on since."""
        if not self.linter.current(job):
            return
        checker = job.checker
        if isinstance(result, Exception):
            self.log(f"glutlint: internal error while checking: {result!r}", ERROR_MESSAGE)
            return
        firsts = self._first.pop(checker.root, [])
        if firsts or self._shown.get(checker.root) is not result:
            self.publish(checker, result, firsts)

    def publish(self, checker: Checker, outcome: Outcome, firsts: list[Path] | None = None) -> None:
        firsts = firsts or []
        by_path: dict[Path, list[Diagnostic]] = {}
        for d in outcome.diagnostics:
            by_path.setdefault(checker.path_of(d.path), []).append(d)
        failures: dict[Path, list[InputError]] = {}
        before = self._reported.get(checker.root, set())
        for exc in outcome.failures:
            failures.setdefault(checker.path_of(exc.path), []).append(exc)
            if str(exc) not in before:  # each new input error is logged once
                self.log(f"glutlint: {exc}", ERROR_MESSAGE)
                if isinstance(exc, BufferTooLarge):
                    self.window_show_message(
                        lsp.ShowMessageParams(type=WARNING, message=f"glutlint: {exc}")
                    )
        self._reported[checker.root] = {str(e) for e in outcome.failures}
        self._shown[checker.root] = outcome
        previous = self.published.get(checker.root, set())
        paths = set(by_path) | set(failures) | previous | set(firsts)
        order = sorted(paths, key=lambda p: (p not in firsts, str(p)))
        codec = self.workspace.position_codec
        for path in order:
            uri = from_fs_path(str(path))
            if uri is None:
                continue
            opened = self.workspace.text_documents.get(uri)
            text = opened.source if opened is not None else outcome.texts.get(path)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    text = ""
            lines = _lines(text)
            items = [to_lsp(d, codec, lines, self.rules_url) for d in by_path.get(path, [])]
            items += [failure_to_lsp(e, codec, lines) for e in failures.get(path, [])]
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=uri, diagnostics=items, version=opened.version if opened else None
                )
            )
        self.published[checker.root] = set(by_path) | set(failures)

    # -- hover ------------------------------------------------------------------------

    def hover_at(self, uri: str, position: lsp.Position) -> lsp.Hover | None:
        """The entry and, once the current text is checked, the claim's evidence."""
        path = self.path_of(uri)
        checker = self.checker_for(path) if path is not None else None
        if checker is None or path is None:
            return None
        text_doc = self.workspace.get_text_document(uri)
        lines = list(text_doc.lines)
        codec = text_doc.position_codec
        pos = codec.position_from_client_units(lines, position)
        outcome = self._shown.get(checker.root)
        checked = (
            outcome is not None
            and outcome.ctx is not None
            and outcome.texts.get(path) == _normal(text_doc.source)
        )
        if checked and checker.busy.acquire(blocking=False):  # not while the lint thread checks
            assert outcome is not None and outcome.ctx is not None
            try:
                doc = next((d for d in outcome.ctx.documents if d.path == path), None)
                cite = cite_at(doc, pos.line + 1, pos.character + 1) if doc else None
                if doc is None or cite is None:
                    return None
                value = hover_text(outcome.ctx.project, outcome, doc, cite)
            finally:
                checker.busy.release()
            rng = to_range(codec, lines, cite.line, cite.column, cite.end_line, cite.end_column)
        else:  # the check of this text is under way: the entry, read from the line
            line = lines[pos.line].rstrip("\r\n") if pos.line < len(lines) else ""
            hit = key_at(line, pos.character)
            if hit is None:
                return None
            key, start, end = hit
            project = checker.project
            parts = entry_text(project, key) if project is not None else [f"**@{key}**"]
            value = "\n\n".join([*parts, "*Checking the claim…*"])
            n = pos.line + 1
            rng = to_range(codec, lines, n, start + 1, n, end + 1)
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value), range=rng
        )


WARNING = lsp.MessageType.Warning
ERROR_MESSAGE = lsp.MessageType.Error


def _why(exc: BaseException) -> str:
    """What was wrong with a message's params, from the structuring error (or nothing)."""
    try:
        import cattrs

        cause = exc.__cause__
        if isinstance(cause, cattrs.BaseValidationError):
            return ": " + "; ".join(cattrs.transform_error(cause))[:300]
    except Exception:  # the detail is a courtesy
        pass
    return ""


def create_server() -> GlutlintServer:
    """A server with glutlint's features registered."""
    server = GlutlintServer()

    @server.feature(lsp.INITIALIZED)
    def initialized(params: lsp.InitializedParams) -> None:
        options = server.protocol.client_capabilities
        dynamic = False
        ws = options.workspace if options is not None else None
        if ws is not None and ws.did_change_watched_files is not None:
            dynamic = bool(ws.did_change_watched_files.dynamic_registration)
        if dynamic:
            watchers = [
                lsp.FileSystemWatcher(glob_pattern=g)
                for g in ("**/*.bib", "**/*.{yaml,yml}", "**/pyproject.toml", "**/*.txt", "**/*.md")
            ]
            server.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="glutlint-watch",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                watchers=watchers
                            ),
                        )
                    ]
                )
            )

    @server.feature(lsp.INITIALIZE)
    def initialize(params: lsp.InitializeParams) -> None:
        opts = params.initialization_options
        if isinstance(opts, dict) and isinstance(opts.get("rulesUrl"), str):
            server.rules_url = opts["rulesUrl"]

    @server.feature(lsp.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.shut_down = True
        server.linter.stop()  # a check still running is abandoned at its next step

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        path = server.path_of(params.text_document.uri)
        checker = server.checker_for(path) if path is not None else None
        if checker is not None:
            server.schedule(checker, path)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        path = server.path_of(params.text_document.uri)
        checker = server.checker_for(path) if path is not None else None
        if checker is not None:
            server.schedule(checker, path)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        server.recheck_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        path = server.path_of(params.text_document.uri)
        checker = server.checker_for(path) if path is not None else None
        if checker is not None:  # the file on disk counts again, not the closed buffer
            server.schedule(checker)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(params: lsp.DidChangeWatchedFilesParams) -> None:
        server.recheck_all()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(params: lsp.HoverParams) -> lsp.Hover | None:
        return server.hover_at(params.text_document.uri, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["@"]))
    def completion(params: lsp.CompletionParams) -> lsp.CompletionList | None:
        path = server.path_of(params.text_document.uri)
        checker = server.checker_for(path) if path is not None else None
        project = checker.project if checker is not None else None  # loaded by the lint thread
        if project is None:
            return None
        text_doc = server.workspace.get_text_document(params.text_document.uri)
        lines = text_doc.lines
        pos = text_doc.position_codec.position_from_client_units(lines, params.position)
        line = lines[pos.line] if pos.line < len(lines) else ""
        m = COMPLETING_RE.search(line[: pos.character])
        if m is None:
            return None
        prefix = m.group("prefix")
        start = text_doc.position_codec.position_to_client_units(
            lines, lsp.Position(pos.line, pos.character - len(prefix))
        )
        replace = lsp.Range(start, params.position)
        items = [
            lsp.CompletionItem(
                label=key,
                kind=lsp.CompletionItemKind.Reference,
                detail=entry.title,
                documentation=f"{entry.short_authors()} ({entry.year or 'n.d.'})",
                text_edit=lsp.TextEdit(range=replace, new_text=key),
                filter_text=key,
            )
            for key, entry in sorted(project.entries.items())
        ]
        return lsp.CompletionList(is_incomplete=False, items=items)

    return server


def serve() -> int:
    """Run the server over stdio until `exit` or the end of input; the exit code.

    Exit code 0 after a `shutdown` request, 1 without one (as LSP asks of `exit`)."""
    server = create_server()
    # Unbuffered: the reader thread must hold no lock of sys.stdin's while it waits, or the
    # interpreter cannot shut down while it does.
    stdin = os.fdopen(sys.stdin.fileno(), "rb", buffering=0, closefd=False)
    code = server.serve_stdio(stdin, sys.stdout.buffer)
    if not server.linter.stop():
        # A check is still running for a client that is gone; it cannot be interrupted in
        # the middle of a rule, and nothing will read its result: leave without it.
        logging.shutdown()
        os._exit(code)
    return code
