"""Source readers: one module per file format, each turning bytes into a `Reading`.

Adding a format means adding a module here with `read(data: bytes, shown: str) -> Reading`
and naming it in `FORMATS`; `sniff` chooses the reader by the file's first bytes, then by
its suffix.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .base import Furniture, Place, Reading

__all__ = ["FORMATS", "Furniture", "Place", "Reading", "read", "sniff"]

#: Format name -> reader module in this package.
FORMATS = {"text": "text", "pdf": "pdf", "jats": "jats"}

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
    module = importlib.import_module(f".{FORMATS[sniff(data, path)]}", __name__)
    reading: Reading = module.read(data, shown)
    return reading
