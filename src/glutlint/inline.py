"""Inline analysis of pandoc-Markdown prose: masking, citations and sentences.

Every function is pure and works on the raw source text of one block (a paragraph, list
item, table cell or heading) so that diagnostics can point at exact character offsets.

The citation finder is a small re-implementation of the parts of pandoc's Markdown inline
reader (pandoc 3.x) that decide whether an ``@`` starts a citation.  It follows pandoc's
behaviour even where that is surprising (see ``tests/test_inline.py``) because the linter
must agree with what the final ``pandoc --citeproc`` build will cite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Citation",
    "citation_spans",
    "find_citations",
    "mask_nonprose",
    "split_sentences",
]


@dataclass(frozen=True)
class Citation:
    """One cited key, with offsets into the block text it was found in."""

    key: str
    start: int  # offset of the '@' (or of '-@')
    end: int  # offset just past the key (past '}' for braced keys)
    group_start: int  # '[' of its bracketed group; for in-text cites the start of the Cite
    group_end: int  # just past the group's ']'; for a bare in-text cite == end
    in_text: bool  # written outside brackets (``@key``, ``-@key``, ``@key [p. 4]``)
    suppress_author: bool
    locator: str  # suffix text after the key inside the group, stripped ('' if none)


# ---------------------------------------------------------------------------
# small lexical helpers shared by the masker and the citation parser
# ---------------------------------------------------------------------------

_KEY_INTERNAL = frozenset(":.#$%&-+?<>~/")
_SPACE_TAB = " \t"


def _is_regchar(c: str) -> bool:
    """Characters that may appear anywhere in a simple citation key (pandoc ``regchar``)."""
    return c.isalnum() or c == "_"


def _parse_key(t: str, i: int, lim: int) -> tuple[int, str] | None:
    """Parse a citation key starting just after '@'; return (end, key).

    Mirrors pandoc's ``simpleCiteIdentifier`` (internal punctuation only when followed by a
    key character, ``:``/``/`` also before ``/``) and the braced ``@{...}`` form, whose
    braces must balance and whose content may not contain white space.
    """
    if i >= lim:
        return None
    c = t[i]
    if c.isalnum() or c in "_*":
        j = i + 1
        while j < lim:
            d = t[j]
            nxt = t[j + 1] if j + 1 < lim else ""
            if _is_regchar(d):
                j += 1
            elif d in _KEY_INTERNAL and nxt and _is_regchar(nxt):
                j += 1
            elif d in ":/" and nxt == "/":
                j += 1
            else:
                break
        return j, t[i:j]
    if c == "{":
        depth = 1
        j = i + 1
        while j < lim:
            d = t[j]
            if d == "{":
                depth += 1
            elif d == "}":
                depth -= 1
                if depth == 0:
                    return j + 1, t[i + 1 : j]
            elif d.isspace():
                return None
            j += 1
    return None


def _blank_line_at(t: str, j: int, lim: int) -> bool:
    """True if the line starting at j is empty or white space only (pandoc ``blankline``)."""
    while j < lim and t[j] in _SPACE_TAB:
        j += 1
    return j >= lim or t[j] == "\n"


def _balanced(t: str, i: int, lim: int, open_: str = "[", close: str = "]") -> int | None:
    """Index just past the bracket closing the one at i, without crossing a blank line.

    Like pandoc's ``charsInBalancedBrackets`` this ignores backslash escapes.
    """
    depth = 0
    j = i
    while j < lim:
        c = t[j]
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j + 1
        elif c == "\n" and _blank_line_at(t, j + 1, lim):
            return None
        j += 1
    return None


_ATTRS_RE = re.compile(
    r"""\{[ \t]*\n?[ \t]*
    (?:(?:\#[\w\-:.]+|\.[^\W\d][\w\-:.]*|[^\W\d][\w\-:.]*=(?:"[^"]*"|'[^']*'|[^\s}"']*)|-)
       [ \t]*\n?[ \t]*)*
    \}""",
    re.VERBOSE,
)
_RAW_ATTR_RE = re.compile(r"\{=[\w-]+\}")


def _attrs_end(t: str, i: int, lim: int) -> int | None:
    """End of a valid pandoc attribute block ``{#id .class k=v}`` starting at i."""
    if i >= lim or t[i] != "{":
        return None
    m = _ATTRS_RE.match(t, i, lim)
    return m.end() if m else None


def _source_end(t: str, i: int, lim: int) -> int | None:
    """End of a valid inline link destination ``(url "title")`` starting at i.

    Follows pandoc's ``source``: balanced parentheses, spaces allowed inside the URL unless
    followed by a quote or ')', an optional quoted title, no blank line.
    """
    if i >= lim or t[i] != "(":
        return None
    j = i + 1
    while j < lim and t[j] in _SPACE_TAB:
        j += 1
    if j < lim and t[j] == "<":
        k = j + 1
        while k < lim and t[k] != ">":
            if t[k] == "\n" and _blank_line_at(t, k + 1, lim):
                return None
            k += 2 if t[k] == "\\" else 1
        if k >= lim:
            return None
        j = k + 1
    else:
        while j < lim:
            c = t[j]
            if c == "(":
                k = _balanced(t, j, lim, "(", ")")
                if k is None:
                    break
                j = k
            elif c == "\n":
                if _blank_line_at(t, j + 1, lim):
                    return None
                j += 1
            elif c in _SPACE_TAB:
                k = j
                while k < lim and t[k] in _SPACE_TAB:
                    k += 1
                if k >= lim or t[k] in "\"')":
                    break
                j = k
            elif c == ")":
                break
            elif c == "\\" and j + 1 < lim:
                j += 2
            else:
                j += 1
    # optional title
    k = j
    while k < lim and t[k] in _SPACE_TAB:
        k += 1
    if k < lim and t[k] == "\n":
        k += 1
        while k < lim and t[k] in _SPACE_TAB:
            k += 1
    if k < lim and t[k] in "\"'":
        q = t[k]
        m = k + 1
        while m < lim:
            if t[m] == q and not (m + 1 < lim and t[m + 1].isalnum()):
                break
            if t[m] == "\n" and _blank_line_at(t, m + 1, lim):
                return None
            m += 2 if t[m] == "\\" else 1
        if m < lim:
            j = m + 1
    while j < lim and t[j] in _SPACE_TAB:
        j += 1
    if j < lim and t[j] == ")":
        return j + 1
    return None


def _link_follows(t: str, q: int, lim: int) -> bool:
    """True if position q starts link/span syntax: ``(dest)``, ``[label]`` or ``{attrs}``.

    pandoc 3 does not read ``[...]`` as a citation group when it is followed by one of
    these; the brackets become link text or a span and any ``@key`` inside is an in-text
    citation.
    """
    if q >= lim:
        return False
    c = t[q]
    if c == "(":
        return _source_end(t, q, lim) is not None
    if c == "[":
        return _balanced(t, q, lim) is not None
    if c == "{":
        return _attrs_end(t, q, lim) is not None
    return False


# ---------------------------------------------------------------------------
# structural masking (code, HTML, math, link destinations, ...)
# ---------------------------------------------------------------------------

_LATEX_CMD_RE = re.compile(r"\\[A-Za-z]+\*?")
_AUTOLINK_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_HTML_TAG_RE = re.compile(
    r"""</?[A-Za-z][A-Za-z0-9\-]*
    (?:\s+[A-Za-z_:][\w:.\-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*
    \s*/?>""",
    re.VERBOSE,
)
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\s\]]+\]")
_REF_DEF_RE = re.compile(r"[ ]{0,3}\[([^\]\n]+)\]:[ \t]*(?:\n[ \t]*)?\S[^\n]*")
_TITLE_LINE_RE = re.compile(r"\n[ \t]+(?:\"[^\n]*\"|'[^\n]*'|\([^\n]*\))[ \t]*(?=\n|$)")
_HEADING_ATTR_RE = re.compile(r"[ \t]+(\{[^{}\n]*\})[ \t]*$")


