"""Where sentences end, in manuscripts and in source texts alike.

The manuscript's sentences are read by `inline.sentence_spans`, which knows citation groups,
brackets, abbreviations and initials. A source text has no citation groups but the same
abbreviations: this module splits it at sentence ends and blank lines, and keeps "vs.",
"Fig.", "et al.", "e.g.", "approx." and initials ("J. W. Smith") inside their sentence, with the
same test the manuscript uses. Linear in the text's length: each end is judged on a window
around it.
"""

from __future__ import annotations

import re

from .inline import is_abbreviation

#: a sentence end (closing punctuation, then a quote or bracket, space and a capital, digit or
#: opening bracket) or a blank line
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9])|\n\s*\n")
#: how much text around a period decides whether it ends an abbreviation
WINDOW = 100


def source_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a source text, in order, covering all of it."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END_RE.finditer(text):
        period = m.start() - 1
        while period >= 0 and text[period] in "\"')]":
            period -= 1
        if "\n\n" not in m.group().replace(" ", "") and period >= 0 and text[period] == ".":
            lo = max(0, period - WINDOW)
            if is_abbreviation(text[lo : period + WINDOW], period - lo):
                continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out
