"""What a source reader returns: text lines, where each came from, and what is not evidence.

A reader turns the bytes of one source file (plain text, PDF, JATS XML, ...) into lines of
running text. Every line keeps its place in the original (a line of the file, or a page and
a line on that page), so a finding about a source points where a reader can look. Lines that
are furniture (reference lists, affiliations, funding statements) are marked with a reason;
they stay in the reading, so `glutlint trace` can show what was left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """Where a line of a reading is in its file: `line` (1-based) and, for paged formats,
    the 1-based `page`, with `line` counted from the top of that page; `column` (1-based)
    where a format puts much on one line (XML), 0 when the line says enough."""

    line: int
    page: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.page:
            return f"p{self.page}:{self.line}"
        return f"{self.line}:{self.column}" if self.column else str(self.line)


@dataclass(frozen=True)
class Furniture:
    """Lines `first`..`last` (1-based, inclusive, in the reading) that are not evidence."""

    first: int
    last: int
    why: str


@dataclass
class Reading:
    """One source file as text.

    `lines` are the text, one typeset or written line each; `places[i]` is where `lines[i]`
    came from (empty: line i+1 of the file itself, as for plain text); `furniture` the line
    ranges that are never evidence; `meta` what the file says about itself (doi, pmid, pmcid,
    year, journal, title), for the bibliography check.
    """

    format: str
    lines: list[str]
    places: list[Place] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    def place(self, line: int) -> Place:
        """The place of 1-based reading line `line`."""
        if not self.places:
            return Place(line)
        return self.places[min(max(line, 1), len(self.places)) - 1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
