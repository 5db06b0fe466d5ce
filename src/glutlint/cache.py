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

A cache is a speed-up, never a witness. Keys are digests of content, but a value is whatever
the file says, and anyone can edit a file: so every value read back must carry a MAC (keyed
BLAKE2b) over its name, its key, the code digest and its serialized value, made with a secret
only this installation knows. A value whose MAC does not verify is a miss, recomputed and
rewritten; so is an edited value, one moved to another key or file, or a file copied from
another project or another machine. The secret is 32 random bytes in the user's own cache
folder (`$XDG_CACHE_HOME/glutlint/key`, else `~/.cache/glutlint/key`), created once, mode
0600, by a hard link that fails when the file exists (so two processes racing agree on one
key), never inside the project: whoever can edit the project's cache (a shared checkout, a
restored CI cache, an archive someone sent) could just as well edit a secret kept beside it,
and then forge any entry. When that folder cannot be used (no HOME, not writable, a link or
something else than a folder or a private regular file there) the secret is a random one of
this process only: nothing on disk could verify, so the store keeps its entries in memory and
neither reads nor writes the folder. It costs time, never truth, and never an error.

What the store reads it opens without following a final symbolic link and without blocking
(O_NOFOLLOW, O_NONBLOCK), and only a regular file of at most MAX_FILE_BYTES is read: a FIFO,
a device, a directory or a link in its place is a miss, and is replaced, not written through,
when the entry is written. A `.glutlint_cache` that is a symbolic link, or anything but a
directory owned by this user, is not used at all: the command runs cold and writes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import atomic
from .codec import Invalid, Unstorable, decode, encode


def digest(data: bytes = b"") -> hashlib.blake2b:
    """A 256-bit content hash object."""
    return hashlib.blake2b(data, digest_size=32)


VERSION = "3"  # the layout of the files; the code itself is in every key
CACHE_DIR = ".glutlint_cache"  # in the project root; everything in it is safe to delete
MEMO_LIMIT = 20000  # entries kept per memo file: the ones used last, then older ones
MAX_FILE_BYTES = 1 << 30  # a cache file larger than this is a miss, never read into memory
SECRET_BYTES = 32
SECRET_FILE = "key"  # in the user's cache folder, never in a project
GITIGNORE = "# Created by glutlint automatically.\n*\n"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by glutlint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)

_READ = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
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


# ------------------------------------------------------------------------ the MAC and its key


