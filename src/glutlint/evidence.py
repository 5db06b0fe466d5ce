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
from .claims import Claim, year_bound, year_satisfies
from .lexicon import Lexicon, fold
from .quantities import Quantity, extract, supports
from .sources import SourceText
from .words import WEAK, content_tokens

SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9])|\n\s*\n")
CLAIM_WINDOW = 8
SOURCE_WINDOW = 12


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
    context: list[tuple[int, str, bool]]  # (distance from the number, stem, owned)


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
        by_sentence: dict[tuple[int, int], list[Quantity]] = {}
        for q in extract(text):
            by_sentence.setdefault(self.sentence_of(q.start), []).append(q)
        out = []
        for (a, b), qs in by_sentence.items():
            ctx = contexts(text, a, b, qs, SOURCE_WINDOW)
            out.extend(SourceQuantity(q, (a, b), ctx[i]) for i, q in enumerate(qs))
        return out

    @cached_property
    def lower(self) -> str:
        return self.source.text_lower

    @cached_property
    def _sentence_agents(self) -> dict[tuple[int, int], set[str]]:
        return {}

    def agents_in_sentence(self, span: tuple[int, int], lexicon: Lexicon) -> set[str]:
        """Canonical agents named in one sentence of the source (cached)."""
        found = self._sentence_agents.get(span)
        if found is None:
            found = {n for _a, _b, n in lexicon.agents_in(self.source.text[span[0] : span[1]])}
            self._sentence_agents[span] = found
        return found

    @cached_property
    def _name_spans(self) -> dict[str, list[tuple[int, int]]]:
        return {}

    def _spans(self, name: str) -> list[tuple[int, int]]:
        """Every mention of one folded name, computed once per source."""
        spans = self._name_spans.get(name)
        if spans is None:
            pattern = r"\s+".join(re.escape(w) for w in name.split())
            rx = re.compile(rf"(?<![\w]){pattern}(?![\w])")
            spans = [(m.start(), m.end()) for m in rx.finditer(self.lower)]
            self._name_spans[name] = spans
        return spans

    def mentions(self, names: set[str], near: int | None = None) -> tuple[int, int] | None:
        """(start, end) of a mention of any of `names` (folded): the first, or the one nearest
        to offset `near` (the passage that supports the claim's values), or None."""
        best: tuple[int, int] | None = None
        for n in names:
            for here in self._spans(n):
                if best is None:
                    best = here
                elif near is None:
                    best = min(best, here)
                elif abs(here[0] - near) < abs(best[0] - near):
                    best = here
                if near is None:
                    break
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


SHARED_MARGIN = 1.0
ADJECTIVAL_RE = re.compile(r"\d-[a-z]")  # "an 8-week trial": the words after describe it
FORWARD_KINDS = frozenset({"percent", "count", "fraction", "ratio"})
BOUNDARY_RE = re.compile(r"[;:()\[\]]|,\s+(?:and|but|while|whereas|which|although|or)\b|\s-\s")


