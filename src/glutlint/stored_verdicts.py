"""Verdicts kept in the project's store, and never believed on the store's word alone.

A claim's verdict is kept under its block, its place in the block, its citations and the
project's fingerprint (the package digest is in every key): an edit re-checks the claims of
the paragraphs it touched, a changed source or lexicon re-checks them all.

What the store holds is only a claim on the sources. A verdict read back is confirmed
against the current source text before anyone sees it: its values and agents must be the
claim's own; a "supported" value's passage must still be in the cited source at its offsets
and read as a number that supports the claim's value; a "pubyear" value must still be the
cited entry's year; a "supported" agent's passage must still name the agent. Every passage
shown (line, snippet) is rebuilt from the current text. A verdict that fails any of this
is checked again, so an edited or stale entry costs only time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from .cache import key
from .claims import year_bound, year_satisfies
from .evidence import AgentCheck, Passage, Status, ValueCheck, Verdict
from .evidence.values import computed_from, derive, lists_range, stated_nearby
from .lexicon import fold
from .quantities import Quantity, numbers, source_numbers, supports
from .tables import CELL_SEP, with_column_units

if TYPE_CHECKING:
    from .claims import Claim
    from .project import Project

_Stored = tuple[bool, list[ValueCheck], list[AgentCheck]]


def remembered(claim: Claim, project: Project, compute: Callable[[], Verdict]) -> Verdict:
    """The claim's verdict: a confirmed stored one, else `compute()` (then kept)."""
    s = claim.sentence
    k = key(project.fingerprint, s.block.digest, f"{s.start}:{s.end}", *claim.keys)
    return project.store.memo("verdicts").get(
        k,
        compute,
        _Stored,
        lambda v: _kept(v, project),
        lambda stored: confirmed(claim, project, *stored),
    )


def _kept(v: Verdict, project: Project) -> _Stored:
    """What is stored of a verdict just computed. The numbers of its supporting passages
    are read now, while the extractor is loaded, so confirming costs a later check none."""
    for c in v.values:
        if c.status == Status.SUPPORTED and c.support is not None:
            numbers(c.support.value, (), project.store)
    return v.checked, v.values, v.agents


def confirmed(
    claim: Claim,
    project: Project,
    checked: bool,
    values: list[ValueCheck],
    agents: list[AgentCheck],
) -> Verdict | None:
    """The stored verdict if the current sources bear it out, else None."""
    keys = [k for k in claim.keys if k in project.entries]
    if checked != bool(keys and all(k in project.sources for k in keys)):
        return None
    if not checked:
        return Verdict(claim, [], [], False) if not values and not agents else None
    if [v.q for v in values] != claim.checked_values:
        return None
    if [(a.start, a.end) for a in agents] != [(a, b) for a, b, _n in claim.checked_agents]:
        return None
    out = Verdict(claim)
    for v in values:
        support, nearest, better, against = (
            _passage(p, keys, project) for p in (v.support, v.nearest, v.better, v.against)
        )
        if False in (support, nearest, better, against):
            return None
        if v.status == Status.SUPPORTED and not (
            support
            and (_holds(claim, v.q, support, project) or _meets(claim, v.q, support, project))
        ):
            return None
        if v.status == Status.PUBYEAR and not _publication_year(v.q, keys, project):
            return None
        if v.status == Status.COMPUTED and computed_from(claim, v.q) is None:
            return None
        out.values.append(ValueCheck(v.q, v.status, support, nearest, better, against))  # type: ignore[arg-type]
    for a, (start, end, name) in zip(agents, claim.checked_agents, strict=True):
        support = _passage(a.support, keys, project)
        if support is False:
            return None
        if a.status == Status.SUPPORTED:
            names = project.lexicon.aliases(name) | {fold(claim.sentence.text[start:end])}
            if support is None or fold(support.value) not in names:
                return None
        text = claim.sentence.text[start:end]
        out.agents.append(AgentCheck(text, start, end, a.status, support))
    return out


def _passage(
    p: Passage | None, keys: list[str], project: Project
) -> Passage | None | Literal[False]:
    """`p` rebuilt from the current text of its source; False when it is not there."""
    if p is None:
        return None
    if p.key not in keys or p.key not in project.sources:
        return False
    text = project.sources[p.key].text
    if not (0 <= p.start < p.end <= len(text)) or text[p.start : p.end] != p.value:
        return False
    return project.indexes[p.key].passage(p.start, p.end, p.value)


def _holds(claim: Claim, q: Quantity, p: Passage, project: Project) -> bool:
    """The passage still gives a number that supports `q`: its own words, or, read in its
    sentence as the index reads it ("half" of "half of the patients", a table cell under
    "MLT (min)"), the source's number at the passage's place."""
    if any(supports(q, x) for x in numbers(p.value, (), project.store)):
        return True
    source = project.sources[p.key]
    text = source.text
    here = [x for x in source_numbers(text, source.store) if (x.start, x.end) == (p.start, p.end)]
    if any(supports(q, x) for x in here):
        return True
    line_start = text.rfind("\n", 0, p.start) + 1
    line_end = text.find("\n", p.end)
    if here and CELL_SEP in text[line_start : line_end if line_end >= 0 else len(text)]:
        return any(supports(q, x) for x in with_column_units(text, here))
    # a number the claim computes from the passage's two numbers ("29 of 240": about 12%)
    inside = [x for x in source_numbers(text, source.store) if p.start <= x.start < x.end <= p.end]
    return derive(q, text, inside, stated_nearby(claim)) is not None or lists_range(q, inside)


def _meets(claim: Claim, q: Quantity, p: Passage, project: Project) -> bool:
    """A year the claim bounds ("before 2008", "by 2020") met by the passage's year."""
    if q.kind != "year" or (bound := year_bound(claim.sentence.text, q)) == "=":
        return False
    source = project.sources[p.key]
    here = [x for x in source_numbers(source.text, source.store) if x.start == p.start]
    return any(
        x.kind in {"year", "date"}
        and year_satisfies(bound, int(q.value), int(str(int(x.value))[:4]))
        for x in here
    )


def _publication_year(q: Quantity, keys: list[str], project: Project) -> bool:
    # as the verdict read it: "from 2008" and "since 2008" are bounds that include the year
    if q.kind != "year" or q.comparator not in {"=", "<=", ">="} or q.high is not None:
        return False
    return any(project.entries[k].year == int(q.value) for k in keys if k in project.sources)
