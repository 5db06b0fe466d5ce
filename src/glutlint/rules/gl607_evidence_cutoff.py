"""GL607 evidence-cutoff: a review dated later than its newest source must state its cut-off.

What it does
    Compares the manuscript's `date` (YAML front matter) with the date of the newest cited
    source (the bibliography's `date`, else `year` and `month`). When the manuscript is
    later, the front matter must give `evidence-cutoff` (YYYY, YYYY-MM or YYYY-MM-DD), no
    earlier than that newest source, and each part named by `[tool.glutlint.profile]
    evidence_cutoff_in` (default: the abstract and Key Points) must say so in words: a
    sentence with "cut-off" (or "cutoff") and the cut-off's year.

Why
    A reader takes a review to be current as of its date. When the newest evidence is years
    older, the gap must be stated where readers look first, or time-bound statements
    ("approved as adjunctive treatment", "the largest gap") read as today's.

Example
    Fails:  date: 2029-05-01, newest source halden2026, no `evidence-cutoff`.
    Fails:  evidence-cutoff: 2026-02 but the abstract never mentions it.
    Passes: evidence-cutoff: 2026-02, and "Evidence cut-off: February 2026 (newest source)."
            in the abstract and in Key Points.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..options import STRINGS

CODE = "GL607"
NAME = "evidence-cutoff"
SEVERITY = ERROR
CUTOFF_RE = re.compile(r"\bcut[\s-]?off\b", re.IGNORECASE)
DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
CONF = {"evidence_cutoff_in": STRINGS}
DEFAULT: dict[str, object] = {"evidence_cutoff_in": ["Abstract", "Key Points"]}

When = tuple[int, int, int]  # year, month (0: unknown), day (0: unknown)


def parse_when(value: object) -> When | None:
    """A YAML or BibTeX date: 2024, "2024-08", 2024-08-16 (a date), or None."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    m = DATE_RE.match(str(value))
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def entry_when(fields: dict[str, str]) -> When | None:
    """The publication date of a bibliography entry, as precise as its fields allow."""
    if fields.get("date"):
        return parse_when(fields["date"])
    year = parse_when(fields.get("year", ""))
    if year is None:
        return None
    month = fields.get("month", "").strip().lower()[:3]
    mo = MONTHS.index(month) + 1 if month in MONTHS else int(month) if month.isdigit() else 0
    return (year[0], mo if 1 <= mo <= 12 else 0, 0)


def later(a: When, b: When) -> bool:
    """Is `a` later than `b`, compared only as precisely as both are known?"""
    for x, y in zip(a, b, strict=True):
        if not x or not y:
            return False
        if x != y:
            return x > y
    return False


def shown(w: When) -> str:
    return "-".join(f"{v:02d}" if i else str(v) for i, v in enumerate(w) if v)


def check(ctx) -> Iterator[Finding]:
    if not ctx.full_manuscript:
        return
    front = next((d for d in ctx.documents if d.metadata.get("date") is not None), None)
    if front is None:
        return
    dated = parse_when(front.metadata.get("date"))
    entries = ctx.project.entries
    cited = {c.key for d in ctx.documents for c in d.cites if c.key in entries}
    dates = [(w, k) for k in sorted(cited) if (w := entry_when(entries[k].fields))]
    if dated is None or not dates:
        return
    newest, key = max(dates)
    if not later(dated, newest):
        return
    raw = front.metadata.get("evidence-cutoff")
    if raw is None:
        yield Finding(
            front.shown,
            1,
            1,
            f"the review is dated {shown(dated)} but its newest source, {key}, is from "
            f"{shown(newest)}: give `evidence-cutoff` in the front matter and state it",
        )
        return
    cutoff = parse_when(raw)
    if cutoff is None:
        yield Finding(front.shown, 1, 1, "evidence-cutoff is not a date (YYYY, YYYY-MM, ...)")
        return
    if cutoff[0] < newest[0]:  # by year: online-first dates precede issue dates
        yield Finding(
            front.shown,
            1,
            1,
            f"evidence-cutoff {shown(cutoff)} is earlier than the cited source {key} "
            f"({shown(newest)})",
        )
    parts = ctx.options["evidence_cutoff_in"]
    year = str(cutoff[0])
    for part in [str(p) for p in parts]:  # type: ignore[attr-defined]
        sentences = [s for d in ctx.documents for s in d.sentences if _in(s, part)]
        if not sentences:
            continue  # a missing section is GL601's business
        if any(CUTOFF_RE.search(s.text) and year in s.text for s in sentences):
            continue
        doc = next(d for d in ctx.documents if sentences[0] in d.sentences)
        line, col = sentences[0].pos(0)
        yield Finding(
            doc.shown,
            line,
            col,
            f"{part} does not state the evidence cut-off ({shown(cutoff)}): the review is "
            f"dated {shown(dated)}, its newest source {shown(newest)}",
        )


def _in(sentence, part: str) -> bool:
    block = sentence.block
    if part.lower() == "abstract":
        return block.kind == "abstract"
    return block.kind != "heading" and block.section.lower() == part.lower()
