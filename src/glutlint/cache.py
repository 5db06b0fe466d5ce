"""A small content-keyed JSON cache under the project's .glutlint_cache folder.

Entries are computed on a miss and written only by `flush()`, which the CLI calls after a
command succeeded: a refused or failed command leaves the project folder as it was. JSON, not
pickle: a cache file is data, never code.

Two shapes: `cached` keeps one value per file (a source's normalisation, numbers, a parsed
bibliography); a `Memo` keeps many small values in one file (one per manuscript block), so an
edit re-analyses only the blocks it touched and a check reads one file, not hundreds.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path

# BLAKE2 from its builtin module: hashlib would load OpenSSL first (a start-up cost), and
# BLAKE2 hashes hundreds of sources' bytes 4x faster than the builtin SHA-256.
try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons built without it
    from hashlib import blake2b


def digest(data: bytes = b"") -> blake2b:
    """A 256-bit content hash object."""
    return blake2b(data, digest_size=32)


VERSION = "1"
CACHE_DIR = ".glutlint_cache"  # in the project root; everything in it is safe to delete
_PENDING: dict[Path, object] = {}
_FOLDER: list[Path | None] = [None]  # where memos live; set by the project that is loaded
MEMO_LIMIT = 20000  # entries kept per memo file: the ones used last, then older ones


def key(*parts: str) -> str:
    h = digest(VERSION.encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def cached(
    folder: Path | None,
    name: str,
    compute: Callable[[], object],
    valid: Callable[[object], bool] | None = None,
) -> object:
    """The JSON value stored as `name` in `folder`, or `compute()` (queued for writing).

    `valid` vets a stored value: a damaged or foreign file is recomputed, never trusted."""
    if folder is None:
        return compute()
    file = folder / f"{name}.json"
    if file in _PENDING:
        return _PENDING[file]
    try:
        value = json.loads(file.read_text(encoding="utf-8"))
        if valid is None or valid(value):
            return value
    except (OSError, ValueError, RecursionError):
        pass
    value = compute()
    _PENDING[file] = value
    return value


def put(file: Path, value: object) -> None:
    """Queue `value` to be written as `file` when the command succeeds."""
    _PENDING[file] = value


def flush() -> None:
    """Write queued entries and memos; a cache that cannot be written is a lost speed-up."""
    while _PENDING:
        file, value = _PENDING.popitem()
        _write(file, value)
    for m in _MEMOS.values():
        m.flush()


def _write(file: Path, value: object) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one. The
    temporary name is this process's own, opened exclusively (no tempfile import)."""
    try:
        text = json.dumps(value, ensure_ascii=False)  # the C encoder; json.dump() is not
    except (TypeError, ValueError, RecursionError):
        return  # not JSON: kept in memory only
    tmp = file.with_name(f".tmp-{os.getpid()}-{file.name}")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)  # left by a process of the same id that was killed
        try:
            with tmp.open("x", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, file)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError:
        pass


def folder() -> Path | None:
    """The cache folder of the loaded project, or None when caching is off."""
    return _FOLDER[0]


@functools.cache
def code_key(*module_files: str) -> str:
    """A digest of the code that computes a cached value, so an upgrade (or an edit during
    development) never reads a value the old code computed."""
    h = digest()
    for f in module_files:
        try:
            h.update(Path(f).read_bytes())
        except OSError:
            h.update(f.encode())
    return h.hexdigest()[:16]


def configure(folder: Path | None) -> None:
    """Bind every memo to a project's cache folder (None: memos stay in memory)."""
    if folder != _FOLDER[0]:
        _FOLDER[0] = folder
        for m in _MEMOS.values():  # another project: its own file, nothing carried over
            m.stored, m.used, m.missed = None, {}, False


class Memo:
    """A content-keyed table of small JSON values, one file per table.

    `get(key, compute, encode, decode)`: `encode` returns None for a value not worth
    storing; `decode` turns a stored value back into the result and returns None for
    anything malformed, which is then recomputed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stored: dict[str, object] | None = None  # as read from disk
        self.used: dict[str, object] = {}  # encoded values used in this run
        self.missed = False

    def _load(self) -> dict[str, object]:
        if self.stored is None:
            self.stored = {}
            folder = _FOLDER[0]
            if folder is not None:
                try:
                    data = json.loads((folder / f"{self.name}.json").read_text(encoding="utf-8"))
                    if isinstance(data, dict) and data.get("version") == VERSION:
                        entries = data.get("entries")
                        self.stored = entries if isinstance(entries, dict) else {}
                except (OSError, ValueError, RecursionError):
                    pass
        return self.stored

    def get(
        self,
        key: str,
        compute: Callable[[], object],
        encode: Callable[[object], object],
        decode: Callable[[object], object | None],
    ) -> object:
        raw = self.used.get(key, self._load().get(key))
        if raw is not None:
            value = decode(raw)
            if value is not None:
                self.used[key] = raw
                return value
        value = compute()
        stored = encode(value)
        if stored is None:  # a value JSON cannot hold is recomputed next time
            return value
        if len(self.used) >= MEMO_LIMIT:  # a long editor session: keep memory bounded
            self.used.clear()
        self.used[key] = stored
        self.missed = True
        return value

    def flush(self) -> None:
        folder = _FOLDER[0]
        if folder is None or not self.missed:
            return
        entries = dict(self.used)
        for k, v in (self.stored or {}).items():
            if len(entries) >= MEMO_LIMIT:
                break
            entries.setdefault(k, v)
        _write(folder / f"{self.name}.json", {"version": VERSION, "entries": entries})
        self.stored, self.used, self.missed = entries, {}, False


_MEMOS: dict[str, Memo] = {}


def memo(name: str) -> Memo:
    """The process-wide memo called `name`."""
    if name not in _MEMOS:
        _MEMOS[name] = Memo(name)
    return _MEMOS[name]
