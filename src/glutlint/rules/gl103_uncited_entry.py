"""GL103 uncited-entry: a bibliography entry that is never cited.

What it does
    Reports each entry of the bibliography that no citation in the manuscript uses. Only runs
    when the whole manuscript is checked.

Why
    An uncited entry is either a source the text forgot to use or dead weight; pandoc leaves
    it out of the references, so the reader never sees it.

Example
    Fails:  refs.bib defines `bram2017`, and no sentence cites `@bram2017`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Finding

CODE = "GL103"
NAME = "uncited-entry"
SEVERITY = WARNING
NEEDS_FULL_MANUSCRIPT = True


def check(ctx) -> Iterator[Finding]:
    cited = {c.key for d in ctx.documents for c in d.cites}
    nocite = ctx.documents[0].metadata.get("nocite", "") if ctx.documents else ""
    if "@*" in str(nocite):
        return
    bib = ctx.config.rel(ctx.config.bibliography)
    for key, entry in ctx.project.entries.items():
        if key not in cited and f"@{key}" not in str(nocite):
            yield Finding(bib, entry.line, 1, f"bibliography entry '{key}' is never cited")
