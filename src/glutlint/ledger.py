"""The facts ledger (refs/facts.yaml): facts anchored by quotes, and time-bound statements.

Loading validates the schema with file:line errors. The matchers bind dates in a sentence to
the subject, event and qualifier nearest them (GL301) and recognise a superseded statement
restated as if still true (GL401). All vocabulary comes from the lexicon.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .claims import year_satisfies
from .errors import InputError
from .lexicon import Lexicon, fold
from .numerals import fold_text as fold_numerals
from .yamlfile import LineDict, load_yaml

if TYPE_CHECKING:
    from .cache import Store

FACT_KEYS = {
    "id",
    "source",
    "quote",
    "subject",
    "event",
    "agency",
    "indication",
    "population",
    "date",
    "as_of",
    "superseded_by",
    "statement",
    "label",
    "note",
}
STATEMENT_KEYS = {"polarity", "subject", "event", "qualifier"}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
NEGATION_RE = re.compile(
    r"\b(?:no|none|not|never|nor|neither|yet to|without|lacks?|lacking|absence of)\b|n't\b",
    re.IGNORECASE,
)
ANCHOR_RE = re.compile(
    r"\b(?P<word>as of|until|till|up to|up until|before|prior to|by|in|through|during|"
    r"at the time of|as late as)\s+(?:(?:early|late|mid|the end of|march|[A-Z][a-z]+)\s+)*"
    r"(?:\d{1,2}\s+)?(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
PLACED_RE = re.compile(
    r"\bhad\b|\bat the time\b|\bat that time\b|\bback then\b|\bthen\b|\bin its time\b|"
    r"\bno longer\b|\bwas overtaken\b|\bovertaken\b|\bsuperseded\b|\boutdated\b|\bwas true\b",
    re.IGNORECASE,
)
UN_EVENT_RE = re.compile(r"\bun(?:approved|licensed|authori[sz]ed|registered|cleared)\b", re.I)
CURRENT_RE = re.compile(
    r"\b(?:currently|to date|remains?|still|not yet|so far|at present|presently|now|"
    r"as yet|thus far|today)\b",
    re.IGNORECASE,
)
SOURCE_YEAR_RE = re.compile(
    r"\W{0,3}(?:[a-z-]+\s+)?(?:review|reviews|report|source|study|studies|paper|article|"
    r"abstract|summary|note|news|analysis|meta-analysis|guideline|survey|grouping|account|"
    r"update|statement|publication|overview)\b",
    re.IGNORECASE,
)
SEGMENT_RE = re.compile(r";|,?\s+\band\b\s+|,\s+(?:while|whereas|but)\s+|\s+but\s+")


@dataclass
class Statement:
    polarity: str
    subject: str
    event: str
    qualifier: str = ""  # a word the sentence must also say ("adjunctive"), lexicon `qualifiers`


@dataclass
class Fact:
    id: str
    source: str
    quote: str
    subject: str
    event: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    agency: str = ""
    indication: str = ""
    population: str = ""
    date: str = ""
    as_of: str = ""
    superseded_by: list[str] = field(default_factory=list)
    statement: Statement | None = None
    label: str = ""

    @property
    def year(self) -> int | None:
        m = DATE_RE.match(self.date)
        return int(m.group(1)) if m else None

    def describe(self) -> str:
        parts = [self.subject]
        if self.agency:
            parts.append(self.agency)
        parts.append(self.event)
        text = " ".join(parts)
        if self.indication:
            text += f" for {self.indication}"
        return text


@dataclass
class Ledger:
    path: Path | None = None
    shown: str = ""
    facts: list[Fact] = field(default_factory=list)

    def get(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)


def _date(value: object, shown: str, line: int, what: str) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    m = DATE_RE.match(text)
    if not m:
        raise InputError(shown, line, f"{what} must be a year or a date YYYY-MM-DD, not '{text}'")
    return text


def load_ledger(
    path: Path | None, shown: str, keys: set[str], store: Store | None = None
) -> Ledger:
    """Read and validate the ledger; every schema error names its line."""
    ledger = Ledger(path, shown)
    if path is None:
        return ledger
    data = load_yaml(path, shown, store)
    if data is None:
        return ledger
    if not isinstance(data, LineDict) or set(data) - {"facts"}:
        raise InputError(
            shown, getattr(data, "line", 1), "the ledger must be a mapping with 'facts'"
        )
    facts = data.get("facts") or []
    if not isinstance(facts, list):
        raise InputError(shown, data.line_of("facts"), "'facts' must be a list")
    ids: set[str] = set()
    for raw in facts:
        line = getattr(raw, "line", data.line_of("facts"))
        if not isinstance(raw, LineDict):
            raise InputError(shown, line, "each fact must be a mapping")
        unknown = sorted(set(raw) - FACT_KEYS)
        if unknown:
            raise InputError(shown, raw.line_of(unknown[0]), f"unknown fact field '{unknown[0]}'")
        for req in ("id", "source", "quote", "subject", "event"):
            if not isinstance(raw.get(req), str) or not raw[req].strip():
                raise InputError(shown, raw.line_of(req), f"fact needs a text field '{req}'")
        fid = raw["id"]
        if fid in ids:
            raise InputError(shown, raw.line_of("id"), f"duplicate fact id '{fid}'")
        ids.add(fid)
        if raw["source"] not in keys:
            raise InputError(
                shown,
                raw.line_of("source"),
                f"fact {fid}: source '{raw['source']}' is not in the bibliography",
            )
        fact = Fact(
            id=fid,
            source=raw["source"],
            quote=raw["quote"],
            subject=raw["subject"],
            event=raw["event"],
            line=raw.line,
            lines=dict(raw.key_lines),
        )
        for key in ("agency", "indication", "population", "label"):
            if key in raw:
                if not isinstance(raw[key], str):
                    raise InputError(shown, raw.line_of(key), f"fact {fid}: {key} must be text")
                setattr(fact, key, raw[key])
        if "date" in raw:
            fact.date = _date(raw["date"], shown, raw.line_of("date"), f"fact {fid}: date")
        if "as_of" in raw:
            fact.as_of = _date(raw["as_of"], shown, raw.line_of("as_of"), f"fact {fid}: as_of")
        if "superseded_by" in raw:
            sup = raw["superseded_by"]
            if isinstance(sup, str):
                sup = [sup]
            if not isinstance(sup, list) or not all(isinstance(s, str) for s in sup):
                raise InputError(
                    shown,
                    raw.line_of("superseded_by"),
                    f"fact {fid}: superseded_by must list fact ids",
                )
            fact.superseded_by = list(sup)
        if "statement" in raw:
            st = raw["statement"]
            if not isinstance(st, LineDict) or set(st) - STATEMENT_KEYS or "subject" not in st:
                raise InputError(
                    shown,
                    raw.line_of("statement"),
                    f"fact {fid}: statement needs subject, event and polarity (negative|positive)",
                )
            polarity = str(st.get("polarity", "negative"))
            if polarity not in {"negative", "positive"}:
                raise InputError(
                    shown, st.line_of("polarity"), "polarity must be negative or positive"
                )
            for key in ("subject", "event", "qualifier"):
                if key in st and not isinstance(st[key], str):
                    raise InputError(
                        shown, st.line_of(key), f"fact {fid}: statement {key} must be text"
                    )
            fact.statement = Statement(
                polarity,
                str(st["subject"]),
                str(st.get("event", fact.event)),
                str(st.get("qualifier", "")),
            )
        if fact.superseded_by and not fact.as_of:
            raise InputError(
                shown, raw.line_of("superseded_by"), f"fact {fid}: a superseded fact needs as_of"
            )
        if fact.statement and not fact.as_of:
            raise InputError(
                shown,
                raw.line_of("statement"),
                f"fact {fid}: a statement needs as_of (the date it was true)",
            )
        ledger.facts.append(fact)
    for fact in ledger.facts:
        for other in fact.superseded_by:
            if other not in ids:
                raise InputError(
                    shown,
                    fact.lines.get("superseded_by", fact.line),
                    f"fact {fact.id}: unknown fact '{other}' in superseded_by",
                )
    return ledger


# --- matching sentences against the ledger -------------------------------------------------


def _terms_re(terms: list[str]) -> re.Pattern[str] | None:
    return _terms_re_cached(tuple(t for t in terms if t))


@functools.lru_cache(maxsize=1024)
def _terms_re_cached(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of literal terms, longest first, compiled once per term list."""
    if not terms:
        return None
    alt = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w])", re.IGNORECASE)


