"""Furniture found, not listed: the parts of a source that are never evidence.

A reference list names years, journals and numbers that are not findings; a PubMed page lists
"Similar articles" and "Cited by"; affiliations, funding and conflict-of-interest statements
name institutions and grants. Searching them would let a claim be "supported" by a reference
title. They are found here in the lines of any reading (plain text, PDF, JATS), by the shape
of the text and by the section headings scholarly publishing uses, never by the subject.

What is found is marked, not deleted: `glutlint trace --sources` shows every range and why,
and the sources sidecar can keep a range (`keep:`) or exclude more (`exclude:`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import Furniture

#: Headings of back matter and of the lists a bibliographic database page adds, by the reason
#: they are not evidence. Compared after numbering, case and a trailing colon are dropped.
HEADINGS: dict[str, tuple[str, ...]] = {
    "reference list": (
        "references",
        "reference list",
        "references and notes",
        "bibliography",
        "literature cited",
        "works cited",
        "cited literature",
    ),
    "database list": (
        "similar articles",
        "cited by",
        "mesh terms",
        "publication types",
        "substances",
        "supplementary concepts",
        "grants and funding",
        "linkout - more resources",
        "related information",
        "full text sources",
        "comment in",
        "comment on",
        "erratum in",
        "associated data",
    ),
    "declarations": (
        "conflict of interest",
        "conflicts of interest",
        "conflict of interest statement",
        "competing interests",
        "competing interest",
        "declaration of interests",
        "declaration of competing interest",
        "declaration of competing interests",
        "disclosure",
        "disclosures",
        "financial disclosure",
        "financial disclosures",
        "funding",
        "funding sources",
        "funding information",
        "sources of funding",
        "acknowledgements",
        "acknowledgments",
        "acknowledgement",
        "acknowledgment",
        "author contributions",
        "authors' contributions",
        "contributors",
    ),
    "affiliations": ("affiliations", "affiliation", "author information", "authors"),
}
_KIND_OF = {h: why for why, heads in HEADINGS.items() for h in heads}

#: Statements that open a paragraph and make it back matter: "Funding: ...".
_LEAD_RE = re.compile(
    r"^(?:conflicts? of interest|competing interests?|declaration of (?:competing )?interests?|"
    r"disclosures?|financial disclosures?|funding|acknowledge?ments?|author contributions)"
    r"(?: statement)?\s*[:.\u2014-]\s+\S",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(r"^(?:\u00a9|copyright\b\s*(?:\u00a9|\(c\)|\d{4}))", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IDENTIFIERS_RE = re.compile(
    r"^(?:(?:doi|pmid|pmcid|issn|e?issn|isbn|pii)\b\s*:?\s*\S+[\s;,.|]*)+$", re.IGNORECASE
)
_NUMBERING_RE = re.compile(r"^(?:#+\s*|(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]?\s+)", re.IGNORECASE)
#: A reference entry: a number or bracketed number, then "Surname AB" or "Surname, A." and a
#: year somewhere in the entry.
_ENTRY_RE = re.compile(
    r"^(?:\[\d{1,4}\]|\d{1,4}[.)])\s+\S+(?:\s\S+){0,2}?,?\s+(?:[A-Z]{1,3}\b|[A-Z]\.)",
)
_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")
#: A heading is a short line without closing punctuation.
HEADING_MAX_CHARS = 60
HEADING_MAX_WORDS = 8
#: This many reference entries in a row are a reference list even without a heading.
MIN_ENTRIES = 3


def heading_key(line: str) -> str:
    """A line as a heading is compared: numbering, case, a trailing colon and spaces gone."""
    s = _NUMBERING_RE.sub("", line.strip()).strip().rstrip(":").strip().lower()
    return re.sub(r"\s+", " ", s.replace("\u2013", "-").replace("\u2019", "'"))


def is_heading(line: str) -> bool:
    """A line shaped like a heading: short, a few words, no sentence punctuation at its end."""
    s = line.strip()
    if not s or len(s) > HEADING_MAX_CHARS or len(s.split()) > HEADING_MAX_WORDS:
        return False
    if s[-1] in ".,;" or not (s[0].isupper() or s[0].isdigit() or s[0] == "#"):
        return False
    return sum(c.isalpha() for c in s) >= 3


def find(lines: Sequence[str]) -> list[Furniture]:
    """The furniture ranges of `lines` (1-based, inclusive), in order, not overlapping."""
    n = len(lines)
    found: list[Furniture] = []
    i = 0
    while i < n:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        kind = _KIND_OF.get(heading_key(line)) if is_heading(line) else None
        if kind is not None:
            end = _section_end(lines, i + 1, kind)
            if kind == "affiliations":  # a block under its heading; the text goes on after it
                end = _paragraph_end(lines, i + 1) if i + 1 < n and lines[i + 1].strip() else i + 1
            found.append(Furniture(i + 1, end, kind))
            i = end
            continue
        if _LEAD_RE.match(line) or _COPYRIGHT_RE.match(line):
            end = _paragraph_end(lines, i)
            why = "copyright" if _COPYRIGHT_RE.match(line) else "declarations"
            found.append(Furniture(i + 1, end, why))
            i = end
            continue
        if _IDENTIFIERS_RE.match(line) or _EMAIL_RE.search(line):
            why = "identifiers" if _IDENTIFIERS_RE.match(line) else "contact details"
            found.append(Furniture(i + 1, i + 1, why))
            i += 1
            continue
        run = _entry_run(lines, i)
        if run > i:
            found.append(Furniture(i + 1, run, "reference list"))
            i = run
            continue
        i += 1
    return found


def _paragraph_end(lines: Sequence[str], i: int) -> int:
    """1-based last line of the paragraph that starts at index `i` (up to a blank line)."""
    j = i
    while j + 1 < len(lines) and lines[j + 1].strip():
        j += 1
    return j + 1


def _section_end(lines: Sequence[str], start: int, kind: str) -> int:
    """1-based last line of a furniture section whose body starts at index `start`: up to the
    next heading (after a blank line) that opens a section of another kind, or the end."""
    n = len(lines)
    j = start
    while j < n:
        line = lines[j].strip()
        if line and j > start and not lines[j - 1].strip() and is_heading(line):
            other = _KIND_OF.get(heading_key(line))
            if other is None and not _looks_like_entry(lines, j):
                break
        j += 1
    while j > start and not lines[j - 1].strip():
        j -= 1  # blank lines before the next section are nobody's
    return max(j, start)


def _looks_like_entry(lines: Sequence[str], j: int) -> bool:
    """Whether the heading-shaped line at index `j` is the start of one more reference entry
    (a journal name or an author line wrapped onto its own line)."""
    tail = " ".join(x.strip() for x in lines[j : j + 2])
    return bool(_ENTRY_RE.match(lines[j].strip())) or bool(_YEAR_RE.search(tail[:120]))


def _entry_run(lines: Sequence[str], i: int) -> int:
    """When `MIN_ENTRIES` or more numbered reference entries start at index `i`, the 1-based
    last line of the run; else `i`."""
    n = len(lines)
    entries = 0
    j = i
    last = i
    while j < n:
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        if not _ENTRY_RE.match(line):
            break
        end = j
        while end + 1 < n and lines[end + 1].strip() and not _ENTRY_RE.match(lines[end + 1]):
            end += 1
            if end - j > 4:
                break
        body = " ".join(x.strip() for x in lines[j : end + 1])
        if not _YEAR_RE.search(body):
            break
        entries += 1
        last = end + 1
        j = end + 1
    return last if entries >= MIN_ENTRIES else i
