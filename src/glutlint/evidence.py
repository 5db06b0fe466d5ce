"""Match each claim's values and named agents to passages of its cited sources.

Sources are indexed once: their quantities, each with the words around it in its sentence.
A claim value is supported when a cited source has a value that supports it (quantities.supports)
and that value is not plainly about something else (binding: the words next to the number).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from .bibliography import Entry
from .claims import Claim, year_bound, year_satisfies
from .lexicon import Lexicon, fold
from .quantities import Quantity, source_numbers, supports
from .sources import SourceText

if TYPE_CHECKING:
    from .project import Project
from .words import WEAK, content_tokens, initials, names_in

SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[A-Z0-9])|\n\s*\n")
CLAIM_WINDOW = 8
SOURCE_WINDOW = 12
PARAGRAPH_RE = re.compile(r"\n\s*\n")
LEAD_SENTENCES = 2  # a sentence that names nothing reads its subject from these before it
LEAD_TITLES = 3  # ... or from the title lines above it ("Halden Fatigue" / "Rating Scale")
NAME_SPLIT_RE = re.compile(r"[^a-z0-9]+")
CITE_GROUP_RE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")


def _is_title(s: str) -> bool:
    """A short line without closing punctuation: a heading or a box's term, "Rating Scale"."""
    s = s.strip()
    return bool(s) and s[0].isupper() and s[-1] not in ".!?:;," and len(s.split()) <= 6


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
        for q in source_numbers(text, self.source.store):
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
    def _frames(self) -> dict[tuple[int, int], Frame]:
        return {}

    @cached_property
    def _tags(self) -> dict[tuple[int, int], list[tuple[int, int, Tag]]]:
        return {}

    @cached_property
    def _sentence_quantities(self) -> dict[tuple[int, int], list[Quantity]]:
        out: dict[tuple[int, int], list[Quantity]] = {}
        for sq in self.quantities:
            out.setdefault(sq.sentence, []).append(sq.q)
        return out

    def tags_in_sentence(
        self, span: tuple[int, int], lexicon: Lexicon, vocab: Vocabulary
    ) -> list[tuple[int, int, Tag]]:
        """Names and events of one sentence, at offsets of the text (cached)."""
        found = self._tags.get(span)
        if found is None:
            a, b = span
            sentence = self.source.text[a:b]
            agents = lexicon.agents_in(sentence)
            self._sentence_agents.setdefault(span, {n for *_x, n in agents})
            found = [(a + x, a + y, t) for x, y, t in tags_in(sentence, vocab, agents)]
            self._tags[span] = found
        return found

    def lead_in(self, span: tuple[int, int]) -> tuple[list[tuple[int, int]], bool]:
        """The sentences a sentence may take its subject from, nearest first, and whether they
        are title lines (a box's or section's heading, read as one name) rather than the one or
        two sentences before it in its paragraph."""
        text, sentences = self.source.text, self.sentences
        i = bisect.bisect_right(self._sentence_starts, span[0]) - 1
        out: list[tuple[int, int]] = []
        if i <= 0 or sentences[i] != span:
            return out, False
        broken = PARAGRAPH_RE.search(text, sentences[i - 1][1], span[0]) is not None
        for j in range(i - 1, max(-1, i - 1 - (LEAD_TITLES if broken else LEAD_SENTENCES)), -1):
            a, b = sentences[j]
            if broken and not _is_title(text[a:b]):
                break
            if not broken and PARAGRAPH_RE.search(text, b, sentences[j + 1][0]):
                break
            out.append((a, b))
        return out, broken

    def frame(self, span: tuple[int, int], lexicon: Lexicon, vocab: Vocabulary) -> Frame:
        """What one sentence is about (cached): see Frame."""
        found = self._frames.get(span)
        if found is None:
            found = self._frames[span] = self._make_frame(span, lexicon, vocab)
        return found

    def _make_frame(self, span: tuple[int, int], lexicon: Lexicon, vocab: Vocabulary) -> Frame:
        text = self.source.text
        a, b = span
        placed = self.tags_in_sentence(span, lexicon, vocab)
        own = [t for _x, _y, t in placed]
        qs = self._sentence_quantities.get(span, [])
        owned = bind(text, a, b, qs, placed, SOURCE_WINDOW)
        bound = {q.start: frozenset(tags) for q, tags in zip(qs, owned, strict=True)}
        lead, titles = self.lead_in(span)
        steps: list[tuple[set[str], list[Tag], str]]  # per lead-in step: agents, tags, text
        if titles:  # the title lines read as one: "Halden Fatigue" + "Rating Scale"
            heading = " ".join(text[x:y] for x, y in reversed(lead))
            found = lexicon.agents_in(heading)
            steps = [
                ({n for *_p, n in found}, [t for *_p, t in tags_in(heading, vocab, found)], heading)
            ]
        else:
            steps = [
                (
                    self.agents_in_sentence(s, lexicon),
                    [t for *_p, t in self.tags_in_sentence(s, lexicon, vocab)],
                    text[s[0] : s[1]],
                )
                for s in lead
            ]
        agents = self.agents_in_sentence(span, lexicon)
        if not agents:
            agents = next((named for named, _t, _s in steps if named), set())
        around, before = set(own), ""
        if not any(t.is_name for t in own):
            # a sentence that names nothing is about what its lead-in names
            for _named, tags, said in steps:
                names = {t for t in tags if t.is_name}
                if names:
                    bound = {k: v | names for k, v in bound.items()}
                    around |= set(tags)
                    before = said
                    break
        return Frame(frozenset(agents), bound, frozenset(around), fold(before + " " + text[a:b]))

    @cached_property
    def _name_spans(self) -> dict[str, list[tuple[int, int]]]:
        return {}

    def _name_re(self, name: str) -> re.Pattern[str] | None:
        """The pattern of a folded name, or None when its first word is not in this source
        at all (a substring test rules most sources out without a regex)."""
        words = name.split()
        if not words or words[0] not in self.lower:
            return None
        pattern = r"\s+".join(re.escape(w) for w in words)
        return re.compile(rf"(?<![\w]){pattern}(?![\w])")

    def _spans(self, name: str) -> list[tuple[int, int]]:
        """Every mention of one folded name, computed once per source."""
        spans = self._name_spans.get(name)
        if spans is None:
            rx = self._name_re(name)
            spans = [(m.start(), m.end()) for m in rx.finditer(self.lower)] if rx else []
            self._name_spans[name] = spans
        return spans

    @cached_property
    def _first_spans(self) -> dict[str, tuple[int, int] | None]:
        return {}

    def _first(self, name: str) -> tuple[int, int] | None:
        """The first mention only: asking whether a source names something at all should
        not list every mention (a check may ask it of hundreds of uncited sources)."""
        if name in self._name_spans:
            return (self._name_spans[name] or [None])[0]
        if name not in self._first_spans:

            def search() -> list[int]:
                rx = self._name_re(name)
                m = rx.search(self.lower) if rx else None
                return [m.start(), m.end()] if m else []

            store, digest = self.source.store, self.source.digest
            if store is not None and digest:  # the source's text need not even be read
                from .cache import key

                found = store.memo("mentions").get(
                    key(digest, name), search, list[int], back=_span_or_none
                )
            else:
                found = search()
            self._first_spans[name] = (found[0], found[1]) if found else None  # type: ignore[index]
        return self._first_spans[name]

    def mentions(self, names: set[str], near: int | None = None) -> tuple[int, int] | None:
        """(start, end) of a mention of any of `names` (folded): the first, or the one nearest
        to offset `near` (the passage that supports the claim's values), or None."""
        if near is None:
            firsts = [f for f in map(self._first, names) if f is not None]
            return min(firsts) if firsts else None
        best: tuple[int, int] | None = None
        for n in names:
            for here in self._spans(n):
                if best is None or abs(here[0] - near) < abs(best[0] - near):
                    best = here
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


