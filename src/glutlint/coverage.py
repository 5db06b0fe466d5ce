"""What a citation covers, and what in a sentence is not a claim value at all.

A citation supports the clause it closes and the text before it back to the previous citation,
not what follows it in another clause. Text that carries someone else's citation (a numeric
reference "[13]", "(16)", a superscript-style "damage.9", an author-year mention "Smith et al.,
2010" or "Daly and Robinson (2021)", or a narrative "Smith et al." that is not ours) is
supported by that citation, not by ours. A narrative citation of ours ("Ling et al. [@ling]
reported ...") covers the rest of its sentence. A clause after the last citation in which the
authors speak for themselves (", we found ...") is theirs: no citation covers it, and it needs
none.

Each reading is a pattern over the sentence's masked text (our citation groups blanked), so it
is linear in the sentence's length and names nothing of any field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .numerals import fold

#: a surname: capitalised, and not one of the English words that open a clause ("In 2019")
_NAME = (
    r"(?!(?:In|On|By|Since|From|Until|Till|As|At|Of|The|A|An|To|For|After|Before|During|And|"
    r"Or|But|With|Between|Through|Within|Circa|Early|Late|Mid|Spring|Summer|Autumn|Fall|Winter|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b)"
    r"[A-Z](?=[a-z\u00DF-\u024F])[A-Za-z'\u2019\u00C0-\u024F-]+"
)
_GROUP = r"(?:et\s+al\.?|and\s+colleagues|and\s+co-?workers)"
_YEAR = r"(?:19|20)\d{2}[a-z]?"
#: "Smith et al., 2010", "Smith et al. (2010)", "Daly and Robinson (2021)", "(Smith, 2010)",
#: "(Smith et al., )" where a year was dropped
AUTHOR_YEAR_RE = re.compile(
    rf"\(?\b{_NAME}\s+(?:{_GROUP}|(?:and|&)\s+{_NAME})\s*,?\s*\(?\s*{_YEAR}\s*\)?"
    rf"|\(\s*{_NAME}\s*,?\s*{_YEAR}\s*\)"
    rf"|\(\s*{_NAME}\s+{_GROUP}\s*,?\s*[,;]?\s*\)"
)
NARRATIVE_RE = re.compile(rf"\b{_NAME}\s+{_GROUP}")
#: "[13]", "[4, 7-9]", "(16)", "(12, 13)", "[, ]" left where citations were removed
NUMERIC_REF_RE = re.compile(
    r"\[\s*\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\s*[,;]?\s*\]|\[[\s,;]*\]"
    r"|(?<=[A-Za-z\s])\(\s*\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\s*\)(?=[\s.,;:]|$)"
)
#: a reference number set like a superscript after closing punctuation: "damage.9", "ROS,12"
SUPERSCRIPT_RE = re.compile(r"(?<=[a-z)\]][.,])\d{1,3}(?:[,\u2013-]\d{1,3})*(?=\s|$)")
#: where a clause ends: what follows our last citation across one of these is not ours
CLAUSE_BREAK_RE = re.compile(
    r"[;:]|[.!?]\s+(?=[A-Z])|,\s*(?:while|whereas|but|although|though|and|which|whose|as)\b"
    r"|\s(?:while|whereas|but|although)\s|\s[\u2013\u2014-]\s"
)
#: how near an author mention must stand before our citation to be its narrative form
NARRATIVE_GAP = 3


@dataclass(frozen=True)
class Marker:
    """A citation in a sentence: ours (a citation group of the manuscript) or another's."""

    start: int
    end: int
    ours: bool
    narrative: bool = False  # "Smith et al. [@smith]": covers what follows


_AUTHORISH_RE = re.compile(r"(?:19|20)\d\d|et\s+al|colleagues|co-?workers|\sand\s|&")


def foreign_markers(text: str) -> list[tuple[int, int, bool]]:
    """Other works' citations in `text`: (start, end, narrative)."""
    return list(_foreign_markers(text))


@lru_cache(maxsize=4096)
def _foreign_markers(original: str) -> tuple[tuple[int, int, bool], ...]:
    """Cached: a claim's sentence is read for its values, its coverage and its citations. Read
    with its digits as a reader sees them ("Smith et al. (２０１０)"), at original offsets."""
    folded = fold(original)
    text = folded.text
    out: list[tuple[int, int, bool]] = []
    authorish = _AUTHORISH_RE.search(text) is not None  # a cheap test before the costly ones
    patterns = [NUMERIC_REF_RE, SUPERSCRIPT_RE] + ([AUTHOR_YEAR_RE] if authorish else [])
    for rx in patterns:
        out.extend((m.start(), m.end(), False) for m in rx.finditer(text))
    taken = [(a, b) for a, b, _n in out]
    for m in NARRATIVE_RE.finditer(text) if authorish else ():
        if not any(a <= m.start() < b for a, b in taken):
            out.append((m.start(), m.end(), True))
    return tuple(sorted((*folded.span_in_original(a, b), n) for a, b, n in out))


#: a citation that the sentence goes on from without a break ("Velostatin [@a] lowered ...")
#: stands for the sentence's subject and covers the rest of it
_GOES_ON_RE = re.compile(
    r"\s*(?!(?:and|or|but|while|whereas|although|though|which|whose|as)\b)[^\W\d_]"
)


