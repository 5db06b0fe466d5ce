"""GL605 placeholder: an unfilled placeholder remains.

What it does
    Finds TODO, FIXME, XXX, TBD, "[citation needed]", "[ref]" and "??" in the prose,
    headings, captions and metadata text of the manuscript (not in code or comments).

Why
    A placeholder in a submitted manuscript is an embarrassment at best and an unsupported
    claim at worst.

Example
    Fails:  Response rates were ?? percent [citation needed].
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding

CODE = "GL605"
NAME = "placeholder"
SEVERITY = ERROR
PLACEHOLDER_RE = re.compile(
    r"\b(?:TODO|FIXME|XXX|TBD|TKTK)\b|\[(?:citation needed|ref|cite)\]|\?\?", re.IGNORECASE
)


def check(ctx) -> Iterator[Finding]:
    for doc in ctx.documents:
        for b in doc.blocks:
            for m in PLACEHOLDER_RE.finditer(b.masked):
                if m.group().isalpha() and not m.group().isupper():
                    continue  # "todo" in ordinary prose is a word, not a marker
                line, col = b.position(m.start())
                end_line, end_col = b.position(m.end())
                yield Finding(
                    doc.shown, line, col, f"unfilled placeholder '{m.group()}'", end_line, end_col
                )
        title = doc.metadata.get("title")
        if isinstance(title, str) and PLACEHOLDER_RE.search(title):
            yield Finding(doc.shown, 1, 1, "unfilled placeholder in the title")