def contexts(
    text: str, a: int, b: int, qs: list[Quantity], window: int
) -> dict[int, list[tuple[int, str, bool]]]:
    """For each quantity of one sentence text[a:b]: the content words within `window` tokens,
    as (distance, stem, owned). A word is owned by the number it is nearest to, a clause
    boundary (comma, semicolon, bracket) counting as three words: that is how "71% met response
    criteria, and 29% achieved remission" gives remission to 29% and response to 71%."""
    spans = [(q.start, q.end) for q in qs]
    tokens = [
        (a + s0, a + s1, stem)
        for s0, s1, stem in content_tokens(text[a:b])
        if not any(x <= a + s0 < y for x, y in spans)
    ]
    starts = [t[0] for t in tokens]
    out: dict[int, list[tuple[int, str, bool]]] = {}
    reach: list[list[tuple[int, float]]] = [[] for _ in tokens]  # per token: (q index, cost)
    for qi, q in enumerate(qs):
        first_after = bisect.bisect_left(starts, q.end)
        for ti, (t0, t1, _stem) in enumerate(tokens):
            if t1 <= q.start:
                dist = bisect.bisect_left(starts, q.start) - ti
                between = text[t1 : q.start]
            elif t0 >= q.end:
                dist = ti - first_after + 1
                between = text[q.end : t0]
            else:
                continue
            if dist > window:
                continue
            after = t0 >= q.end
            # "29% achieved remission": a proportion is described by the words after it;
            # "remission ... at 24 hours": a time by the words before it.
            forward = q.kind in FORWARD_KINDS or bool(ADJECTIVAL_RE.search(q.text))
            lean = 0.5 if after != forward else 0.0
            cost = dist + 3 * len(BOUNDARY_RE.findall(between)) + lean
            reach[ti].append((qi, cost))
    for qi in range(len(qs)):
        out[qi] = []
    for ti, options in enumerate(reach):
        if not options:
            continue
        least = min(cost for _qi, cost in options)
        for qi, cost in options:
            # a word about as near to two numbers belongs to both
            out[qi].append((int(cost), tokens[ti][2], cost <= least + SHARED_MARGIN))
    return out


def _score(claim_words: dict[str, tuple[int, bool]], context: list[tuple[int, str, bool]]) -> float:
    """How much a source number's neighbourhood says what the claim's number is about.

    A shared word counts more the nearer it stands to the number on both sides, fully when it
    belongs to that number (is nearer to it than to any other) and a little otherwise; words
    that say little (patients, study, dose) count a quarter.
    """
    score = 0.0
    seen: set[str] = set()
    for dist, word, owned in sorted(context):
        if word in claim_words and word not in seen:
            seen.add(word)
            c_dist, c_owned = claim_words[word]
            weight = (0.25 if word in WEAK else 1.0) * (1.0 if owned else 0.3)
            weight *= 1.0 if c_owned else 0.3
            score += weight / (1 + 0.3 * (c_dist - 1)) / (1 + 0.3 * (dist - 1))
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


def _claim_words(claim: Claim, q: Quantity) -> dict[str, tuple[int, bool]]:
    """Content words near the claim's number: distance, and whether the number owns them."""
    text = claim.sentence.text
    i = next(i for i, v in enumerate(claim.values) if v is q)
    words: dict[str, tuple[int, bool]] = {}
    for dist, word, owned in contexts(text, 0, len(text), claim.values, CLAIM_WINDOW)[i]:
        if word not in words or (owned, -dist) > (words[word][1], -words[word][0]):
            words[word] = (dist, owned)
    return words


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
    for q in claim.values:
        verdict.values.append(_check_value(claim, q, cited, lexicon))
    anchors = {v.support.key: v.support.start for v in verdict.values if v.support is not None}
    for start, end, name in claim.agents:
        names = lexicon.aliases(name) | {fold(claim.sentence.text[start:end])}
        status, support = "missing", None
        for idx in cited:
            at = idx.mentions(names, anchors.get(idx.entry.key))
            if at is not None:
                status, support = "supported", idx.passage(*at, idx.source.text[at[0] : at[1]])
                break
        verdict.agents.append(
            AgentCheck(claim.sentence.text[start:end], start, end, status, support)
        )
    return verdict


def _owned(words: dict[str, tuple[int, bool]], context: list[tuple[int, str, bool]]) -> set[str]:
    """Claim words that the claim's number owns and the source number owns too."""
    mine = {w for w, (_d, owned) in words.items() if owned}
    return {w for _d, w, owned in context if owned and w in mine}


