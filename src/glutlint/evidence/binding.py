"""Binding: which words, names and events each number of a sentence is about.

A word belongs to the number it stands nearest to (a clause boundary counts as three words);
names and events (the lexicon's) are bound the same way and weigh more than words.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..lexicon import Lexicon, fold
from ..quantities import Quantity
from ..words import WEAK, content_tokens, initials, names_in

NAME_SPLIT_RE = re.compile(r"[^a-z0-9]+")
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
    groups = binding_spans(text, qs)
    stretches = sorted(set(groups))
    stretch_starts = [g[0] for g in stretches]
    for qi, q in enumerate(qs):
        # measured from the number's stretch: its annotating bracket, its list; every other
        # number on the way counts as a word ("1.45 min, less than half the 3.24 min seen"),
        # except for a date, which frames all its sentence says ("In 2007-2010, 52.5% of ...")
        g0, g1 = groups[qi]
        framing = q.kind in {"year", "date"}
        first_after = bisect.bisect_left(starts, g1)
        before_me = bisect.bisect_left(stretch_starts, g0)
        after_me = bisect.bisect_left(stretch_starts, g1)
        for ti, (t0, t1, _stem) in enumerate(tokens):
            if t1 <= g0:
                crossed = 0 if framing else before_me - bisect.bisect_left(stretch_starts, t1)
                dist = bisect.bisect_left(starts, g0) - ti + crossed
                between = text[t1:g0]
            elif t0 >= g1:
                crossed = 0 if framing else bisect.bisect_left(stretch_starts, t0) - after_me
                dist = ti - first_after + 1 + crossed
                between = text[g1:t0]
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


#: what joins the numbers of one list: "14.6% and 5.5%", "2, 4, and 7", "12% vs 9%"
COORDINATION_RE = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|vs\.?|versus|&)\s*)?")
#: a bracket right after a number that annotates it: "6.81% (6.74-6.89)", "34.6% (95% CI
#: 34.5-34.8)", "12 (29%)"; at most this many characters and words of letters
ANNOTATION_CHARS = 40
ANNOTATION_WORDS = 2
_ANNOTATION_RE = re.compile(rf"\s*[(\[]([^()\[\]]{{1,{ANNOTATION_CHARS}}})[)\]]")
_LETTERS_RE = re.compile(r"[^\W\d_]{2,}")
#: "±" between a number and its spread: "64.62 ± 6.10 µg/g carcass" (the spread's label may
#: stand before it, "± SD 0.4")
_SPREAD_RE = re.compile(r"\s*(?:±|\+/-|\+/−|\+-|∓)\s*(?:(?:SD|SEM|SE|s\.d\.|s\.e\.(?:m\.)?)\s*)?")


def binding_spans(text: str, qs: list[Quantity]) -> list[tuple[int, int]]:
    """For each quantity, the stretch of text that words are measured from when binding.

    A short bracket of numbers right after a number annotates it ("6.81% (6.74-6.89) for
    DME"): the bracket is part of its number's stretch, and the numbers in it share that
    stretch, so the words after the bracket describe the number before it. A spread after
    "±" annotates its mean the same way ("64.62 ± 6.10 µg/g carcass in males": the words
    after are about the mean, which the spread would otherwise stand nearer to). A list of numbers
    of one kind ("were 14.6% and 5.5%") is one stretch: which of them the words before or
    after are about is given by their order ("respectively"), not by nearness. Any other
    number is its own stretch."""
    order = sorted(range(len(qs)), key=lambda i: qs[i].start)
    out = [(q.start, q.end) for q in qs]
    host: dict[int, int] = {}  # an annotating number -> the number it annotates
    for n, i in enumerate(order):
        if i in host:
            continue
        m = _ANNOTATION_RE.match(text, qs[i].end)
        inner = [j for j in order[n + 1 :] if m and qs[j].start < m.end()]
        if m and inner and len(_LETTERS_RE.findall(m.group(1))) <= ANNOTATION_WORDS:
            out[i] = (qs[i].start, m.end())
            for j in inner:
                host[j] = i
        elif n + 1 < len(order) and _SPREAD_RE.fullmatch(
            text, qs[i].end, max(qs[i].end, qs[order[n + 1]].start)
        ):
            j = order[n + 1]
            out[i] = (qs[i].start, max(qs[i].end, qs[j].end))
            host[j] = i
    heads = [i for i in order if i not in host]
    runs: list[list[int]] = []
    for i in heads:
        if runs:
            prev = runs[-1][-1]
            gap = text[out[prev][1] : qs[i].start]
            if (
                qs[i].kind == qs[prev].kind
                and qs[i].unit == qs[prev].unit
                and gap.strip()
                and COORDINATION_RE.fullmatch(gap)
            ):
                runs[-1].append(i)
                continue
        runs.append([i])
    for run in runs:
        span = (out[run[0]][0], out[run[-1]][1])
        for i in run:
            out[i] = span
    for j, i in host.items():
        out[j] = out[i]
    return out


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
