"""The evidence trail of each claim: its values, agents, supporting passages and verdict.

One structure serves `glutlint trace`, the HTML evidence report and the language server's
hover, so all three always tell the same story.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .engine import Context
from .evidence import Passage, Status, Verdict


@dataclass
class Item:
    """One value or agent of a claim and where its source says it."""

    text: str
    kind: str  # value | agent
    status: str  # supported | pubyear | computed | missing | misbound | unchecked
    start: int
    end: int
    passage: Passage | None = None
    note: str = ""


@dataclass
class ClaimRecord:
    path: str
    line: int
    column: int
    end_line: int
    sentence: str
    keys: list[str]
    items: list[Item] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    passages: dict[str, list[Passage]] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.diagnostics:
            return "flagged"
        if not self.keys:
            return "uncited"
        if any(i.status == "unchecked" for i in self.items):
            return "unverified"
        return "verified"


def records(ctx: Context, diagnostics: list[Diagnostic]) -> list[ClaimRecord]:
    """A record per claim, in manuscript order, with the diagnostics that fall inside it."""
    verdicts: dict[int, Verdict] = {id(v.claim): v for v in ctx.verdicts}
    out = []
    for claim in ctx.claims:
        s = claim.sentence
        end_line, end_col = s.pos(len(s.text))
        rec = ClaimRecord(claim.path, s.line, s.column, end_line, s.plain, claim.keys)
        v = verdicts.get(id(claim))
        if v is None or not v.checked:
            for q in claim.values:
                rec.items.append(Item(q.text.strip(), "value", "unchecked", q.start, q.end))
            for a, b, _ in claim.named:
                rec.items.append(Item(s.text[a:b], "agent", "unchecked", a, b))
        else:
            partial = bool(ctx.partial_sources(claim))
            for vc in v.values:
                note = ""
                status: str = vc.status
                if vc.status == Status.MISSING and partial and vc.against is None:
                    status = "unverified"  # absent from a partial text: GL205, not GL201
                if vc.status == Status.MISBOUND and vc.better is not None:
                    note = f"about this subject the source says {vc.better.value.strip()}"
                if vc.status == Status.MISSING and vc.against is not None:
                    note = f"the passage on this subject says {vc.against.value.strip()}"
                elif vc.status == Status.MISSING and vc.nearest is not None:
                    note = f"closest: {vc.nearest.value.strip()}"
                if vc.status == Status.PUBYEAR:
                    note = "publication year of a cited source"
                if vc.status == Status.COMPUTED:
                    note = "computed from two numbers the claim or the sentences before it state"
                passage = vc.support or vc.against or vc.nearest
                rec.items.append(
                    Item(vc.q.text.strip(), "value", status, vc.q.start, vc.q.end, passage, note)
                )
            for ac in v.agents:
                agent: str = ac.status
                if ac.status == Status.MISSING and partial:
                    agent = "unverified"
                rec.items.append(Item(ac.name, "agent", agent, ac.start, ac.end, ac.support))
        for item in rec.items:
            if item.passage is not None:
                rec.passages.setdefault(item.passage.key, []).append(item.passage)
        rec.diagnostics = [
            d
            for d in diagnostics
            if d.path == claim.path
            and (s.line, s.column) <= (d.line, d.column) <= (end_line, end_col)
        ]
        out.append(rec)
    return out