def _code_end(t: str, i: int, n: int) -> int | None:
    """End of an inline code span opened by the backtick run at i (pandoc rules).

    The closing run must have exactly as many backticks as the opening run; the span may
    continue over line breaks but not over a blank line.
    """
    j = i
    while j < n and t[j] == "`":
        j += 1
    width = j - i
    k = j
    while k < n:
        c = t[k]
        if c == "`":
            m = k
            while m < n and t[m] == "`":
                m += 1
            if m - k == width:
                return m
            k = m
        elif c == "\n" and _blank_line_at(t, k + 1, n):
            return None
        else:
            k += 1
    return None


def _math_end(t: str, i: int, n: int) -> int | None:
    """End of ``$...$`` or ``$$...$$`` TeX math starting at i (pandoc tex_math_dollars)."""
    if t.startswith("$$", i):
        k = i + 2
        while k < n:
            if t.startswith("$$", k):
                return k + 2 if k > i + 2 else None
            if t[k] == "\n" and _blank_line_at(t, k + 1, n):
                return None
            k += 2 if t[k] == "\\" else 1
        return None
    if i + 1 >= n or t[i + 1].isspace():
        return None
    k = i + 1
    while k < n:
        c = t[k]
        if c == "$":
            if k + 1 < n and t[k + 1].isdigit():
                return None
            return k + 1
        if c == "\\":
            k += 2
        elif c.isspace():
            m = k
            while m < n and t[m] in _SPACE_TAB:
                m += 1
            if m < n and t[m] == "\n":
                if _blank_line_at(t, m + 1, n):
                    return None
                m += 1
                while m < n and t[m] in _SPACE_TAB:
                    m += 1
            if m >= n or t[m] == "$":
                return None
            k = m
        else:
            k += 1
    return None


