"""What makes a sentence a factual claim, and what it claims: values and named agents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .manuscript import Document, Sentence
from .quantities import Quantity, numbers

if TYPE_CHECKING:
    from .cache import Store

# Sentences about the manuscript itself, or the authors' own reading, are not claims.
META_RE = re.compile(
    r"^\W*(?:(?:this|the present|our|the following)\s+(?:review|article|paper|manuscript|"
    r"section|chapter|work|table|figure|synthesis|account)\b|we\b|here,?\s+we\b|"
    r"in this (?:review|section|article|paper)\b|in our (?:view|reading|judgement|judgment)\b|"
    r"(?:table|figure|fig\.)\s+\d+\s+(?:lists|shows|summari[sz]es|gives|presents|groups|"
    r"sets out|draws|depicts|collects|places)\b|see (?:table|figure)\b)",
    re.IGNORECASE,
)
REF_RE = re.compile(
    r"\b(?i:Tables?|Figures?|Figs?\.|Section|Box|Supplementary|Phase|Stage|Grade|"
    r"Type|Group|Class|Schedule)\s+"
    r"(?:\d+[A-Za-z]?|[IV]+)(?:\s*(?:,|and|or|/|-|–)\s*(?:\d+[A-Za-z]?|[IV]+))*"
)
CLAIM_KINDS = {"paragraph", "item", "abstract", "cell", "caption"}


@dataclass
class Claim:
    """A claim sentence with what it asserts."""

    sentence: Sentence
    values: list[Quantity] = field(default_factory=list)
    agents: list[tuple[int, int, str]] = field(default_factory=list)
    cites: list = field(default_factory=list)  # Cite objects, inherited for table cells

    @property
    def keys(self) -> list[str]:
        seen: list[str] = []
        for c in self.cites:
            if c.key not in seen:
                seen.append(c.key)
        return seen


BOUND_BEFORE_RE = re.compile(r"\b(?:by|until|till|up to|no later than|as late as)\s*$", re.I)


def year_bound(text: str, q: Quantity) -> str:
    """How a year is meant: '=' (exactly), '<' / '<=' (before, by), '>' / '>=' (after, since)."""
    if q.comparator in {"<", "<=", ">", ">="}:
        return q.comparator
    if BOUND_BEFORE_RE.search(text[max(0, q.start - 20) : q.start]):
        return "<="
    return "="


def year_satisfies(bound: str, claimed: int, actual: int) -> bool:
    return {
        "=": actual == claimed,
        "<": actual < claimed,
        "<=": actual <= claimed,
        ">": actual > claimed,
        ">=": actual >= claimed,
    }.get(bound, actual == claimed)


def skip_spans(text: str) -> list[tuple[int, int]]:
    """Spans that hold numbers which are not claim values: figure, table, section references."""
    return [(m.start(), m.end()) for m in REF_RE.finditer(text)]


def is_meta(text: str) -> bool:
    return bool(META_RE.match(text))


def claims_of(
    doc: Document, lexicon: Lexicon, exempt_sections: set[str], store: Store | None = None
) -> list[Claim]:
    """Every sentence of `doc` that states a fact (a value or a named agent); `store` keeps
    each sentence's numbers."""
    out: list[Claim] = []
    captions = {b.table: b for b in doc.blocks if b.kind == "caption"}
    caption_cites: dict[int, list] = {}
    for s in doc.sentences:
        if s.block.kind == "caption":
            caption_cites.setdefault(s.block.table, []).extend(s.cites)
    for s in doc.sentences:
        block = s.block
        if block.kind not in CLAIM_KINDS or block.section.lower() in exempt_sections:
            continue
        text = s.text
        if not text.strip() or is_meta(text.strip()):
            continue
        values = numbers(text, skip_spans(text), store)
        agents = lexicon.agents_in(text)
        if not values and not agents:
            continue
        cites = list(s.cites)
        if block.kind == "cell" and not cites and block.table in captions:
            cites = caption_cites.get(block.table, [])
        out.append(Claim(s, values, agents, cites))
    return out
