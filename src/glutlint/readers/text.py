"""Plain-text sources (text extracted from a PDF or a web page, or written by hand)."""

from __future__ import annotations

from ..textio import decode
from .base import Reading


def read(data: bytes, shown: str) -> Reading:
    """UTF-8 text as its lines; a bad byte is an error at its line."""
    text = decode(data, shown)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return Reading("text", lines)