def _line_start(t: str, i: int) -> bool:
    """True if only up to three spaces precede i on its line."""
    j = i
    while j > 0 and t[j - 1] == " ":
        j -= 1
    return (j == 0 or t[j - 1] == "\n") and i - j <= 3


def _blank(chars: list[str], start: int, end: int) -> None:
    """Replace chars[start:end] by spaces, keeping newlines."""
    for k in range(start, end):
        if chars[k] != "\n":
            chars[k] = " "


def _structural_mask(text: str) -> str:
    """Blank out non-prose constructs whose content can never hold a citation.

    Scans left to right in pandoc's order, so a backtick inside an HTML comment, or
    ``<!--`` inside a code span, is handled as pandoc would.  Delimiters of link
    destinations and attribute blocks after ``]`` are kept (``(   )``, ``{   }``) because
    they decide whether the preceding brackets are a citation group.
    """
    t = text
    n = len(t)
    chars = list(t)
    stack: list[tuple[int, bool]] = []  # (index of '[', opened by '^[' inline note)
    i = 0
    while i < n:
        c = t[i]
        if c == "\\":
            if i + 1 < n and t[i + 1].isascii() and t[i + 1].isalpha():
                m = _LATEX_CMD_RE.match(t, i)
                j = m.end() if m else i + 1
                while j < n and t[j] in "{[":
                    k = _balanced(t, j, n, t[j], "}" if t[j] == "{" else "]")
                    if k is None:
                        break
                    j = k
                _blank(chars, i, j)
                i = j
            elif i + 1 < n and t[i + 1] != "\n":
                i += 2
            else:
                i += 1
        elif c == "`":
            end = _code_end(t, i, n)
            if end is None:
                i += 1
                continue
            attr_end = _attrs_end(t, end, n)
            if attr_end is None:
                m = _RAW_ATTR_RE.match(t, end)
                attr_end = m.end() if m else None
            end = attr_end or end
            _blank(chars, i, end)
            i = end
        elif c == "<":
            end = None
            if t.startswith("<!--", i):
                k = t.find("-->", i + 4)
                end = k + 3 if k >= 0 else None
            if end is None:
                m = _AUTOLINK_RE.match(t, i) or _HTML_TAG_RE.match(t, i)
                end = m.end() if m else None
            if end is None:
                i += 1
                continue
            _blank(chars, i, end)
            i = end
        elif c == "$":
            end = _math_end(t, i, n)
            if end is None:
                i += 1
                continue
            _blank(chars, i, end)
            i = end
        elif c == "@" or (c == "-" and i + 1 < n and t[i + 1] == "@"):
            at = i if c == "@" else i + 1
            prev = t[i - 1] if i > 0 else ""
            parsed = None if (prev.isalnum() or prev == ".") else _parse_key(t, at + 1, n)
            i = parsed[0] if parsed else at + 1
        elif c == "[":
            m = _FOOTNOTE_REF_RE.match(t, i)
            if m:
                end = m.end()
                if end < n and t[end] == ":" and _line_start(t, i):
                    end += 1
                _blank(chars, i, end)
                i = end
                continue
            if _line_start(t, i):
                m = _REF_DEF_RE.match(t, t.rfind("\n", 0, i) + 1)
                if m and m.group(1)[0] not in "@^":
                    end = m.end()
                    tm = _TITLE_LINE_RE.match(t, end)
                    end = tm.end() if tm else end
                    _blank(chars, i, end)
                    i = end
                    continue
            is_note = i > 0 and t[i - 1] == "^" and not (i > 1 and t[i - 2] == "\\")
            stack.append((i, is_note))
            i += 1
        elif c == "]":
            i += 1
            if not stack:
                continue
            opened, is_note = stack.pop()
            if is_note:
                _blank(chars, opened - 1, opened + 1)
                _blank(chars, i - 1, i)
                continue
            end = _source_end(t, i, n)
            if end is None:
                end = _attrs_end(t, i, n)
            if end is not None:
                _blank(chars, i + 1, end - 1)
                i = end
                continue
            if i < n and t[i] == "[":
                end = _balanced(t, i, n)
                if end is not None and "@" not in t[i:end] and not t.startswith("[^", i):
                    _blank(chars, i + 1, end - 1)
                    i = end
        else:
            i += 1
    m = _HEADING_ATTR_RE.search(t)
    if m and _attrs_end(t, m.start(1), n) == m.end(1):
        _blank(chars, m.start(1), m.end(1))
    return "".join(chars)


