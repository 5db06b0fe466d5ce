"""Match each claim's values and named agents to passages of its cited sources.

Sources are indexed once: their quantities, each with the words around it in its sentence.
A claim value is supported when a cited source has a value that supports it (quantities.supports)
and that value is not plainly about something else (binding: the words next to the number).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from .bibliography import Entry
from .claims import Claim
from .lexicon import Lexicon, fold
from .quantities import Quantity, extract, supports
from .sources import SourceText
from .words import WEAK, content_tokens

SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9])|\n\s*\n")
CLAIM_WINDOW = 6
SOURCE_WINDOW = 10


@dataclass
class Passage:
    """A place in a source: what it says there and where."""

    key: str
    path: str
    line: int
    start: int
    end: int
    snippet: str
    value: str = ""


@dataclass
class SourceQuantity:
    q: Quantity
    sentence: tuple[int, int]
    context: list[tuple[int, str]]  # (token distance from the number, stem)


@dataclass
class SourceIndex:
    """One source's quantities with their contexts, and its folded text for name search."""

    entry: Entry
    source: SourceText
    shown: str

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        text = self.source.text
        out, start = [], 0
        for m in SENTENCE_END_RE.finditer(text):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, len(text)))
        return out

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [a for a, _ in self.sentences]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)
        return self.sentences[i]

    @cached_property
    def quantities(self) -> list[SourceQuantity]:
        text = self.source.text
        out = []
        for q in extract(text):
            a, b = self.sentence_of(q.start)
            out.append(SourceQuantity(q, (a, b), _context(text, a, b, q, SOURCE_WINDOW)))
        return out

    @cached_property
    def folded(self) -> str:
        return fold(self.source.text)

    def mentions(self, names: set[str]) -> int | None:
        """Offset of the first mention of any of `names` (folded), or None."""
        best = None
        for n in names:
            m = re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", self.folded)
            if m and (best is None or m.start() < best):
                best = m.start()
        return best

    def passage(self, start: int, end: int, value: str = "") -> Passage:
        return Passage(
            self.entry.key,
            self.shown,
            self.source.line_at(start),
            start,
            end,
            self.source.snippet(start, end),
            value,
        )


def _context(text: str, a: int, b: int, q: Quantity, window: int) -> list[tuple[int, str]]:
    """Content words of text[a:b] within `window` tokens of quantity q, with distances."""
    before = content_tokens(text[a : q.start])
    after = content_tokens(text[q.end : b])
    out = [(len(before) - i, t[2]) for i, t in enumerate(before)][-window:]
    out += [(i + 1, t[2]) for i, t in enumerate(after)][:window]
    return out


def _score(claim_words: set[str], context: list[tuple[int, str]]) -> float:
    score = 0.0
    for dist, word in context:
        if word in claim_words:
            score += (0.25 if word in WEAK else 1.0) / (1 + 0.15 * dist)
    return score


@dataclass
class ValueCheck:
    """The verdict on one value of a claim."""

    q: Quantity
    status: str  # supported | pubyear | missing | misbound
    support: Passage | None = None
    nearest: Passage | None = None
    better: Passage | None = None  # for misbound: where the claim's subject gets its value


@dataclass
class AgentCheck:
    name: str
    start: int
    end: int
    status: str  # supported | missing
    support: Passage | None = None


@dataclass
class Verdict:
    claim: Claim
    values: list[ValueCheck] = field(default_factory=list)
    agents: list[AgentCheck] = field(default_factory=list)
    checked: bool = True  # False when a cited key has no source text

    @property
    def ok(self) -> bool:
        return all(v.status in {"supported", "pubyear"} for v in self.values) and all(
            a.status == "supported" for a in self.agents
        )


def _claim_words(claim: Claim, q: Quantity) -> set[str]:
    text = claim.sentence.text
    ctx = _context(text, 0, len(text), q, CLAIM_WINDOW)
    units = {s for _, _, s in content_tokens(q.text)}
    return {w for _, w in ctx} - units


def check_claim(claim: Claim, indexes: dict[str, SourceIndex], lexicon: Lexicon,
                entries: dict[str, Entry]) -> Verdict:
    """Check every value and agent of one claim against the union of its cited sources."""
    keys = [k for k in claim.keys if k in entries]
    cited = [indexes[k] for k in keys if k in indexes]
    verdict = Verdict(claim)
    if not cited or len(cited) < len(keys):
        verdict.checked = False
        return verdict
    for q in claim.values:
        verdict.values.append(_check_value(claim, q, cited))
    for start, end, name in claim.agents:
        names = lexicon.aliases(name) | {fold(claim.sentence.text[start:end])}
        status, support = "missing", None
        for idx in cited:
            at = idx.mentions(names)
            if at is not None:
                status, support = "supported", idx.passage(at, at + 1)
                break
        verdict.agents.append(AgentCheck(claim.sentence.text[start:end], start, end, status, support))
    return verdict


def _check_value(claim: Claim, q: Quantity, cited: list[SourceIndex]) -> ValueCheck:
    if q.kind == "year" and q.comparator == "=" and q.high is None:
        for idx in cited:
            if idx.entry.year == int(q.value):
                return ValueCheck(q, "pubyear")
    words = _claim_words(claim, q)
    matches: list[tuple[float, SourceIndex, SourceQuantity]] = []
    others: list[tuple[float, SourceIndex, SourceQuantity]] = []
    for idx in cited:
        for sq in idx.quantities:
            if supports(q, sq.q):
                matches.append((_score(words, sq.context), idx, sq))
            elif _same_family(q, sq.q):
                others.append((_score(words, sq.context), idx, sq))
    if matches:
        best = max(matches, key=lambda m: m[0])
        score, idx, sq = best
        passage = idx.passage(sq.q.start, sq.q.end, sq.q.text)
        if others:
            o_score, o_idx, o_sq = max(others, key=lambda m: m[0])
            if score == 0 and o_score >= 1.0:
                return ValueCheck(q, "misbound", passage, None,
                                  o_idx.passage(o_sq.q.start, o_sq.q.end, o_sq.q.text))
        return ValueCheck(q, "supported", passage)
    nearest = None
    if others:
        def closeness(m: tuple[float, SourceIndex, SourceQuantity]) -> tuple[float, float]:
            return (-m[0], abs(m[2].q.value - q.value))

        _, idx, sq = min(others, key=closeness)
        nearest = idx.passage(sq.q.start, sq.q.end, sq.q.text)
    return ValueCheck(q, "missing", None, nearest)


def _same_family(a: Quantity, b: Quantity) -> bool:
    if a.kind in {"year", "date"} or b.kind in {"year", "date"}:
        return a.kind in {"year", "date"} and b.kind in {"year", "date"}
    if a.unit and b.unit:
        return a.unit == b.unit
    return a.kind == b.kind