def _reach(
    text: str, a: int, b: int, qs: list[Quantity], window: int
) -> tuple[list[tuple[int, int, str]], list[list[tuple[int, float]]]]:
    """The content words of sentence text[a:b] (start, end, stem), each with the numbers it is
    within `window` tokens of and how far: (quantity index, cost). A clause boundary (comma,
    semicolon, bracket) between word and number costs three words."""
    spans = [(q.start, q.end) for q in qs]
    tokens = [
        (a + s0, a + s1, stem)
        for s0, s1, stem in content_tokens(text[a:b])
        if not any(x <= a + s0 < y for x, y in spans)
    ]
    starts = [t[0] for t in tokens]
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
    return tokens, reach


def contexts(
    text: str, a: int, b: int, qs: list[Quantity], window: int
) -> dict[int, list[tuple[int, str, bool]]]:
    """For each quantity of one sentence text[a:b]: the content words within `window` tokens,
    as (distance, stem, owned). A word is owned by the number it is nearest to, a clause
    boundary (comma, semicolon, bracket) counting as three words: that is how "71% met response
    criteria, and 29% achieved remission" gives remission to 29% and response to 71%."""
    tokens, reach = _reach(text, a, b, qs, window)
    out: dict[int, list[tuple[int, str, bool]]] = {qi: [] for qi in range(len(qs))}
    for ti, options in enumerate(reach):
        if not options:
            continue
        least = min(cost for _qi, cost in options)
        for qi, cost in options:
            # a word about as near to two numbers belongs to both
            out[qi].append((int(cost), tokens[ti][2], cost <= least + SHARED_MARGIN))
    return out


