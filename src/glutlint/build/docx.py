"""Make the DOCX for submission: pandoc's writer with the reference document built by code."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import metadata
from .docx_reference import ReferenceDocxError, build_reference_docx
from .media import MediaResolver, rewrite_images
from .pandoc import default_data_file, write_ast


def reference_docx(running_title: str | None) -> bytes:
    """The submission reference document (fresh each build: it takes one short pandoc call)."""
    try:
        return build_reference_docx(default_data_file("reference.docx"), running_title)
    except ReferenceDocxError as exc:
        raise InputError(None, None, f"docx: cannot build the reference document: {exc}") from None


def make_docx(doc: dict, resolver: MediaResolver, work: Path) -> tuple[bytes, list[str]]:
    """Write the DOCX; images glutlint allows travel inside the AST as data: URIs. `work`
    is an empty scratch folder (inside the build's staging folder)."""
    title = metadata.running_title(doc["meta"])
    doc = metadata.for_word_and_html(doc)
    doc, refused = rewrite_images(doc, resolver, lambda m: m.data_uri())
    ref = work / "reference.docx"
    ref.write_bytes(reference_docx(title))
    extra = ["--reference-doc", str(ref), "--number-sections"]
    data = write_ast(doc, "docx+native_numbering", extra, cwd=work, what="docx")
    return data, refused
