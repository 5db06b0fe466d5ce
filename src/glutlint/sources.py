"""Source texts as searchable evidence: decoded, repaired, stripped of furniture, line-mapped.

Why: a claim is checked against what its cited source says, but text extracted from PDFs and web
pages breaks words across lines, glues citation numbers onto words, loses Greek letters and mixes
page furniture (identifiers, related-article lists, author blurbs) into the content. Searching
the raw text would miss real support and accept furniture as evidence; so each source is
normalised once into `SourceText.text`, and a line map keeps every finding pointing at a line of
the original file.

Everything here is general text repair: no word lists about any subject, only English number
words and suffixes, and a vocabulary learnt from each document itself.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .numerals import fold_text as fold_numerals
from .readers import LIMITS, Furniture, Place, Reading
from .sidecar import SourceSettings, Span
from .textio import read_bytes

if TYPE_CHECKING:
    from .cache import Store

#: Bump when normalisation changes, so cached texts from older rules are not reused.
NORMALISER_VERSION = "2"

# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


def split_lines(raw: str) -> list[str]:
    """The file's lines as an editor numbers them (LF, CRLF or CR); no phantom last line."""
    lines = _NEWLINE_RE.split(raw)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# --------------------------------------------------------------------------------------------
# Character folding (shared by sources and claims)
# --------------------------------------------------------------------------------------------


def _char_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Unicode and control whitespace -> plain space.
    for cp in [0x09, 0x0B, 0x0C, 0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)]:
        table[cp] = " "
    # Invisible: soft hyphen, zero-width characters, BOM, NUL.
    for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00):
        table[cp] = None
    # Hyphens, dashes and minus signs -> "-" (so "6–12" reads "6-12").
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D):
        table[cp] = "-"
    for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032):
        table[cp] = "'"
    for cp in (0x201C, 0x201D, 0x201E, 0x201F, 0x2033):
        table[cp] = '"'
    table[0x00AE] = None  # registered sign
    table[0x2122] = None  # trade mark sign
    table[0x2265] = ">="
    table[0x2264] = "<="
    table[0x2026] = "..."
    table[0x03BC] = "\u00b5"  # Greek mu -> micro sign: "μg" and "µg" are the same unit
    ligatures = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl"}
    table.update(ligatures)
    table[0xFB05] = table[0xFB06] = "st"
    return table


_CHAR_TABLE = _char_table()
_SPACES_RE = re.compile(r"\s+")
# "!" standing for a small-capital D in some PDF fonts: "!-isomer", "N-acyl-!-amino acid".
_BANG_D_RE = re.compile(r"(?<!\w)!-(?=\w)")
# Greek letters are often lost in PDF extraction (" -helix", "( -amino"), so they are dropped on
# both sides of a comparison. Micro (µ) is a unit, kept unless it prefixes a hyphenated name.
_GREEK_CHAR = "[\u0391-\u03a9\u03b1-\u03c9\u03d0-\u03d6\u03f0-\u03f5]|\u00b5(?=-)"
_GREEK_NAMES = "alpha|beta|gamma|delta|epsilon|zeta|theta|kappa|lambda|mu|sigma|omega"
_GREEK_RE = re.compile(rf"(?:{_GREEK_CHAR}|(?<![^\W\d_])(?i:{_GREEK_NAMES})(?![^\W\d_]))(-?)")
# A hyphen left alone at the start of a word once its Greek letter was lost.
_ORPHAN_HYPHEN_RE = re.compile(r"(^|[\s(\[{/])\s*-(?=[^\W\d_])")


def _drop_greek(m: re.Match[str]) -> str:
    """Drop the letter; also drop its hyphen when it began the word ("α-amino" -> "amino")."""
    s = m.string
    at_word_start = m.start() == 0 or not s[m.start() - 1].isalnum()
    return "" if at_word_start else m.group(1)


def fold_chars(s: str) -> str:
    """Character-level folding applied identically to source lines and claim text."""
    s = fold_numerals(unicodedata.normalize("NFC", s))  # before spaces and invisibles go
    s = s.translate(_CHAR_TABLE)
    s = _BANG_D_RE.sub("D-", s)
    s = _GREEK_RE.sub(_drop_greek, s)
    s = _ORPHAN_HYPHEN_RE.sub(r"\1", s)
    return _SPACES_RE.sub(" ", s)