def bind(
    text: str, a: int, b: int, qs: list[Quantity], tags: list[tuple[int, int, Tag]], window: int
) -> list[set[Tag]]:
    """For each quantity of sentence text[a:b], the tags (names, events) it owns. A tag is as
    far from a number as its nearest word, and is owned as `contexts` owns words: by the
    nearest number, and by any other about as near."""
    out: list[set[Tag]] = [set() for _ in qs]
    if not tags or not qs:
        return out
    tokens, reach = _reach(text, a, b, qs, window)
    starts = [t[0] for t in tokens]
    for t0, t1, tag in tags:
        cost: dict[int, float] = {}
        for ti in range(bisect.bisect_left(starts, t0), len(tokens)):
            if tokens[ti][0] >= t1:
                break
            for qi, c in reach[ti]:
                cost[qi] = min(c, cost.get(qi, c))
        if cost:
            least = min(cost.values())
            for qi, c in cost.items():
                if c <= least + SHARED_MARGIN:
                    out[qi].add(tag)
    return out


@dataclass(frozen=True)
class Tag:
    """A name ("n:halden fatigue rating scale") or an event ("e:approval") in a sentence.
    Two mentions are the same tag when their keys are; `forms` are how else it may be
    written (lexicon aliases, its initials)."""

    key: str
    forms: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def is_name(self) -> bool:
        return self.key.startswith("n:")

    @property
    def words(self) -> list[str]:
        return NAME_SPLIT_RE.split(self.key[2:])

    @property
    def head(self) -> str:
        """The last word of a name: what kind of thing it names (a scale, an agency)."""
        return self.words[-1]


@dataclass(frozen=True)
class Vocabulary:
    """The lexicon's event words and grouped names (agencies, indications), compiled once."""

    event_re: re.Pattern[str]
    event_of: dict[str, str]  # folded phrase -> event
    group_of: dict[str, tuple[str, str]]  # folded alias -> (section, canonical)
    members: dict[str, frozenset[str]]  # canonical -> its folded aliases


