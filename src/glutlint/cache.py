"""The project's store: content-keyed JSON under the project's .glutlint_cache folder.

A `Store` belongs to one loaded Project and is handed to what computes on its behalf.
Entries are computed on a miss and kept in the store; `flush()`, called by a command that
succeeded, writes them. A command that fails drops its store with the project: it writes
nothing, and nothing of one project ever reaches another's folder.

Every key holds the digest of the whole installed glutlint package (`code_digest`), so any
change to the code, or to its data files, makes every entry a miss. Entries are JSON read
back through `codec.decode` with the type the code expects: one that does not decode is a
miss, recomputed and rewritten, never an error. The folder ignores itself (`.gitignore`
with `*`, and a `CACHEDIR.TAG`, as pytest and ruff write), and is safe to delete.

Two shapes: `value` keeps one value per file (a source's normalisation, its numbers, a
parsed bibliography); a `Memo` keeps many small values in one file (one per manuscript
block), so an edit re-analyses only the blocks it touched and a check reads one file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import atomic
from .codec import Invalid, Unstorable, decode, encode


def digest(data: bytes = b"") -> hashlib.blake2b:
    """A 256-bit content hash object."""
    return hashlib.blake2b(data, digest_size=32)


VERSION = "2"  # the layout of the files; the code itself is in every key
CACHE_DIR = ".glutlint_cache"  # in the project root; everything in it is safe to delete
MEMO_LIMIT = 20000  # entries kept per memo file: the ones used last, then older ones
GITIGNORE = "# Created by glutlint automatically.\n*\n"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by glutlint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)


@functools.cache
def code_digest() -> str:
    """One digest of every file of the installed package (modules and data), read once per
    process: a value computed by other code is never read back."""
    return folder_digest(Path(__file__).resolve().parent)


def folder_digest(root: Path) -> str:
    """A digest of the names and bytes of every file under `root` (compiled files aside)."""
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [os.path.join(folder, n) for n in names if not n.endswith((".pyc", ".pyo"))]
    h = digest()
    for f in sorted(files):
        with open(f, "rb") as fh:
            data = fh.read()
        h.update(f"{os.path.relpath(f, root)}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def _base() -> hashlib.blake2b:
    return digest(f"{VERSION}\0{code_digest()}".encode())


def key(*parts: str | bytes) -> str:
    """The key of a value computed from `parts` by this version of the code."""
    h = _base().copy()
    for part in parts:
        h.update(b"\0")
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class Memo:
    """A content-keyed table of small JSON values, one file per table."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.stored: dict[str, object] | None = None  # as read from disk
        self.used: dict[str, object] = {}  # encoded values used in this run
        self.missed = False

    def _load(self) -> dict[str, object]:
        if self.stored is None:
            self.stored = {}
            if self.file is not None:
                data = _read_json(self.file)
                if isinstance(data, dict) and data.get("version") == VERSION:
                    entries = data.get("entries")
                    self.stored = entries if isinstance(entries, dict) else {}
        return self.stored

    def get(
        self,
        key: str,
        compute: Callable[[], Any],
        kind: object,
        to: Callable[[Any], object] | None = None,
        back: Callable[[Any], Any] | None = None,
    ) -> Any:
        """The value under `key`, or `compute()` (kept for writing).

        What is stored is `to(value)` (default: the value; None: nothing), a `kind`;
        `back(stored)` turns a decoded entry into the value, or returns None to refuse it
        (then it is recomputed)."""
        raw = self.used.get(key)
        if raw is None:
            raw = self._load().get(key)
        if raw is not None:
            try:
                value = decode(kind, raw)
                if back is not None:
                    value = back(value)
            except Invalid:
                value = None
            if value is not None:
                self.used[key] = raw
                return value
        value = compute()
        try:
            stored = encode(value if to is None else to(value))
        except (Unstorable, RecursionError):  # recomputed next time
            return value
        if stored is None:  # `to` found nothing worth keeping
            return value
        if len(self.used) >= MEMO_LIMIT:  # a long editor session: keep memory bounded
            self.used.clear()
        self.used[key] = stored
        self.missed = True
        return value

    def entries(self) -> dict[str, object] | None:
        """What the file should hold now, or None when nothing changed."""
        if not self.missed:
            return None
        entries = dict(self.used)
        for k, v in (self.stored or {}).items():
            if len(entries) >= MEMO_LIMIT:
                break
            entries.setdefault(k, v)
        self.stored, self.used, self.missed = entries, {}, False
        return entries


class Store:
    """The cache of one project: `folder` None keeps everything in memory only."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memos: dict[str, Memo] = {}
        self._pending: dict[str, object] = {}  # file name -> encoded value

    def memo(self, name: str) -> Memo:
        """The table called `name`."""
        m = self._memos.get(name)
        if m is None:
            file = None if self.folder is None else self.folder / f"{name}.json"
            m = self._memos[name] = Memo(file)
        return m

    def value(self, name: str, kind: object, compute: Callable[[], Any]) -> Any:
        """The value stored as `name` (decoded as `kind`), or `compute()` (kept for writing)."""
        file = f"{name}.json"
        if file in self._pending:
            return decode(kind, self._pending[file])
        if self.folder is not None:
            raw = _read_json(self.folder / file)
            if raw is not None:
                try:
                    return decode(kind, raw)
                except Invalid:
                    pass
        value = compute()
        with contextlib.suppress(Unstorable, RecursionError):
            self._pending[file] = encode(value)
        return value

    def has(self, name: str) -> bool:
        """Whether a value is stored as `name` (it may still fail to decode, and be computed)."""
        file = f"{name}.json"
        return file in self._pending or (self.folder is not None and (self.folder / file).is_file())

    def put(self, name: str, value: object) -> None:
        """Keep `value` as `name` (computed elsewhere, e.g. in a worker process)."""
        with contextlib.suppress(Unstorable, RecursionError):
            self._pending[f"{name}.json"] = encode(value)

    def flush(self) -> None:
        """Write what this run computed; a cache that cannot be written is a lost speed-up."""
        writes = list(self._pending.items())
        self._pending.clear()
        for name, m in self._memos.items():
            entries = m.entries()
            if entries is not None:
                writes.append((f"{name}.json", {"version": VERSION, "entries": entries}))
        if self.folder is None or not writes:
            return
        try:
            _prepare(self.folder)
        except OSError:
            return
        for name, value in writes:
            try:
                text = json.dumps(value, ensure_ascii=False)  # the C encoder; dump() is not
                atomic.write(self.folder / name, text.encode("utf-8"))
            except (OSError, ValueError, RecursionError):
                continue


def _prepare(folder: Path) -> None:
    """Make the folder, telling git and backup tools to leave it alone."""
    folder.mkdir(exist_ok=True)
    for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        if not (folder / name).is_file():
            atomic.write(folder / name, text.encode())


def _read_json(file: Path) -> object:
    """The JSON in `file`, or None when it is absent, unreadable, not JSON or too deep."""
    try:
        return json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
