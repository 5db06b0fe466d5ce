"""GL202 agent-not-in-source: a named agent in a claim occurs in none of the cited sources.

What it does
    Finds the drugs, brands and compound codes a cited claim names and looks for each, with
    its aliases, in the cited sources. Aliases come from refs/lexicon.yaml and are learned from
    the sources themselves: "velostatin (Veloxa®, VLX-12)" or "tessamide [TSX-41]" make each
    name match the others.

Why
    Citing a source for a drug it never mentions is a misattributed citation: the claim may be
    true, but not on this evidence. A partial source (abstract, excerpt, news) cannot show that
    the work never names it: there the agent is unverified (GL205, a warning), unless
    `partial_sources = "strict"`.

Example
    Fails:  Tessamide lowered triglycerides [@orsini2022].   (orsini2022 never names it)
    Passes: Tessamide lowered triglycerides [@bram2017].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..evidence import Status

CODE = "GL202"
NAME = "agent-not-in-source"
SEVERITY = ERROR


def check(ctx) -> Iterator[Finding]:
    for verdict in ctx.verdicts:
        s = verdict.claim.sentence
        keys = ", ".join(verdict.claim.keys)
        if ctx.partial_sources(verdict.claim):
            continue
        for a in verdict.agents:
            if a.status != Status.MISSING:
                continue
            line, col = s.pos(a.start)
            end_line, end_col = s.pos(a.end)
            yield Finding(
                verdict.claim.path,
                line,
                col,
                f"'{a.name}' is not named in {keys} (nor under any alias)",
                end_line,
                end_col,
            )