@lru_cache(maxsize=8)
def _compile_vocabulary(
    events: tuple[tuple[str, tuple[str, ...]], ...],
    groups: tuple[tuple[str, str, tuple[str, ...]], ...],
) -> Vocabulary:
    event_of = {fold(w): e for e, words in events for w in (e, *words)}
    alt = "|".join(re.escape(w) for w in sorted(event_of, key=len, reverse=True))
    event_re = re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])" if alt else r"(?!x)x", re.I)
    group_of = {fold(n): (sec, fold(c)) for sec, c, names in groups for n in (c, *names)}
    members: dict[str, set[str]] = {}
    for alias, (_sec, canonical) in group_of.items():
        members.setdefault(canonical, set()).add(alias)
    frozen = {c: frozenset(m) for c, m in members.items()}
    return Vocabulary(event_re, event_of, group_of, frozen)


def vocabulary(lexicon: Lexicon) -> Vocabulary:
    """The lexicon's events and name groups, compiled (cached by content)."""
    events = tuple((e, tuple(ws)) for e, ws in lexicon.events.items())
    groups = tuple(
        (sec, c, tuple(ns))
        for sec, table in (("agencies", lexicon.agencies), ("indications", lexicon.indications))
        for c, ns in table.items()
    )
    return _compile_vocabulary(events, groups)


def tags_in(
    text: str, vocab: Vocabulary, agents: list[tuple[int, int, str]]
) -> list[tuple[int, int, Tag]]:
    """The names and events of `text` as (start, end, tag). Agents are not names here: the
    agent checks already weigh them."""
    out = []
    for a, b, name in names_in(text):
        if any(x < b and a < y for x, y, _n in agents):
            continue
        folded = fold(name)
        section = vocab.group_of.get(folded)
        key = section[1] if section else folded
        forms = {folded, key, initials(name), *vocab.members.get(key, ())}
        out.append((a, b, Tag("n:" + key, frozenset(f for f in forms if len(f) > 1))))
    for m in vocab.event_re.finditer(text):
        out.append((m.start(), m.end(), Tag("e:" + vocab.event_of[fold(m.group())])))
    return out


@dataclass
class Frame:
    """What one sentence is about beyond its words: its agents, and the names and events bound
    to each of its numbers. A sentence that names no agent or no name takes them from its
    lead-in (the sentence or two before it in its paragraph, or the title lines above it):
    "...velostatin lowered LDL cholesterol. Myalgia resolved within 8 days."
    """

    agents: frozenset[str]
    bound: dict[int, frozenset[Tag]]  # quantity start -> the tags it owns
    tags: frozenset[Tag]  # every tag of the sentence (and of the lead-in it reads names from)
    text: str  # the same sentences, folded, to look names up in

    def has(self, tag: Tag) -> bool:
        """The frame mentions `tag` in any of its forms. Generous on purpose: a mention found
        here is one reason fewer to call a number misplaced."""
        if tag in self.tags:
            return True
        if not tag.is_name:
            return False
        if any(tag.forms & t.forms for t in self.tags):
            return True
        if set(tag.words) <= self.words:  # "Halden Scale" in "Halden Fatigue Scale"
            return True
        return any(
            f in self.text and re.search(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z])", self.text)
            for f in tag.forms
        )

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(NAME_SPLIT_RE.split(self.text))


def comparable(x: Tag, y: Tag, vocab: Vocabulary) -> bool:
    """Two different tags that could fill the same slot: two events, two agencies, two
    indications, or two names with the same head ("... Rating Scale")."""
    if x == y or x.is_name != y.is_name:
        return False
    if not x.is_name:
        return True
    sx, sy = vocab.group_of.get(x.key[2:]), vocab.group_of.get(y.key[2:])
    if sx and sy:
        return sx[0] == sy[0]
    return len(x.head) > 2 and x.head == y.head


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
    against: Passage | None = None  # for missing: the passage on the same subject, another value


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


def _span_or_none(found: list[int]) -> list[int] | None:
    return found if len(found) in (0, 2) else None


