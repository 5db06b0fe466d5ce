"""Numerals as a reader sees them: one reading of digits for claims and sources alike.

Pandoc prints every decimal digit Unicode knows ("２０１８", "٢٠١٨"), hides soft hyphens and
zero-width characters ("20\\u00ad18" renders as 2018), and typesets thin and no-break spaces
between digit groups as thousands separators ("1\\u2009000"). A reader reads each of these as
the plain ASCII number, so glutlint must too, or a wrong year passes and a right one is flagged.

`fold` returns the text a number reader should see, and a map back to the original offsets, so
a diagnostic still points at the characters the author wrote:

* every character of Unicode category Nd (what `unicodedata.decimal` reads) becomes its ASCII
  digit; next to a digit, the fullwidth and Arabic forms of ``% . ,`` become ASCII too;
* a middle dot (U+00B7) between two digits is a decimal point: The Lancet and PLoS Medicine
  print "43\u00b75" and "73\u00b74%", which every reader reads as 43.5 and 73.4%, and read
  digit by digit it would be two numbers ("43" and "5") that a true claim of 43.5 never finds;
* a run of superscript digits that stands as a word before a percent sign ("\u2079\u00b3%")
  is that number: it prints as 93%, never as an exponent (which follows a digit) or a note mark
  (which follows a word);
* soft hyphens and zero-width characters (`INVISIBLE`) between two digits are dropped;
* a thin, narrow no-break or no-break space (`GROUP_SPACES`) between digit groups becomes ","
  when the groups form a proper thousands pattern (1 to 3 digits, then groups of exactly 3):
  "1\\u2009000" reads 1,000 and "12\\u00a0345\\u00a0678" reads 12,345,678, but "3\\u00a0months"
  and "12\\u00a01234" are left alone.

Every change keeps one character for one character except the dropped invisibles, so the map
is a sorted list of dropped offsets. Folding is idempotent, and ASCII text is returned as is.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .quantities import Quantity

#: Invisible in print; dropped between two digits.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Thin space, narrow no-break space, no-break space: thousands separators between groups.
GROUP_SPACES = "\u2009\u202f\u00a0"
#: Number punctuation that is folded only next to a digit (fullwidth and Arabic forms).
_NUMBER_PUNCT = {
    "\uff05": "%",  # fullwidth percent sign
    "\u066a": "%",  # Arabic percent sign
    "\uff0e": ".",  # fullwidth full stop, between digits
    "\u066b": ".",  # Arabic decimal separator, between digits
    "\uff0c": ",",  # fullwidth comma, between digits
    "\u066c": ",",  # Arabic thousands separator, between digits
    "\u00b7": ".",  # middle dot, the decimal point of Lancet/PLoS Medicine style, between digits
}
_AFTER_DIGIT_ONLY = frozenset("\uff05\u066a")

_OTHER_DIGIT_RE = re.compile(r"(?![0-9])\d")  # \d: any character of Unicode category Nd
_SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUPERSCRIPT_PERCENT_RE = re.compile(rf"(?<![\w.,])[{_SUPERSCRIPTS}]+(?=\s?[%\uff05])")
_PUNCT_RE = re.compile("[" + "".join(_NUMBER_PUNCT) + "]")
_INVISIBLE_RE = re.compile(f"(?<=[0-9])[{INVISIBLE}]+(?=[0-9])")
_GROUPED_RE = re.compile(
    rf"(?<![\w.,])[0-9]{{1,3}}(?:[{GROUP_SPACES}][0-9]{{3}})+(?![0-9]|[{GROUP_SPACES}][0-9])"
)
_GROUP_SPACE_RE = re.compile(f"[{GROUP_SPACES}]")
_ANYTHING_RE = re.compile(  # a character any step above could change
    "(?![0-9])\\d|[" + "".join(_NUMBER_PUNCT) + INVISIBLE + GROUP_SPACES + _SUPERSCRIPTS + "]"
)


@dataclass(frozen=True)
class Folded:
    """A folded text and the way back to the text it came from.

    `dropped` holds the original offsets of the characters `fold` removed, in order."""

    text: str
    original: str
    dropped: tuple[int, ...] = ()

    @cached_property
    def _dropped_before(self) -> tuple[int, ...]:
        """For each dropped character, the folded offset of the character that followed it."""
        return tuple(p - k for k, p in enumerate(self.dropped))

    def start_in_original(self, i: int) -> int:
        """Original offset of the character at folded offset `i` (a span's start)."""
        return i + bisect.bisect_right(self._dropped_before, i)

    def end_in_original(self, i: int) -> int:
        """Original offset just past the folded character before `i` (a span's end)."""
        return 0 if i <= 0 else self.start_in_original(i - 1) + 1

    def in_folded(self, i: int) -> int:
        """Folded offset of original offset `i` (a dropped character maps to what follows)."""
        return i - bisect.bisect_left(self.dropped, i)

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        return self.start_in_original(start), self.end_in_original(end)


def fold(text: str) -> Folded:
    """The text a number reader sees (see the module docstring), mapped back to `text`."""
    if text.isascii() or not _ANYTHING_RE.search(text):
        return Folded(text, text)
    chars = list(text)
    for m in _OTHER_DIGIT_RE.finditer(text):
        chars[m.start()] = str(unicodedata.decimal(m.group()))
    for m in _SUPERSCRIPT_PERCENT_RE.finditer(text):
        for i in range(m.start(), m.end()):
            chars[i] = str(_SUPERSCRIPTS.index(text[i]))
    for m in _PUNCT_RE.finditer(text):
        i = m.start()
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if "0" <= before <= "9" and (m.group() in _AFTER_DIGIT_ONLY or "0" <= after <= "9"):
            chars[i] = _NUMBER_PUNCT[m.group()]
    digits = "".join(chars)
    dropped: list[int] = []
    kept: list[str] = []
    at = 0
    for m in _INVISIBLE_RE.finditer(digits):
        kept.append(digits[at : m.start()])
        dropped.extend(range(m.start(), m.end()))
        at = m.end()
    kept.append(digits[at:])
    folded = "".join(kept)
    folded = _GROUPED_RE.sub(lambda m: _GROUP_SPACE_RE.sub(",", m.group()), folded)
    return Folded(folded, text, tuple(dropped))


def fold_text(text: str) -> str:
    """Only the folded text (for source texts, whose positions are kept per line)."""
    return fold(text).text


def read_quantities(text: str, skip_spans: Iterable[tuple[int, int]] = ()) -> list[Quantity]:
    """`extraction.extract` of the folded `text`: each quantity's `text` is what was read
    ("2018" for "２０１８") and its `start`/`end` are offsets in the original `text`."""
    from .extraction import extract

    f = fold(text)
    if not f.dropped:  # same length: the offsets already agree
        return extract(f.text, skip_spans=skip_spans)
    spans = [(f.in_folded(a), f.in_folded(b)) for a, b in skip_spans]
    out = []
    for q in extract(f.text, skip_spans=spans):
        start, end = f.span_in_original(q.start, q.end)
        out.append(replace(q, start=start, end=end))
    return out
