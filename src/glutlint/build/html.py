"""Make the HTML page: one self-contained file, the same title block as the DOCX."""

from __future__ import annotations

from pathlib import Path

from . import metadata
from .media import MediaResolver, rewrite_images
from .pandoc import write_ast


def make_html(doc: dict, resolver: MediaResolver, work: Path) -> tuple[bytes, list[str]]:
    """A single self-contained HTML page (images inlined as data: URIs); pandoc runs in the
    scratch folder `work`."""
    doc = metadata.for_word_and_html(doc)
    doc, refused = rewrite_images(doc, resolver, lambda m: m.data_uri())
    extra = ["--standalone", "--number-sections", "--section-divs"]
    data = write_ast(doc, "html5", extra, cwd=work, what="html")
    return data, refused