def user_cache_folder() -> Path | None:
    """`$XDG_CACHE_HOME/glutlint`, else `~/.cache/glutlint` (None without an absolute HOME)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "glutlint"
    home = os.environ.get("HOME", "")
    return Path(home) / ".cache" / "glutlint" if os.path.isabs(home) else None


@functools.cache
def secret() -> tuple[bytes, bool]:
    """This installation's MAC key and whether it lasts (read from the user's cache folder),
    or a random key of this process only, when that folder cannot be used."""
    folder = user_cache_folder()
    lasting = None if folder is None else secret_in(folder)
    return (lasting, True) if lasting is not None else (os.urandom(SECRET_BYTES), False)


def secret_in(folder: Path) -> bytes | None:
    """The key kept in `folder` (made, with the folder, when absent), or None when the folder
    or the key is not ours alone: a link, not a folder or a regular file, another owner,
    writable (folder) or readable (key) by others, or the wrong size. Never an error."""
    if not {os.open, os.link, os.unlink} <= os.supports_dir_fd:  # pragma: no cover
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None
    try:
        if not _ours(os.fstat(fd), stat.S_ISDIR, 0o022):
            return None
        for _ in range(3):
            try:
                return _read_secret(fd)
            except FileNotFoundError:
                _make_secret(fd)
        return None  # pragma: no cover - made and removed three times over
    except OSError:
        return None
    finally:
        os.close(fd)


def _ours(st: os.stat_result, kind: Callable[[int], bool], others: int) -> bool:
    """Whether `st` is of `kind`, owned by this user, with none of the `others` mode bits."""
    owner = st.st_uid == os.geteuid() if hasattr(os, "geteuid") else True
    return kind(st.st_mode) and owner and not st.st_mode & others


def _read_secret(folder: int) -> bytes | None:
    fd = os.open(SECRET_FILE, _READ, dir_fd=folder)
    try:
        st = os.fstat(fd)
        if not _ours(st, stat.S_ISREG, 0o077) or st.st_size != SECRET_BYTES:
            return None
        data = os.read(fd, SECRET_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) == SECRET_BYTES else None


def _make_secret(folder: int) -> None:
    """Write a new key beside its final name, then link it there: the link fails when another
    process made its key first (and then both read that one); a reader never sees half a key."""
    tmp = f".{SECRET_FILE}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(tmp, flags, 0o600, dir_fd=folder)
    try:
        try:
            os.write(fd, os.urandom(SECRET_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, SECRET_FILE, src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)


@functools.cache
def _mac_base() -> hashlib.blake2b:
    h = hashlib.blake2b(key=secret()[0], digest_size=32)
    h.update(f"{VERSION}\0{code_digest()}\0".encode())
    return h


def _serialized(value: object) -> bytes:
    """The one text of a JSON value that its MAC covers (what a read back re-serializes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def mac(scope: str, name: str, value: object) -> str:
    """The MAC of `value` kept as `name` in `scope` (a memo's or a value's file)."""
    h = _mac_base().copy()
    for part in (scope, name):
        data = part.encode("utf-8", "surrogatepass")
        h.update(b"%d:" % len(data))
        h.update(data)
    h.update(_serialized(value))
    return h.hexdigest()


def _verifies(tag: object, scope: str, name: str, value: object) -> bool:
    """Whether `tag` is the MAC of `value` as `name` in `scope` (never an error)."""
    if not isinstance(tag, str):
        return False
    try:
        return hmac.compare_digest(tag, mac(scope, name, value))
    except (ValueError, TypeError, RecursionError):  # not serializable as it was written
        return False


# ------------------------------------------------------------------------------ the store


class Memo:
    """A content-keyed table of small JSON values, one file per table: the file holds the
    values (`entries`) and, beside them, each one's MAC (`macs`)."""

    def __init__(self, file: Path | None, name: str = "") -> None:
        self.file = file
        self.scope = f"memo {name}"
        self.stored: dict[str, object] | None = None  # as read from disk
        self.macs: dict[str, object] = {}  # as read from disk
        self.used: dict[str, object] = {}  # encoded values used in this run, all trusted
        self.sealed: dict[str, str] = {}  # the MACs of those read back (verified)
        self.missed = False

    def _load(self) -> dict[str, object]:
        if self.stored is None:
            self.stored = {}
            if self.file is not None:
                data = _read_json(self.file)
                if isinstance(data, dict) and data.get("version") == VERSION:
                    entries, macs = data.get("entries"), data.get("macs")
                    if isinstance(entries, dict) and isinstance(macs, dict):
                        self.stored, self.macs = entries, macs
        return self.stored

    def _trusted(self, key: str) -> object:
        """The encoded value stored under `key` when its MAC verifies, else None."""
        raw = self._load().get(key)
        if raw is None:
            return None
        tag = self.macs.get(key)
        if not _verifies(tag, self.scope, key, raw):
            return None
        self.sealed[key] = tag  # type: ignore[assignment]  # a str: it verified
        return raw

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
        (then it is recomputed). A stored entry is used only when its MAC verifies."""
        raw = self.used.get(key)
        if raw is None:
            raw = self._trusted(key)
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
            self.sealed.clear()
        self.used[key] = stored
        self.sealed.pop(key, None)
        self.missed = True
        return value

    def entries(self) -> dict[str, object] | None:
        """What the file should hold now (`version`, `entries`, `macs`), or None when nothing
        changed. Entries read but not used this run are kept with the MAC they came with."""
        if not self.missed:
            return None
        entries = dict(self.used)
        macs: dict[str, object] = {}
        for k, v in entries.items():
            try:
                macs[k] = self.sealed.get(k) or mac(self.scope, k, v)
            except (ValueError, TypeError, RecursionError):  # pragma: no cover - encoded data
                del entries[k]
        for k, v in (self.stored or {}).items():
            if len(entries) >= MEMO_LIMIT:
                break
            if k not in entries and k in self.macs:
                entries[k], macs[k] = v, self.macs[k]
        self.stored, self.macs, self.used, self.sealed = entries, macs, {}, {}
        self.missed = False
        return {"version": VERSION, "entries": entries, "macs": macs}


class Store:
    """The cache of one project: `folder` None keeps everything in memory only, and so does a
    folder that cannot be trusted (see the module's docstring)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._usable: bool | None = None  # None: not looked at yet (or not there yet)
        self._memos: dict[str, Memo] = {}
        self._pending: dict[str, object] = {}  # file name -> encoded value

    def _disk(self, create: bool = False) -> Path | None:
        """The folder when it can be read (and with `create`, written), else None: only a
        directory owned by this user, never a symbolic link, and only with a lasting secret."""
        if self.folder is None or self._usable is False:
            return None
        if self._usable is None:
            if not secret()[1]:
                self._usable = False
                return None
            try:
                st = os.lstat(self.folder)
            except FileNotFoundError:
                if not create:
                    return None  # nothing stored yet
                try:
                    self.folder.mkdir()
                    st = os.lstat(self.folder)
                except OSError:
                    self._usable = False
                    return None
            except (OSError, ValueError):
                self._usable = False
                return None
            self._usable = _ours(st, stat.S_ISDIR, 0)
        return self.folder if self._usable else None

    def memo(self, name: str) -> Memo:
        """The table called `name`."""
        m = self._memos.get(name)
        if m is None:
            folder = self._disk()  # None when not there yet: nothing to read
            file = None if folder is None else folder / f"{name}.json"
            m = self._memos[name] = Memo(file, name)
        return m

    def value(self, name: str, kind: object, compute: Callable[[], Any]) -> Any:
        """The value stored as `name` (decoded as `kind`), or `compute()` (kept for writing).
        A stored value is used only when its MAC verifies."""
        file = f"{name}.json"
        if file in self._pending:
            return decode(kind, self._pending[file])
        folder = self._disk()
        if folder is not None:
            data = _read_json(folder / file)
            if isinstance(data, dict) and data.get("version") == VERSION and "value" in data:
                raw = data["value"]
                if _verifies(data.get("mac"), f"value {name}", "", raw):
                    try:
                        return decode(kind, raw)
                    except Invalid:
                        pass
        value = compute()
        with contextlib.suppress(Unstorable, RecursionError):
            self._pending[file] = encode(value)
        return value

    def has(self, name: str) -> bool:
        """Whether a value is stored as `name` (it may still fail to verify or to decode, and
        be computed)."""
        file = f"{name}.json"
        if file in self._pending:
            return True
        folder = self._disk()
        try:
            return folder is not None and stat.S_ISREG(os.lstat(folder / file).st_mode)
        except (OSError, ValueError):
            return False

    def put(self, name: str, value: object) -> None:
        """Keep `value` as `name` (computed elsewhere, e.g. in a worker process)."""
        with contextlib.suppress(Unstorable, RecursionError):
            self._pending[f"{name}.json"] = encode(value)

    def flush(self) -> None:
        """Write what this run computed; a cache that cannot be written is a lost speed-up."""
        writes: list[tuple[str, object]] = []
        for file, value in self._pending.items():
            with contextlib.suppress(ValueError, TypeError, RecursionError):
                name = file.removesuffix(".json")
                tag = mac(f"value {name}", "", value)
                writes.append((file, {"version": VERSION, "mac": tag, "value": value}))
        self._pending.clear()
        for name, m in self._memos.items():
            entries = m.entries()
            if entries is not None:
                writes.append((f"{name}.json", entries))
        if not writes:
            return
        folder = self._disk(create=True)
        if folder is None:
            return
        try:
            _prepare(folder)
        except OSError:
            return
        for name, value in writes:
            try:
                text = json.dumps(value, ensure_ascii=False)  # the C encoder; dump() is not
                atomic.write(folder / name, text.encode("utf-8"))
            except (OSError, ValueError, RecursionError):
                continue


def _prepare(folder: Path) -> None:
    """Tell git and backup tools to leave the folder alone."""
    for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        try:
            if stat.S_ISREG(os.lstat(folder / name).st_mode):
                continue
        except FileNotFoundError:
            pass
        atomic.write(folder / name, text.encode())


def _read_json(file: Path) -> object:
    """The JSON in `file`, or None when it is absent, unreadable, not a regular file (a link,
    a FIFO, a device, a folder: opened without following a link and without blocking), larger
    than MAX_FILE_BYTES, not JSON or too deep."""
    try:
        fd = os.open(file, _READ)
    except (OSError, ValueError):
        return None
    try:
        with open(fd, "rb") as fh:  # closes fd
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                return None
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return None
        return json.loads(data)
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
