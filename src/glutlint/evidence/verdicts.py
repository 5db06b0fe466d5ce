"""`check_claim`: every value and named agent of a claim against its cited sources, as the
records of `records`; `verdict_of`: the same through the project's store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..bibliography import Entry
from ..claims import Claim
from ..lexicon import Lexicon, fold
from .binding import Frame, vocabulary
from .index import SourceIndex
from .records import AgentCheck, Status, Verdict
from .values import _check_value, _claim_frame

if TYPE_CHECKING:
    from ..project import Project


def verdict_of(claim: Claim, project: Project) -> Verdict:
    """`check_claim` through the project's store (see `stored_verdicts`)."""
    from ..stored_verdicts import remembered

    return remembered(
        claim,
        project,
        lambda: check_claim(claim, project.indexes, project.lexicon, project.entries),
    )


def check_claim(
    claim: Claim, indexes: dict[str, SourceIndex], lexicon: Lexicon, entries: dict[str, Entry]
) -> Verdict:
    """Check every value and agent of one claim against the union of its cited sources."""
    keys = [k for k in claim.keys if k in entries]
    cited = [indexes[k] for k in keys if k in indexes]
    verdict = Verdict(claim)
    if not cited or len(cited) < len(keys):
        verdict.checked = False
        return verdict
    built: list[Frame] = []

    def frame() -> Frame:
        """The claim's Frame, built once and only if a value needs it."""
        if not built:
            built.append(_claim_frame(claim, lexicon, vocabulary(lexicon)))
        return built[0]

    for q in claim.checked_values:
        verdict.values.append(_check_value(claim, q, cited, lexicon, frame))
    anchors = {v.support.key: v.support.start for v in verdict.values if v.support is not None}
    for start, end, name in claim.checked_agents:
        names = lexicon.aliases(name) | {fold(claim.sentence.text[start:end])}
        status, support = Status.MISSING, None
        for idx in cited:
            at = idx.mentions(names, anchors.get(idx.entry.key))
            if at is not None:
                status, support = Status.SUPPORTED, idx.passage(*at, idx.source.text[at[0] : at[1]])
                break
        verdict.agents.append(
            AgentCheck(claim.sentence.text[start:end], start, end, status, support)
        )
    return verdict