def verdict_of(claim: Claim, project: Project) -> Verdict:
    """`check_claim` through the project's store (see `stored_verdicts`)."""
    from .stored_verdicts import remembered

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

    for q in claim.values:
        if claim.covers(q.start, q.end):
            verdict.values.append(_check_value(claim, q, cited, lexicon, frame))
    anchors = {v.support.key: v.support.start for v in verdict.values if v.support is not None}
    for start, end, name in claim.agents:
        if not claim.covers(start, end):
            continue
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
    claim: Claim,
    q: Quantity,
    cited: list[SourceIndex],
    lexicon: Lexicon,
    frame: Callable[[], Frame],
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
            elif _same_family(q, sq.q) and not _statistic(idx.source.text, sq.q):
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
        better = None
        if bound == "=" and _definite(q, claim.sentence.text):
            better = _better_other(claim, q, words, best, matches, others, lexicon, frame)
        if better is not None:
            literal = sq.q.comparator == q.comparator and sq.q.value == q.value
            if q.comparator in {"<", "<=", ">", ">="} and not literal:
                # a bound met only by a number about something else is no support at all
                return ValueCheck(q, "missing", None, better)
            return ValueCheck(q, "misbound", passage, None, better)
        return ValueCheck(q, "supported", passage)
    listed = _listed_range(q, others)
    if listed is not None:
        return ValueCheck(q, "supported", listed)
    nearest = None
    if others:
        mine = {name for _a, _b, name in claim.agents}

        def closeness(m: tuple[float, SourceIndex, SourceQuantity]) -> tuple[int, float, float]:
            same_agent = bool(mine & m[1].agents_in_sentence(m[2].sentence, lexicon))
            return (-int(same_agent), -m[0], abs(m[2].q.value - q.value))

        _, idx, sq = min(others, key=closeness)
        nearest = idx.passage(sq.q.start, sq.q.end, sq.q.text)
    against = _contradiction(claim, q, words, others, lexicon, frame)
    return ValueCheck(q, "missing", None, nearest, None, against)


Candidate = tuple[float, SourceIndex, SourceQuantity]


_COUNTED_RE = re.compile(
    r"-?[a-z][a-z-]*(?<!\bper)(?<!\bof)(?<!\band)(?<!\bor)(?<!\bto)(?<!\bvs)(?<!\bin)"
    r"(?<!\bat)(?<!\bon)(?<!\bfor)(?<!\bwith)(?<!\bfrom)(?<!\bby)(?<!\bthan)(?![a-z])"
)


def _clause_words(text: str, q: Quantity) -> set[str]:
    """The content words of the clause that holds a claim's number: a contradiction must be
    about what that clause says, not about the clause after "whereas"."""
    start = max((m.end() for m in BOUNDARY_RE.finditer(text, 0, q.start)), default=0)
    found = BOUNDARY_RE.search(text, q.end)
    end = found.start() if found else len(text)
    return {stem for *_x, stem in content_tokens(text[start:end])}


def _definite(q: Quantity, text: str) -> bool:
    """A value definite enough for another value to contradict it: a date, a year, a quantity
    with a unit (percent, dose, duration), or a count of four or more of something named
    ("eight subjects", "an 11-item scale"). A bare number, a small count or a ratio ("3",
    "two doses", "1.45") stands for too many things in a passage to be contradicted by its
    neighbour."""
    if q.kind in {"year", "date", "percent", "fraction"} or q.unit:
        return True
    if q.kind != "count" or q.decimals > 0 or q.value < 4 or q.value != int(q.value):
        return False
    after = text[q.end : q.end + 40]
    return bool(_COUNTED_RE.match(after.lstrip() if not after.startswith("-") else after))


def _point(value: float, other: Quantity) -> bool:
    """Whether a source quantity gives `value` (one end of a claim's range), to its precision."""
    ends = [other.value] if other.high is None else [other.value, other.high]
    return any(abs(value - e) <= 0.5 * 10 ** -max(0, other.decimals) for e in ends)


#: what a source number must share with the claim's number, beyond generic words and the
#: agents' own names, for its passage to be about the same thing
SAME_SUBJECT_WORDS = 3
#: a source sentence with more values of the same kind than this is a list: which value is
#: about what is a guess, and a guess contradicts nothing
SENTENCE_VALUES = 1


