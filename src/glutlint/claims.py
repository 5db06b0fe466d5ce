"""What makes a sentence a factual claim, and what it claims: values and named agents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .coverage import authors_own, cited_spans, covered, non_claim_spans
from .lexicon import Lexicon
from .manuscript import Document, Sentence
from .numerals import fold, read_quantities
from .quantities import Quantity, may_hold_numbers, numbers

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
#: a sentence that speaks of the review's own material wherever it says so: "Across these four
#: fields, the studies reviewed here report ..."
META_ANYWHERE_RE = re.compile(
    r"\b(?:reviewed|discussed|summari[sz]ed|included|considered|covered)\s+"
    r"(?:here|above|below|in this (?:review|article|paper|section))\b",
    re.IGNORECASE,
)
REF_RE = re.compile(
    r"\b(?i:Tables?|Figures?|Figs?\.|Section|Box|Supplementary|Phase|Stage|Grade|"
    r"Type|Group|Class|Schedule)\s+"
    r"(?:\d+[A-Za-z]?|[IV]+)(?:\s*(?:,|and|or|/|-|–)\s*(?:\d+[A-Za-z]?|[IV]+))*"
)
_WORD_NUMBER = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|a few)"
_LITERATURE = (
    r"(?:studies|trials|reviews|meta-analyses|analyses|articles|papers|reports|publications|"
    r"surveys|cohorts|investigations|experiments|groups of investigators)"
)
# Numbers that are not values a source is cited for: a confidence level ("95% CI"), a
# significance threshold used as method ("significant at q<0.05"), a count of the literature
# written as a word ("three studies found ..."), "one" as a pronoun ("one of the main drivers"),
# a number that is part of a name ("ACE 2", "transcript 2 (CCAT2)", "COVID-19 (coronavirus
# disease 2019)").
NOT_VALUE_RE = re.compile(
    r"\b\d{2}(?:\.\d+)?\s?%\s*(?=(?:CI|CrI|UI|PI)\b|(?:confidence|credible|uncertainty|"
    r"prediction)\s+intervals?\b)"
    r"|\b(?i:[pq])(?:[\s-]*values?)?\s*[<\u2264]\s*0?\.\d+"
    rf"|\b(?i:{_WORD_NUMBER})\s+(?=(?:[\w-]+\s+){{0,2}}{_LITERATURE}\b)"
    r"|\b(?i:one)(?=\s+of\b)"
    r"|(?<=\bper\s)\d{1,3}(?:,\d{3})+|(?<=\bper\s)\d{3,}"
)
#: "HAM-D 17", "MADRS 10": a small number right after an acronym is part of its name, unless a
#: unit follows it ("KCN 55 min", "NaCl 20 mM"): then it is a measurement
_ACRONYM_NUMBER_RE = re.compile(r"(?<=[A-Z]{2}\s)(?<![A-Za-z][A-Z]{6}\s)\d{1,2}\b(?![.,]\d|\s*%)")
#: "transcript 2 (CCAT2)": a number followed by a bracketed code that holds it
_NAMED_NUMBER_RE = re.compile(r"(?<![\d.,])(\d{1,4})\s*[(\[]\s*([A-Za-z][\w-]*?)\s*[)\]]")
#: "COVID-19 (coronavirus disease 2019)": a code, then its bracketed spelling out
_CODE_EXPANSION_RE = re.compile(
    r"\b[A-Za-z][A-Za-z-]*?-?(\d{1,4})\w*\s*[(\[]([^()\[\]]{3,80})[)\]]"
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
    #: the spans of the sentence its own citations support (see coverage.covered)
    covered: list[tuple[int, int]] = field(default_factory=list)
    #: values and agents (start, end, text) that no citation at all covers: a clause after
    #: the sentence's last citation ("... [@a], and it was approved in 2021.")
    uncited: list[tuple[int, int, str]] = field(default_factory=list)
    #: the file the claim is in, as shown in diagnostics: a claim carries its own file, so
    #: the same sentence in two files gives two findings
    path: str = ""
    needs_citation: bool = True  # False: a heading, title, authorial sentence, exempt section
    #: every agent it names, those no source teaches included (a drug-name stem, the parts of
    #: a combination): what must be in the cited source. `agents` are the known ones, which
    #: number binding reads.
    named: list[tuple[int, int, str]] = field(default_factory=list)

    def covers(self, start: int, end: int) -> bool:
        """Whether the text at start..end is supported by this claim's citations."""
        return any(a <= start and end <= b for a, b in self.covered)

    @property
    def checked_values(self) -> list[Quantity]:
        """The values its citations cover: those checked against the cited sources."""
        return [q for q in self.values if self.covers(q.start, q.end)]

    @property
    def checked_agents(self) -> list[tuple[int, int, str]]:
        """The named agents its citations cover."""
        return [x for x in self.named if self.covers(x[0], x[1])]

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


