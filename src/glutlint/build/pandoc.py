"""Run the pandoc binary shipped by pypandoc_binary, sandboxed, and turn failures into InputError.

glutlint talks to pandoc through its JSON AST: the manuscript is read (and citations resolved
by citeproc) once, then each writer gets the same AST. Every call runs with `--sandbox`, so
pandoc itself reads nothing but the files named on its command line; images reach the writers
only through `glutlint.build.media`, which allows files inside the project.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

from ..errors import InputError

TIMEOUT = 120


@cache
def pandoc_path() -> str:
    """The pandoc binary bundled with pypandoc_binary (never a system pandoc)."""
    import pypandoc

    try:
        path = pypandoc.get_pandoc_path()
    except OSError as exc:
        raise InputError(None, None, f"pandoc is not available: {exc}") from None
    return str(path)


def run_pandoc(
    args: list[str],
    *,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    what: str = "pandoc",
) -> tuple[bytes, list[str]]:
    """Run pandoc with `args`; return (stdout, warning lines) or raise a one-line InputError."""
    cmd = [pandoc_path(), "--sandbox", *args]
    try:
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            cwd=cwd,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError(None, None, f"{what}: pandoc took longer than {TIMEOUT} s") from None
    except OSError as exc:
        raise InputError(None, None, f"{what}: cannot run pandoc: {exc.strerror}") from None
    messages = [ln.strip() for ln in proc.stderr.decode("utf-8", "replace").splitlines()]
    messages = [m for m in messages if m]
    if proc.returncode != 0:
        detail = "; ".join(m for m in messages if not m.startswith("[WARNING]")) or "no message"
        if cwd is not None:  # name files as the user sees them, not by machine paths
            detail = detail.replace(f"{Path(cwd).resolve()}/", "").replace(f"{cwd}/", "")
        raise InputError(None, None, f"{what}: pandoc failed (exit {proc.returncode}): {detail}")
    return proc.stdout, [m for m in messages if m.startswith("[WARNING]")]


def read_manuscript(
    files: list[Path],
    *,
    root: Path,
    bibliography: Path,
    csl: Path,
    filters: list[Path],
) -> tuple[dict, list[str]]:
    """Parse the manuscript files (in order) and resolve citations; returns the pandoc AST."""
    if not files:
        raise InputError(None, None, "the manuscript has no Markdown files")
    args = ["--from", "markdown", "--to", "json"]
    for f in filters:
        args += ["--lua-filter", str(f)]
    args += ["--citeproc", "--bibliography", str(bibliography), "--csl", str(csl)]
    args += [str(f) for f in files]
    out, warnings = run_pandoc(args, cwd=root, what="citations")
    return json.loads(out), warnings


def write_ast(doc: dict, to: str, extra: list[str], *, cwd: Path, what: str) -> bytes:
    """Run one pandoc writer over the AST and return its output bytes."""
    args = ["--from", "json", "--to", to, "--output", "-", *extra]
    out, warnings = run_pandoc(args, stdin=json.dumps(doc).encode(), cwd=cwd, what=what)
    for w in warnings:
        warn(what, w)
    return out


def default_data_file(name: str) -> bytes:
    """A file of pandoc's own default data (e.g. reference.docx), exactly as pandoc ships it."""
    out, _ = run_pandoc(["--print-default-data-file", name], what=name)
    return out


def warn(what: str, message: str) -> None:
    """Relay a warning on stderr, one line, tagged with the step that raised it."""
    print(f"warning: {what}: {message.removeprefix('[WARNING] ')}", file=sys.stderr)
