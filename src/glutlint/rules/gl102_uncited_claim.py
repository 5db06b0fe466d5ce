"""GL102 uncited-claim: a factual claim without a citation.

What it does
    A factual claim is a sentence in the body that states a number, percentage, dose,
    duration, year or date, or names a drug, brand or compound code (it says what an agent
    does or is). Each such sentence needs its own citation: one citation at the end of a
    paragraph does not cover the sentences before it. Table cells take the citation of their
    table's caption. A citation covers the clause it closes, not another clause after it: a
    value or agent in a clause after the sentence's last citation ("... [@a], and velostatin
    was approved in 2018.") is reported here too, unless another work's citation covers it.

    Not claims: the title, headings, the references and declarations sections, figure and
    table numbers, and sentences about the manuscript itself or the authors' own reading
    ("This review ...", "We ...", "In our view ...", "Table 1 lists ...").

Why
    A claim without a source cannot be checked by the reader, by a reviewer or by glutlint.

Example
    Fails:  Velostatin is an oral statin. It lowered LDL cholesterol by 38% [@halden2015].
    Fails:  It lowered LDL cholesterol by 38% [@halden2015], and myalgia fell by 12%.
    Passes: Velostatin is an oral statin [@orsini2022]. It lowered LDL cholesterol by
            38% [@halden2015].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..options import STRINGS

CODE = "GL102"
NAME = "uncited-claim"
SEVERITY = ERROR
#: sections whose sentences are not claims (read by every claim rule through the engine)
CONF = {"non_claim_sections": STRINGS}
DEFAULT: dict[str, object] = {
    "non_claim_sections": ["Declarations", "References", "Acknowledgements", "Acknowledgments"]
}


def check(ctx) -> Iterator[Finding]:
    for claim in ctx.claims:
        s = claim.sentence
        for start, end, said in claim.uncited if claim.needs_citation else ():
            line, col = s.pos(start)
            end_line, end_col = s.pos(end)
            yield Finding(
                claim.path,
                line,
                col,
                f"'{said}' stands in a clause after the sentence's last citation, which no "
                "citation covers",
                end_line,
                end_col,
            )
        if claim.cites or not claim.needs_citation:
            continue
        why = (
            f"states '{claim.values[0].text}'"
            if claim.values
            else f"names '{s.text[claim.named[0][0] : claim.named[0][1]]}'"
        )
        end_line, end_col = s.pos(len(s.text.rstrip()))
        yield Finding(
            claim.path,
            s.line,
            s.column,
            f"factual claim without a citation ({why})",
            end_line,
            end_col,
        )