#: the authors speaking for themselves after a citation (", we found", "; here we used"):
#: their own clause, which the citation before it does not cover
AUTHORIAL_RE = re.compile(
    r"\s*[,;:]?\s*(?:(?:and|but|so|here|therefore|thus|hence|then|now),?\s+)?we\b"
    r"(?!\s+\w+\s*,)",  # not an aside: "[@a], we note, in 71% of ..."
    re.IGNORECASE,
)


def authorial_tail(text: str, marks: list[Marker]) -> tuple[int, int] | None:
    """The clause after the sentence's last citation when the authors speak in it for
    themselves ("..., as reported [@a], we then measured 30 sites."): no citation covers it,
    and it needs none, like a sentence that begins with "We"."""
    if not marks:
        return None
    end = marks[-1].end
    m = AUTHORIAL_RE.match(text, end)
    return (end, len(text)) if m else None


def markers(text: str, ours: list[tuple[int, int]]) -> list[Marker]:
    """Our citation groups and other works' citations in one sentence, in order. An author
    mention standing just before one of our groups is our citation's narrative form, and so
    is a group the sentence goes on from without a break."""
    out = [
        Marker(a, b, True, bool(_GOES_ON_RE.match(text, b)) and not AUTHORIAL_RE.match(text, b))
        for a, b in ours
    ]
    for a, b, narrative in foreign_markers(text):
        if any(x <= a < y or a <= x < b for x, y in ours):
            continue
        mine = next((x for x, _y in ours if 0 <= x - b <= NARRATIVE_GAP), None)
        if mine is not None:
            out = [
                Marker(m.start, m.end, True, True) if m.ours and m.start == mine else m for m in out
            ]
            out.append(Marker(a, b, True, True))
            continue
        out.append(Marker(a, b, False, narrative))
    return sorted(out, key=lambda m: (m.start, m.end))


def cited_spans(text: str, ours: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of `text` that any citation, ours or another work's, supports (the same
    reading as `covered`). A value outside all of them carries no citation at all."""
    marks = markers(text, ours)
    spans: list[tuple[int, int]] = []
    prev = 0
    for m in marks:
        spans.append((prev, m.end))
        prev = m.end
    if marks and authorial_tail(text, marks) is None:
        last = marks[-1]
        tail = text[last.end :]
        brk = None if last.narrative else CLAUSE_BREAK_RE.search(tail)
        spans.append((last.end, last.end + (brk.start() if brk else len(tail))))
    return spans


def authors_own(text: str, ours: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of `text` where the authors speak for themselves after a citation."""
    tail = authorial_tail(text, markers(text, ours))
    return [tail] if tail else []


def covered(text: str, ours: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of `text` that our citations support.

    Each stretch of text before a citation, back to the previous one, belongs to that citation.
    The stretch after the last citation belongs to it only up to the end of its clause; after
    a narrative citation of ours ("Smith et al. [@smith] found ...") or of another's ("Smith et
    al. found ..."), to the end of the sentence."""
    marks = markers(text, ours)
    spans: list[tuple[int, int]] = []
    prev = 0
    for m in marks:
        if m.ours:
            spans.append((prev, m.end))
        prev = m.end
    if marks and marks[-1].ours and authorial_tail(text, marks) is None:
        last = marks[-1]
        tail = text[last.end :]
        brk = None if last.narrative else CLAUSE_BREAK_RE.search(tail)
        spans.append((last.end, last.end + (brk.start() if brk else len(tail))))
    return spans


def non_claim_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are citations, not claim values: author-year mentions and numeric
    reference marks."""
    return [(a, b) for a, b, _n in foreign_markers(text)]


#: an author mention that ends just before a citation: "Smith et al. (2010)", "Daly and
#: Robinson", "Smith (2010)"
MENTION_BEFORE_RE = re.compile(
    rf"(?P<name>{_NAME})(?:\s+{_GROUP}|\s+(?:and|&)\s+{_NAME})?"
    rf"(?:\s*,?\s*\(?\s*(?P<year>{_YEAR})\s*\)?)?\s*$"
)


_MENTION_END_RE = re.compile(r"al\.?|colleagues|co-?workers|\(?(?:19|20)\d{2}[a-z]?\)?,?")


@dataclass(frozen=True)
class Mention:
    """An author mention standing just before a citation group of ours."""

    start: int
    end: int
    surname: str
    year: int | None


def mention_before(text: str, at: int) -> Mention | None:
    """The author mention that ends at offset `at` (a citation group's start), or None. A lone
    capitalised word counts only with a year ("Smith (2010)"): otherwise it is any noun."""
    folded = fold(text)
    text, at = folded.text, folded.in_folded(at)
    window = text[max(0, at - 120) : at]
    last = (window.split() or [""])[-1]
    if not (last[:1].isupper() or _MENTION_END_RE.fullmatch(last)):
        return None  # a cheap test first: most citations follow no author mention
    m = MENTION_BEFORE_RE.search(window)
    if m is None:
        return None
    lone = m.group().strip() == m.group("name")
    if lone or (m.group("year") is None and not re.search(r"\s(?:et|and|&)\s", m.group())):
        return None
    base = at - len(window)
    year = m.group("year")
    start, end = folded.span_in_original(base + m.start(), base + m.end())
    return Mention(start, end, m.group("name"), int(year[:4]) if year else None)
