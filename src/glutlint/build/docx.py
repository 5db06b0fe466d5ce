"""Make the DOCX for submission: pandoc's writer with the reference document built by code."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import metadata
from .docx_reference import UNNUMBERED, ReferenceDocxError, build_reference_docx
from .media import MediaResolver, rewrite_images
from .pandoc import default_data_file, write_ast


def reference_docx(running_title: str | None) -> bytes:
    """The submission reference document (fresh each build: it takes one short pandoc call)."""
    try:
        return build_reference_docx(default_data_file("reference.docx"), running_title)
    except ReferenceDocxError as exc:
        raise InputError(None, None, f"docx: cannot build the reference document: {exc}") from None


def unnumbered_headings(doc: dict) -> dict:
    """`{-}` headings of levels 1-3 in the "Unnumbered Heading N" style: Heading N without its
    number (Word numbers the others by style)."""

    def walk(blocks: list) -> list:
        out = []
        for b in blocks:
            if b.get("t") == "Header":
                level, (ident, classes, kv), inlines = b["c"]
                if "unnumbered" in classes and level <= 3:
                    style = ["custom-style", UNNUMBERED.format(level=level)]
                    out.append(
                        {"t": "Div", "c": [[ident, [], [style]], [{"t": "Para", "c": inlines}]]}
                    )
                    continue
            elif b.get("t") == "Div":
                attr, inner = b["c"]
                b = {"t": "Div", "c": [attr, walk(inner)]}
            out.append(b)
        return out

    return {**doc, "blocks": walk(doc["blocks"])}


def make_docx(doc: dict, resolver: MediaResolver, work: Path) -> tuple[bytes, list[str]]:
    """Write the DOCX; images glutlint allows travel inside the AST as data: URIs. `work`
    is an empty scratch folder (inside the build's staging folder)."""
    title = metadata.running_title(doc["meta"])
    doc = metadata.for_word_and_html(metadata.title_page_first(doc))
    doc, refused = rewrite_images(doc, resolver, lambda m: m.data_uri())
    doc = unnumbered_headings(doc)
    ref = work / "reference.docx"
    ref.write_bytes(reference_docx(title))
    extra = ["--reference-doc", str(ref)]  # headings are numbered by their Word style
    data = write_ast(doc, "docx+native_numbering", extra, cwd=work, what="docx")
    return data, refused
