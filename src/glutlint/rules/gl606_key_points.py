"""GL606 key-points: the Key Points section has the wrong number of points.

What it does
    Counts the list items of the "Key Points" section and compares the count with
    `[tool.glutlint.profile] key_points` (default 3 to 4). Runs only when the manuscript has
    a Key Points section (GL601 reports a missing one).

Why
    Journals such as CNS Drugs ask for a fixed number of key points; more or fewer is
    returned at submission.

Example
    Fails:  a Key Points section with six bullets when the profile allows 3 to 4.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..manuscript import heading_title
from ..options import INT_RANGE

CODE = "GL606"
NAME = "key-points"
SEVERITY = ERROR
CONF = {"key_points": INT_RANGE}
DEFAULT: dict[str, object] = {"key_points": [3, 4]}


def check(ctx) -> Iterator[Finding]:
    bounds = ctx.options["key_points"]
    if isinstance(bounds, int):
        bounds = [bounds, bounds]
    low, high = int(bounds[0]), int(bounds[-1])
    for doc in ctx.documents:
        heads = [h for h in doc.headings if heading_title(h).lower() == "key points"]
        if not heads:
            continue
        items = [b for b in doc.blocks if b.kind == "item" and b.section.lower() == "key points"]
        if not low <= len(items) <= high:
            line, col = heads[0].position(0)
            want = f"{low}" if low == high else f"{low} to {high}"
            yield Finding(
                doc.shown,
                line,
                1,
                f"Key Points has {len(items)} points; the profile asks for {want}",
            )