def skip_spans(original: str) -> list[tuple[int, int]]:
    """Spans that hold numbers which are not claim values: figure, table, section references,
    confidence levels, thresholds, counts of the literature, numbers inside names. Read with
    the digits as a reader sees them ("９５% CI"), at original offsets."""
    folded = fold(original)
    return [folded.span_in_original(a, b) for a, b in _skip_spans(folded.text)]


def _skip_spans(text: str) -> list[tuple[int, int]]:
    out = [(m.start(), m.end()) for m in REF_RE.finditer(text)]
    out += [(m.start(), m.end()) for m in NOT_VALUE_RE.finditer(text)]
    for m in _ACRONYM_NUMBER_RE.finditer(text):
        measured = read_quantities(text[m.start() : m.start() + 24])
        first = measured[0] if measured else None
        if not (first and first.start == 0 and first.unit and first.text.strip() != m.group()):
            out.append((m.start(), m.end()))
    for m in _NAMED_NUMBER_RE.finditer(text):
        if re.search(rf"(?<!\d){m.group(1)}(?!\d)", m.group(2)):
            out.append((m.start(1), m.end(1)))
    for m in _CODE_EXPANSION_RE.finditer(text):
        digits, inner = m.group(1), m.group(2)
        for n in re.finditer(r"(?<![\w.,])\d{1,4}(?![\d.,])", inner):
            if n.group() == digits or (len(digits) >= 2 and n.group().endswith(digits)):
                start = m.start(2) + n.start()
                out.append((start, start + len(n.group())))
    return out


def is_meta(text: str) -> bool:
    return bool(META_RE.match(text) or META_ANYWHERE_RE.search(text))


def claims_of(
    doc: Document, lexicon: Lexicon, exempt_sections: set[str], store: Store | None = None
) -> list[Claim]:
    """Every sentence of `doc` that states a fact (a value or a named agent); `store` keeps
    each sentence's numbers.

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
        values = (
            numbers(text, skip_spans(text) + non_claim_spans(text), store)
            if may_hold_numbers(text)
            else []
        )
        agents = lexicon.agents_in(text)
        named = lexicon.agents_in(text, unknown=True)
        if not values and not named:
            continue
        cites = list(s.cites)
        cover = covered(text, s.spans) if cites else []
        uncited: list[tuple[int, int, str]] = []
        if cites:
            anyone = cited_spans(text, s.spans) + authors_own(text, s.spans)
            said = [(q.start, q.end, q.text.strip()) for q in values]
            said += [(a, b, text[a:b]) for a, b, _n in named]
            uncited = [x for x in said if not any(a <= x[0] and x[1] <= b for a, b in anyone)]
        if block.kind == "cell" and not cites:
            cites = list(caption_cites.get(block.table, []))
            cover = [(0, len(text))] if cites else []
        needs = (
            block.kind in CLAIM_KINDS
            and block.section.lower() not in exempt_sections
            and not is_meta(text.strip())
        )
        out.append(Claim(s, values, agents, cites, cover, sorted(uncited), doc.shown, needs, named))
    return out
