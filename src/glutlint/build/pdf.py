"""Make the PDF: pandoc writes Typst with glutlint's template and the typst package compiles it.

Typst runs in a private folder that holds only the generated source and the images glutlint
allowed (see `media`), with only the fonts embedded in the typst package: the PDF can read
nothing else and looks the same on every machine. The LaTeX route (`--pdf-engine xelatex` or
`tectonic`) is there for users who have a TeX installation; glutlint never needs one.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from pathlib import Path

from ..errors import InputError
from .media import Media, MediaResolver, rewrite_images
from .pandoc import run_pandoc, warn, write_ast


def _timestamp() -> int | None:
    """Honour SOURCE_DATE_EPOCH for a reproducible PDF date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def typst_source(doc: dict, resolver: MediaResolver, folder: Path) -> tuple[bytes, list[str]]:
    """The Typst source of the review; allowed images are copied into `folder`/media."""
    media_dir = folder / "media"
    placed: list[str] = []

    def place(media: Media) -> str:  # called once per distinct image target
        media_dir.mkdir(exist_ok=True)
        name = f"media/image{len(placed) + 1}{media.suffix}"
        (folder / name).write_bytes(media.data)
        placed.append(name)
        return name

    doc, refused = rewrite_images(doc, resolver, place)
    with resources.as_file(resources.files("glutlint") / "data/review.typst") as template:
        extra = ["--template", str(template), "--number-sections", "--standalone"]
        source = write_ast(doc, "typst-citations", extra, cwd=folder, what="pdf")
    return source, refused


def compile_typst(source: bytes, folder: Path) -> bytes:
    """Compile Typst source with `folder` as the only readable root."""
    import typst

    try:
        return typst.compile(  # type: ignore[no-any-return,call-overload]  # typst's stubs list no bytes input
            source,
            root=str(folder),
            format="pdf",
            font_paths=[],
            ignore_system_fonts=True,
            timestamp=_timestamp(),
        )
    except Exception as exc:  # typst.TypstError: one line, no traceback
        message = " ".join(str(exc).split())[:400]
        raise InputError(None, None, f"pdf: typst failed: {message}") from None


def make_pdf_typst(doc: dict, resolver: MediaResolver, work: Path) -> tuple[bytes, list[str]]:
    """The PDF through Typst; `work` is an empty scratch folder, Typst's only readable root."""
    source, refused = typst_source(doc, resolver, work)
    return compile_typst(source, work), refused


def require_engine(engine: str) -> None:
    """Fail before any work if a LaTeX engine was asked for and is not installed."""
    if engine != "typst" and shutil.which(engine) is None:
        raise InputError(None, None, f"pdf: --pdf-engine {engine}: {engine} is not on PATH")


def make_pdf_latex(
    doc: dict, resolver: MediaResolver, engine: str, work: Path
) -> tuple[bytes, list[str]]:
    """pandoc's LaTeX route, for users with xelatex or tectonic on PATH (untested here)."""
    require_engine(engine)
    doc, refused = rewrite_images(doc, resolver, lambda m: m.data_uri())
    out = work / "review.pdf"
    args = [
        "--from",
        "json",
        "--output",
        str(out),
        "--pdf-engine",
        engine,
        "--number-sections",
        "--standalone",
    ]
    _, warnings = run_pandoc(args, stdin=json.dumps(doc).encode(), cwd=work, what="pdf")
    for w in warnings:
        warn("pdf", w)
    return out.read_bytes(), refused
