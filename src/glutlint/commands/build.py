"""`glutlint build`: check the manuscript, then write the review as PDF, DOCX and/or HTML.

The build refuses while the checker reports errors (exit 1) unless --force is given, so a
manuscript with a broken citation or an unsupported claim is never typeset by accident.
pandoc, typst and the build modules are imported inside `run`, never at CLI start-up.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..build.pipeline import Progress
    from ..cache import Store
    from ..config import Config

DEFAULT_FORMATS = "pdf,docx"
ALL_FORMATS = ("pdf", "docx", "html")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        default=DEFAULT_FORMATS,
        metavar="FORMATS",
        help=f"comma-separated formats among {', '.join(ALL_FORMATS)}, or 'all' "
        f"(default: {DEFAULT_FORMATS})",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="output folder (default: [tool.glutlint] output, else build/ in the project)",
    )
    parser.add_argument(
        "--force", action="store_true", help="build even if the checker reports errors"
    )
    parser.add_argument(
        "--pdf-engine",
        choices=("typst", "xelatex", "tectonic"),
        default="typst",
        help="typst (default, bundled) or pandoc's LaTeX route if that engine is on PATH",
    )
    parser.add_argument(
        "--csl", metavar="STYLE", help="CSL style name or .csl path (default: [tool.glutlint] csl)"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write .glutlint_cache/ (a cold run, as in CI)",
    )


def parse_formats(value: str) -> list[str]:
    """'pdf,docx' -> ['pdf', 'docx'] in canonical order; unknown names are a usage error."""
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if names == ["all"]:
        return list(ALL_FORMATS)
    unknown = [n for n in names if n not in ALL_FORMATS]
    if unknown or not names:
        what = unknown[0] if unknown else value
        raise InputError(None, None, f"--to: unknown format {what!r} (use {','.join(ALL_FORMATS)})")
    return [f for f in ALL_FORMATS if f in names]


class Refused(Exception):
    """The checker found errors and --force was not given."""


def run_checker(config: Config, force: bool, progress: Progress) -> Store:
    """Run the linter first; raise Refused on errors unless --force. Returns the project's
    store, to be written once the build succeeded.

    With --force a checker that is missing or fails is reported and the build goes on: the
    user asked for output regardless. Without it, such a failure stops the build.
    """
    start = time.perf_counter()
    try:
        from ..engine import check_files
        from ..project import Project

        project = Project.load(config)
        diagnostics = check_files(project)
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise InputError(None, None, f"the checker cannot be loaded: {exc}") from None
    errors = sorted(
        (d for d in diagnostics if d.severity == "error"),
        key=lambda d: (d.path, d.line, d.column, d.code),
    )
    warnings = sum(1 for d in diagnostics if d.severity != "error")
    progress.line(
        "check",
        f"{time.perf_counter() - start:.2f} s  {len(errors)} error(s), {warnings} warning(s)",
    )
    for d in errors:
        print(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}")
    sys.stdout.flush()
    if errors and not force:
        raise Refused(len(errors))
    if errors:
        print(f"glutlint: --force: building despite {len(errors)} error(s)", file=sys.stderr)
    return project.store


def run(args: argparse.Namespace) -> int:
    from ..build.pipeline import Options, Progress, build, output_dir
    from ..config import load_config

    formats = parse_formats(args.to)
    config = load_config()
    config.cache = config.cache and not args.no_cache
    progress = Progress()
    started = time.perf_counter()
    try:
        store = run_checker(config, args.force, progress)
    except Refused as exc:
        print(
            f"glutlint: build refused: {exc.args[0]} error(s); fix them or use --force",
            file=sys.stderr,
        )
        return 1
    options = Options(
        formats=formats,
        outdir=output_dir(config, args.output),
        pdf_engine=args.pdf_engine,
        csl=args.csl,
    )
    from ..build.media import check_images
    from ..build.pipeline import FIGURE_PNG, FIGURE_SVG

    check_images(config, {FIGURE_PNG, FIGURE_SVG})
    try:
        written = build(config, options, progress)
    except OSError as exc:
        where = config.rel(exc.filename) if exc.filename else None
        raise InputError(where, None, f"cannot write the outputs: {exc.strerror}") from None
    store.flush()
    progress.line("total", f"{time.perf_counter() - started:.2f} s")
    shown = [config.rel(p) for p in written if p.suffix in {".pdf", ".docx", ".html"}]
    print(f"glutlint: wrote {', '.join(shown)}", file=sys.stderr)
    return 0
