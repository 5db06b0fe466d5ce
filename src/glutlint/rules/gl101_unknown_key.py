"""GL101 unknown-key: a citation of a key that is not in the bibliography.

What it does
    Reports every `@key` whose key the bibliography does not define, and suggests the nearest
    known key when one is close.

Why
    pandoc renders an unknown key as "(?)" or the raw key: a broken reference in a submitted
    manuscript, and a claim that cannot be checked against any source.

Example
    Fails:  Velostatin was authorised in 2018 [@orsini2202].
    Passes: Velostatin was authorised in 2018 [@orsini2022].
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding

CODE = "GL101"
NAME = "unknown-key"
SEVERITY = ERROR


def check(ctx) -> Iterator[Finding]:
    keys = list(ctx.project.entries)
    for doc in ctx.documents:
        for cite in doc.cites:
            if cite.key in ctx.project.entries:
                continue
            near = difflib.get_close_matches(cite.key, keys, n=1, cutoff=0.6)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            yield Finding(
                doc.shown,
                cite.line,
                cite.column,
                f"unknown citation key '{cite.key}'{hint}",
                cite.end_line,
                cite.end_column,
            )