# ---------------------------------------------------------------------------
# citation parser: an emulation of pandoc's Markdown inline reader
# ---------------------------------------------------------------------------

# (key, start, end, suppress_author, in_text, locator) of a citation inside its Cite
_Own = tuple[str, int, int, bool, bool, str]
# parse result: (new position, position where the last Str ended, citations found)
_Res = tuple[int, int | None, list[Citation]]

_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MAX_DEPTH = 40


class _CiteParser:
    """Recursive-descent emulation of pandoc's citation-relevant inline parsers.

    ``lsp`` is pandoc's *lastStrPos*: the offset where the most recent word (``Str``) ended.
    A citation key may not start there, which is why ``me@x.org`` is no citation.
    """

    def __init__(self, text: str) -> None:
        self.t = text
        self.depth = 0
        # results by (kind, position, lsp, limit, links): keeps nested brackets linear
        self.memo: dict[tuple[str, int, int | None, int, bool], object] = {}

    # -- primitives -------------------------------------------------------

    def spnl(self, i: int, lim: int) -> int | None:
        """Skip spaces, at most one newline, spaces; fail before a blank line."""
        t = self.t
        while i < lim and t[i] in _SPACE_TAB:
            i += 1
        if i < lim and t[i] == "\n":
            i += 1
            while i < lim and t[i] in _SPACE_TAB:
                i += 1
        if i < lim and t[i] == "\n":
            return None
        return i

    def cite_key(self, i: int, lsp: int | None, lim: int) -> tuple[int, bool, str] | None:
        """pandoc ``citeKey``: optional '-', '@', key; not directly after a word."""
        t = self.t
        if lsp == i or i >= lim:
            return None
        suppress = t[i] == "-"
        at = i + 1 if suppress else i
        if at >= lim or t[at] != "@":
            return None
        parsed = _parse_key(t, at + 1, lim)
        if parsed is None:
            return None
        return parsed[0], suppress, parsed[1]

    # -- inline dispatcher -------------------------------------------------

    def inline(self, i: int, lsp: int | None, lim: int, links: bool) -> _Res | None:
        """Parse one inline element at i, like pandoc's ``inline``; None at end or blank line."""
        t = self.t
        if i >= lim:
            return None
        c = t[i]
        if c in _SPACE_TAB:
            j = i
            while j < lim and t[j] in _SPACE_TAB:
                j += 1
            return j, lsp, []
        if c == "\n":
            if _blank_line_at(t, i + 1, lim) and i + 1 < lim:
                return None
            j = i + 1
            while j < lim and t[j] in _SPACE_TAB:
                j += 1
            return j, lsp, []
        if c == "@" or (c == "-" and i + 1 < lim and t[i + 1] == "@"):
            res = self.textual_cite(i, lsp, lim, links)
            if res is not None:
                return res
            if c == "@":  # pandoc's exampleRef swallows '@label' without marking a word end
                j = i + 1
                while j < lim:
                    if t[j].isalnum():
                        j += 1
                    elif t[j] in "_-" and j + 1 < lim and t[j + 1].isalnum():
                        j += 2
                    else:
                        break
                return j, lsp, []
            return i + 1, lsp, []
        if c == "-":  # smart dashes
            if t.startswith("---", i) and i + 3 <= lim:
                return i + 3, lsp, []
            if t.startswith("--", i) and i + 2 <= lim:
                return i + 2, lsp, []
            return i + 1, lsp, []
        if c == "[":
            res = self.bracket(i, lsp, lim, links)
            if res is not None:
                return res
            return i + 1, lsp, []
        if c == "^" and i + 1 < lim and t[i + 1] == "[":  # inline note
            q = _balanced(t, i + 1, lim)
            if q is not None:
                return q, lsp, self.inlines(i + 2, q - 1, None, True)
            return i + 1, lsp, []
        if c == "\\":
            if i + 1 < lim and t[i + 1] != "\n" and not t[i + 1].isalnum():
                return i + 2, lsp, []
            return i + 1, lsp, []
        if c == "." and t.startswith("...", i) and i + 3 <= lim:
            return i + 3, lsp, []
        if c.isalnum() or c == ".":
            j = i
            while j < lim:
                if t[j].isalnum():
                    j += 1
                elif t[j] == "." and not (j + 1 < lim and t[j + 1] == "."):
                    j += 1
                else:
                    break
            if j == i:
                return i + 1, lsp, []
            return j, j, []
        if c in "*_":
            res = self.enclosure(i, lsp, lim, links)
            if res is not None:
                return res
            return i + 1, lsp, []
        if c == "&":
            m = _ENTITY_RE.match(t, i, lim)
            return (m.end() if m else i + 1), lsp, []
        return i + 1, lsp, []

    # -- emphasis (pandoc ``enclosure``, ``one``, ``two``, ``three``) ------------

    def ender(self, p: int, c: str, n: int, lim: int) -> bool:
        """n delimiter characters c at p; '_' may not be followed by a letter or digit."""
        t = self.t
        if p + n > lim or t[p : p + n] != c * n:
            return False
        return c == "*" or not (p + n < lim and t[p + n].isalnum())

    def enclosure(self, i: int, lsp: int | None, lim: int, links: bool) -> _Res | None:
        """Emphasis or strong emphasis starting at i.

        A closed emphasis ends like a word (so ``*a*@k`` is no citation); an unclosed one
        still parses, as literal text, everything up to the end of the paragraph.
        """
        t = self.t
        c = t[i]
        if c == "_" and lsp == i:  # intraword underscore
            return None
        j = i
        while j < lim and t[j] == c:
            j += 1
        if j < lim and t[j] in _SPACE_TAB:
            return j, lsp, []
        if self.depth > _MAX_DEPTH:
            return None
        self.depth += 1
        try:
            if j - i == 1:
                return self.emph_one(c, j, lsp, lim, links, [])
            if j - i == 2:
                return self.emph_two(c, j, lsp, lim, links, [])
            if j - i == 3:
                return self.emph_three(c, j, lsp, lim, links)
            return j, lsp, []
        finally:
            self.depth -= 1

    def emph_one(
        self, c: str, p: int, lsp: int | None, lim: int, links: bool, found: list[Citation]
    ) -> _Res:
        found = list(found)
        while True:
            if self.ender(p, c, 1, lim):
                if self.ender(p, c, 2, lim) and not self.ender(p + 2, c, 1, lim):
                    p, lsp, cites = self.emph_two(c, p + 2, lsp, lim, links, [])
                    found.extend(cites)
                    continue
                return p + 1, p + 1, found
            res = self.inline(p, lsp, lim, links)
            if res is None:
                return p, lsp, found
            p, lsp, cites = res
            found.extend(cites)

    def emph_two(
        self, c: str, p: int, lsp: int | None, lim: int, links: bool, found: list[Citation]
    ) -> _Res:
        found = list(found)
        while True:
            if self.ender(p, c, 2, lim):
                return p + 2, p + 2, found
            res = self.inline(p, lsp, lim, links)
            if res is None:
                return p, lsp, found
            p, lsp, cites = res
            found.extend(cites)

    def emph_three(self, c: str, p: int, lsp: int | None, lim: int, links: bool) -> _Res:
        found: list[Citation] = []
        while not self.ender(p, c, 1, lim):
            res = self.inline(p, lsp, lim, links)
            if res is None:
                return p, lsp, found
            p, lsp, cites = res
            found.extend(cites)
        if self.ender(p, c, 3, lim):
            return p + 3, p + 3, found
        if self.ender(p, c, 2, lim):
            return self.emph_one(c, p + 2, p + 2, lim, links, found)
        return self.emph_two(c, p + 1, p + 1, lim, links, found)

    def inlines(self, i: int, lim: int, lsp: int | None, links: bool) -> list[Citation]:
        """Citations in t[i:lim] parsed as a fresh inline sequence (link text, notes)."""
        found: list[Citation] = []
        while i < lim:
            res = self.inline(i, lsp, lim, links)
            if res is None:
                i += 1
                continue
            i, lsp, cites = res
            found.extend(cites)
        return found

    # -- citations ---------------------------------------------------------

    def textual_cite(self, i: int, lsp: int | None, lim: int, links: bool) -> _Res | None:
        """pandoc ``textualCite``: ``@key``, ``@key [locator]``, ``@key [@other]``."""
        parsed = self.cite_key(i, lsp, lim)
        if parsed is None:
            return None
        kend, suppress, key = parsed
        t = self.t
        j = self.spnl(kend, lim)
        if j is not None and j < lim and t[j] == "[":
            res = self.normal_cite(j, lsp, lim, links)
            if res is not None:
                end, own, nested = res
                first: _Own = (key, i, kend, suppress, True, "")
                return end, lsp, self._group([first, *own], i, end) + nested
            res2 = self.bareloc(j, lsp, lim, links)
            if res2 is not None:
                end, locator, own, nested = res2
                first = (key, i, kend, suppress, True, locator)
                return end, lsp, self._group([first, *own], i, end) + nested
        return kend, lsp, self._group([(key, i, kend, suppress, True, "")], i, kend)

    def bareloc(
        self, j: int, lsp: int | None, lim: int, links: bool
    ) -> tuple[int, str, list[_Own], list[Citation]] | None:
        """pandoc ``bareloc``: the ``[p. 4]`` after an in-text key (may add ``; @more``)."""
        t = self.t
        if t.startswith("[^", j):
            return None
        res = self.suffix(j + 1, lsp, lim, links)
        if res is None:
            return None
        p, lsp2, nested = res
        locator = _clean_locator(t[j + 1 : p])
        own: list[_Own] = []
        if p < lim and t[p] == ";":
            q = self.spnl(p + 1, lim)
            if q is not None:
                more = self.cite_list(q, lsp2, lim, links)
                if more is not None:
                    p, own, nested2 = more
                    nested = nested + nested2
        p2 = self.spnl(p, lim)
        if p2 is None or p2 >= lim or t[p2] != "]":
            return None
        if p2 + 1 < lim and t[p2 + 1] in "[({":
            return None
        return p2 + 1, locator, own, nested

    def normal_cite(
        self, i: int, lsp: int | None, lim: int, links: bool
    ) -> tuple[int, list[_Own], list[Citation]] | None:
        """pandoc ``normalCite``: ``[prefix @key suffix; ...]`` not followed by link syntax."""
        memo_key = ("n", i, lsp, lim, links)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._normal_cite(i, lsp, lim, links)
        return self.memo[memo_key]  # type: ignore[return-value]

    def _normal_cite(
        self, i: int, lsp: int | None, lim: int, links: bool
    ) -> tuple[int, list[_Own], list[Citation]] | None:
        t = self.t
        if self.depth > _MAX_DEPTH:
            return None
        self.depth += 1
        try:
            j = self.spnl(i + 1, lim)
            if j is None:
                return None
            res = self.cite_list(j, lsp, lim, links)
            if res is None:
                return None
            p, own, nested = res
            p2 = self.spnl(p, lim)
            if p2 is None or p2 >= lim or t[p2] != "]":
                return None
            if _link_follows(t, p2 + 1, lim):
                return None
            return p2 + 1, own, nested
        finally:
            self.depth -= 1

    def cite_list(
        self, j: int, lsp: int | None, lim: int, links: bool
    ) -> tuple[int, list[_Own], list[Citation]] | None:
        """``citation`` separated by ``;`` (a ``;`` must be followed by a citation)."""
        t = self.t
        res = self.citation(j, lsp, lim, links)
        if res is None:
            return None
        p, lsp, one, nested = res
        own = [one]
        while p < lim and t[p] == ";":
            q = self.spnl(p + 1, lim)
            if q is None:
                break
            res = self.citation(q, lsp, lim, links)
            if res is None:
                return None
            p, lsp, one, more = res
            own.append(one)
            nested = nested + more
        return p, own, nested

    def citation(
        self, j: int, lsp: int | None, lim: int, links: bool
    ) -> tuple[int, int | None, _Own, list[Citation]] | None:
        """One ``prefix @key suffix`` item of a bracketed group."""
        t = self.t
        cur = j
        nested: list[Citation] = []
        while True:
            if cur >= lim:
                return None
            if t[cur] == "]":
                cur += 1
                break
            look = cur
            if t[cur] == ";":
                s = self.spnl(cur + 1, lim)
                look = s if s is not None else cur
            if self.cite_key(look, lsp, lim) is not None:
                break
            res = self.inline(cur, lsp, lim, links)
            if res is None:
                return None
            cur, lsp, cites = res
            nested.extend(cites)
        parsed = self.cite_key(cur, lsp, lim)
        if parsed is None:
            return None
        kend, suppress, key = parsed
        res2 = self.suffix(kend, lsp, lim, links)
        if res2 is None:
            return None
        p, lsp, more = res2
        return p, lsp, (key, cur, kend, suppress, False, _clean_locator(t[kend:p])), nested + more

    def suffix(self, i: int, lsp: int | None, lim: int, links: bool) -> _Res | None:
        """Inlines up to the next top-level ``;`` or ``]``."""
        t = self.t
        p = self.spnl(i, lim)
        if p is None:
            return None
        found: list[Citation] = []
        while p < lim and t[p] not in ";]":
            res = self.inline(p, lsp, lim, links)
            if res is None:
                break
            p, lsp, cites = res
            found.extend(cites)
        return p, lsp, found

    def bracket(self, i: int, lsp: int | None, lim: int, links: bool) -> _Res | None:
        """'[': footnote ref, citation group, span, link, or shortcut-reference fallback."""
        memo_key = ("b", i, lsp, lim, links)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._bracket(i, lsp, lim, links)
        return self.memo[memo_key]  # type: ignore[return-value]

    def _bracket(self, i: int, lsp: int | None, lim: int, links: bool) -> _Res | None:
        t = self.t
        m = _FOOTNOTE_REF_RE.match(t, i, lim)
        if m:
            return m.end(), lsp, []
        res = self.normal_cite(i, lsp, lim, links)
        if res is not None:
            end, own, nested = res
            return end, lsp, self._group(own, i, end) + nested
        if self.depth > _MAX_DEPTH:
            return None
        q = _balanced(t, i, lim)
        if q is None:
            return None
        self.depth += 1
        try:
            attrs = _attrs_end(t, q, lim)
            if attrs is not None:  # bracketed span
                return attrs, None, self.inlines(i + 1, q - 1, None, links)
            if not links:
                return None
            src = _source_end(t, q, lim)
            if src is not None:  # inline link: link text cannot contain links
                return src, None, self.inlines(i + 1, q - 1, None, False)
            # reference / shortcut link or literal brackets: text is parsed as inlines
            return q, None, self.inlines(i + 1, q - 1, None, True)
        finally:
            self.depth -= 1

    @staticmethod
    def _group(own: list[_Own], gs: int, ge: int) -> list[Citation]:
        return [
            Citation(key, s, e, gs, ge, in_text, sup, loc) for key, s, e, sup, in_text, loc in own
        ]


