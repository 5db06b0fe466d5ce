"""GL401 outdated-claim: a superseded statement stated as if it were still true.

What it does
    The facts ledger marks statements that were true when made and were later overtaken
    (`as_of`, `superseded_by`, and a `statement` with its subject, event and polarity). A
    sentence that states one of them, in any wording ("No oral velostatin formulation has been
    authorised", "Currently, no oral velostatin is authorised", "To date, no velostatin
    product has received marketing authorisation"), without placing it in its own time, is
    outdated.

    A statement placed in its time passes: "As of 2015, no oral velostatin formulation had
    been authorised [@halden2015]", "Until 2018, ...", "In 2015, no ... had yet been
    authorised". A time it no longer held ("As of 2019, no ... had been authorised") fails.

Why
    Old sources keep saying what they said. A review that repeats a superseded status as
    current misinforms exactly the readers who trust it to be up to date.

Example
    Fails:  No oral velostatin formulation has been authorised in the EU [@halden2015].
    Passes: As of 2015, no oral velostatin formulation had been authorised [@halden2015].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..ledger import outdated

CODE = "GL401"
NAME = "outdated-claim"
SEVERITY = ERROR


def check(ctx) -> Iterator[Finding]:
    ledger, lexicon = ctx.project.ledger, ctx.project.lexicon
    if not any(f.statement for f in ledger.facts):
        return
    for doc in ctx.documents:
        for s in doc.sentences:  # every rendered sentence, headings and titles included
            for hit in outdated(s.text, lexicon, ledger):
                later = [ledger.get(i) for i in hit.fact.superseded_by]
                by = "; ".join(
                    f"{f.describe()}, {f.date or f.as_of} [@{f.source}]" for f in later if f
                )
                when = f" (as of {hit.anchor})" if hit.anchor else ""
                line, col = s.pos(hit.start)
                end_line, end_col = s.pos(hit.end)
                yield Finding(
                    doc.shown,
                    line,
                    col,
                    f"outdated claim{when}: true only as of {hit.fact.as_of} "
                    f"[@{hit.fact.source}]; superseded by: {by}",
                    end_line,
                    end_col,
                )
