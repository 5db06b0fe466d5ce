"""GL503 mention-mismatch: an author-year mention names other authors or another year than
the entry it cites.

What it does
    Reads the author mention that stands just before a citation ("Orsini et al. (2021)
    [@orsini2022]", "Halden and Bram [@halden2015]") and compares it with the bibliography:
    the surname must be the first author's family name of one of the cited entries, and the
    year, when the mention gives one, that entry's year. Entries without authors or year are
    not compared. Two capitalised words joined by "and", with no "et al." and no year, read
    as authors only when the bibliography knows one of them as an author: "Halden and Bram"
    may be a mention, "Somalia and Tanzania" or "Mopeia and Nicoadala" is a list of places.

Why
    The name and year in the sentence are what the reader sees and repeats. A mention that
    disagrees with the reference list points the reader at another paper, or says the citation
    went to the wrong entry.

Example
    Fails:  Orsini et al. (2021) [@orsini2022] reported a fall in LDL cholesterol.
            (the entry orsini2022 is from 2022)
    Passes: Orsini et al. (2022) [@orsini2022] reported a fall in LDL cholesterol.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..coverage import mention_before
from ..diagnostics import ERROR, Finding
from ..numerals import fold_text

CODE = "GL503"
NAME = "mention-mismatch"
SEVERITY = ERROR


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalpha()).casefold()


def _family(author: str) -> str:
    """The family name of a BibTeX author: "Orsini, Lea" or "Lea Orsini"."""
    author = author.strip("{} ")
    return author.split(",")[0] if "," in author else (author.split() or [""])[-1]


_MARKED_RE = re.compile(r"\bet\s+al\b|\bcolleagues\b|\bco-?workers\b", re.I)
_WORD_RE = re.compile(r"[^\W\d_][\w'-]*")


def _unmarked_strangers(said: str, year: int | None, authors: set[str]) -> bool:
    """Whether a mention is a bare "X and Y" naming nobody the bibliography knows as an
    author: without "et al." or a year, that is as likely a list of places or things."""
    if year is not None or _MARKED_RE.search(said):
        return False
    return not any(_fold(w) in authors for w in _WORD_RE.findall(said))


def check(ctx) -> Iterator[Finding]:
    entries = ctx.project.entries
    authors = {_fold(_family(a)) for e in entries.values() for a in e.authors}
    for doc in ctx.documents:
        for s in doc.sentences:
            if not s.cites:
                continue
            text = s.text
            for a, b in s.spans:
                mention = mention_before(text, a)
                if mention is None:
                    continue
                first_line, first_col = s.pos(a)
                last_line, last_col = s.pos(b)
                keys = [
                    c.key
                    for c in s.cites
                    if (first_line, first_col) <= (c.line, c.column) <= (last_line, last_col)
                ]
                cited = [entries[k] for k in keys if k in entries]
                named = [e for e in cited if e.authors]
                if not named:
                    continue
                line, col = s.pos(mention.start)
                end_line, end_col = s.pos(mention.end)
                said = fold_text(text[mention.start : mention.end]).strip()  # digits as read
                if _unmarked_strangers(said, mention.year, authors):
                    continue
                same = [e for e in named if _fold(_family(e.authors[0])) == _fold(mention.surname)]
                if not same:
                    firsts = ", ".join(f"{e.key}: {_family(e.authors[0])}" for e in named)
                    yield Finding(
                        doc.shown,
                        line,
                        col,
                        f"'{said}' names {mention.surname}, but the first author is "
                        f"another ({firsts})",
                        end_line,
                        end_col,
                    )
                    continue
                years = {e.year for e in same if e.year is not None}
                if mention.year is not None and years and mention.year not in years:
                    yield Finding(
                        doc.shown,
                        line,
                        col,
                        f"'{said}' gives {mention.year}, but {same[0].key} is from "
                        f"{', '.join(map(str, sorted(years)))}",
                        end_line,
                        end_col,
                    )
