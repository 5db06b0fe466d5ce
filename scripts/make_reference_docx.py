#!/usr/bin/env python3
"""Write the submission reference DOCX that `glutlint build` uses, e.g. to open it in Word.

The document is built by code from pandoc's default reference.docx (see
glutlint.build.docx_reference): running this twice gives byte-identical files.

    .venv/bin/python scripts/make_reference_docx.py [OUT.docx] [--running-title TEXT]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glutlint.build.docx import reference_docx
from glutlint.errors import InputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="reference.docx", help="file to write")
    parser.add_argument("--running-title", help="text for the page header")
    args = parser.parse_args(argv)
    try:
        data = reference_docx(args.running_title)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    Path(args.out).write_bytes(data)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