def normalise_query(s: str) -> str:
    """Fold claim text like source text, so a claim phrase can be searched in `SourceText.text`."""
    return fold_chars(s).strip()


# --------------------------------------------------------------------------------------------
# Line-level repair of PDF text
# --------------------------------------------------------------------------------------------

# Citation digits glued to a lowercase word: "results94", "cells2-4", "patients53,55-62".
# The whole alphabetic part must be lowercase (>= 3 letters), so codes such as IL6, pH7, Ca2+,
# AB-123, XYZ0001 or Ser831 never match.
_GLUED_REF_RE = re.compile(r"(?<![^\W_])([a-z]{3,})(\d+(?:[,-]\d+)*)(?=[\s.,;:)\]]|$)")
# ... and glued to a closing parenthesis after a word: "(TRIAL*A)7 found".
_PAREN_REF_RE = re.compile(r"(?<=[A-Za-z*]\))\d+(?:[,-]\d+)*(?=[\s.,;:]|$)")
# Nature-style citation markers: "REF. 13", "REFS 65,81", "(REFS126,127)".
_REFS_RE = re.compile(r"\s*\bREFS?(?![A-Za-z])\.?\s*\d+(?:\s*[,-]\s*\d+)*")
_EMPTY_PARENS_RE = re.compile(r"\s*\(\s*\)")
# A word of >= 3 letters, not all lowercase, with digits glued on: "ABC131", "Brand123" can be
# citations, "GENE5", "mRec2" are names. Told apart by `_glued_to_names`.
_NAME_REF_RE = re.compile(
    r"(?<![^\W_])([A-Za-z]*[A-Z][A-Za-z]*)((\d+)(?:[,-]\d+)*)(?=[\s.,;:)\]]|$)"
)
_CODE_RE = re.compile(r"(?<![^\W_])[^\W\d_]+\d+")
#: How far (in citations) and how close (in number) a glued number must be to the document's
#: own citation sequence to count as a citation.
CITATION_WINDOW = 3
CITATION_SLACK = 5
#: A document is treated as PDF extraction when at least this many words that also occur on
#: their own carry glued digits.
PDF_GLUED_MIN = 3


def _numbers(digits: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", digits)]


def _glued_to_names(
    lines: list[str | None], vocab: DocumentWords
) -> dict[int, list[tuple[int, int]]]:
    """Spans of citation digits glued to capitalised words, by line index.

    Such a token ("ABC131") looks like a name ("GENE2"), so it counts as a citation only when
    the word also occurs bare, the exact token occurs once, and its number fits the document's
    citation sequence: within CITATION_SLACK of one of the CITATION_WINDOW nearest unambiguous
    citations (lowercase-glued, parenthesis-glued, REF markers) before or after it.
    """
    cited: list[tuple[int, int, list[int]]] = []
    candidates: list[tuple[int, int, int, list[int]]] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        for rx, group in ((_GLUED_REF_RE, 2), (_PAREN_REF_RE, 0), (_REFS_RE, 0)):
            for m in rx.finditer(line):
                cited.append((i, m.start(), _numbers(m.group(group))))
        for m in _NAME_REF_RE.finditer(line):
            letters = m.group(1)
            token = letters + m.group(3)
            if _REFS_RE.fullmatch(m.group(0)):
                continue  # "REFS126,127": a marker, removed whole by _strip_refs
            if len(letters) >= 3 and vocab.standalone(letters) and vocab.codes[token] == 1:
                candidates.append((i, m.start(2), m.end(2), _numbers(m.group(2))))
    cited.sort(key=lambda c: (c[0], c[1]))
    keys = [(c[0], c[1]) for c in cited]
    spans: dict[int, list[tuple[int, int]]] = {}
    for i, start, end, nums in candidates:
        at = bisect.bisect_left(keys, (i, start))
        near = [n for c in cited[max(0, at - CITATION_WINDOW) : at + CITATION_WINDOW] for n in c[2]]
        if any(abs(a - b) <= CITATION_SLACK for a in nums for b in near):
            spans.setdefault(i, []).append((start, end))
    return spans


def _strip_refs(line: str, spans: Sequence[tuple[int, int]] = ()) -> str:
    """Remove citation markers and numbers from one line of PDF-like text."""
    for start, end in sorted(spans, reverse=True):
        line = line[:start] + line[end:]
    line = _REFS_RE.sub("", line)
    line = _GLUED_REF_RE.sub(r"\1", line)
    line = _PAREN_REF_RE.sub("", line)
    line = _EMPTY_PARENS_RE.sub("", line)
    return _SPACES_RE.sub(" ", line).strip()


# --------------------------------------------------------------------------------------------
# Document vocabulary and end-of-line hyphenation
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]+")
_COMPOUND_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
_HYPHEN_END_RE = re.compile(r"([^\W_]+)-$")
_LETTER_HYPHEN_END_RE = re.compile(r"[^\W\d_]-$")
_SENTENCE_END_RE = re.compile(r"[.!?:;][\"')\]]*$")
_BULLET_RE = re.compile(r"[\u2022\u00b7\u25aa\u25e6\u2023*-](\s|$)")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