def _check_value(
    claim: Claim, q: Quantity, cited: list[SourceIndex], lexicon: Lexicon
) -> ValueCheck:
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
    bound = year_bound(claim.sentence.text, q) if q.kind == "year" else "="
    if not matches and bound != "=":
        # "by YEAR", "before YEAR": any year of the same passage subject that meets the bound
        for o in others:
            if o[0] > 0 and o[2].q.kind in {"year", "date"}:
                actual = int(str(int(o[2].q.value))[:4])
                if year_satisfies(bound, int(q.value), actual):
                    matches.append(o)
    if matches:
        best = max(
            matches,
            key=lambda m: (len({w for w in _owned(words, m[2].context) if w not in WEAK}), m[0]),
        )
        _score_c, idx, sq = best
        passage = idx.passage(sq.q.start, sq.q.end, sq.q.text)
        better = None if bound != "=" else _better_other(claim, words, best, others, lexicon)
        if better is not None:
            literal = sq.q.comparator == q.comparator and sq.q.value == q.value
            if q.comparator in {"<", "<=", ">", ">="} and not literal:
                # a bound met only by a number about something else is no support at all
                return ValueCheck(q, "missing", None, better)
            return ValueCheck(q, "misbound", passage, None, better)
        return ValueCheck(q, "supported", passage)
    nearest = None
    if others:
        mine = {name for _a, _b, name in claim.agents}

        def closeness(m: tuple[float, SourceIndex, SourceQuantity]) -> tuple[int, float, float]:
            same_agent = bool(mine & m[1].agents_in_sentence(m[2].sentence, lexicon))
            return (-int(same_agent), -m[0], abs(m[2].q.value - q.value))

        _, idx, sq = min(others, key=closeness)
        nearest = idx.passage(sq.q.start, sq.q.end, sq.q.text)
    return ValueCheck(q, "missing", None, nearest)


def _better_other(
    claim: Claim,
    words: dict[str, tuple[int, bool]],
    best: tuple[float, SourceIndex, SourceQuantity],
    others: list[tuple[float, SourceIndex, SourceQuantity]],
    lexicon: Lexicon,
) -> Passage | None:
    """Where the sources give a different value for exactly what the claim's number is about.

    Two signals, both conservative: the matching number owns none of the words the claim's
    number owns while another number owns some that are not generic; or the matching number's
    sentence names other agents than the claim while another number's sentence names the
    claim's agent.
    """
    _s, idx, sq = best
    # agent names say which drug a passage is about, not what the number measures
    named = {t for a, b, _n in claim.agents for *_x, t in content_tokens(claim.sentence.text[a:b])}
    plain = WEAK | named
    have = len({w for w in _owned(words, sq.context) if w not in plain})
    scored = [
        (len({w for w in _owned(words, o[2].context) if w not in plain}), o[0], o) for o in others
    ]
    # another number owns clearly more of what the claim's number is about
    need = {0: 1, 1: 3}.get(have)  # two or more shared words: the match is about the same thing
    scored = [x for x in scored if need is not None and x[0] >= need]
    strong = max(scored, key=lambda x: (x[0], x[1]))[2] if scored else None
    if strong is None and claim.agents:
        mine = {name for _a, _b, name in claim.agents}
        here = idx.agents_in_sentence(sq.sentence, lexicon)
        if here and not here & mine:
            same = [
                o
                for o in others
                if idx is o[1] and o[1].agents_in_sentence(o[2].sentence, lexicon) & mine
            ]
            same += [
                o
                for o in others
                if idx is not o[1] and o[1].agents_in_sentence(o[2].sentence, lexicon) & mine
            ]
            if same:
                strong = max(same, key=lambda o: o[0])
    if strong is None:
        return None
    _o, o_idx, o_sq = strong
    return o_idx.passage(o_sq.q.start, o_sq.q.end, o_sq.q.text)


def _same_family(a: Quantity, b: Quantity) -> bool:
    if a.kind in {"year", "date"} or b.kind in {"year", "date"}:
        return a.kind in {"year", "date"} and b.kind in {"year", "date"}
    if a.unit and b.unit:
        return a.unit == b.unit
    return a.kind == b.kind
