"""GL604 unreferenced-float: a table or figure is never referred to in the text.

What it does
    Numbers tables and figures in reading order, as the build does, and looks for "Table N",
    "Figure N" or "Fig. N" in the prose outside captions. Only runs when the whole
    manuscript is checked.

Why
    Journals require every table and figure to be cited in the text, in order; an
    unreferenced one is usually a leftover or a missing sentence.

Example
    Fails:  a manuscript with one pipe table and no mention of "Table 1".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import WARNING, Finding

CODE = "GL604"
NAME = "unreferenced-float"
SEVERITY = WARNING
NEEDS_FULL_MANUSCRIPT = True
REF_RE = re.compile(r"\b(Table|Tables|Figure|Figures|Fig\.|Figs\.)\s+(\d+)", re.IGNORECASE)


def check(ctx) -> Iterator[Finding]:
    floats: list[tuple[str, int, str, int, int]] = []
    referenced: set[tuple[str, int]] = set()
    tables = figures = 0
    for doc in ctx.documents:
        seen_tables: set[int] = set()
        for b in doc.blocks:
            if b.kind == "cell" and b.table not in seen_tables:
                seen_tables.add(b.table)
                tables += 1
                line, col = b.position(0)
                floats.append(("table", tables, doc.shown, line, col))
            elif b.kind == "figure":
                figures += 1
                line, col = b.position(0)
                floats.append(("figure", figures, doc.shown, line, col))
            elif b.kind not in {"caption", "figure", "cell"}:
                for m in REF_RE.finditer(b.masked):
                    kind = "table" if m.group(1).lower().startswith("tab") else "figure"
                    referenced.add((kind, int(m.group(2))))
    for kind, n, shown, line, col in floats:
        if (kind, n) not in referenced:
            yield Finding(
                shown, line, col, f"{kind.capitalize()} {n} is never referred to in the text"
            )
