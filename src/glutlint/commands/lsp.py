"""`glutlint lsp`: the language server over stdio (diagnostics, citation hover, completion)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--log-file", type=Path, default=None, help="write the server's debug log to this file"
    )


def run(args: argparse.Namespace) -> int:
    if args.log_file is not None:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG)
    from ..lsp import serve  # pygls is imported only here, when the server really starts

    return serve()