def _contradiction(
    claim: Claim,
    q: Quantity,
    words: dict[str, tuple[int, bool]],
    others: list[Candidate],
    lexicon: Lexicon,
    frame: Callable[[], Frame],
) -> Passage | None:
    """The passage of a cited source that gives another value for exactly what the claim's
    missing value is about, or None. Absence is not contradiction: a passage counts only when
    its number owns at least SAME_SUBJECT_WORDS of the content words the claim's number owns
    (generic words and agent names aside), it is not where another value of the claim came
    from, and it names none but the claim's agents, or the same name or event is bound to
    both numbers."""
    if not others or not _definite(q, claim.sentence.text):
        return None
    if q.high is not None and any(_point(v, o[2].q) for o in others for v in (q.value, q.high)):
        return None  # a range the source gives one end of is not contradicted by it
    if len(claim.values) > 1:
        others = [o for o in others if not _taken(claim, q, words, o) and not _another(claim, q, o)]
    if q.kind == "count" and not q.unit:
        counted = _counted(claim.sentence.text, q)
        others = [o for o in others if counted and _counted(o[1].source.text, o[2].q) == counted]
    named = {t for a, b, _n in claim.agents for *_x, t in content_tokens(claim.sentence.text[a:b])}
    plain = WEAK | named
    vocab = vocabulary(lexicon)
    mine = frame()
    claimed = mine.bound.get(q.start, frozenset())
    found: list[tuple[int, float, Candidate]] = []
    clause = _clause_words(claim.sentence.text, q)
    for o in others:
        shared = {w for w in _owned(words, o[2].context) if w not in plain and w in clause}
        theirs = o[1].frame(o[2].sentence, lexicon, vocab)
        tied = bool(claimed & theirs.bound.get(o[2].q.start, frozenset()))
        if len(shared) < SAME_SUBJECT_WORDS and not (tied and shared):
            continue
        if mine.agents and theirs.agents and not mine.agents & theirs.agents:
            continue  # a passage about another agent says nothing against this one
        rivals = [
            x
            for x in o[1].quantities
            if x.sentence == o[2].sentence
            and _same_family(x.q, o[2].q)
            and not _statistic(o[1].source.text, x.q)
        ]
        if len(rivals) > SENTENCE_VALUES:
            continue  # a sentence that lists values: which one is about what is a guess
        found.append((len(shared) + int(tied), o[0], o))
    if not found:
        return None
    _n, _s, (_score_o, idx, sq) = max(found, key=lambda f: (f[0], f[1]))
    return idx.passage(sq.q.start, sq.q.end, sq.q.text)


