"""GL201 value-not-in-source: a number, date or quantity in a claim is in none of its sources.

What it does
    Extracts every value of a cited claim (years, dates, percentages, counts, doses,
    durations, ranges, fractions; from digits or words) and looks for it in the text of the
    cited sources, as a careful reader would: "about 20" keeps its value, 43% is supported by
    43.2%, "fewer than 2%" by 1.7%, "71%" by "Seventy-one percent". A year equal to a cited
    source's publication year is supported ("a 2022 review [@orsini2022]"). Several citations
    support a claim together. Figure, table and section numbers, citation locators and digits
    inside names (a gene like APOE4, a compound code like VLS-201) are not values.

    The message names the value, the cited keys, and the closest value the sources give, with
    its file and line.

    Absence is not contradiction. A value missing from a partial source (an abstract, excerpt
    or news report: the sidecar's `kind`) is reported here only when the passage of the source
    on the same subject gives another value; otherwise it is unverified (GL205, a warning).
    With `partial_sources = "strict"` every cited text is held to what it says.

Why
    A wrong number that carries a citation looks verified to every reader. This is the error
    a reviewer is least likely to catch and a reader most likely to repeat.

Example
    Fails:  Velostatin was authorised by the EMA in 2017 [@orsini2022].
            (2017 not in orsini2022; it says 2018 (sources/orsini2022.txt:5))
    Passes: Velostatin was authorised by the EMA in 2018 [@orsini2022].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..evidence import Status

CODE = "GL201"
NAME = "value-not-in-source"
SEVERITY = ERROR


def check(ctx) -> Iterator[Finding]:
    for verdict in ctx.verdicts:
        s = verdict.claim.sentence
        keys = ", ".join(verdict.claim.keys)
        partial = ctx.partial_sources(verdict.claim)
        for v in verdict.values:
            if v.status != Status.MISSING or (partial and v.against is None):
                continue
            msg = f"{v.q.text.strip()} not in {keys}"
            n = v.against or v.nearest
            if n is not None:
                msg += f"; it says {n.value.strip()} ({n.where})"
            line, col = s.pos(v.q.start)
            end_line, end_col = s.pos(v.q.end)
            yield Finding(verdict.claim.path, line, col, msg, end_line, end_col)