NUMBER_WORDS = _word_set(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand"""
)
# Word endings that are never a word of their own after a line-break hyphen ("treat-ments").
SUFFIXES = _word_set(
    """s es ed ing ings ly er ers or ors al ally ial ic ics ical ically ion ions tion tions sion
    sions ation ations ment ments ness ity ities ty ties ive ives ous able ible ance ances ence
    ences ant ants ent ents ate ates ated ating ism ist ists ize ized izes izing ise ised ure
    ures ary ory"""
)


@dataclass
class DocumentWords:
    """Words and hyphenated pairs seen inside lines of one document (never line-break pieces):
    what hyphenation and glued citation numbers are judged by."""

    words: Counter[str] = field(default_factory=Counter)
    bare: Counter[str] = field(default_factory=Counter)  # not followed by a digit
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    heads: Counter[str] = field(default_factory=Counter)  # right-hand parts of compounds
    mods: Counter[str] = field(default_factory=Counter)  # left-hand parts of compounds
    glued: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)  # letters+digits tokens, as written

    @cached_property
    def sorted_words(self) -> list[str]:
        return sorted(self.words)

    def standalone(self, word: str) -> int:
        """How often `word` (any case) occurs without digits glued to it."""
        return self.bare[word.lower()]

    def has_stem(self, fragment: str) -> bool:
        """A long fragment whose stem starts a known word ("measuring" ~ "measurement")."""
        if len(fragment) < 6:
            return False
        stem = fragment[: max(6, len(fragment) - 3)]
        i = bisect.bisect_left(self.sorted_words, stem)
        return i < len(self.sorted_words) and self.sorted_words[i].startswith(stem)


def build_vocabulary(lines: list[str | None]) -> DocumentWords:
    """Count words per document, skipping the halves of words broken at a line-end hyphen."""
    vocab = DocumentWords()
    broken_before = False
    for line in lines:
        if not line:
            continue
        words = list(_WORD_RE.finditer(line))
        first = 1 if broken_before and line[0].islower() else 0
        broken_after = bool(_LETTER_HYPHEN_END_RE.search(line))
        last = len(words) - 1 if broken_after else len(words)
        for m in words[first:last]:
            word = m.group(0).lower()
            vocab.words[word] += 1
            if not line[m.end() : m.end() + 1].isdigit():
                vocab.bare[word] += 1
        for comp in _COMPOUND_RE.findall(line):
            if broken_after and line.endswith(comp):
                continue
            parts = comp.lower().split("-")
            vocab.pairs.update(zip(parts, parts[1:], strict=False))
            vocab.heads.update(parts[1:])
            vocab.mods.update(parts[:-1])
        vocab.glued.update(m.group(1) for m in _GLUED_REF_RE.finditer(line))
        vocab.codes.update(m.group(0) for m in _CODE_RE.finditer(line))
        broken_before = broken_after
    return vocab


def keep_hyphen(left: str, right: str, vocab: DocumentWords) -> bool:
    """Whether "left-" at a line end + "right..." is a real compound (keep) or a word break.

    In order: codes and single letters keep it ("AB2-", "D-"); otherwise the document decides
    by which form it uses inside lines ("long-term" vs "outcomes"); failing that, a number
    word keeps it ("Forty-two"), a bare suffix joins ("treat-ment"), a left part that is no
    word of the document joins ("investi-gated"), and a known left word keeps it when the right
    part is a word or a compound head the document uses ("dose-dependent" given "dose" and
    "time-dependent"). Typesetting breaks are the rule, so anything else joins.
    """
    if not right[:1].islower():
        return True
    if len(left) == 1 or any(c.isdigit() for c in left) or any(c.isupper() for c in left[1:]):
        return True
    m = _WORD_RE.match(right)
    if not m:
        return True
    l_word, r_word = left.lower(), m.group(0).lower()
    joined = vocab.words[l_word + r_word]
    hyphenated = vocab.pairs[(l_word, r_word)]
    if joined or hyphenated:
        return hyphenated > joined
    if l_word in NUMBER_WORDS:
        return True
    if r_word in SUFFIXES:
        return False
    if len(l_word) < 3 or not (vocab.words[l_word] or vocab.mods[l_word]):
        return False  # "investi-gated", "in-dependent": a fragment, whatever follows
    return bool(vocab.heads[r_word] or vocab.words[r_word] or vocab.has_stem(r_word))


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

#: Lines shorter than this share of the document's typical line (75th percentile) end a block
#: when the next line starts a new sentence (headings, last lines of paragraphs).
SHORT_LINE = 0.75
#: Lines longer than this are whole paragraphs (web pages), not typeset lines.
LONG_LINE = 160
_PARAGRAPH = "\n\n"
_DROP_HYPHEN = "\x00"


@dataclass(frozen=True)
class LineMap:
    """Breakpoints: text from `starts[i]` on came from original line `lines[i]`."""

    starts: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()

    def line_at(self, offset: int) -> int:
        """1-based original line of a text offset (separators belong to the line before)."""
        if not self.starts:
            return 1
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[max(i, 0)]


def looks_like_pdf(vocab: DocumentWords) -> bool:
    """PDF extraction glues citation numbers to words that the document also uses bare."""
    glued = sum(n for w, n in vocab.glued.items() if vocab.standalone(w) > 0)
    return glued >= PDF_GLUED_MIN


def _separator(
    prev: str, cur: str, gap: bool, block_start: bool, short: float, vocab: DocumentWords
) -> str:
    """How line `cur` continues `prev`: joined, with a space, or as a new block ("\\n\\n")."""
    first = cur[0]
    lower = first.islower()
    hyphen = _HYPHEN_END_RE.search(prev)
    ends = _SENTENCE_END_RE.search(prev) is not None
    if gap:  # blank or excluded lines between: only a sentence cut by a page or column break
        soft = not ends and (lower or first == "(")
    elif block_start and not lower:
        soft = False
    else:
        continues = lower or hyphen or first in ",.;:)]" or prev.endswith((",", "/", "("))
        opens = first == "(" and not ends  # glossary "Some term" + "(ST). A term that ..."
        ends_block = len(prev) < short or (ends and len(prev) > LONG_LINE)
        soft = bool(continues or opens or not ends_block)
    if not soft:
        return _PARAGRAPH
    if hyphen:
        return "" if keep_hyphen(hyphen.group(1), cur, vocab) else _DROP_HYPHEN
    if first in ",.;:)]" or (prev.endswith("/") and prev[-2:-1].isalnum()):
        return ""
    return " "


def normalise(raw: str, excluded_lines: Collection[int] = frozenset()) -> tuple[str, LineMap]:
    """Searchable evidence text of `raw` and the map from its offsets to original lines.

    Excluded lines are dropped; lines are joined into running text with "\\n\\n" between blocks;
    line-break hyphenation is undone where the document shows it is not a compound; in PDF-like
    text, citation numbers glued to words are removed; characters are folded by `fold_chars`.
    """
    excluded = set(excluded_lines)
    lines: list[str | None] = []
    indented: list[bool] = []
    for no, original in enumerate(split_lines(raw), 1):
        if no in excluded:
            lines.append(None)
            indented.append(False)
            continue
        folded = fold_chars(original)
        indented.append(folded.startswith(" "))
        lines.append(folded.strip())
    vocab = build_vocabulary(lines)
    if looks_like_pdf(vocab):
        spans = _glued_to_names(lines, vocab)
        lines = [_strip_refs(x, spans.get(i, [])) if x else x for i, x in enumerate(lines)]
    lengths = sorted(len(x) for x in lines if x)
    typical = lengths[int(0.75 * (len(lengths) - 1))] if lengths else 0
    short = SHORT_LINE * typical

    parts: list[str] = []
    size = 0
    starts: list[int] = []
    line_nos: list[int] = []
    prev: str | None = None
    gap = False
    for no, (line, indent) in enumerate(zip(lines, indented, strict=True), 1):
        if not line:
            gap = prev is not None
            continue
        if prev is not None:
            block_start = indent or bool(_BULLET_RE.match(line))
            sep = _separator(prev, line, gap, block_start, short, vocab)
            if sep == _DROP_HYPHEN:
                parts[-1] = parts[-1][:-1]
                size -= 1
                sep = ""
            parts.append(sep)
            size += len(sep)
        starts.append(size)
        line_nos.append(no)
        parts.append(line)
        size += len(line)
        prev, gap = line, False
    return "".join(parts), LineMap(tuple(starts), tuple(line_nos))


# --------------------------------------------------------------------------------------------
# Source texts
# --------------------------------------------------------------------------------------------


class SourceText:
    """One cited source: how it was read, and its normalised, line-mapped evidence text."""

    def __init__(
        self,
        key: str,
        path: Path,
        reading: Reading | Callable[[], Reading],
        kind: str,
        furniture: list[Furniture] | Callable[[Reading], list[Furniture]] | None = None,
        text: str | None = None,
        line_map: LineMap | None = None,
        load: Callable[[], tuple[str, LineMap]] | None = None,
        digest: str = "",
        store: Store | None = None,
    ) -> None:
        self.key = key
        self.path = path
        self.kind = kind
        # How the file was read, and what of it is not evidence: both loaded when first
        # needed, so a warm check of 50 PDFs reads none of them (their evidence text is kept).
        self._reading = reading
        self._furniture = furniture
        self._text = text
        self._line_map = line_map
        self._load = load  # reads (or computes) the normalisation on first use
        self.digest = digest  # identifies raw bytes + settings: a cache key for derived data
        self.store = store  # where what is derived from this text is kept (None: nowhere)

    @property
    def reading(self) -> Reading:
        """How the file was read: its lines, their places, its furniture and metadata."""
        if callable(self._reading):
            self._reading = self._reading()
        return self._reading

    @property
    def furniture(self) -> list[Furniture]:
        """The ranges of the reading that are not evidence, found or named in the sidecar."""
        if callable(self._furniture):
            self._furniture = self._furniture(self.reading)
        return self._furniture or []

    @property
    def raw(self) -> str:
        """The text as read (before repair), one line per line of the reading."""
        return self.reading.text

    @property
    def meta(self) -> dict[str, str]:
        """What the file says about itself (doi, pmid, year, journal, ...), where its format
        states it apart from the text (JATS front matter, PDF metadata)."""
        return self.reading.meta

    def _loaded(self) -> tuple[str, LineMap]:
        if self._text is None or self._line_map is None:
            if self._load is None:
                raise ValueError(f"no text for {self.key}")
            self._text, self._line_map = self._load()
            self._load = None
        return self._text, self._line_map

    @property
    def text(self) -> str:
        """The normalised evidence text (read from the cache when first needed: a check that
        cites 10 of 500 sources need not read the other 490)."""
        return self._loaded()[0]

    @property
    def line_map(self) -> LineMap:
        return self._loaded()[1]

    def __repr__(self) -> str:
        return f"SourceText({self.key!r}, {self.path.name!r})"

    @classmethod
    def from_bytes(
        cls, key: str, path: Path, data: bytes, settings: SourceSettings | None = None
    ) -> SourceText:
        """Read and normalise; a sidecar range past the end of the file is an input error."""
        from .readers import read

        settings = settings or SourceSettings()
        reading = read(data, path, str(path))
        furniture = evidence_furniture(key, path, reading, settings)
        text, line_map = normalise(reading.text, excluded(furniture))
        digest = _cache_key(data, settings)
        return cls(key, path, reading, settings.kind, furniture, text, line_map, digest=digest)

    @cached_property
    def text_lower(self) -> str:
        """Lowercased `text`, same offsets (case folding is 1:1 for the folded characters)."""
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) else _lower_same_length(self.text)

    def line_at(self, offset: int) -> int:
        """1-based line of the reading for an offset in `text`."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside the text of {self.key}")
        return self.line_map.line_at(offset)

    def place_at(self, offset: int) -> Place:
        """Where in the file an offset in `text` came from: its line, and page for a PDF."""
        return self.reading.place(self.line_at(offset))

    def snippet(self, start: int, end: int, width: int = 80) -> str:
        """About `width` characters around text[start:end], on one line, cut between words.

        The context stays inside the match's block, so a snippet never shows unrelated text.
        """
        text = self.text
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {start}-{end} outside the text of {self.key}")
        cut = text.rfind(_PARAGRAPH, 0, start)
        floor = 0 if cut < 0 else cut + len(_PARAGRAPH)
        cut = text.find(_PARAGRAPH, end)
        ceiling = len(text) if cut < 0 else cut
        room = max(width - (end - start), 0)
        lo = max(floor, start - room // 2)
        hi = min(ceiling, end + room - (start - lo))
        lo = max(floor, start - (room - (hi - end)))
        if lo > floor and not text[lo - 1].isspace():
            space = text.find(" ", lo, start)
            lo = start if space < 0 else space + 1
        if hi < ceiling and not text[hi].isspace():
            space = text.rfind(" ", end, hi)
            hi = end if space < 0 else space
        body = _SPACES_RE.sub(" ", text[lo:hi]).strip()
        return ("..." if lo > floor else "") + body + ("..." if hi < ceiling else "")


def _lower_same_length(text: str) -> str:
    """Lowercase char by char, keeping a character whose lowercase form has another length."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def evidence_furniture(
    key: str, path: Path, reading: Reading, settings: SourceSettings
) -> list[Furniture]:
    """The ranges of `reading` that are not evidence: what its reader marked and what the
    furniture finder found, less what the sidecar keeps, plus what the sidecar excludes.
    A sidecar range past the end of the file is an input error at the sidecar line."""
    from .readers.furniture import find

    _check_ranges(key, path, reading, settings)
    places = [reading.place(i) for i in range(1, len(reading.lines) + 1)]

    def kept(first: int, last: int) -> list[tuple[int, int]]:
        """The parts of `first`..`last` the sidecar does not keep."""
        out: list[tuple[int, int]] = []
        for n in range(first, last + 1):
            if any(k.covers(places[n - 1]) for k in settings.keep):
                continue
            if out and out[-1][1] == n - 1:
                out[-1] = (out[-1][0], n)
            else:
                out.append((n, n))
        return out

    found = sorted(
        {(f.first, f.last, f.why) for f in [*reading.furniture, *find(reading.lines)]},
    )
    result = [Furniture(a, b, why) for first, last, why in found for a, b in kept(first, last)]
    for span in settings.exclude:
        lines = [n for n, p in enumerate(places, 1) if span.covers(p)]
        if lines:
            why = f"sidecar: {span.why}" if span.why else "sidecar"
            result.append(Furniture(lines[0], lines[-1], why))
    return sorted(result, key=lambda f: (f.first, f.last))


def excluded(furniture: Sequence[Furniture]) -> frozenset[int]:
    """Every reading line inside a furniture range."""
    return frozenset(n for f in furniture for n in range(f.first, f.last + 1))


def _check_ranges(key: str, path: Path, reading: Reading, settings: SourceSettings) -> None:
    spans = [*settings.exclude, *settings.keep]
    if not spans:
        return  # nothing to check: do not count the lines of every source
    places = reading.places or [Place(len(reading.lines))]
    last_line = max(p.line for p in places) if not reading.places or not places[0].page else 0
    last_page = max(p.page for p in places)
    for span in spans:
        where = settings.origin or path
        line = span.at if settings.origin else None
        if span.pages and not last_page:
            raise InputError(where, line, f"'{key}': pages are for PDF sources; use lines")
        if not span.pages and not last_line:
            raise InputError(where, line, f"'{key}' is a PDF: name pages, not lines")
        end, unit = (last_page, "pages") if span.pages else (last_line, "lines")
        if span.last > end:
            raise InputError(
                where,
                line,
                f"range {span.first}-{span.last} of '{key}' is past the end of "
                f"{path.name} ({end} {unit})",
            )


def _cache_key(data: bytes, settings: SourceSettings) -> str:
    from .cache import key

    def spans(xs: list[Span]) -> list[list[object]]:
        return [[x.first, x.last, x.pages] for x in xs]

    head = json.dumps(
        {
            "v": NORMALISER_VERSION,
            "kind": settings.kind,
            "exclude": spans(settings.exclude),
            "keep": spans(settings.keep),
        },
        sort_keys=True,
    )
    return key(head, data)


_Normalised = tuple[str, LineMap]

#: The largest source file read at all; each format has its own limit (`readers.LIMITS`).
MAX_SOURCE_BYTES = max(LIMITS.values())


@dataclass
class Prepared:
    """What reading and normalising one source produced (in a worker process, on a cold run)."""

    reading: Reading
    text: str
    line_map: LineMap


def prepare(key: str, path: Path, shown: str, data: bytes, settings: SourceSettings) -> Prepared:
    """Read and normalise one source: the work a cold check does per source."""
    from .readers import read

    reading = read(data, path, shown)
    furniture = evidence_furniture(key, path, reading, settings)
    text, line_map = normalise(reading.text, excluded(furniture))
    return Prepared(reading, text, line_map)


def load_source(
    key: str,
    path: Path,
    settings: SourceSettings | None,
    store: Store | None = None,
    shown: str | None = None,
    data: bytes | None = None,
) -> SourceText:
    """Read one source file; with `store`, reuse a reading and a normalisation of identical
    input (what a worker process prepared on a cold run is in the store already)."""
    from .readers import read, sniff

    shown = shown or str(path)
    if data is None:
        data = read_bytes(path, shown, limit=MAX_SOURCE_BYTES)
    if store is None:
        return SourceText.from_bytes(key, path, data, settings)
    settings = settings or SourceSettings()

    def reading() -> Reading:
        if sniff(data, path) == "text":  # decoding is cheaper than reading a stored copy
            return read(data, path, shown)
        got: Reading = store.value(reading_key(data), Reading, lambda: read(data, path, shown))
        return got

    def furniture(r: Reading) -> list[Furniture]:
        return evidence_furniture(key, path, r, settings)

    if settings.exclude or settings.keep:  # a range past the end is an error now, not later
        first = reading()
        furniture(first)
        loaded: Reading | Callable[[], Reading] = first
    else:
        loaded = reading
    digest = _cache_key(data, settings)
    source = SourceText(key, path, loaded, settings.kind, furniture, digest=digest, store=store)

    def load() -> tuple[str, LineMap]:
        return store.value(
            f"source-{digest}",
            _Normalised,
            lambda: normalise(source.reading.text, excluded(source.furniture)),
        )

    source._load = load
    return source


def reading_key(data: bytes) -> str:
    """The store name of the reading of `data`."""
    from .cache import key as cache_key

    return f"read-{cache_key(data)}"


#: A cold run reads sources in worker processes when there is this much to read (below it,
#: starting the workers costs more than it saves).
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def load_sources(
    items: Sequence[tuple[str, Path, str]],
    settings: dict[str, SourceSettings],
    store: Store | None,
    jobs: int | None = None,
) -> dict[str, SourceText]:
    """Every source of `items` (key, path, shown name), in order. On a cold run with enough
    to read, what is not in the store yet is read and normalised in `jobs` worker processes
    (default: one per core) first; errors are then raised, in order, by the serial pass."""
    import os

    data = {k: read_bytes(p, shown, limit=MAX_SOURCE_BYTES) for k, p, shown in items}
    if store is not None:
        cold = [
            (k, p, shown)
            for k, p, shown in items
            if not store.has(f"source-{_cache_key(data[k], settings.get(k) or SourceSettings())}")
        ]
        workers = min(jobs or os.cpu_count() or 1, len(cold))
        if workers > 1 and sum(len(data[k]) for k, _, _ in cold) >= PARALLEL_MIN_BYTES:
            _prepare_in_workers(cold, data, settings, store, workers)
    return {k: load_source(k, p, settings.get(k), store, shown, data[k]) for k, p, shown in items}


def _prepare_in_workers(
    items: Sequence[tuple[str, Path, str]],
    data: dict[str, bytes],
    settings: dict[str, SourceSettings],
    store: Store,
    workers: int,
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .readers import sniff

    # "spawn": a fresh interpreter per worker, safe beside the language server's threads.
    context = multiprocessing.get_context("spawn")
    jobs = [(k, p, shown, data[k], settings.get(k) or SourceSettings()) for k, p, shown in items]
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            done = list(pool.map(_prepare_or_none, jobs, chunksize=1))
    except (OSError, RuntimeError):  # no processes here: the serial pass does the work
        return
    for (_, p, _, blob, opts), prepared in zip(jobs, done, strict=True):
        if prepared is None:
            continue  # the serial pass reports the error
        if sniff(blob, p) != "text":
            store.put(reading_key(blob), prepared.reading)
        store.put(f"source-{_cache_key(blob, opts)}", (prepared.text, prepared.line_map))


def _prepare_or_none(
    job: tuple[str, Path, str, bytes, SourceSettings],
) -> Prepared | None:
    try:
        return prepare(*job)
    except InputError:
        return None
