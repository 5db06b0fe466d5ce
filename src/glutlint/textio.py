"""Reading user files: UTF-8 (BOM allowed), CRLF folded, bad bytes reported by line."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

MAX_BYTES = 20 * 1024 * 1024


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


def read_text(path: Path, shown: str | None = None) -> str:
    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(shown, None, f"file too large ({size // 1048576} MiB; limit 20 MiB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(shown, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(shown, None, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(shown, None, f"cannot read: {exc.strerror}") from None
    return decode(data, shown)
