"""GL301 contradicts-ledger: a claim gives a date that the facts ledger contradicts.

What it does
    Binds each year in a sentence to the subject (an agent or class from the lexicon), the
    event ("approved", "first study", from the lexicon) and the qualifier (indication, agency)
    nearest it, then compares it with the dated facts of refs/facts.yaml for that subject,
    event and qualifier. "Before YEAR" and "since YEAR" are read as bounds. The message names
    the fact, its date and its source.

Why
    Dates of approvals and first trials are what readers copy. A ledger of checked facts
    catches a wrong year even when the sentence cites a source that does not give it, and
    catches dates swapped between two indications, where each year alone exists in the source.

Example
    Fails:  Velostatin was authorised in 2020 for familial hypercholesterolaemia and in 2018
            for mixed dyslipidaemia [@orsini2022].
    Passes: Velostatin was authorised in 2018 for familial hypercholesterolaemia and in 2020
            for mixed dyslipidaemia [@orsini2022].
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..claims import CLAIM_KINDS, year_bound
from ..diagnostics import ERROR, Finding
from ..ledger import date_conflicts

CODE = "GL301"
NAME = "contradicts-ledger"
SEVERITY = ERROR
YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def check(ctx) -> Iterator[Finding]:
    ledger, lexicon = ctx.project.ledger, ctx.project.lexicon
    if not any(f.year for f in ledger.facts):
        return
    for claim in ctx.claims:
        years = []
        for q in claim.values:
            if q.high is not None:
                continue
            m = YEAR_RE.search(q.text) if q.kind in {"year", "date"} else None
            if m:
                years.append((q.start, q.end, int(m.group(1)), year_bound(claim.sentence.text, q)))
        s = claim.sentence
        for conflict in date_conflicts(s.text, years, lexicon, ledger):
            facts = "; ".join(
                f"{f.describe()} was {f.date} ({f.id}, {f.source})" for f in conflict.facts
            )
            line, col = s.pos(conflict.start)
            end_line, end_col = s.pos(conflict.end)
            yield Finding(
                claim.path,
                line,
                col,
                f"{conflict.year} contradicts the facts ledger: {facts}",
                end_line,
                end_col,
            )


__all__ = ["CLAIM_KINDS"]
