"""Make the HTML page: one self-contained file, the same title block as the DOCX."""

from __future__ import annotations

import tempfile
from pathlib import Path

from . import metadata
from .media import MediaResolver, rewrite_images
from .pandoc import write_ast


def make_html(doc: dict, resolver: MediaResolver) -> tuple[bytes, list[str]]:
    """A single self-contained HTML page (images inlined as data: URIs)."""
    doc = metadata.for_word_and_html(doc)
    doc, refused = rewrite_images(doc, resolver, lambda m: m.data_uri())
    with tempfile.TemporaryDirectory(prefix="glutlint-html-") as tmp:
        extra = ["--standalone", "--number-sections", "--section-divs"]
        data = write_ast(doc, "html5", extra, cwd=Path(tmp), what="html")
    return data, refused
