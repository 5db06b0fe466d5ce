"""Inline analysis of pandoc-Markdown prose: masking, citations and sentences.

Every function is pure and works on the raw source text of one block (a paragraph, list
item, table cell or heading) so that diagnostics can point at exact character offsets.

Citations are found by a small re-implementation of the parts of pandoc's Markdown inline
reader (pandoc 3.x) that decide whether an ``@`` starts a citation, and the same parse
tells which spans are code, HTML, math or link targets.  It follows pandoc even where that
is surprising (see ``tests/test_inline.py``), because the linter must agree with what the
final ``pandoc --citeproc`` build will cite.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .cache import Store

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
# lexical helpers: each mirrors one pandoc parser
# ---------------------------------------------------------------------------

_KEY_INTERNAL = frozenset(":.#$%&-+?<>~/")
_SPACE_TAB = " \t"
_LATEX_CMD_RE = re.compile(r"\\[A-Za-z]+\*?")
# URI schemes pandoc autolinks (a subset of its IANA list: other ``<x:y>`` are HTML or text)
_SCHEMES = (  # noqa: SIM905 - a word list reads best as one string
    "aaa about acap acct afp apt attachment bitcoin blob callto cap chrome cid content "
    "coap crid data dav dict dns doi ed2k facetime fax feed file finger fish ftp geo gg "
    "git gopher h323 hdl http https iax icap im imap info ipp irc irc6 ircs isbn jabber "
    "ldap magnet mailto maps market message mid mms msnim mtqp mumble mupdate mvn news "
    "nfs nntp notes onenote opaquelocktoken pop pres rsync rtmp rtsp s3 sftp sip sips "
    "skype sms snmp spotify ssh steam svn tag tel telnet tftp tv udp urn vnc webcal ws "
    "wss xmpp z39.50r"
).split()
_AUTOLINK_RE = re.compile(
    r"<(?:(?:" + "|".join(re.escape(x) for x in _SCHEMES) + r"):[^\s<>]*"
    r"|[A-Za-z0-9][\w!#$%&'*+/=?^`{|}~-]*(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>",
    re.IGNORECASE,
)
_HTML_TAG_RE = re.compile(
    r"""</?[A-Za-z][A-Za-z0-9\-:]*
    (?:\s+[A-Za-z_:][\w:.\-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*
    \s*/?>""",
    re.VERBOSE,
)
_ATTRS_RE = re.compile(
    r"""\{[ \t]*\n?[ \t]*
    (?:(?:\#[\w\-:.]+|\.[^\W\d][\w\-:.]*|[^\W\d][\w\-:.]*=(?:"[^"]*"|'[^']*'|[^\s}"']*)|-)
       [ \t]*\n?[ \t]*)*
    \}""",
    re.VERBOSE,
)
_RAW_ATTR_RE = re.compile(r"\{=[\w-]+\}")
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\s\]]+\]")
_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


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
            internal = d in _KEY_INTERNAL and nxt != "" and _is_regchar(nxt)
            if _is_regchar(d) or internal or (d in ":/" and nxt == "/"):
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


_BALANCED_REACH = 4096  # no real link destination or TeX argument is longer


def _balanced(t: str, i: int, lim: int, open_: str, close: str) -> int | None:
    """Index just past the delimiter closing the one at i (escapes honoured, no blank line)."""
    depth = 0
    j = i
    lim = min(lim, i + _BALANCED_REACH)
    while j < lim:
        c = t[j]
        if c == "\\":
            j += 2
            continue
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


def _code_end(t: str, i: int, lim: int) -> int | None:
    """End of the inline code span opened by the backtick run at i (pandoc ``code``).

    The closing run must have exactly as many backticks as the opening run; the span may
    continue over line breaks but not over a blank line.  Attributes (``{.py}``, ``{=html}``)
    directly after it belong to it.
    """
    j = i
    while j < lim and t[j] == "`":
        j += 1
    width = j - i
    k = j
    while k < lim:
        c = t[k]
        if c == "`":
            m = k
            while m < lim and t[m] == "`":
                m += 1
            if m - k == width:
                attrs = _attrs_end(t, m, lim)
                if attrs is None:
                    raw = _RAW_ATTR_RE.match(t, m, lim)
                    attrs = raw.end() if raw else None
                return attrs or m
            k = m
        elif c == "\n" and _blank_line_at(t, k + 1, lim):
            return None
        else:
            k += 1
    return None


def _math_end(t: str, i: int, lim: int) -> int | None:
    """End of ``$...$`` or ``$$...$$`` TeX math starting at i (pandoc tex_math_dollars).

    Inline math must not start with white space or end with white space before the closing
    ``$``, and the closing ``$`` must not be followed by a digit (``$5 and $6`` is no math).
    """
    if t.startswith("$$", i):
        k = i + 2
        while k < lim:
            if t.startswith("$$", k):
                return k + 2 if k > i + 2 and k + 2 <= lim else None
            if t[k] == "\n" and _blank_line_at(t, k + 1, lim):
                return None
            k += 2 if t[k] == "\\" else 1
        return None
    if i + 1 >= lim or t[i + 1].isspace():
        return None
    k = i + 1
    while k < lim:
        c = t[k]
        if c == "$":
            if k + 1 < lim and t[k + 1].isdigit():
                return None
            return k + 1
        if c == "\\":
            k += 2
        elif c.isspace():
            m = k
            while m < lim and t[m] in _SPACE_TAB:
                m += 1
            if m < lim and t[m] == "\n":
                if _blank_line_at(t, m + 1, lim):
                    return None
                m += 1
                while m < lim and t[m] in _SPACE_TAB:
                    m += 1
            if m >= lim or t[m] == "$":
                return None
            k = max(m, k + 1)  # other white space (form feed, U+2028) is an ordinary character
        else:
            k += 1
    return None


def _latex_end(t: str, i: int, lim: int) -> int | None:
    """End of a raw TeX command with its ``{...}``/``[...]`` arguments starting at i."""
    m = _LATEX_CMD_RE.match(t, i, lim)
    if not m:
        return None
    end = m.end()
    while end < lim and t[end] in "{[":
        k = _balanced(t, end, lim, t[end], "}" if t[end] == "{" else "]")
        if k is None:
            break
        end = k
    return end


def _html_end(t: str, i: int, lim: int, autolinks: bool) -> int | None:
    """End of an HTML comment, tag or (where links are allowed) autolink starting at i."""
    if autolinks:
        m = _AUTOLINK_RE.match(t, i, lim)
        if m:  # with the attributes pandoc reads after it: ``<https://x.org>{.c}``
            return _attrs_end(t, m.end(), lim) or m.end()
    if t.startswith("<!--", i):
        k = t.find("-->", i + 4, lim)
        if k >= 0:
            return k + 3
    m = _HTML_TAG_RE.match(t, i, lim)
    return m.end() if m else None


def _bracket_end(t: str, i: int, lim: int) -> int | None:
    """Index just past the ']' matching the '[' at i, scanned as pandoc 3 scans labels.

    Escapes, code, HTML, TeX and ``$math$`` are opaque here even where the inline parser
    would read them differently: in ``[x @m$n](u @m$)`` the ``$`` inside the key starts
    math, so there is no closing bracket.
    """
    depth = 0
    j = i
    while j < lim:
        c = t[j]
        end = None
        if c == "\\":
            escaped = j + 1 < lim and not t[j + 1].isalnum()
            end = j + 2 if escaped else _latex_end(t, j, lim)
        elif c == "`":
            end = _code_end(t, j, lim)
        elif c == "<":
            end = _html_end(t, j, lim, autolinks=False)
        elif c == "$":
            end = _math_end(t, j, lim)
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j + 1
        j = end if end is not None else j + 1
    return None


def _attrs_end(t: str, i: int, lim: int) -> int | None:
    """End of a valid pandoc attribute block ``{#id .class k=v}`` starting at i."""
    if i >= lim or t[i] != "{":
        return None
    m = _ATTRS_RE.match(t, i, lim)
    return m.end() if m else None


def _link_attrs(t: str, i: int, lim: int, items: list[_Item]) -> int:
    """End of a link or image that ends at i, with the attribute block pandoc reads right
    after it (``![x](f.png){width=10%}``, ``[x][ref]{.c}``), whose contents are blanked."""
    end = _attrs_end(t, i, lim)
    if end is None:
        return i
    items.append((i + 1, end - 1))
    return end


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
                close = _balanced(t, j, lim, "(", ")")
                if close is None:
                    break
                j = close
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
    k = j  # optional title
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
        return _bracket_end(t, q, lim) is not None
    if c == "{":
        return _attrs_end(t, q, lim) is not None
    return False


def _clean_locator(raw: str) -> str:
    """Suffix text as written, without the separating comma and with white space collapsed."""
    s = " ".join(raw.split())
    if s.startswith(","):
        s = s[1:].lstrip()
    return s


# ---------------------------------------------------------------------------
# the inline parser
# ---------------------------------------------------------------------------

# A parse yields citations and (start, end) spans of non-prose text to blank out.
_Item = Citation | tuple[int, int]
# a source position: an offset in the block, or (line, column) inside a re-parsed chunk
_Pos = int | tuple[int, int]
# (new position, position where the last word ended, items found)
_Res = tuple[int, _Pos | None, list[_Item]]
# (key, start, end, suppress_author, in_text, locator) of a citation inside its group
_Own = tuple[str, int, int, bool, bool, str]
_MAX_DEPTH = 100  # nested inline elements; each costs a few Python frames


class _InlineParser:
    """Recursive-descent emulation of the pandoc inline parsers that matter for citations.

    ``lsp`` is pandoc's *lastStrPos*: the position where the most recent word (``Str``) or
    closed emphasis ended; a citation may not start there, which is why ``me@x.org`` is no
    citation.  pandoc re-parses link text, notes and similar snippets with positions that
    restart at line 1, column 1, and keeps *lastStrPos* across them, so positions inside
    such a chunk are (line, column) pairs while positions in the block are offsets.
    Results are memoized so nested brackets stay cheap.
    """

    def __init__(
        self, text: str, base: int = -1, shared: dict[int, _InlineParser] | None = None
    ) -> None:
        self.t = text
        self.base = base  # start offset of the chunk, or -1 for the block itself
        self.memo: dict[tuple[object, ...], object] = {}
        # one parser per chunk start, shared by all, so that memoized results are reused
        self.shared: dict[int, _InlineParser] = {} if shared is None else shared
        self.shared.setdefault(base, self)
        root = self.shared[-1] if -1 in self.shared and base != -1 else None
        self.nesting: list[int] = root.nesting if root is not None else [0]
        # work done over all chunks; past the budget the block is read the simple way
        self.steps: list[int] = root.steps if root is not None else [0]
        self.budget = _STEPS_PER_CHAR * len(text) + 20_000

    def _tick(self, work: int = 1) -> None:
        self.steps[0] += work
        if self.steps[0] > self.budget:
            raise _Overrun

    @property
    def depth(self) -> int:
        """Current nesting of inline parses, over all chunks."""
        return self.nesting[0]

    @depth.setter
    def depth(self, value: int) -> None:
        self.nesting[0] = value

    def pos(self, i: int) -> _Pos:
        """pandoc's source position of offset i in this parse."""
        if self.base < 0:
            return i
        t = self.t
        line_start = t.rfind("\n", self.base, i) + 1 or self.base
        col = 1
        for k in range(line_start, i):
            col = col + 8 - (col - 1) % 8 if t[k] == "\t" else col + 1
        return (t.count("\n", self.base, i) + 1, col)

    def chunk(
        self, start: int, end: int, lsp: _Pos | None, links: bool
    ) -> tuple[list[_Item], _Pos | None]:
        """Parse t[start:end] as pandoc's ``parseFromString`` would."""
        child = self.shared.get(start)
        if child is None:
            child = _InlineParser(self.t, start, self.shared)
        key = ("c", start, end, lsp, links)
        if key not in child.memo:
            child.memo[key] = child.inlines(start, end, lsp, links)
        items, lsp_out = cast(tuple[list[_Item], "_Pos | None"], child.memo[key])
        return list(items), lsp_out  # a copy: callers may extend it

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

    def cite_key(self, i: int, lsp: _Pos | None, lim: int) -> tuple[int, bool, str] | None:
        """pandoc ``citeKey``: optional '-', '@', key; not directly after a word."""
        t = self.t
        if i >= lim or lsp == self.pos(i):
            return None
        suppress = t[i] == "-"
        at = i + 1 if suppress else i
        if at >= lim or t[at] != "@":
            return None
        parsed = _parse_key(t, at + 1, lim)
        if parsed is None:
            return None
        return parsed[0], suppress, parsed[1]

    def inlines(
        self, i: int, lim: int, lsp: _Pos | None, links: bool
    ) -> tuple[list[_Item], _Pos | None]:
        """Items of t[i:lim] parsed as an inline sequence, and the final *lastStrPos*."""
        found: list[_Item] = []
        while i < lim:
            res = self.inline(i, lsp, lim, links)
            if res is None:
                i += 1
                continue
            i, lsp, items = res
            found.extend(items)
        return found, lsp

    # -- inline dispatcher -------------------------------------------------

    def inline(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        """Parse one inline element at i, like pandoc's ``inline``; None at end or blank line.

        Memoized (packrat parsing), so that backtracking over unclosed brackets and
        emphasis stays polynomial.
        """
        key = ("i", i, lsp, lim, links)
        if key not in self.memo:
            if self.depth > _MAX_DEPTH:  # absurd nesting: read one character as text
                return (i + 1, lsp, []) if i < lim else None
            self.steps[0] += 1
            if self.steps[0] > self.budget:
                raise _Overrun
            self.depth += 1
            try:
                self.memo[key] = self._inline(i, lsp, lim, links)
            finally:
                self.depth -= 1
        return self.memo[key]  # type: ignore[return-value]

    def _inline(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
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
            if i + 1 < lim and _blank_line_at(t, i + 1, lim):
                return None
            j = i + 1
            while j < lim and t[j] in _SPACE_TAB:
                j += 1
            return j, lsp, []
        if c.isalnum() or (c == "." and not t.startswith("...", i)):
            j = i  # pandoc ``str``: letters and digits, and single dots
            while j < lim:
                if t[j].isalnum() or (t[j] == "." and not (j + 1 < lim and t[j + 1] == ".")):
                    j += 1
                else:
                    break
            if j == i:
                return i + 1, lsp, []
            return j, self.pos(j), []
        end: int | None = None
        if c == "@" or (c == "-" and i + 1 < lim and t[i + 1] == "@"):
            res = self.textual_cite(i, lsp, lim, links)
            if res is not None:
                return res
            if c == "@":  # pandoc's exampleRef swallows '@label' without ending a word
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
            n = 3 if t.startswith("---", i) else 2 if t.startswith("--", i) else 1
            return min(i + n, lim), lsp, []
        if c == ".":  # ellipsis
            return min(i + 3, lim), lsp, []
        if c in "'\"\u2018\u201c":
            return self.quoted(i, lsp, lim, links)
        if c == "[":
            res = self.bracket(i, lsp, lim, links)
            return res if res is not None else (i + 1, lsp, [])
        if c == "!" and i + 1 < lim and t[i + 1] == "[":
            res = self.link(i + 1, lsp, lim, links, image=True)
            return res if res is not None else (i + 1, lsp, [])
        if c in "^~":
            res = self.script(i, lsp, lim, links)
            return res if res is not None else (i + 1, lsp, [])
        if c in "*_":
            res = self.enclosure(i, lsp, lim, links)
            return res if res is not None else (i + 1, lsp, [])
        if c == "`":
            end = _code_end(t, i, lim)
        elif c == "$":
            end = _math_end(t, i, lim)
        elif c == "<":
            end = _html_end(t, i, lim, autolinks=links)
        elif c == "\\":
            if i + 1 < lim and t[i + 1].isascii() and t[i + 1].isalpha():
                end = _latex_end(t, i, lim)
            elif i + 1 < lim and t[i + 1] != "\n" and not t[i + 1].isalnum():
                return i + 2, lsp, []  # escaped character
        elif c == "&":
            m = _ENTITY_RE.match(t, i, lim)
            return (m.end() if m else i + 1), lsp, []
        if end is not None:
            return end, lsp, [(i, end)]
        return i + 1, lsp, []

    def quoted(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res:
        """Smart quotes: a quoted span is parsed as a unit (it can hide ';' or ']')."""
        t = self.t
        c = t[i]
        double = c in '"\u201c'
        starts = i + 1 < lim and not t[i + 1].isspace()
        if not double and lsp == self.pos(i):
            starts = False  # an apostrophe after a word
        if starts:
            p = i + 1
            found: list[_Item] = []
            first = True
            while p < lim:
                if not first and (
                    (double and t[p] in '"\u201d')
                    or (
                        not double
                        and t[p] in "'\u2019"
                        and not (p + 1 < lim and t[p + 1].isalnum())
                    )
                ):
                    return p + 1, lsp, found
                first = False
                res = self.inline(p, lsp, lim, links)
                if res is None:
                    break
                p, lsp, items = res
                found.extend(items)
        return i + 1, lsp, []

    # -- citations ---------------------------------------------------------

    def textual_cite(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        """pandoc ``textualCite``: ``@key``, ``@key [locator]``, ``@key [@other]``."""
        parsed = self.cite_key(i, lsp, lim)
        if parsed is None:
            return None
        kend, suppress, key = parsed
        t = self.t
        j = self.spnl(kend, lim)
        if j is not None and j < lim and t[j] == "[":
            first: _Own = (key, i, kend, suppress, True, "")
            own: list[_Own] | None = None
            res = self.normal_cite(j, lsp, lim, links)
            if res is not None:
                end, lsp2, more, nested = res
                own = [first, *more]
            else:
                res2 = self.bareloc(j, lsp, lim, links)
                if res2 is not None:
                    end, lsp2, locator, more, nested = res2
                    own = [(key, i, kend, suppress, True, locator), *more]
            if own is not None:
                return end, lsp2, _group(own, i, end) + nested
        return kend, lsp, _group([(key, i, kend, suppress, True, "")], i, kend)

    def bareloc(
        self, j: int, lsp: _Pos | None, lim: int, links: bool
    ) -> tuple[int, _Pos | None, str, list[_Own], list[_Item]] | None:
        """pandoc ``bareloc``: the ``[p. 4]`` after an in-text key (may add ``; @more``)."""
        t = self.t
        if t.startswith("[^", j):
            return None
        res = self.suffix(j + 1, lsp, lim, links)
        if res is None:
            return None
        p, lsp, nested = res
        locator = _clean_locator(t[j + 1 : p])
        own: list[_Own] = []
        if p < lim and t[p] == ";":
            q = self.spnl(p + 1, lim)
            if q is not None:
                more = self.cite_list(q, lsp, lim, links)
                if more is not None:
                    p, lsp, own, nested2 = more
                    nested = nested + nested2
        p2 = self.spnl(p, lim)
        if p2 is None or p2 >= lim or t[p2] != "]":
            return None
        if p2 + 1 < lim and t[p2 + 1] in "[({":
            return None
        return p2 + 1, lsp, locator, own, nested

    def normal_cite(
        self, i: int, lsp: _Pos | None, lim: int, links: bool
    ) -> tuple[int, _Pos | None, list[_Own], list[_Item]] | None:
        """pandoc ``normalCite``: ``[prefix @key suffix; ...]`` not followed by link syntax."""
        memo_key = ("n", i, lsp, lim, links)
        if memo_key not in self.memo:
            self.memo[memo_key] = self._normal_cite(i, lsp, lim, links)
        return self.memo[memo_key]  # type: ignore[return-value]

    def _normal_cite(
        self, i: int, lsp: _Pos | None, lim: int, links: bool
    ) -> tuple[int, _Pos | None, list[_Own], list[_Item]] | None:
        t = self.t
        j = self.spnl(i + 1, lim)
        if j is None:
            return None
        res = self.cite_list(j, lsp, lim, links)
        if res is None:
            return None
        p, lsp, own, nested = res
        p2 = self.spnl(p, lim)
        if p2 is None or p2 >= lim or t[p2] != "]":
            return None
        if _link_follows(t, p2 + 1, lim):
            return None
        return p2 + 1, lsp, own, nested

    def cite_list(
        self, j: int, lsp: _Pos | None, lim: int, links: bool
    ) -> tuple[int, _Pos | None, list[_Own], list[_Item]] | None:
        """``citation`` items separated by ``;`` (a ``;`` must be followed by one)."""
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
        return p, lsp, own, nested

    def citation(
        self, j: int, lsp: _Pos | None, lim: int, links: bool
    ) -> tuple[int, _Pos | None, _Own, list[_Item]] | None:
        """One ``prefix @key suffix`` item of a bracketed group."""
        t = self.t
        cur = j
        nested: list[_Item] = []
        while True:  # prefix: inlines up to ']' or up to the next key
            self._tick()
            if cur >= lim:
                return None
            if t[cur] == "]":
                cur += 1
                break
            if t[cur] == ";":  # pandoc 3: a prefix cannot contain ';'
                return None
            if self.cite_key(cur, lsp, lim) is not None:
                break
            res = self.inline(cur, lsp, lim, links)
            if res is None:
                return None
            cur, lsp, items = res
            nested.extend(items)
        parsed = self.cite_key(cur, lsp, lim)
        if parsed is None:
            return None
        kend, suppress, key = parsed
        res2 = self.suffix(kend, lsp, lim, links)
        if res2 is None:
            return None
        p, lsp, more = res2
        return p, lsp, (key, cur, kend, suppress, False, _clean_locator(t[kend:p])), nested + more

    def suffix(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        """Inlines up to the next top-level ``;`` or ``]``."""
        t = self.t
        p = self.spnl(i, lim)
        if p is None:
            return None
        found: list[_Item] = []
        while p < lim and t[p] not in ";]":
            res = self.inline(p, lsp, lim, links)
            if res is None:
                break
            p, lsp, items = res
            found.extend(items)
        return p, lsp, found

    # -- brackets ----------------------------------------------------------

    def bracket(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        """'[': footnote ref, citation group, span, link, or shortcut-reference fallback."""
        memo_key = ("b", i, lsp, lim, links)
        if memo_key not in self.memo:
            self._tick(lim - i)  # a bracket scan may read to the end of the block
            self.memo[memo_key] = self._bracket(i, lsp, lim, links)
        return self.memo[memo_key]  # type: ignore[return-value]

    def _bracket(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        t = self.t
        m = _FOOTNOTE_REF_RE.match(t, i, lim)
        if m:
            return m.end(), lsp, [(i, m.end())]
        res = self.normal_cite(i, lsp, lim, links)
        if res is not None:
            end, lsp2, own, nested = res
            return end, lsp2, _group(own, i, end) + nested
        return self.link(i, lsp, lim, links, image=False)

    def link(self, i: int, lsp: _Pos | None, lim: int, links: bool, image: bool) -> _Res | None:
        """A span ``[text]{.c}``, link ``[text](url)`` or ``[text][label]``, or image.

        The text is re-parsed as a chunk; pandoc keeps the word position that leaves behind
        except for links, which restore it.  Reference labels are assumed undefined (the
        definitions live in other blocks), which only changes how the text is rendered.
        """
        t = self.t
        q = _bracket_end(t, i, lim)
        if q is None:
            return None
        if not image:
            attrs = _attrs_end(t, q, lim)
            if attrs is not None:  # bracketed span
                items, lsp2 = self.chunk(i + 1, q - 1, lsp, links)
                return attrs, lsp2, [*items, (q + 1, attrs - 1)]
            if not links:
                return None
        src = _source_end(t, q, lim)
        if src is not None:  # inline link or image
            items, lsp2 = self.chunk(i + 1, q - 1, lsp, image)
            end = _link_attrs(t, src, lim, items)
            return end, (lsp2 if image else lsp), [*items, (q + 1, src - 1)]
        # Reference link [text][label], [text][] or [text]: pandoc parses the text and
        # the label (keeping the label's word position), and renders an undefined
        # reference as the literal "[text][label]", both re-parsed afresh.
        _, lsp2 = self.chunk(i + 1, q - 1, lsp, image)
        if not image:
            lsp2 = lsp
        items, _ = self.chunk(i + 1, q - 1, None, True)
        q2 = _bracket_end(t, q, lim) if q < lim and t[q] == "[" else None
        if q2 is None:
            return _link_attrs(t, q, lim, items), lsp2, items
        if self.normal_cite(q, lsp2, lim, links) is not None:
            return q, lsp2, items
        _, lsp2 = self.chunk(q + 1, q2 - 1, lsp2, True)
        label, _ = self.chunk(q, q2, None, True)
        if any(isinstance(x, Citation) for x in label):
            items += label
        else:
            items.append((q + 1, q2 - 1))
        return _link_attrs(t, q2, lim, items), lsp2, items

    def script(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        """Strikeout ``~~x~~``, sub/superscript ``~x~`` ``^x^`` and inline notes ``^[x]``.

        Sub- and superscript content runs to the next unescaped delimiter and may hold no
        white space; it is then parsed on its own, so ``~b;@t~u`` cites ``t``.
        """
        t = self.t
        c = t[i]
        if c == "~" and t.startswith("~~", i) and i + 2 < lim and t[i + 2] not in " \t\n~":
            p = i + 2
            found: list[_Item] = []
            lsp2 = lsp
            while p < lim and not t.startswith("~~", p):
                res = self.inline(p, lsp2, lim, links)
                if res is None:
                    break
                p, lsp2, items = res
                found.extend(items)
            if t.startswith("~~", p) and p + 2 <= lim:
                return p + 2, lsp2, found
        j = i + 1
        while j < lim and t[j] != c and not t[j].isspace():
            j += 2 if t[j] == "\\" and j + 1 < lim and not t[j + 1].isspace() else 1
        if j < lim and t[j] == c and j > i + 1:
            items, lsp2 = self.chunk(i + 1, j, lsp, links)
            return j + 1, lsp2, items
        if c == "^" and i + 1 < lim and t[i + 1] == "[":  # inline note
            q = _bracket_end(t, i + 1, lim)
            if q is not None and not (q < lim and t[q] in "(["):
                items, lsp2 = self.chunk(i + 2, q - 1, lsp, True)
                return q, lsp2, [(i, i + 2), *items, (q - 1, q)]
        return None

    # -- emphasis (pandoc ``enclosure``, ``one``, ``two``, ``three``) ------------

    def ender(self, p: int, c: str, n: int, lim: int) -> bool:
        """n delimiter characters c at p; '_' may not be followed by a letter or digit."""
        t = self.t
        if p + n > lim or t[p : p + n] != c * n:
            return False
        return c == "*" or not (p + n < lim and t[p + n].isalnum())

    def enclosure(self, i: int, lsp: _Pos | None, lim: int, links: bool) -> _Res | None:
        """Emphasis or strong emphasis starting at i.

        A closed emphasis ends like a word (so ``*a*@k`` is no citation); an unclosed one
        still parses, as literal text, everything up to the end of the paragraph.
        """
        t = self.t
        c = t[i]
        if c == "_" and lsp == self.pos(i):  # intraword underscore
            return None
        j = i
        while j < lim and t[j] == c:
            j += 1
        if j < lim and t[j] in _SPACE_TAB:
            return j, lsp, []
        if j - i == 1:
            return self.emph_one(c, j, lsp, lim, links, [])
        if j - i == 2:
            return self.emph_two(c, j, lsp, lim, links, [])
        if j - i == 3:
            return self.emph_three(c, j, lsp, lim, links)
        return j, lsp, []

    def emph_one(
        self, c: str, p: int, lsp: _Pos | None, lim: int, links: bool, found: list[_Item]
    ) -> _Res:
        """pandoc ``one``: inlines up to a single delimiter (``**`` inside opens strong)."""
        found = list(found)
        while True:
            if self.ender(p, c, 1, lim):
                if self.ender(p, c, 2, lim) and not self.ender(p + 2, c, 1, lim):
                    p, lsp, items = self.emph_two(c, p + 2, lsp, lim, links, [])
                    found.extend(items)
                    continue
                return p + 1, self.pos(p + 1), found
            res = self.inline(p, lsp, lim, links)
            if res is None:
                return p, lsp, found
            p, lsp, items = res
            found.extend(items)

    def emph_two(
        self, c: str, p: int, lsp: _Pos | None, lim: int, links: bool, found: list[_Item]
    ) -> _Res:
        """pandoc ``two``: inlines up to a double delimiter."""
        found = list(found)
        while True:
            if self.ender(p, c, 2, lim):
                return p + 2, self.pos(p + 2), found
            res = self.inline(p, lsp, lim, links)
            if res is None:
                return p, lsp, found
            p, lsp, items = res
            found.extend(items)

    def emph_three(self, c: str, p: int, lsp: _Pos | None, lim: int, links: bool) -> _Res:
        """pandoc ``three``: a triple delimiter may close as one, two or three."""
        found: list[_Item] = []
        while not self.ender(p, c, 1, lim):
            res = self.inline(p, lsp, lim, links)
            if res is None:
                return p, lsp, found
            p, lsp, items = res
            found.extend(items)
        if self.ender(p, c, 3, lim):
            return p + 3, self.pos(p + 3), found
        if self.ender(p, c, 2, lim):
            return self.emph_one(c, p + 2, self.pos(p + 2), lim, links, found)
        return self.emph_two(c, p + 1, self.pos(p + 1), lim, links, found)


def _group(own: list[_Own], gs: int, ge: int) -> list[_Item]:
    """Citations of one pandoc ``Cite`` element, all sharing its span."""
    return [Citation(key, s, e, gs, ge, in_text, sup, loc) for key, s, e, sup, in_text, loc in own]


# ---------------------------------------------------------------------------
# block-level masking, analysis and the public API
# ---------------------------------------------------------------------------

_REF_DEF_RE = re.compile(
    r"^[ ]{0,3}\[(?![@^])[^\]\n]+\]:[ \t]*(?:\n[ \t]*)?\S[^\n]*"
    r"(?:\n[ \t]+(?:\"[^\n]*\"|'[^\n]*'|\([^\n]*\))[ \t]*(?=\n|$))?",
    re.MULTILINE,
)
_FOOTNOTE_DEF_RE = re.compile(r"^[ ]{0,3}\[\^[^\s\]]+\]:", re.MULTILINE)
_HEADING_ATTR_RE = re.compile(r"[ \t]+(\{[^{}\n]*\})[ \t]*$")
_URL_RE = re.compile(r"(?<![\w@.])(?:https?://|ftp://|www\.)[^\s<>\[\]\"`]+", re.IGNORECASE)
_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_URL_TRAILING = ".,;:!?*_'"


def _blank(chars: list[str], start: int, end: int) -> None:
    """Replace chars[start:end] by spaces, keeping line breaks."""
    for k in range(start, end):
        if chars[k] not in "\r\n":
            chars[k] = " "


def _block_spans(text: str) -> list[tuple[int, int]]:
    """Line-level non-prose: link reference definitions, note markers, heading attributes."""
    spans = [(m.start(), m.end()) for m in _REF_DEF_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _FOOTNOTE_DEF_RE.finditer(text)]
    m = _HEADING_ATTR_RE.search(text)
    if m and _attrs_end(text, m.start(1), len(text)) == m.end(1):
        spans.append((m.start(1), m.end(1)))
    return spans


_STEPS_PER_CHAR = 60
_SIMPLE_CITE_RE = re.compile(
    r"(?<![\w.@])(-?)@([A-Za-z0-9_][\w:.#$%&+?<>~/-]*[A-Za-z0-9_]|[A-Za-z0-9_])"
)
_SIMPLE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)*?\1|<!--.*?-->|<[A-Za-z][^<>\n]*>", re.DOTALL)


class _Overrun(Exception):
    """The parse of one block took more work than any real manuscript needs."""


def _simple_analyze(text: str) -> tuple[list[Citation], list[tuple[int, int]]]:
    """A linear reading for pathological blocks (thousands of unclosed brackets): code and
    HTML are non-prose, every `@key` is an in-text citation."""
    spans = [(m.start(), m.end()) for m in _SIMPLE_CODE_RE.finditer(text)]
    cites = []
    for m in _SIMPLE_CITE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        start = m.start()
        cites.append(
            Citation(m.group(2), start, m.end(), start, m.end(), True, bool(m.group(1)), "")
        )
    return cites, spans


_Analysis = tuple[tuple[Citation, ...], tuple[tuple[int, int], ...]]


@functools.lru_cache(maxsize=512)
def _analyze_cached(text: str, store: Store | None) -> _Analysis:
    """The analysis of one block, from the project's store when this exact text was seen."""
    if store is None:
        return _analyze_now(text)
    from .cache import key

    return store.memo("inline").get(key(text), lambda: _analyze_now(text), _Analysis)


def _analyze_now(text: str) -> _Analysis:
    try:
        cites, spans = _analyze_full(text)
    except (_Overrun, RecursionError):
        cites, spans = _simple_analyze(text)
    return tuple(cites), tuple(spans)


def _analyze(text: str, store: Store | None = None) -> tuple[list[Citation], list[tuple[int, int]]]:
    """Citations (in order) and non-prose spans of one block (computed once per text)."""
    cites, spans = _analyze_cached(text, store)
    return list(cites), list(spans)


def _analyze_full(text: str) -> tuple[list[Citation], list[tuple[int, int]]]:
    if "\r" in text:  # pandoc reads CRLF and CR as LF; keep the offsets
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    spans = _block_spans(text)
    if spans:
        chars = list(text)
        for start, end in spans:
            _blank(chars, start, end)
        text = "".join(chars)
    items, _ = _InlineParser(text).inlines(0, len(text), None, True)
    cites = sorted((x for x in items if isinstance(x, Citation)), key=lambda c: c.start)
    spans += [x for x in items if not isinstance(x, Citation)]
    return cites, spans


def find_citations(text: str, store: Store | None = None) -> list[Citation]:
    """Find pandoc citations in raw or masked block text, in order of position.

    Anything pandoc would read as a ``Cite`` is reported, including keys in link text or
    in bare URLs (``https://medium.com/@user``), since pandoc would cite those too.
    """
    return _analyze(text, store)[0]


def citation_spans(text: str, store: Store | None = None) -> list[tuple[int, int]]:
    """Distinct (group_start, group_end) spans of all citations, sorted."""
    return sorted({(c.group_start, c.group_end) for c in find_citations(text, store)})


def _trim_url(s: str) -> str:
    """Drop trailing punctuation, keeping a ')' that closes a '(' inside the URL."""
    while s:
        if s[-1] in _URL_TRAILING or (s[-1] == ")" and s.count(")") > s.count("(")):
            s = s[:-1]
        else:
            break
    return s


def mask_nonprose(text: str, store: Store | None = None) -> str:
    """Return text of the same length with everything that is not prose turned to spaces.

    Masked: code spans, HTML comments and tags, autolinks, TeX math and commands, link
    destinations and titles (the ``(`` and ``)`` stay), attribute blocks, footnote markers,
    reference labels and definitions, bare URLs and e-mail addresses.  Newlines stay, link
    text and backslash escapes stay.  Masking never creates or removes a citation: an
    ``@key`` that pandoc would cite inside a bare URL is kept.
    """
    cites, spans = _analyze(text, store)
    chars = list(text)
    for start, end in spans:
        _blank(chars, start, end)
    structural = list(chars)
    keep = [(c.start, c.end) for c in cites]
    masked = "".join(chars)
    urls = [(m.start(), m.start() + len(_trim_url(m.group()))) for m in _URL_RE.finditer(masked)]
    urls += [(m.start(), m.end()) for m in _EMAIL_RE.finditer(masked)]
    for start, end in urls:
        for k in range(start, end):
            if chars[k] not in "\r\n" and not any(s <= k < e for s, e in keep):
                chars[k] = " "
    settled = _settle(text, chars, cites, store)
    if settled is None and structural != chars:
        settled = _settle(text, structural, cites, store)
    return text if settled is None else settled


def _settle(
    text: str, chars: list[str], cites: list[Citation], store: Store | None = None
) -> str | None:
    """Adjust a masking until it reads exactly like the original, or give up (None).

    Blanking can change how pandoc reads what is left: a ``$`` or backtick that was a
    literal can now open math or code (``$a ? $x$ @k$b``), and an ``@`` whose preceding
    word was blanked becomes a citation (``a@b.c@d``).  Such openers and ``@words`` are
    blanked too, which also makes masking idempotent.
    """
    expected = [(c.start, c.key) for c in cites]
    wanted = set(expected)
    for attempt in range(24):
        masked = "".join(chars)
        got, spans = _analyze(masked, store)
        openers = [
            s
            for s, e in spans
            if masked[s] in "`$<\\" and any(not masked[k].isspace() for k in range(s, e))
        ]
        if not openers and [(c.start, c.key) for c in got] == expected:
            return masked
        for s in openers:
            chars[s] = " "
        if openers:
            continue
        extra = [c for c in got if (c.start, c.key) not in wanted]
        if not extra:  # a citation was lost
            return None
        for c in extra:
            if c.suppress_author and (c.start + 1, c.key) in wanted:
                chars[c.start] = " "  # '-@k' only because the word before '-' was blanked
            elif attempt < 12:
                _blank(chars, c.start, c.end)
            else:  # give the blanked word before the '@' back
                k = c.start - 1
                while k >= 0 and chars[k] != text[k]:
                    chars[k] = text[k]
                    if text[k].isalnum() or text[k] == ".":
                        break
                    k -= 1
    return None


# ---------------------------------------------------------------------------
# sentences
# ---------------------------------------------------------------------------

_NONFINAL = frozenset(
    (  # noqa: SIM905 - a word list reads best as one string
        "e.g. E.g. i.e. I.e. vs. Vs. Fig. fig. Figs. figs. approx. Approx. ca. Ca. cf. Cf. "
        "Dr. No. Nos. Ref. ref. Refs. refs. Eq. eq. Eqs. eqs. p. pp. vol. Vol. vols. St. Jr. "
        "Sr. U.S. U.K. Mr. Mrs. Ms. Prof. Suppl. suppl. Tab. Sect. sect. Ch. ch. Chap. chap. "
        "al."
    ).split()
)
_OPENING = "([{\"'\u201c\u2018*_"
_CLOSING = "\"')]}\u201d\u2019*_"
_INITIAL_RE = re.compile(r"(?:[A-Z]\.)+")
_NAME_RE = re.compile(r"[A-Z][a-z]+")


_TOKEN_REACH = 64


def _token_before(t: str, i: int) -> tuple[str, int]:
    """The non-space token ending at index i (inclusive) and its start."""
    s = i
    floor = max(0, i - _TOKEN_REACH)  # a token longer than this is no abbreviation anyway
    while s > floor and not t[s - 1].isspace():
        s -= 1
    tok = t[s : i + 1].lstrip(_OPENING)
    return tok, s


def is_abbreviation(t: str, i: int) -> bool:
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


#: A name written in lower case that still starts a sentence: a gene, protein or molecule
#: name with a digit or a capital inside ("p16INK4a", "p53", "mRNA", "eGFR"). Its case is
#: the name's, not a sign that the sentence goes on.
_LOWER_NAME_RE = re.compile(r"[a-z]+(?:[A-Z]|[0-9])[A-Za-z0-9]*(?![A-Za-z0-9])")


def _sentence_start_ok(t: str, k: int) -> bool:
    """True if a sentence may start at k (capital, digit, quote, bracket, in-text cite, or a
    lower-case name with a digit or an inner capital, `_LOWER_NAME_RE`). After an
    abbreviation ("e.g. p53") the caller never asks: `is_abbreviation` keeps it in."""
    while k < len(t) and t[k] in "*_":
        k += 1
    if k >= len(t):
        return True
    c = t[k]
    if c.isupper() or c.isdigit() or c in "\"'\u201c\u2018([{@":
        return True
    return _LOWER_NAME_RE.match(t, k) is not None


def split_sentences(text: str, store: Store | None = None) -> list[tuple[int, int]]:
    """`sentence_spans(text)`, through the project's store (keyed by the text)."""
    if store is None:
        return sentence_spans(text)
    from .cache import key

    return store.memo("sentences").get(
        key(text), lambda: sentence_spans(text), list[tuple[int, int]]
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split masked prose into sentences as (start, end) offsets, trimmed of white space.

    Periods inside citation groups or still-open brackets (but an image's description, a
    figure caption, is read as sentences), in decimals, after common abbreviations and after
    initials do not end a sentence.  A citation group written right after the period
    (``claim. [@k]``) belongs to the sentence before it.
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
                    o = stack[d][1]
                    # an image's description is its figure's caption: its sentences are
                    # sentences of their own, not one parenthesis
                    if not (ch == "]" and o > 0 and t[o - 1] == "!"):
                        pairs.append((o, k))
                    del stack[d:]
                    break

    # coverage counts, so that each test below is O(1) rather than a scan of all spans
    in_group = [0] * (n + 1)
    for gs, ge in inside:
        in_group[gs] += 1
        in_group[min(ge, n)] -= 1
    in_pair = [0] * (n + 2)
    for o, close in pairs:
        in_pair[o + 1] += 1
        in_pair[close + 1] -= 1
    for k in range(1, n + 1):
        in_group[k] += in_group[k - 1]
        in_pair[k] += in_pair[k - 1]
    bounds: list[tuple[int, int]] = []
    start = 0
    i = 0
    while i < n:
        if t[i] not in ".!?" or in_group[i] > 0:
            i += 1
            continue
        e = i + 1
        while e < n and t[e] in ".!?":
            e += 1
        while e < n and t[e] in _CLOSING:
            e += 1
        if in_pair[i] > 0 and in_pair[min(e, n)] > 0:
            i = e
            continue
        if t[i] == "." and e == i + 1 and is_abbreviation(t, i):
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