def _better_other(
    claim: Claim,
    q: Quantity,
    words: dict[str, tuple[int, bool]],
    best: Candidate,
    matches: list[Candidate],
    others: list[Candidate],
    lexicon: Lexicon,
    frame: Callable[[], Frame],
) -> Passage | None:
    """Where the sources give a different value for exactly what the claim's number is about.

    Three signals, all conservative: the matching number owns none of the words the claim's
    number owns while another number owns some that are not generic; or the matching number's
    sentence names other agents than the claim while another number's sentence names the
    claim's agent; or names and events, which outweigh words (see `_other_subject`).
    """
    _s, idx, sq = best
    if len(claim.values) > 1:
        others = [o for o in others if not _taken(claim, q, words, o) and not _another(claim, q, o)]
    if _parenthetical(idx.source.text, sq):
        # "from 18.6% to 1.1% (a 94% decrease)": a number in brackets annotates the clause
        # before it, so that clause's words are its subject too
        others = [o for o in others if not (o[1] is idx and o[2].sentence == sq.sentence)]
    # "48% (12.2% annually)": a bracketed number beside the match annotates it; no rival
    others = [
        o
        for o in others
        if not (
            o[1] is idx and o[2].sentence == sq.sentence and _parenthetical(idx.source.text, o[2])
        )
    ]
    # agent names say which drug a passage is about, not what the number measures
    named = {t for a, b, _n in claim.agents for *_x, t in content_tokens(claim.sentence.text[a:b])}
    plain = WEAK | named

    def rank(o: Candidate) -> tuple[int, float]:
        """How much of what the claim's number is about another number owns."""
        return len({w for w in _owned(words, o[2].context) if w not in plain}), o[0]

    have = rank(best)[0]
    if _parenthetical(idx.source.text, sq):
        a, b = sq.sentence
        said = {stem for *_x, stem in content_tokens(idx.source.text[a:b])}
        mine = {w for w, (_d, owned) in words.items() if owned and w not in plain}
        have = max(have, len(mine & said))
    # another number owns clearly more of what the claim's number is about
    need = {0: 1, 1: 3}.get(have)  # two or more shared words: the match is about the same thing
    scored = [o for o in others if need is not None and rank(o)[0] >= need]
    strong = max(scored, key=rank) if scored else None
    vocab = vocabulary(lexicon)
    mine_frame = frame() if strong is None else None
    if mine_frame is not None and mine_frame.agents:
        mine = mine_frame.agents
        here = idx.frame(sq.sentence, lexicon, vocab).agents
        if here and not here & mine:
            same = [o for o in others if o[1].frame(o[2].sentence, lexicon, vocab).agents & mine]
            if same:
                strong = max(same, key=rank)
    if mine_frame is not None and strong is None:
        strong = _other_subject(q, mine_frame, best, matches, others, lexicon, rank)
    if strong is None:
        return None
    _o, o_idx, o_sq = strong
    return o_idx.passage(o_sq.q.start, o_sq.q.end, o_sq.q.text)


_STATISTIC_BEFORE_RE = re.compile(
    r"(?i)(?:\b[pq]|\bn|\bSE|\bSD|\bOR|\bRR|\bHR)\s*[<=>\u2264\u2265]+\s*$"
)
_STATISTIC_AFTER_RE = re.compile(r"\s*(?:CI\b|CrI\b|confidence\s+interval)")


def _statistic(text: str, q: Quantity) -> bool:
    """A p-value, a sample size or a confidence level in a source ("P = 0.02", "n = 5",
    "95% CI"): never the value a claim's number is about."""
    return bool(
        _STATISTIC_BEFORE_RE.search(text[max(0, q.start - 12) : q.start])
        or (q.kind == "percent" and _STATISTIC_AFTER_RE.match(text, q.end))
    )


def _listed_range(q: Quantity, others: list[Candidate]) -> Passage | None:
    """A range a source gives as a list: "from 1994 to 1998" by "1994, 1995, 1996, 1997, and
    1998" (both ends in one sentence of one source, each given as a point)."""
    if q.high is None:
        return None
    ends: dict[tuple[str, tuple[int, int]], set[str]] = {}
    for _s, idx, sq in others:
        if sq.q.high is not None:
            continue
        for end, value in (("low", q.value), ("high", q.high)):
            if _point(value, sq.q) and sq.q.unit == q.unit:
                ends.setdefault((idx.entry.key, sq.sentence), set()).add(end)
    for (key, (a, b)), found in ends.items():
        if found == {"low", "high"}:
            idx = next(o[1] for o in others if o[1].entry.key == key)
            return idx.passage(a, b, idx.source.text[a:b])
    return None


#: how many words a bracket may hold before its number stops annotating the clause before it
PARENTHETICAL_WORDS = 6


def _parenthetical(text: str, sq: SourceQuantity) -> bool:
    """Whether a source number stands inside a short bracket within its sentence."""
    a, _b = sq.sentence
    before = text[a : sq.q.start]
    opened = max(before.rfind("("), before.rfind("["))
    if opened < 0 or max(before.rfind(")"), before.rfind("]")) > opened:
        return False
    return len(before[opened + 1 :].split()) < PARENTHETICAL_WORDS


