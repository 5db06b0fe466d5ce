"""Command-line entry point: parse arguments, dispatch to a lazily imported command module.

Each command lives in `glutlint.commands.<name>` with `configure(parser)` and `run(args) -> int`.
Only the chosen command's module is imported, so `glutlint check` never pays for pandoc,
typst or the language server.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import InputError

COMMANDS: dict[str, str] = {
    "check": "Lint the manuscript: citations, evidence, facts, outdated claims, structure.",
    "explain": "Print the documentation of a rule code.",
    "trace": "Show, claim by claim, the source passages that support each value.",
    "facts": "List the facts ledger, whether each quote verifies, and what superseded what.",
    "stats": "Words per section, abstract length, claims and citations per source.",
    "build": "Build the manuscript to PDF, DOCX and HTML with pandoc.",
    "report": "Write the evidence report: every claim beside its source passages, as HTML.",
    "lsp": "Run the language server over stdio.",
    "init": "Start a review here: settings, manuscript skeleton, ledger, sidecar, pre-commit.",
}


def _module(name: str):
    return importlib.import_module(f"glutlint.commands.{name}")


def build_parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glutlint", description="Lint, verify and build an evidence-checked review."
    )
    parser.add_argument("--version", action="version", version=f"glutlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            _module(name).configure(p)
    return parser


def _shown(path: str) -> str:
    """A path as the user should see it: relative to the project (or working) folder."""
    from pathlib import Path

    from .config import find_pyproject
    from .textio import real_path

    p = Path(path)
    if not p.is_absolute():
        return path
    try:
        pyproject = find_pyproject(Path.cwd())
    except InputError:  # a broken pyproject.toml: name paths from the working folder
        pyproject = None
    base = real_path(pyproject.parent if pyproject else Path.cwd())
    try:
        return real_path(p).relative_to(base).as_posix()
    except (ValueError, OSError):
        return path


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in COMMANDS:
        command = None
    parser = build_parser(command)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(_module(args.command).run(args))
    except InputError as exc:
        if exc.path:
            exc.path = _shown(exc.path)
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except RecursionError:
        print("glutlint: input nested too deeply to check", file=sys.stderr)
        return 2
    except MemoryError:
        print("glutlint: input too large to check in memory", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
