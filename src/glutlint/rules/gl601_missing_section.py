"""GL601 missing-section: a section the journal profile requires is missing.

What it does
    Checks that every section named in `[tool.glutlint.profile] required_sections` is a
    heading of the manuscript (any level, case-insensitive). "Abstract" is satisfied by an
    `abstract` in the YAML metadata. Only runs when the whole manuscript is checked.

Why
    Journals desk-reject submissions without their required sections (key points,
    declarations, data availability).

Example
    Fails:  required_sections = ["Conclusions"] and no "# Conclusions" heading.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..manuscript import heading_title
from ..options import STRINGS

CODE = "GL601"
NAME = "missing-section"
SEVERITY = ERROR
CONF = {"required_sections": STRINGS}
DEFAULT: dict[str, object] = {
    "required_sections": ["Key Points", "Introduction", "Conclusions", "Declarations", "References"]
}
NEEDS_FULL_MANUSCRIPT = True


def check(ctx) -> Iterator[Finding]:
    if not ctx.documents:
        return
    titles = {heading_title(h).lower() for d in ctx.documents for h in d.headings}
    if any(d.metadata.get("abstract") for d in ctx.documents):
        titles.add("abstract")
    first = ctx.documents[0]
    for name in ctx.options["required_sections"]:
        if str(name).lower() not in titles:
            yield Finding(first.shown, 1, 1, f"required section '{name}' is missing")
