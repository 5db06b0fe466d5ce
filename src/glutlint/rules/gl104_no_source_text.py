"""GL104 no-source-text: a cited entry with no source text.

What it does
    Reports a cited bibliography entry that has no `file` field naming its source text (a
    path relative to the project root, as Zotero and Better BibTeX write it).

Why
    Without the source's text, none of the claims citing it can be verified (GL201-GL203 skip
    them). Add the text: `file = {sources/smith2020.txt}`.

Example
    Fails:  @article{smith2020, title = {...}, year = {2020}}   (cited, no file field)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Finding

CODE = "GL104"
NAME = "no-source-text"
SEVERITY = WARNING


def check(ctx) -> Iterator[Finding]:
    cited = {c.key for d in ctx.documents for c in d.cites}
    bib = ctx.config.rel(ctx.config.bibliography)
    for key in sorted(cited):
        entry = ctx.project.entries.get(key)
        if entry is not None and key not in ctx.project.sources:
            yield Finding(
                bib, entry.line, 1, f"'{key}' is cited but has no source text (file field)"
            )
