"""What makes a sentence a factual claim, and what it claims: values and named agents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon
from .manuscript import Document, Sentence
from .quantities import Quantity, numbers

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
CLAIM_KINDS = {"paragraph", "item", "abstract", "cell", "caption"}  # each claim needs a citation
#: Rendered text that states facts without needing a citation of its own: the ledger rules
#: (GL301, GL401) read it, and so does the evidence check of any citation it carries.
EXEMPT_KINDS = {"heading", "title", "term", "figure"}


@dataclass
class Claim:
    """A claim sentence with what it asserts."""

    sentence: Sentence
    values: list[Quantity] = field(default_factory=list)
    agents: list[tuple[int, int, str]] = field(default_factory=list)
    cites: list = field(default_factory=list)  # Cite objects, inherited for table cells
    needs_citation: bool = True  # False: a heading, title, authorial sentence, exempt section

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


def claims_of(doc: Document, lexicon: Lexicon, exempt_sections: set[str]) -> list[Claim]:
    """Every sentence of `doc` that states a fact (a value or a named agent).

    Every sentence pandoc renders is read. Headings, titles, definition terms, figure
    captions, sentences about the manuscript or the authors' reading, and the profile's
    non-claim sections do not need a citation (GL102), but their values are still checked
    against the ledger and against any citation they carry."""
    out: list[Claim] = []
    caption_cites: dict[int, list] = {}
    for s in doc.sentences:
        if s.block.kind == "caption":
            caption_cites.setdefault(s.block.table, []).extend(s.cites)
    for s in doc.sentences:
        block = s.block
        text = s.text
        if not text.strip():
            continue
        values = numbers(text, skip_spans(text))
        agents = lexicon.agents_in(text)
        if not values and not agents:
            continue
        cites = list(s.cites)
        if block.kind == "cell" and not cites:
            cites = list(caption_cites.get(block.table, []))
        needs = (
            block.kind in CLAIM_KINDS
            and block.section.lower() not in exempt_sections
            and not is_meta(text.strip())
        )
        out.append(Claim(s, values, agents, cites, needs))
    return out
