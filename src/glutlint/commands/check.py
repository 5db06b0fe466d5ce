"""`glutlint check [FILE...]`: lint the manuscript (or the given files) with the project."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ..formats import FORMATS


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, help="Markdown files (default: the manuscript)")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--select", default=None, help="comma-separated codes or prefixes to run")
    p.add_argument("--ignore", default=None, help="comma-separated codes or prefixes to skip")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    p.add_argument("--statistics", action="store_true", help="print counts per code instead")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write .glutlint_cache/ (a cold run, as in CI)",
    )


def split_codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [c.strip() for c in value.split(",") if c.strip()]


def run(args: argparse.Namespace) -> int:
    from ..config import inside_project, load_config
    from ..engine import check_files, has_errors
    from ..formats import render
    from ..project import Project
    from ..rules import REGISTRY

    config = load_config()
    config.cache = config.cache and not args.no_cache
    select, ignore = split_codes(args.select), split_codes(args.ignore)
    for code in (select or []) + (ignore or []):
        if code.upper() != "ALL" and not any(c.startswith(code.upper()) for c in REGISTRY):
            print(f"glutlint: unknown rule code or prefix '{code}'", file=sys.stderr)
            return 2
    project = Project.load(config)
    if config.lexicon is None and not project.lexicon.has_vocabulary:
        print(
            "glutlint: note: no agent vocabulary (no lexicon, and no source defines a drug name):"
            " agents are recognised by drug-name stems only",
            file=sys.stderr,
        )
    files = [inside_project(f, config, str(f)) for f in args.files] or None
    diags = check_files(project, files, select=select, ignore=ignore)
    if args.statistics:
        counts = Counter((d.code, d.severity) for d in diags)
        for (code, severity), n in sorted(counts.items()):
            print(f"{n:5d}  {code}  {REGISTRY[code].NAME}  ({severity})")
    else:
        sys.stdout.write(render(args.format, diags, root=config.root))
    if args.format == "text" and not args.statistics and sys.stderr.isatty():
        errors = sum(d.severity == "error" for d in diags)
        print(f"{errors} errors, {len(diags) - errors} warnings", file=sys.stderr)
    project.store.flush()
    return 1 if has_errors(diags) and not args.exit_zero else 0
