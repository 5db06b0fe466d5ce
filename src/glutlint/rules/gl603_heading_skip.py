"""GL603 heading-skip: a heading level is skipped.

What it does
    Reports a heading more than one level deeper than the heading before it, across the
    manuscript files in reading order (markdownlint's MD001).

Why
    pandoc numbers sections by level: "1.0.1" in a PDF, and a broken outline in Word's
    navigation pane and in screen readers.

Example
    Fails:  "# Methods" followed by "### Search"
    Passes: "# Methods" followed by "## Search"
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Finding

CODE = "GL603"
NAME = "heading-skip"
SEVERITY = WARNING


def check(ctx) -> Iterator[Finding]:
    previous = 0
    for doc in ctx.documents:
        for h in doc.headings:
            if previous and h.level > previous + 1:
                line, col = h.position(0)
                yield Finding(
                    doc.shown,
                    line,
                    1,
                    f"heading level {h.level} after level {previous}: a level is skipped",
                )
            previous = h.level
