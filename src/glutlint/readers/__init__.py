"""Source readers: one module per file format, each turning bytes into a `Reading`.

Adding a format means adding a module here with `read(data: bytes, shown: str) -> Reading`
and naming it in `FORMATS`; `sniff` chooses the reader by the file's first bytes, then by
its suffix.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InputError
from ..textio import MAX_BYTES
from .base import Furniture, Place, Reading

__all__ = ["FORMATS", "LIMITS", "Furniture", "Place", "Reading", "read", "sniff"]

#: Format name -> reader module in this package.
FORMATS = {"text": "text", "pdf": "pdf", "jats": "jats"}

#: The largest file each format may be (text as any text file; a PDF carries its figures).
LIMITS = {"pdf": 200 * 1024 * 1024}

_SUFFIXES = {".pdf": "pdf", ".nxml": "jats", ".xml": "jats"}


def sniff(data: bytes, path: Path) -> str:
    """The format of a source file, by its first bytes, else its suffix; "text" otherwise."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"<?xml", b"<!DOCTYPE article", b"<article", b"<pmc-articleset")):
        return "jats"
    return _SUFFIXES.get(path.suffix.lower(), "text")


def read(data: bytes, path: Path, shown: str) -> Reading:
    """`data` (the bytes of `path`) read by the reader of its format."""
    fmt = sniff(data, path)
    limit = LIMITS.get(fmt, MAX_BYTES)
    if len(data) > limit:
        size, most = len(data) // 1048576, limit // 1048576
        raise InputError(shown, None, f"file too large ({size} MiB; limit {most} MiB for {fmt})")
    module = importlib.import_module(f".{FORMATS[fmt]}", __name__)
    reading: Reading = module.read(data, shown)
    if reading.places and len(reading.places) != len(reading.lines):
        raise ValueError(
            f"{module.__name__}: {len(reading.places)} places for {len(reading.lines)} lines"
        )
    # A line is one line: a reader's stray line break would shift every place after it.
    reading.lines = [x.replace("\r", " ").replace("\n", " ") for x in reading.lines]
    return reading