def event_re(lexicon: Lexicon, event: str) -> re.Pattern[str] | None:
    words = lexicon.events.get(event) or [event]
    return _terms_re(words)


def subject_spans(lexicon: Lexicon, subject: str, text: str) -> list[tuple[int, int]]:
    """Where `subject` (an agent with aliases, or a class) is mentioned in `text`."""
    cls = lexicon.classes.get(subject)
    if cls is not None:
        return [(m.start(), m.end()) for m in cls.pattern.finditer(text)]
    canon = lexicon.canonical.get(fold(subject), fold(subject))
    return [(a, b) for a, b, name in lexicon.agents_in(text) if name == canon]


def indication_score(lexicon: Lexicon, indication: str, text: str) -> int:
    """How strongly `text` names `indication`: 2 for the phrase or an alias, 0 for nothing."""
    if not indication:
        return 0
    pat = _terms_re([indication, *lexicon.indications.get(indication, [])])
    return 2 if pat and pat.search(text) else 0


def segments(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in SEGMENT_RE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _segment_of(segs: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    return next((s for s in segs if s[0] <= offset < s[1] + 1), (0, 0))


@dataclass
class DateConflict:
    start: int
    end: int
    year: int
    facts: list[Fact]


def date_conflicts(
    text: str, years: list[tuple[int, int, int, str]], lexicon: Lexicon, ledger: Ledger
) -> list[DateConflict]:
    """Years in `text` that the ledger contradicts, each bound to its nearest subject."""
    dated = [f for f in ledger.facts if f.year]
    if not dated or not years:
        return []
    segs = segments(text)
    agencies = {name: _terms_re([name, *aliases]) for name, aliases in lexicon.agencies.items()}
    named_agencies = {n for n, p in agencies.items() if p and p.search(text)}
    mentions = _subject_mentions(text, lexicon)
    out = []
    for start, end, year, bound in years:
        if SOURCE_YEAR_RE.match(text, end):
            continue  # "the YEAR review": the date of a source, not of an event
        if _dates_a_report(text, end, lexicon):
            continue  # "in YEAR, X was described as approved": the date of the description
        seg = _segment_of(segs, start)
        seg_text = text[seg[0] : seg[1]]
        best_subject = _bind_subject(mentions, seg, start)
        if best_subject is None:
            continue
        cands = []
        for f in dated:
            if f.subject != best_subject:
                continue
            ev = event_re(lexicon, f.event)
            # the event word of this clause, or of the sentence when the clause has no verb
            # ("approved in YEAR for X and in YEAR for Y")
            if ev is None or not (ev.search(seg_text) or ev.search(text)):
                continue
            if f.agency and named_agencies and f.agency not in named_agencies:
                continue
            cands.append(f)
        if not cands:
            continue
        scored = [(indication_score(lexicon, f.indication, seg_text), f) for f in cands]
        top = max(s for s, _ in scored)
        if top > 0:
            cands = [f for s, f in scored if s == top]
        if negated_near(text, seg):
            # "as of YEAR, X had not been approved": a status date, consistent unless the
            # event had already happened by then
            if all(f.year is None or f.year >= year for f in cands):
                continue
        elif any(f.year is not None and year_satisfies(bound, year, f.year) for f in cands):
            continue
        out.append(DateConflict(start, end, year, cands))
    return out


# "described as", "listed as", "reported that": a year before these dates the report, not the
# event the report speaks of
REPORT_RE = re.compile(
    r"\b(?:(?:described|listed|labell?ed|characteri[sz]ed|presented|referred\s+to|"
    r"classified|designated)\s+as|(?:reported|noted|stated|said|wrote|concluded|"
    r"observed)\s+that)\b",
    re.IGNORECASE,
)


def _dates_a_report(text: str, year_end: int, lexicon: Lexicon) -> bool:
    """Does the year at `year_end` date a report ("In 2024, X was described as approved")?

    Only when every event word of the sentence comes after the report's verb: in "X, approved
    in 2024, was described as fast-acting" the year is the approval's.
    """
    rep = REPORT_RE.search(text, year_end)
    if rep is None:
        return False
    head = text[: rep.start()]
    return not any(
        (ev := event_re(lexicon, name)) is not None and ev.search(head) for name in lexicon.events
    )


def _subject_mentions(text: str, lexicon: Lexicon) -> list[tuple[int, str]]:
    """Every agent and class mentioned in `text`, as (offset, canonical subject)."""
    found = [(a, name) for a, _b, name in lexicon.agents_in(text)]
    for name, cls in lexicon.classes.items():
        found += [(m.start(), name) for m in cls.pattern.finditer(text)]
    return sorted(found)


def _bind_subject(mentions: list[tuple[int, str]], seg: tuple[int, int], at: int) -> str | None:
    """The subject a date belongs to: the nearest in its own clause, else the nearest before."""
    inside = [(abs(a - at), name) for a, name in mentions if seg[0] <= a < seg[1]]
    if inside:
        return min(inside)[1]
    before = [(at - a, name) for a, name in mentions if a < seg[0]]
    return min(before)[1] if before else None


def negated_near(text: str, seg: tuple[int, int]) -> bool:
    """Is the clause a negative statement ("had not been approved", "no ... was approved")?"""
    clause = text[seg[0] : seg[1]]
    return bool(NEGATION_RE.search(clause) or UN_EVENT_RE.search(clause))


@dataclass
class Outdated:
    fact: Fact
    start: int
    end: int
    anchor: int | None  # the year the sentence places itself in, if any


# "the 2024 review said ...": a statement attributed to a dated source is placed in its time
SOURCE_ANCHOR_RE = re.compile(
    r"\b(?:the|a|an|this|that|its|their)\s+(?P<year>(?:19|20)\d\d)(?="
    + SOURCE_YEAR_RE.pattern
    + ")",
    re.IGNORECASE,
)


# ... unless the writer adds, in their own voice, that it holds today
NOW_RE = re.compile(r"\b(?:remains?|still|today|now)\b", re.IGNORECASE)


def _anchors(text: str) -> Iterator[tuple[str, int]]:
    """The times a sentence places itself in: ("as of", 2017), ("until", 2018), ("source", 2024)."""
    folded = fold_numerals(text)  # "as of ２０２１" reads 2021
    for m in ANCHOR_RE.finditer(folded):
        yield m.group("word").lower(), int(m.group("year"))
    if not NOW_RE.search(folded):
        for m in SOURCE_ANCHOR_RE.finditer(folded):
            yield "source", int(m.group("year"))


def _in_time(word: str, anchor: int, fact: Fact, ledger: Ledger) -> bool:
    """Does a statement placed at `anchor` stay inside the time the ledger says it held?"""
    if not fact.superseded_by:  # time-bound: known true as of its date, nothing after
        m = DATE_RE.match(fact.as_of)
        return m is not None and anchor <= int(m.group(1))
    later = [ledger.get(s) for s in fact.superseded_by]
    limit = min((f.year for f in later if f and f.year), default=10_000)
    if word in {"until", "till", "before", "prior to", "up to", "up until"}:
        return anchor <= limit
    return anchor < limit


def outdated(text: str, lexicon: Lexicon, ledger: Ledger) -> list[Outdated]:
    """Time-bound statements that `text` states as if they were still true.

    A statement with `superseded_by` was overtaken by those facts; one without was true as of
    its date and the sources say nothing later, so it must be placed in its time all the same.
    """
    out = []
    for fact in ledger.facts:
        st = fact.statement
        if st is None:
            continue
        spans = subject_spans(lexicon, st.subject, text)
        ev = event_re(lexicon, st.event)
        if not spans or ev is None:
            continue
        ev_m = ev.search(text) or UN_EVENT_RE.search(text)
        if ev_m is None:
            continue
        if st.qualifier:
            q = _terms_re([st.qualifier, *lexicon.qualifiers.get(st.qualifier, [])])
            if q is None or not q.search(text):
                continue
        negated = bool(NEGATION_RE.search(text) or UN_EVENT_RE.search(text))
        if (st.polarity == "negative") != negated:
            continue
        anchor = None
        for word, year in _anchors(text):
            anchor = year
            if _in_time(word, year, fact, ledger):
                break
        else:
            if anchor is None and PLACED_RE.search(text) and not CURRENT_RE.search(text):
                continue
            a = min(s[0] for s in spans)
            out.append(Outdated(fact, a, max(ev_m.end(), a + 1), anchor))
    return out
