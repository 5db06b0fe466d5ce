"""How faithfully the PDF reader gives back a typeset article's text.

Ground truth: real PMC articles in JATS (tests/fixtures/jats). Its text, as the JATS reader
gives it, is typeset with typst like a journal page (two columns, hyphenation, justified
text, running head, page numbers), then read back by glutlint's PDF reader and repaired by
the same normaliser every source goes through. The measure: of the numbers and capitalised or
hyphenated names in the article's body as the JATS reader gives it, the share found in the
PDF's text in the same order (matched as one sequence, so a token found elsewhere on the page
does not count).

Usage: .venv/bin/python benchmarks/pdf_fidelity.py [JATS files...]
"""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from typeset import typeset  # noqa: E402 - the tests' journal-page typesetter

GOAL = 0.98
#: Tokens compared: numbers (with decimals) and words with a capital, a digit or a hyphen.
TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]*[A-Z][\w-]*|\w+-\w[\w-]*")


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def body_text(path: Path) -> str:
    """The evidence text of a source, as a check searches it."""
    from glutlint.sources import load_source

    return load_source("k", path, None).text


def fidelity(jats: Path, tmp: Path) -> tuple[int, int, int]:
    pdf = tmp / f"{jats.stem}.pdf"
    typeset(jats, pdf)
    truth = tokens(body_text(jats))
    got = tokens(body_text(pdf))
    matcher = difflib.SequenceMatcher(None, truth, got, autojunk=False)
    found = sum(b.size for b in matcher.get_matching_blocks())
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(pdf))
    return found, len(truth), pages


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((REPO / "tests/fixtures/jats").glob("*.nxml"))
    total = found_all = 0
    with tempfile.TemporaryDirectory(prefix="glutlint-fidelity-") as tmp:
        for f in files:
            found, n, pages = fidelity(f, Path(tmp))
            total += n
            found_all += found
            print(f"{f.name}: {pages} pages, {found}/{n} tokens in order ({found / n:.1%})")
    share = found_all / total
    print(f"all: {found_all}/{total} = {share:.1%} (goal >= {GOAL:.0%})")
    return 0 if share >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
