"""`glutlint trace [FILE...]`: claim by claim, the passage that supports each value."""

from __future__ import annotations

import argparse
from pathlib import Path


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, help="Markdown files (default: the manuscript)")
    p.add_argument("--flagged", action="store_true", help="only claims with diagnostics")
    p.add_argument(
        "--sources",
        action="store_true",
        help="instead of claims, show each source: how it was read and what is not evidence",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write .glutlint_cache/ (a cold run, as in CI)",
    )


def run(args: argparse.Namespace) -> int:
    from ..config import inside_project, load_config
    from ..engine import Context, run_rules
    from ..project import Project
    from ..trail import records

    config = load_config()
    config.cache = config.cache and not args.no_cache
    project = Project.load(config)
    if args.sources:
        for key, src in project.sources.items():
            reading = src.reading
            print(f"{config.rel(src.path)}: {key}, {reading.format}, {len(reading.lines)} lines")
            for f in src.furniture:
                first, last = reading.place(f.first), reading.place(f.last)
                span = str(first) if first == last else f"{first}-{last}"
                print(f"  not evidence {span}: {f.why}")
        project.store.flush()
        return 0
    files = [inside_project(f, config, str(f)) for f in args.files]
    files = files or list(project.config.manuscript)
    ctx = Context(project, project.parse(files))
    diags = run_rules(ctx)
    for rec in records(ctx, diags):
        if args.flagged and not rec.diagnostics:
            continue
        print(f"{rec.path}:{rec.line}:{rec.column}: {rec.verdict.upper()}")
        print(f"  claim: {rec.sentence}")
        print(f"  cites: {', '.join(rec.keys) or '(none)'}")
        for item in rec.items:
            where = ""
            if item.passage is not None:
                p = item.passage
                where = f'  {p.key} {p.where}  "{p.snippet}"'
            note = f"  ({item.note})" if item.note else ""
            print(f"    {item.kind} {item.text!r}: {item.status}{note}{where}")
        for d in rec.diagnostics:
            print(f"    {d.code} {d.message}")
        print()
    project.store.flush()
    return 0
