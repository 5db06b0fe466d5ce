"""`glutlint report [-o FILE] [--flagged-first]`: write the evidence report as one HTML page.

The page is written atomically (a temporary file in the destination folder, then os.replace),
so a browser or a build never sees half a report, and a failed run leaves the old one intact.
The exit status is 0 whenever the page was written, flagged claims or not: showing them is the
report's purpose; `glutlint check` is the gate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import InputError

DEFAULT_NAME = "evidence.html"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"where to write the page (default: {DEFAULT_NAME} in [tool.glutlint] output, "
        "else in build/ of the project)",
    )
    p.add_argument(
        "--flagged-first", action="store_true", help="list flagged claims before the others"
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write .glutlint_cache/ (a cold run, as in CI)",
    )


def destination(config, override: str | None) -> Path:
    """-o FILE (relative to the working folder), else the build folder's evidence.html."""
    if override:
        dest = Path(override).expanduser().resolve()
    else:
        dest = (config.output or config.root / "build") / DEFAULT_NAME
    from ..atomic import not_replaceable

    if dest.is_dir():
        raise InputError(config.rel(dest), None, "is a folder; -o takes the name of a file")
    reason = not_replaceable(dest)  # a FIFO, a device: refused before any work, never replaced
    if reason is not None:
        raise InputError(config.rel(dest), None, reason)
    return dest


def write_atomically(dest: Path, text: str, shown: str) -> None:
    """Write `text` to `dest` via a temporary file beside it; on failure nothing changes."""
    from ..build.atomic import StagedOutputs

    try:
        with StagedOutputs() as staged:
            staged.add(dest, text.encode("utf-8"))
            staged.commit()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(shown, None, f"cannot write the report: {reason}") from None


def run(args: argparse.Namespace) -> int:
    from ..config import load_config
    from ..engine import Context, run_rules
    from ..project import Project
    from ..report import collect, render

    started = time.perf_counter()
    config = load_config()
    config.cache = config.cache and not args.no_cache
    dest = destination(config, args.output)
    project = Project.load(config)
    ctx = Context(project, project.parse(list(config.manuscript)))
    data = collect(ctx, run_rules(ctx))
    page = render(data, flagged_first=args.flagged_first)
    shown = config.rel(dest)
    write_atomically(dest, page, shown)
    project.store.flush()
    verdicts = [r.verdict for r in data.records]
    print(
        f"glutlint: wrote {shown}: {len(verdicts)} claims, {verdicts.count('verified')} "
        f"verified, {verdicts.count('flagged')} flagged, {len(data.other)} other findings "
        f"({time.perf_counter() - started:.2f} s)",
        file=sys.stderr,
    )
    return 0
