"""Each cited source indexed once: its sentences, its quantities with the words around each,
what each sentence is about (its Frame), and where it names things."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, cast

from ..bibliography import Entry
from ..lexicon import Lexicon, fold
from ..quantities import Quantity, source_numbers, supports
from ..readers import Place
from ..sentences import source_sentences
from ..sources import SourceText
from ..tables import with_column_units
from .binding import Frame, Tag, Vocabulary, bind, contexts, tags_in

CLAIM_WINDOW = 8
SOURCE_WINDOW = 12
PARAGRAPH_RE = re.compile(r"\n\s*\n")
T = TypeVar("T")
LEAD_SENTENCES = 2  # a sentence that names nothing reads its subject from these before it
LEAD_TITLES = 3  # ... or from the title lines above it ("Halden Fatigue" / "Rating Scale")
#: a name in at least this share of a source's sentences is what the source is about, not
#: what one of its numbers is about ("Covid-19" in a Covid-19 trial)
TOPICAL_SHARE = 0.5
TOPICAL_MIN_SENTENCES = 3
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
    #: The page of a paged source (PDF), `line` then counting from the top of the page.
    page: int = 0
    #: The column where the passage's line of text starts, in a format that puts much on one
    #: line (XML); 0 otherwise.
    column: int = 0

    @property
    def where(self) -> str:
        """`path:line`, `path:line:column` (XML), or `path:pPAGE:LINE` in a paged source."""
        return f"{self.path}:{Place(self.line, self.page, self.column)}"


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
        return source_sentences(self.source.text)

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
        for q in with_column_units(text, source_numbers(text, self.source.store)):
            by_sentence.setdefault(self.sentence_of(q.start), []).append(q)
        out: list[SourceQuantity] = []
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

    def sentence_quantities(self) -> list[tuple[tuple[int, int], list[Quantity]]]:
        """Each sentence of the source that gives numbers, with them in order."""
        return list(self._sentence_quantities.items())

    @cached_property
    def _memo(self) -> dict[tuple[object, ...], Any]:
        return {}

    def memo(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """What `compute` derives from this source alone, once per check (`key` names it)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    @cached_property
    def _gives(self) -> dict[tuple[Quantity, tuple[int, int]], bool]:
        return {}

    def gives(self, q: Quantity, span: tuple[int, int]) -> bool:
        """Whether one sentence of the source gives a number that supports `q` (cached)."""
        found = self._gives.get((q, span))
        if found is None:
            found = self._gives[q, span] = any(supports(q, o) for o in self.quantities_in(span))
        return found

    def quantities_in(self, span: tuple[int, int]) -> list[Quantity]:
        """The quantities of one sentence of the source, in order."""
        return self._sentence_quantities.get(span, [])

    @cached_property
    def _folded_sentences(self) -> list[str]:
        return [fold(self.source.text[a:b]) for a, b in self.sentences]

    @cached_property
    def _topical(self) -> dict[str, bool]:
        return {}

    def topical(self, tag: Tag) -> bool:
        """Whether a name is the source's topic: named, in any of its forms, in at least
        TOPICAL_SHARE of its sentences. Such a name binds every number of the source, so it
        ties none of them to a claim's subject (cached)."""
        if not tag.is_name:
            return False
        found = self._topical.get(tag.key)
        if found is None:
            sentences = self._folded_sentences
            pattern = re.compile(
                "|".join(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z0-9])" for f in sorted(tag.forms))
                or r"(?!x)x"
            )
            hits = sum(1 for s in sentences if pattern.search(s))
            found = len(sentences) >= TOPICAL_MIN_SENTENCES and (
                hits >= TOPICAL_SHARE * len(sentences)
            )
            self._topical[tag.key] = found
        return found

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
            spans = self._name_spans[name]
            return spans[0] if spans else None
        if name not in self._first_spans:

            def search() -> list[int]:
                rx = self._name_re(name)
                m = rx.search(self.lower) if rx else None
                return [m.start(), m.end()] if m else []

            store, digest = self.source.store, self.source.digest
            if store is not None and digest:  # the source's text need not even be read
                from ..cache import key

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
        place = self.source.place_at(start)
        return Passage(
            self.entry.key,
            self.shown,
            place.line,
            start,
            end,
            self.source.snippet(start, end),
            value,
            place.page,
            place.column,
        )


def _span_or_none(found: list[int]) -> list[int] | None:
    return found if len(found) in (0, 2) else None