def _clean_locator(raw: str) -> str:
    """Suffix text as written, without the separating comma and with white space collapsed."""
    s = " ".join(raw.split())
    if s.startswith(","):
        s = s[1:].lstrip()
    return s


def _find_in_structural(masked: str) -> list[Citation]:
    """Citations in text whose code, HTML, math and link targets are already blanked."""
    found = _CiteParser(masked).inlines(0, len(masked), None, True)
    return sorted(found, key=lambda c: (c.start, c.end))


def find_citations(text: str) -> list[Citation]:
    """Find pandoc citations in raw or masked block text, in order of position.

    Anything pandoc would read as a ``Cite`` is reported, including keys inside link text
    or bare URLs (``https://medium.com/@user``), since pandoc would cite those too.
    """
    return _find_in_structural(_structural_mask(text))


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Distinct (group_start, group_end) spans of all citations, sorted."""
    return sorted({(c.group_start, c.group_end) for c in find_citations(text)})


# ---------------------------------------------------------------------------
# prose masking
# ---------------------------------------------------------------------------

_URL_RE = re.compile(r"(?<![\w@.])(?:https?://|ftp://|www\.)[^\s<>\[\]\"`]+", re.IGNORECASE)
_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_URL_TRAILING = ".,;:!?*_'"


def _trim_url(s: str) -> str:
    """Drop trailing punctuation, keeping a ')' that closes a '(' inside the URL."""
    while s:
        if s[-1] in _URL_TRAILING:
            s = s[:-1]
        elif s[-1] == ")" and s.count(")") > s.count("("):
            s = s[:-1]
        else:
            break
    return s


def mask_nonprose(text: str) -> str:
    """Return text of the same length with everything that is not prose turned to spaces.

    Masked: code spans, HTML comments and tags, autolinks, TeX math and commands, link
    destinations and titles (the ``(`` ``)`` stay), attribute blocks, footnote markers,
    reference link labels and definitions, bare URLs and e-mail addresses.  Newlines stay,
    link text and backslash escapes stay.  Masking never creates or removes a citation:
    an ``@key`` that pandoc would cite inside a bare URL is kept.
    """
    masked = _structural_mask(text)
    if "@" not in masked and "www." not in masked.lower() and "://" not in masked:
        return masked
    cites = _find_in_structural(masked)
    keep = [(c.start, c.end) for c in cites]
    chars = list(masked)
    spans = [(m.start(), m.start() + len(_trim_url(m.group()))) for m in _URL_RE.finditer(masked)]
    spans += [(m.start(), m.end()) for m in _EMAIL_RE.finditer(masked)]
    changed = False
    for start, end in spans:
        for k in range(start, end):
            if chars[k] != "\n" and not any(s <= k < e for s, e in keep):
                chars[k] = " "
                changed = True
    if not changed:
        return masked
    # Blanking the word before an '@' can turn it into a citation ("a@b.c@d"): such an
    # '@word' is no citation for pandoc, so blank it as well; if that does not restore
    # pandoc's citations exactly, give back the characters before it instead.
    expected = [(c.start, c.key) for c in cites]
    for attempt in range(16):
        got = _find_in_structural("".join(chars))
        extra = [c for c in got if (c.start, c.key) not in set(expected)]
        if not extra and [(c.start, c.key) for c in got] == expected:
            break
        for c in extra:
            if attempt < 8:
                _blank(chars, c.start, c.end)
                continue
            k = c.start - 1
            while k >= 0 and chars[k] != masked[k]:
                chars[k] = masked[k]
                if masked[k].isalnum() or masked[k] == ".":
                    break
                k -= 1
        if not extra:  # a citation was lost: never mask more than is safe
            return masked
    return "".join(chars)


# ---------------------------------------------------------------------------
# sentences
# ---------------------------------------------------------------------------

# abbreviations after which a sentence never ends
_NONFINAL = frozenset(
    """e.g. E.g. i.e. I.e. vs. Vs. Fig. fig. Figs. figs. approx. Approx. ca. Ca. cf. Cf. Dr.
    No. Nos. Ref. ref. Refs. refs. Eq. eq. Eqs. eqs. p. pp. vol. Vol. vols. St. Jr. Sr. U.S.
    U.K. Mr. Mrs. Ms. Prof. Suppl. suppl. Tab. Sect. sect. Ch. ch. Chap. chap. al.""".split()
)
_OPENING = "([{\"'\u201c\u2018*_"
_CLOSING = "\"')]}\u201d\u2019*_"
_INITIAL_RE = re.compile(r"(?:[A-Z]\.)+")
_NAME_RE = re.compile(r"[A-Z][a-z]+")


def _token_before(t: str, i: int) -> tuple[str, int]:
    """The non-space token ending at index i (inclusive) and its start."""
    s = i
    while s > 0 and not t[s - 1].isspace():
        s -= 1
    tok = t[s : i + 1].lstrip(_OPENING)
    return tok, s


def _is_abbreviation(t: str, i: int) -> bool:
    """True if the '.' at i ends an abbreviation or initial that does not end a sentence."""
    tok, s = _token_before(t, i)
    if tok in _NONFINAL:
        return True
    if not _INITIAL_RE.fullmatch(tok):
        return False
    if len(tok) > 2:  # "U.N.", "J.W."
        return True
    before = t[max(0, s - 80) : s].rsplit(None, 1)
    prev = before[-1].rstrip(",") if before else ""
    nxt = t[i + 1 :].split(None, 1)
    nxt_tok = nxt[0] if nxt else ""
    return bool(
        _INITIAL_RE.fullmatch(prev)
        or _NAME_RE.fullmatch(prev)
        or _INITIAL_RE.fullmatch(nxt_tok.rstrip(",;:"))
    )


def _sentence_start_ok(t: str, k: int) -> bool:
    """True if a sentence may start at k (capital, digit, quote, bracket or in-text cite)."""
    while k < len(t) and t[k] in "*_":
        k += 1
    if k >= len(t):
        return True
    c = t[k]
    return c.isupper() or c.isdigit() or c in "\"'\u201c\u2018([{@"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split masked prose into sentences as (start, end) offsets, trimmed of white space.

    Periods inside citation groups or still-open brackets, in decimals, after common
    abbreviations and after initials do not end a sentence.  A citation group written
    right after the period (``claim. [@k]``) belongs to the sentence before it.
    """
    t = text
    n = len(t)
    groups: dict[int, int] = {}
    inside: list[tuple[int, int]] = []
    for c in find_citations(t):
        inside.append((c.group_start, c.group_end))
        if t[c.group_start] == "[":
            groups[c.group_start] = max(groups.get(c.group_start, 0), c.group_end)
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    match = {")": "(", "]": "["}
    for k, ch in enumerate(t):
        if ch in "([":
            stack.append((ch, k))
        elif ch in ")]":
            for d in range(len(stack) - 1, -1, -1):
                if stack[d][0] == match[ch]:
                    pairs.append((stack[d][1], k))
                    del stack[d:]
                    break

    bounds: list[tuple[int, int]] = []
    start = 0
    i = 0
    while i < n:
        if t[i] not in ".!?" or any(s <= i < e for s, e in inside):
            i += 1
            continue
        e = i + 1
        while e < n and t[e] in ".!?":
            e += 1
        while e < n and t[e] in _CLOSING:
            e += 1
        if any(o < i and c >= e for o, c in pairs):
            i = e
            continue
        if t[i] == "." and e == i + 1 and _is_abbreviation(t, i):
            i = e
            continue
        j = e
        while True:
            k = j
            while k < n and t[k].isspace():
                k += 1
            if k in groups:
                j = groups[k]
            else:
                break
        k = j
        while k < n and t[k].isspace():
            k += 1
        if k >= n or (k > j and _sentence_start_ok(t, k)):
            bounds.append((start, j))
            start = j
        i = max(j, i + 1)
    bounds.append((start, n))
    out: list[tuple[int, int]] = []
    for s, e in bounds:
        while s < e and t[s].isspace():
            s += 1
        while e > s and t[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
