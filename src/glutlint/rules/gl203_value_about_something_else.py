"""GL203 value-about-something-else: the number is in a cited source, but about something else.

What it does
    Binds each number to the words around it, in the claim and in the source. When the
    cited source gives the claim's value only in a passage that shares none of the claim's
    words, while another value in the sources sits next to exactly what the claim is about,
    the claim has taken the number from the wrong place. Names and events weigh above other
    words: a number the claim gives to one named scale, disorder or agency ("Halden Fatigue
    Scale"), or to one event ("approved"), that the source gives only to a rival of the same
    kind ("Orsini Fatigue Scale", "tested") while another of its numbers goes with the
    claim's, is misplaced even when every other word is shared. A source sentence that names
    no agent or name is read with the one or two sentences before it in its paragraph, or
    with the title lines above it (a glossary box's term).

Why
    "Remission in 35%" and "response maintained in 35%" are different findings. Moving a
    number from one outcome to another passes a naive check that the number appears somewhere.

Example
    Fails:  Myalgia was reported by 38% of patients taking velostatin [@halden2015].
            (38% there is the fall in LDL cholesterol; for myalgia it says 12%)
    Passes: Myalgia was reported by 12% of patients taking velostatin [@halden2015].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..evidence import Status

CODE = "GL203"
NAME = "value-about-something-else"
SEVERITY = ERROR


def check(ctx) -> Iterator[Finding]:
    for verdict in ctx.verdicts:
        s = verdict.claim.sentence
        for v in verdict.values:
            if v.status != Status.MISBOUND or v.support is None:
                continue
            sup, better = v.support, v.better
            msg = (
                f"{v.q.text.strip()} is in {sup.key} but about something else: "
                f'"{sup.snippet}" ({sup.where})'
            )
            if better is not None:
                where = better.where
                msg += (
                    f"; the passage on this claim's subject says {better.value.strip()} ({where})"
                )
            line, col = s.pos(v.q.start)
            end_line, end_col = s.pos(v.q.end)
            yield Finding(verdict.claim.path, line, col, msg, end_line, end_col)
