"""GL502 ledger-quote: a facts-ledger quote is not in its source, or does not hold its date.

What it does
    Every fact in refs/facts.yaml is anchored by a verbatim quote. The quote must be found in
    the source it names (after the same normalisation the evidence engine uses: joined
    lines, undone hyphenation, folded dashes and quotes), and a fact's `date` must be in its
    quote. An `as_of` date's year must appear in the source or be its publication year.

Why
    The ledger is evidence too: GL301 and GL401 trust it, so it is checked like a claim.

Example
    Fails:  quote: "velostatin was authorised in 2017"   (no such words in the source)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..sources import normalise_query

CODE = "GL502"
NAME = "ledger-quote"
SEVERITY = ERROR


def find_quote(quote: str, text: str) -> re.Match[str] | None:
    """Find `quote` in normalised source text, whitespace- and case-insensitively."""
    words = normalise_query(quote).split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    return re.search(pattern, text, re.IGNORECASE)


def check(ctx) -> Iterator[Finding]:
    ledger = ctx.project.ledger
    if not ledger.facts:
        return
    shown = ledger.shown
    for fact in ledger.facts:
        src = ctx.project.sources.get(fact.source)
        line = fact.lines.get("quote", fact.line)
        if src is None:
            yield Finding(
                shown, line, 1, f"fact {fact.id}: {fact.source} has no source text to check"
            )
            continue
        if find_quote(fact.quote, src.text) is None:
            yield Finding(shown, line, 1, f"fact {fact.id}: quote not found in {fact.source}")
        if fact.date and fact.date[:4] not in fact.quote:
            yield Finding(
                shown,
                fact.lines.get("date", fact.line),
                1,
                f"fact {fact.id}: date {fact.date} is not in its quote",
            )
        if fact.as_of:
            year = fact.as_of[:4]
            entry = ctx.project.entries[fact.source]
            if year not in src.raw and str(entry.year) != year:
                yield Finding(
                    shown,
                    fact.lines.get("as_of", fact.line),
                    1,
                    f"fact {fact.id}: as_of {fact.as_of} is not stated by {fact.source}",
                )
