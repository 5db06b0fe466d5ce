"""`glutlint lsp`: the language server over stdio (diagnostics, citation hover, completion)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


class OneLine(logging.Formatter):
    """A log record on one line of stderr: its first line, and an exception as its type and
    message only. pygls logs a malformed message with the whole (multi-line, nested)
    traceback of its validation error; that belongs in `--log-file`, not on stderr."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().strip().splitlines()
        text = message[0].removeprefix("glutlint: ") if message else ""
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            detail = str(exc).strip().splitlines()
            text += f" ({type(exc).__name__}{': ' + detail[0] if detail else ''})"
        return f"glutlint lsp: {record.levelname.lower()}: {text}"[:1000]


def _not_repeated(record: logging.LogRecord) -> bool:
    """pygls' "Unable to deserialize message": the server says what was wrong in its own line."""
    return not (
        record.name.startswith("pygls") and record.getMessage().startswith("Unable to deserialize")
    )


def _stderr_handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_not_repeated)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(OneLine())
    return handler


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--log-file", type=Path, default=None, help="write the server's debug log to this file"
    )


def run(args: argparse.Namespace) -> int:
    if args.log_file is not None:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG)
    logging.getLogger().addHandler(_stderr_handler())  # warnings and errors, one line each
    from ..lsp import serve  # pygls is imported only here, when the server really starts

    return serve()
