"""The one way glutlint writes a file: whole or not at all.

The bytes go to a new temporary file beside the destination (same folder, so the same file
system and `os.replace` is atomic), which then replaces it: a reader sees the old file or
the new one, never half of one. Cache entries, source normalisations, reports and builds
all write through here, with the same permissions: `MODE` less the process umask, as a
plain `open()` would give (0644 under the usual umask 022).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from .textio import file_kind

MODE = 0o644


def not_replaceable(dest: Path) -> str | None:
    """Why `dest` must not be replaced by a written file, or None when it may be: absent, a
    regular file, or a symlink (the link is replaced, never written through). A FIFO, a
    device or a socket at the path is someone's plumbing, a folder someone's files:
    replacing either would break it, so outputs refuse them (`os.replace` would not)."""
    try:
        mode = os.lstat(dest).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return None
    kind = file_kind(mode)
    return f"is {kind}; cannot replace it with the output"


def stage(dest: Path, data: bytes, durable: bool = False) -> Path:
    """Write `data` to a new temporary file beside `dest` and return its path; `dest` is
    untouched. `durable` syncs the bytes to disk (outputs a user keeps, not the cache).
    No tempfile import: a check that only writes its cache should not pay for it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(tmp, flags, MODE)
            break
        except FileExistsError:  # pragma: no cover - 32 random bits taken
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def replace(tmp: Path, dest: Path) -> None:
    """Move a staged file into place; on failure the staged file is removed. A target that
    is not a regular file (a FIFO, a device: see `not_replaceable`) is an OSError, left as
    it is."""
    try:
        reason = not_replaceable(dest)
        if reason is not None:
            raise OSError(errno.EEXIST, reason, str(dest))
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write(dest: Path, data: bytes, durable: bool = False) -> None:
    """Write `dest` atomically (OSError when it cannot be written; nothing changes then)."""
    replace(stage(dest, data, durable), dest)
