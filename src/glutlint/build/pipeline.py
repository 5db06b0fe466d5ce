"""The steps of `glutlint build`, timed, with every output committed only if all succeed."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from ..config import Config
from ..textio import check_regular
from .atomic import StagedOutputs
from .csl import resolve_csl
from .media import Media, MediaResolver

FORMATS = ("pdf", "docx", "html")
FIGURE_PNG = "figures/timeline.png"
FIGURE_SVG = "figures/timeline.svg"
FIGURE_PDF = "figures/timeline.pdf"
FIGURE_PPI = 600
STEM = "review"


@dataclass
class Options:
    """What to build and where."""

    formats: list[str]
    outdir: Path
    pdf_engine: str = "typst"
    csl: str | None = None


@dataclass
class Progress:
    """One line per step on stderr: its name and how long it took."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)

    def line(self, name: str, text: str) -> None:
        print(f"{name:<10}{text}", file=self.stream, flush=True)

    @contextmanager
    def step(self, name: str, note: str = "") -> Iterator[None]:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.line(name, f"{seconds:.2f} s" + (f"  {note}" if note else ""))


def output_dir(config: Config, override: str | None) -> Path:
    """-o DIR, else config.output, else <root>/build."""
    if override:
        return Path(override).expanduser().resolve()
    return config.output or config.root / "build"


def targets(config: Config, options: Options) -> list[Path]:
    """Every file a build with `options` writes."""
    out = options.outdir
    found = []
    if config.facts is not None:
        found += [out / FIGURE_PNG, out / FIGURE_SVG, out / FIGURE_PDF]
    found += [out / f"{STEM}.{f}" for f in FORMATS if f in options.formats]
    return found


def build(config: Config, options: Options, progress: Progress) -> list[Path]:
    """Run every step; on any failure nothing in the output folder changes. Every target
    is checked replaceable before any work and again before any is replaced."""
    from . import docx, html, pdf
    from .citemarks import is_superscript_style, punctuation_first
    from .pandoc import read_manuscript, warn
    from .timeline import load_events, render
    from .titlepage import word_counts

    out = options.outdir
    if "pdf" in options.formats:
        pdf.require_engine(options.pdf_engine)
    csl = resolve_csl(config, options.csl)
    check_regular(config.bibliography, config.rel(config.bibliography))
    refused: list[str] = []
    StagedOutputs.check(targets(config, options))  # before any work: fail fast
    with StagedOutputs(out) as staged:
        crossref = resources.files("glutlint") / "data/crossref.lua"
        with resources.as_file(crossref) as lua, progress.step("citations"):
            doc, warnings = read_manuscript(
                config.manuscript,
                root=config.root,
                bibliography=config.bibliography,
                csl=csl,
                filters=[lua],
            )
        for w in warnings:
            warn("citations", w)
        if is_superscript_style(csl):
            doc = punctuation_first(doc)
        doc = with_title_page(doc, word_counts(config))
        generated: dict[str, Media] = {}
        svg: Media | None = None
        if config.facts is None:
            progress.line("figure", "skipped (no facts ledger configured)")
        else:
            with progress.step("figure", f"{FIGURE_PNG} ({FIGURE_PPI} ppi), SVG, PDF"):
                events = load_events(config.facts, config.rel(config.facts))
                look: dict[str, Any] = {
                    "sources": source_names(config),
                    "cutoff": cutoff_of(doc["meta"]),
                }
                png = render(events, "png", ppi=FIGURE_PPI, **look)
                svg = Media(render(events, "svg", **look), ".svg")
                generated[FIGURE_PNG] = Media(png, ".png")
                generated[FIGURE_SVG] = svg
                staged.add(out / FIGURE_PNG, png)
                staged.add(out / FIGURE_SVG, svg.data)
                staged.add(out / FIGURE_PDF, render(events, "pdf", **look))
        resolver = MediaResolver(config.root, generated)
        if "docx" in options.formats:
            with progress.step("docx"):
                data, r = docx.make_docx(doc, resolver, staged.workdir("docx"))
                staged.add(out / f"{STEM}.docx", data)
                refused += r
        if "pdf" in options.formats:
            with progress.step("pdf", "" if options.pdf_engine == "typst" else options.pdf_engine):
                if options.pdf_engine == "typst":  # the vector figure: crisp at any zoom
                    vector = {**generated, FIGURE_PNG: svg} if svg else generated
                    data, r = pdf.make_pdf_typst(
                        doc, MediaResolver(config.root, vector), staged.workdir("typst")
                    )
                else:
                    data, r = pdf.make_pdf_latex(
                        doc, resolver, options.pdf_engine, staged.workdir("latex")
                    )
                staged.add(out / f"{STEM}.pdf", data)
                refused += r
        if "html" in options.formats:
            with progress.step("html"):
                crisp = {**generated, FIGURE_PNG: svg} if svg else generated
                data, r = html.make_html(
                    doc, MediaResolver(config.root, crisp), staged.workdir("html")
                )
                staged.add(out / f"{STEM}.html", data)
                refused += r
        for target in dict.fromkeys(refused):
            warn("images", f"not embedded (not an image file inside the project): {target}")
        return staged.commit()


def with_title_page(doc: dict, counts: object) -> dict:
    """The AST with the title-page blocks (authors, affiliations, word counts) in its metadata."""
    from .titlepage import title_page

    blocks = title_page(doc["meta"], counts)  # type: ignore[arg-type]
    if blocks is None:
        return doc
    meta = {k: v for k, v in doc["meta"].items() if k != "date"}
    meta["title-page"] = {"t": "MetaBlocks", "c": blocks}
    return {**doc, "meta": meta}


def source_names(config: Config) -> dict[str, str]:
    """Bibliography key -> "Author Year", for the figure's source labels."""
    from ..bibliography import load_bibliography

    entries = load_bibliography(config.bibliography, config.root, roots=config.allowed_roots)
    return {k: f"{e.short_authors()} {e.year or ''}".strip() for k, e in entries.items()}


def cutoff_of(meta: dict) -> str | None:
    """The front matter's `evidence-cutoff` as the figure shows it, if it is a date."""
    from .metadata import _inlines, _plain
    from .timeline import parse_date

    value = meta.get("evidence-cutoff")
    text = " ".join(_plain(_inlines(value)).split()) if value else ""
    return parse_date(text) if text else None
