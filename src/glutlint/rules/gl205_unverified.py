"""GL205 unverified: a value or agent that a partial source cannot confirm.

What it does
    A cited source kept only in part (the sidecar's `kind`: abstract, excerpt or news report)
    cannot show that a value or a name is absent from the work: the full text may well give
    it. A claim value or named agent that none of the cited texts gives, while at least one of
    them is partial and none contradicts it (GL201 reports a value that the passage on the same
    subject gives differently), is reported here as unverified, with the texts searched.

    A warning by default. A project that holds every claim to the texts it keeps sets
    `partial_sources = "strict"` in `[tool.glutlint]`: a missing value or agent is then GL201
    or GL202, an error, whatever the kind of source.

Why
    Crying wolf on an accurate citation of a paper whose abstract is all you kept gets a linter
    switched off; staying silent hides that the claim was never checked. A warning says what
    was and was not verified.

Example
    Warns:  Velostatin lowered LDL cholesterol by 38% in 412 patients [@halden2015].
            (412 not found in the abstract kept for halden2015 (sources/halden2015.txt);
            a partial text cannot show it is absent)
    Passes: Velostatin lowered LDL cholesterol by 38% [@halden2015].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Finding
from ..evidence import Status
from ..source_kinds import describe

CODE = "GL205"
NAME = "unverified"
SEVERITY = WARNING


def check(ctx) -> Iterator[Finding]:
    sources = ctx.project.sources
    for verdict in ctx.verdicts:
        partial = ctx.partial_sources(verdict.claim)
        if not partial:
            continue
        s = verdict.claim.sentence
        searched = "; ".join(
            f"the {describe(sources[k].kind)} kept for {k} ({ctx.config.rel(sources[k].path)})"
            for k in partial
        )
        others = [k for k in verdict.claim.keys if k not in partial]
        if others:
            searched += f", and {', '.join(others)}"
        what = "a partial text cannot show it is absent"
        missing = [
            (v.q.text.strip(), v.q.start, v.q.end)
            for v in verdict.values
            if v.status == Status.MISSING and v.against is None
        ]
        missing += [
            (f"'{a.name}'", a.start, a.end) for a in verdict.agents if a.status == Status.MISSING
        ]
        for text, start, end in missing:
            line, col = s.pos(start)
            end_line, end_col = s.pos(end)
            msg = f"{text} not found in {searched}; {what}"
            yield Finding(verdict.claim.path, line, col, msg, end_line, end_col)