def _another(claim: Claim, q: Quantity, other: Candidate) -> bool:
    """The source value is another value the same claim gives ("34% ... and 48%,
    respectively"): a list of values, not one value misplaced."""
    return any(v is not q and supports(v, other[2].q) for v in claim.values)


def _counted(text: str, q: Quantity) -> str:
    """What a count counts: the stem of the first content word after it ("22 sites")."""
    after = text[q.end : q.end + 60]
    for _a, _b, stem in content_tokens(after)[:1]:
        return stem
    return ""


def _taken(claim: Claim, q: Quantity, words: dict[str, tuple[int, bool]], other: Candidate) -> bool:
    """A passage that gives another value of the claim is where that value came from, unless
    it shares words with this number that the other does not own: in "3 of the 12 drugs tested
    were approved", "12 drugs were tested" is about 12, not 3."""
    shared = _owned(words, other[2].context)
    for v in claim.values:
        if v is not q and supports(v, other[2].q):
            theirs = {w for w, (_d, owned) in _claim_words(claim, v).items() if owned}
            if shared <= theirs:
                return True
    return False


def _other_subject(
    q: Quantity,
    mine: Frame,
    best: Candidate,
    matches: list[Candidate],
    others: list[Candidate],
    lexicon: Lexicon,
    rank: Callable[[Candidate], tuple[int, float]],
) -> Candidate | None:
    """Names and events weigh above words. The claim binds its number to a name or event X
    ("Halden ... Scale", "approved"); no passage with the value mentions X, the matching
    number is bound to a rival Y of the same kind ("Orsini ... Scale", "tested") that the
    claim never mentions, and another number of the sources is bound to X: that number is
    the one about the claim's subject. Shared ordinary words do not outvote this."""
    vocab = vocabulary(lexicon)

    def frame(c: Candidate) -> Frame:
        return c[1].frame(c[2].sentence, lexicon, vocab)

    claimed = mine.bound.get(q.start, frozenset())
    lost = {x for x in claimed if not any(frame(m).has(x) for m in matches)}
    if not lost:
        return None
    theirs = frame(best).bound.get(best[2].q.start, frozenset())
    wanted = {x for x in lost for y in theirs if not mine.has(y) and comparable(x, y, vocab)}
    about = [o for o in others if wanted & frame(o).bound.get(o[2].q.start, set())]
    return max(about, key=rank) if about else None


def _claim_frame(claim: Claim, lexicon: Lexicon, vocab: Vocabulary) -> Frame:
    """The claim sentence's Frame. Its lead-in, the one or two sentences before it in its
    paragraph, gives the agents of a sentence that names none ("It was approved in ...") and
    always counts for what the claim mentions: a rival the paragraph names is no rival."""
    s = claim.sentence
    text = s.text
    tags = tags_in(text, vocab, claim.agents)
    bound = bind(text, 0, len(text), claim.values, tags, CLAIM_WINDOW) if tags else []
    before = CITE_GROUP_RE.sub(" ", s.block.masked[max(0, s.start - 600) : s.start])
    lead = [x for x in SENTENCE_END_RE.split(before) if x.strip()][-LEAD_SENTENCES:]
    agents = {n for _a, _b, n in claim.agents}
    around = {t for *_x, t in tags}
    for sentence in reversed(lead):
        found = lexicon.agents_in(sentence)
        if not agents:
            agents = {n for *_x, n in found}
        around |= {t for *_x, t in tags_in(sentence, vocab, found)}
    return Frame(
        frozenset(agents),
        {v.start: frozenset(b) for v, b in zip(claim.values, bound, strict=False)},
        frozenset(around),
        fold(" ".join(lead) + " " + text),
    )


def _same_family(a: Quantity, b: Quantity) -> bool:
    if a.kind in {"year", "date"} or b.kind in {"year", "date"}:
        return a.kind in {"year", "date"} and b.kind in {"year", "date"}
    if a.unit and b.unit:
        return a.unit == b.unit
    return a.kind == b.kind
