"""Reading user files: one opener for every path glutlint reads.

Only regular files are read: a FIFO, a device (`/dev/zero`), a socket or a folder is refused
before a byte is read, and a FIFO is opened without blocking, so no input can hang a check.
What is read is size-guarded (a file that grows while it is read is cut at the limit and
refused) and a symlink loop is one line. Where a path may lead (inside the project, or a
root the configuration allows) is decided when the configuration is loaded. Text is UTF-8
(BOM allowed), CRLF folded, a bad byte reported by line.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import InputError

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset, counting LF, CRLF and lone CR as an editor does."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def decode(data: bytes, shown: str) -> str:
    """Decode UTF-8 or raise an InputError naming the line of the first bad byte."""
    if b"\x00" in data:
        line = line_of(data, data.index(b"\x00"))
        raise InputError(shown, line, "NUL byte in text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = line_of(data, exc.start)
        raise InputError(shown, line, "invalid UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def real_path(path: Path | str) -> Path:
    """`path` with every symlink followed, never raising: a loop is left for the opener to
    report (`Path.resolve` raises RuntimeError on a loop before Python 3.13)."""
    return Path(os.path.realpath(path))


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, for a message: "a FIFO (named pipe)"."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _kind(mode: int) -> str:
    kind = file_kind(mode)
    return f"is {kind}, not a regular file" if kind.startswith("a ") else "is not a regular file"


def _refusal(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "file not found"
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if exc.errno == errno.EISDIR:
        return "is a directory, not a file"
    if exc.errno == errno.ENOTDIR:
        return "file not found (a parent is not a folder)"
    return f"cannot read: {exc.strerror or exc}"


def check_regular(path: Path, shown: str | None = None) -> None:
    """Refuse (one line) a path that is missing, a loop or not a regular file; reads nothing."""
    read_bytes(path, shown, limit=-1)


def read_bytes(path: Path | str, shown: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` of them (else a one-line InputError).

    The file is opened with O_NONBLOCK and checked with fstat before any read, so a FIFO
    with no writer never blocks and a device is never read. `limit=-1` only checks.
    """
    shown = shown or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(shown, None, _refusal(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(shown, None, _kind(st.st_mode))
        if limit < 0:
            return b""
        too_large = f"file too large ({st.st_size // 1048576} MiB; limit {limit // 1048576} MiB)"
        if st.st_size > limit:
            raise InputError(shown, None, too_large)
        chunks: list[bytes] = []
        got = 0
        while True:  # read what is there, never more than the limit (a file may grow)
            chunk = os.read(fd, min(CHUNK, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if got > limit:
                raise InputError(shown, None, f"file too large (limit {limit // 1048576} MiB)")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(shown, None, _refusal(exc)) from None
    finally:
        os.close(fd)


def read_text(path: Path | str, shown: str | None = None) -> str:
    """A regular file's text (see `read_bytes`), decoded as UTF-8 with lines folded to LF."""
    shown = shown or str(path)
    return decode(read_bytes(path, shown), shown)
