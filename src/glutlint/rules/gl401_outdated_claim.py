"""GL401 outdated-claim: a superseded or time-bound statement stated without its time.

What it does
    The facts ledger marks statements that were true when made and were later overtaken
    (`as_of`, `superseded_by`, and a `statement` with its subject, event and polarity). A
    sentence that states one of them, in any wording ("No oral velostatin formulation has been
    authorised", "Currently, no oral velostatin is authorised", "To date, no velostatin
    product has received marketing authorisation"), without placing it in its own time, is
    outdated.

    A statement the sources give only as of a date, with nothing later (`as_of` and a
    `statement` but no `superseded_by`: "Veloxa is authorised as an adjunct to diet", as a
    2022 review put it), is time-bound: it may have changed since, so it too must be placed in
    its time, and a later time ("As of 2025, ...") is not one the sources know it held.

    A statement placed in its time passes: "As of 2015, no oral velostatin formulation had
    been authorised [@halden2015]", "Until 2018, ...", "In 2015, no ... had yet been
    authorised", "The 2015 report said no ... has been authorised" (unless the sentence adds
    that it "still" holds or "remains" so "today"). A time it no longer held ("As of 2019, no
    ... had been authorised") fails.

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
                fact = hit.fact
                when = f" (as of {hit.anchor})" if hit.anchor else ""
                if fact.superseded_by:
                    later = [ledger.get(i) for i in fact.superseded_by]
                    by = "; ".join(
                        f"{f.describe()}, {f.date or f.as_of} [@{f.source}]" for f in later if f
                    )
                    message = (
                        f"outdated claim{when}: true only as of {fact.as_of} "
                        f"[@{fact.source}]; superseded by: {by}"
                    )
                else:
                    message = (
                        f"time-bound claim{when}: known true only as of {fact.as_of} "
                        f"[@{fact.source}] ({fact.id}); say when it held, e.g. "
                        f"'as of {fact.as_of[:4]}'"
                    )
                line, col = s.pos(hit.start)
                end_line, end_col = s.pos(hit.end)
                yield Finding(doc.shown, line, col, message, end_line, end_col)
