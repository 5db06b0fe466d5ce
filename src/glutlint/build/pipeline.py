"""The steps of `glutlint build`, timed, with every output committed only if all succeed."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TextIO

from ..config import Config
from ..textio import check_regular
from .atomic import StagedOutputs
from .csl import resolve_csl
from .media import Media, MediaResolver

FORMATS = ("pdf", "docx", "html")
FIGURE_PNG = "figures/timeline.png"
FIGURE_SVG = "figures/timeline.svg"
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
        found.append(out / FIGURE_PNG)
        if "html" in options.formats:
            found.append(out / FIGURE_SVG)
    found += [out / f"{STEM}.{f}" for f in FORMATS if f in options.formats]
    return found


def build(config: Config, options: Options, progress: Progress) -> list[Path]:
    """Run every step; on any failure nothing in the output folder changes. Every target
    is checked replaceable before any work and again before any is replaced."""
    from . import docx, html, pdf
    from .pandoc import read_manuscript, warn
    from .timeline import load_events, render

    out = options.outdir
    if "pdf" in options.formats:
        pdf.require_engine(options.pdf_engine)
    csl = resolve_csl(config, options.csl)
    check_regular(config.bibliography, config.rel(config.bibliography))
    refused: list[str] = []
    StagedOutputs.check(targets(config, options))  # before any work: fail fast
    with StagedOutputs(out) as staged:
        generated: dict[str, Media] = {}
        svg: Media | None = None
        if config.facts is None:
            progress.line("figure", "skipped (no facts ledger configured)")
        else:
            with progress.step("figure", FIGURE_PNG):
                events = load_events(config.facts, config.rel(config.facts))
                png = render(events, "png", ppi=200)
                generated[FIGURE_PNG] = Media(png, ".png")
                staged.add(out / FIGURE_PNG, png)
                if "html" in options.formats:
                    svg = Media(render(events, "svg"), ".svg")
                    generated[FIGURE_SVG] = svg
                    staged.add(out / FIGURE_SVG, svg.data)
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
        resolver = MediaResolver(config.root, generated)
        if "docx" in options.formats:
            with progress.step("docx"):
                data, r = docx.make_docx(doc, resolver, staged.workdir("docx"))
                staged.add(out / f"{STEM}.docx", data)
                refused += r
        if "pdf" in options.formats:
            with progress.step("pdf", "" if options.pdf_engine == "typst" else options.pdf_engine):
                if options.pdf_engine == "typst":
                    data, r = pdf.make_pdf_typst(doc, resolver, staged.workdir("typst"))
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
