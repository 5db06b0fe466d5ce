"""GL501 bibliography-mismatch: a bibliography entry disagrees with its source text.

What it does
    Reads what a source says about itself (its format's metadata: a JATS article's front
    matter, a PDF's document information; in the text: YAML front matter `doi:`, `year:`,
    `journal:`; the first `DOI:`/`doi:`, `PMID:` and `PMCID:` it states; a PubMed citation
    line "Journal. 2021 May;35(5):527-543")) and compares each with the entry's field. Only
    fields that both state are compared; a journal's abbreviation matches its full name.

Why
    A wrong DOI or PMID sends readers and reference managers to another paper; a wrong year
    breaks every date check that relies on it.

Example
    Fails:  doi = {10.1007/s40263-024-01114-x} for a source whose text says
            "DOI: 10.1007/s40263-024-01114-y".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import ERROR, Finding

if TYPE_CHECKING:
    from ..cache import Store
    from ..sources import SourceText

CODE = "GL501"
NAME = "bibliography-mismatch"
SEVERITY = ERROR

FRONT_RE = re.compile(r"\A---\n(.*?)\n---", re.DOTALL)
DOI_RE = re.compile(r"\bdoi\b\W{0,6}(10\.\d{4,9}/[^\s\]\[()<>\"]+)", re.IGNORECASE)
PMID_RE = re.compile(r"\bPMID\b\W{0,3}(\d{5,9})\b")
PMCID_RE = re.compile(r"\bPMCID\b\W{0,3}(PMC\d{4,9})\b")
CITATION_LINE_RE = re.compile(
    r"^(?:\d+\.\s+)?(?P<journal>[A-Z][\w .&'-]{2,80}?)\.\s+(?P<year>(?:19|20)\d\d)"
    r"(?:\s+[A-Z][a-z]{2})?(?:\s+\d{1,2})?;",
    re.MULTILINE,
)


def _norm(field: str, value: str) -> str:
    v = value.strip().rstrip(".").lower()
    if field == "journal":
        v = re.sub(r"[^a-z0-9]+", " ", v).strip()
    return v


def _stated(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    head = raw[:6000]
    fm = FRONT_RE.match(raw)
    if fm:
        for line in fm.group(1).splitlines():
            m = re.match(r"(doi|year|journal)\s*:\s*['\"]?(.+?)['\"]?\s*$", line)
            if m:
                out[m.group(1)] = m.group(2)
    has_doi = "doi" in head.lower()  # a substring test first: most texts lack some of these
    for name, pat, present in (
        ("doi", DOI_RE, has_doi),
        ("pmid", PMID_RE, "PMID" in head),
        ("pmcid", PMCID_RE, "PMCID" in head),
    ):
        m = pat.search(head) if present else None
        if m and name not in out:
            out[name] = m.group(1).rstrip(".")
    m = CITATION_LINE_RE.search(head)
    if m:
        out.setdefault("journal", m.group("journal"))
        out.setdefault("year", m.group("year"))
    return out


#: What a source's format states about it outside its text (JATS front matter, PDF metadata)
#: and is compared here.
META_FIELDS = ("doi", "pmid", "pmcid", "year", "journal")
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "in", "on"})


def said_by(src: SourceText, store: Store | None) -> dict[str, str]:
    """What a source says about itself: its format's metadata over what its text states.
    Kept under the source's digest, so a check of unchanged sources reads none of them."""

    def now() -> dict[str, str]:
        found = _stated(src.raw)
        found.update({f: v for f, v in src.meta.items() if f in META_FIELDS and v})
        return found

    if store is None or not src.digest:
        return now()
    return store.memo("stated").get(src.digest, now, dict[str, str])


def abbreviates(short: str, full: str) -> bool:
    """Whether one normalised journal name abbreviates the other word by word, as journal
    abbreviations do ("nat rev drug discov" of "nature reviews drug discovery")."""
    a = [w for w in short.split() if w not in _MINOR_WORDS]
    b = [w for w in full.split() if w not in _MINOR_WORDS]
    if len(a) != len(b):
        return False
    return all(y.startswith(x) or x.startswith(y) for x, y in zip(a, b, strict=True))


def check(ctx) -> Iterator[Finding]:
    bib = ctx.config.rel(ctx.config.bibliography)
    for key, src in ctx.project.sources.items():
        entry = ctx.project.entries[key]
        found = said_by(src, ctx.project.store)
        for field, value in found.items():
            mine = entry.fields.get(field)
            if field == "journal":
                mine = mine or entry.fields.get("journaltitle")
            if not mine:
                continue
            a, b = _norm(field, mine), _norm(field, value)
            if field == "journal" and (a.startswith(b) or b.startswith(a) or abbreviates(a, b)):
                continue
            if a != b:
                yield Finding(
                    bib,
                    entry.field_lines.get(field, entry.line),
                    1,
                    f"{key}: {field} is '{mine}' but its source text says '{value}'",
                )
