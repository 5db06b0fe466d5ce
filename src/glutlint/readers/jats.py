"""JATS XML sources: PMC articles (.nxml) and publisher XML.

What is evidence: the article title, the abstract(s), the body (section titles, paragraphs,
lists, boxed text, quotes), figure and table labels and captions, table cells (one row per
line, cells joined by " | ") and table footnotes. Markup and entities never reach the text;
citation markers (`<xref ref-type="bibr">`) are dropped with the brackets they leave empty.
Every line keeps the line of the XML it starts on.

What is not: the reference list, acknowledgements, conflict-of-interest and funding notes are
kept as lines marked furniture (so `glutlint trace --sources` shows them); affiliations,
author notes and the rest of the front matter are not read at all. The front matter gives
the metadata GL501 compares: DOI, PMID, PMCID, year, journal, title.

Safety: parsed with the standard library's expat; an entity declaration (the way of every
entity-expansion attack) is refused, external entities and DTDs are never fetched, and nesting
deeper than MAX_DEPTH is refused, all as one line naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import InputError
from .base import Furniture, Place, Reading

#: Elements nested deeper than this are refused (no article needs it; a hostile file may).
MAX_DEPTH = 400

#: Block containers read as blocks of their own (their children are walked).
_CONTAINERS = {
    "sec", "app", "app-group", "boxed-text", "list", "list-item", "def-list", "def-item",
    "glossary", "disp-quote", "statement", "fig-group", "table-wrap-group", "notes",
    "abstract", "trans-abstract", "body", "back", "floats-group", "sub-article", "response",
    "caption", "table-wrap-foot", "fn-group", "def", "term", "verse-group", "alternatives",
}  # fmt: skip
#: Elements whose text is a word or phrase of its own: a space keeps it from its neighbours
#: ("<label>a</label><p>Values" is "a Values", not "aValues").
_APART = {"label", "p", "title", "td", "th", "list-item", "caption", "kwd", "break", "tr"}
#: Elements whose whole text is one paragraph.
_PARAGRAPHS = {
    "p", "title", "label", "verse-line", "attrib", "speech", "disp-formula", "fn", "term",
    "kwd-group",
}  # fmt: skip
#: Back-matter elements that are furniture, by why.
_FURNITURE = {"ref-list": "reference list", "ack": "declarations"}
_FURNITURE_FN = {
    "conflict": "declarations",
    "coi-statement": "declarations",
    "financial-disclosure": "declarations",
    "supported-by": "declarations",
    "con": "declarations",
}
_EMPTY_BRACKETS_RE = re.compile(r"[\[(]\s*(?:[,;\u2013\u2014-]\s*)*[\])]")
#: A range dash left alone where a citation range ("[1]–[3]") was.
_LONE_DASH_RE = re.compile(r"\s[\u2013\u2014-](?=\s*(?:[.,;:)\]]|$))")
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
_SPACE_BEFORE_RE = re.compile(r"\s+([,.;:)\]])")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    column: int = 1
    children: list[_Node | _Text] = field(default_factory=list)


#: A run of character data and where it starts (line, 1-based column).
_Text = tuple[str, int, int]


def _parse(data: bytes, shown: str) -> _Node:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = _Node("#document", {}, 1)
    stack = [root]

    def refuse_entity(name: str, *_: object) -> None:
        raise InputError(
            shown,
            parser.CurrentLineNumber,
            f"XML declares entity '{name}': refused (entity declarations can expand without bound)",
        )

    def start(tag: str, attrs: dict[str, str]) -> None:
        if len(stack) > MAX_DEPTH:
            raise InputError(
                shown, parser.CurrentLineNumber, f"XML nested deeper than {MAX_DEPTH} elements"
            )
        name = tag.split(":")[-1] if ":" in tag else tag
        node = _Node(name, attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        stack[-1].children.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        stack[-1].children.append((data, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = lambda *_: 0
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise InputError(shown, exc.lineno, f"malformed XML: {message}") from None
    return root


def _find(node: _Node, *path: str) -> _Node | None:
    """The first descendant along `path` (each step: the first child with that tag, searched
    breadth-first below the previous one)."""
    cur: _Node | None = node
    for tag in path:
        if cur is None:
            return None
        cur = next(_descendants(cur, tag), None)
    return cur


def _descendants(node: _Node, tag: str) -> Iterator[_Node]:
    todo = [node]
    while todo:
        n = todo.pop(0)
        for c in n.children:
            if isinstance(c, _Node):
                if c.tag == tag:
                    yield c
                todo.append(c)


def _flat(node: _Node) -> str:
    """All text below `node`, markup gone, citation markers dropped."""
    out: list[str] = []
    todo: list[_Node | _Text] = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, tuple):
            out.append(n[0])
            continue
        if n.tag == "xref" and n.attrs.get("ref-type") in ("bibr", "fn", "table-fn"):
            continue
        if n.tag in ("fn", "tex-math", "object-id", "graphic", "media", "alt-text"):
            continue
        if n is not node and n.tag in _APART:
            out.append(" ")
        todo.extend(reversed(n.children))
    return "".join(out)


def _clean(text: str) -> str:
    text = _EMPTY_BRACKETS_RE.sub("", text)
    text = _LONE_DASH_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = _SPACE_BEFORE_RE.sub(r"\1", text)
    return text.strip()


class _Out:
    """Lines and their XML lines, with furniture ranges."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: list[Place] = []
        self.furniture: list[Furniture] = []

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.places.append(self.places[-1])

    def block(self, node: _Node, prefix: str = "") -> None:
        """One paragraph: one line per line of the XML it spans."""
        pieces: list[_Text] = []
        todo: list[_Node | _Text] = [node]
        while todo:
            n = todo.pop()
            if isinstance(n, tuple):
                pieces.append(n)
                continue
            if n.tag == "xref" and n.attrs.get("ref-type") in ("bibr", "fn", "table-fn"):
                continue
            if n is not node and n.tag in ("fn", "tex-math", "object-id", "graphic", "alt-text"):
                continue
            if n is not node and n.tag in _APART and pieces:
                pieces.append((" ", pieces[-1][1], pieces[-1][2]))
            todo.extend(reversed(n.children))
        lines: list[tuple[str, Place]] = []
        current, at = prefix, Place(node.line, column=node.column)
        for text, line, column in pieces:
            for i, part in enumerate(text.split("\n")):
                if i:
                    lines.append((current, at))
                    current = ""
                if not current.strip():
                    lead = len(part) - len(part.lstrip())
                    at = Place(line + i, column=(column if i == 0 else 1) + lead)
                current += part
        lines.append((current, at))
        wrote = False
        for text, place in lines:
            text = _clean(text)
            if text:
                self.lines.append(text)
                self.places.append(place)
                wrote = True
        if wrote:
            self.blank()

    def row(self, cells: list[str], place: Place) -> None:
        text = " | ".join(c for c in (_clean(x) for x in cells) if c)
        if text:
            self.lines.append(text)
            self.places.append(place)


def _walk(node: _Node, out: _Out) -> None:
    """Blocks of `node`'s children in document order."""
    for c in node.children:
        if isinstance(c, tuple):
            if c[0].strip():  # text loose in a container: its own line
                out.block(_Node("#text", {}, c[1], c[2], [c]))
            continue
        _element(c, out)


def _element(node: _Node, out: _Out) -> None:
    tag = node.tag
    why = _FURNITURE.get(tag)
    if why is None and tag == "fn-group":
        types = {c.attrs.get("fn-type", "") for c in node.children if isinstance(c, _Node)}
        why = "declarations" if types & set(_FURNITURE_FN) else None
    if why is None and tag in ("fn", "notes"):
        why = _FURNITURE_FN.get(node.attrs.get("fn-type", "") or node.attrs.get("notes-type", ""))
    if (
        why is None
        and tag == "sec"
        and node.attrs.get("sec-type", "")
        in (
            "COI-statement",
            "coi-statement",
            "funding",
            "supplementary-material",
        )
    ):
        why = "declarations"
    if why is not None:
        first = len(out.lines) + 1
        _content(node, out)
        last = len(out.lines)
        while last >= first and out.lines[last - 1] == "":
            last -= 1
        if last >= first:
            out.furniture.append(Furniture(first, last, why))
        return
    _content(node, out)


def _content(node: _Node, out: _Out) -> None:
    tag = node.tag
    if tag in ("ref-list",):
        for c in node.children:
            if isinstance(c, _Node) and c.tag in ("title", "ref"):
                out.block(c)
            elif isinstance(c, _Node) and c.tag == "ref-list":
                _content(c, out)
        return
    if tag in ("table", "array"):
        for tr in _descendants(node, "tr"):
            cells = [
                _flat(c) for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")
            ]
            out.row(cells, Place(tr.line, column=tr.column))
        out.blank()
        return
    if tag in ("fig", "table-wrap", "supplementary-material", "boxed-text", "disp-quote"):
        label = next((c for c in node.children if isinstance(c, _Node) and c.tag == "label"), None)
        for c in node.children:
            if isinstance(c, _Node) and c is not label:
                if c.tag == "caption" and label is not None:
                    _caption(c, out, _clean(_flat(label)))
                    label = None
                else:
                    _element(c, out)
        if label is not None:
            out.block(label)
        return
    if tag in _PARAGRAPHS:
        out.block(node)
        return
    if tag in _CONTAINERS or tag in ("ack", "fn-group", "notes", "table-wrap-foot"):
        _walk(node, out)
        return
    if tag in ("xref", "ext-link", "uri", "email", "graphic", "media", "object-id", "alt-text"):
        return
    # Anything else in a block position (a publisher's own element): its text as a paragraph.
    if _clean(_flat(node)):
        if any(isinstance(c, _Node) and c.tag in _PARAGRAPHS for c in node.children):
            _walk(node, out)
        else:
            out.block(node)


def _caption(node: _Node, out: _Out, label: str) -> None:
    first = True
    for c in node.children:
        if isinstance(c, _Node) and c.tag in ("title", "p"):
            out.block(c, prefix=f"{label} " if first and label else "")
            first = False
    if first and label:
        out.block(node, prefix=f"{label} ")


def _meta(root: _Node) -> dict[str, str]:
    meta: dict[str, str] = {}
    article_meta = _find(root, "article-meta")
    if article_meta is not None:
        for c in article_meta.children:
            if isinstance(c, _Node) and c.tag == "article-id":
                kind = c.attrs.get("pub-id-type", "")
                name = {"doi": "doi", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid"}.get(kind)
                value = _clean(_flat(c))
                if name and value:
                    if name == "pmcid" and not value.upper().startswith("PMC"):
                        value = f"PMC{value}"
                    meta.setdefault(name, value)
        dates = list(_descendants(article_meta, "pub-date"))
        order = ("epub", "ppub", "pub", "collection", "epub-ppub", "")

        def rank(d: _Node) -> int:
            kind = d.attrs.get("pub-type", "") or d.attrs.get("date-type", "")
            return order.index(kind) if kind in order else len(order)

        for d in sorted(dates, key=rank):
            year = _find(d, "year")
            if year is not None and re.fullmatch(r"\d{4}", _clean(_flat(year))):
                meta["year"] = _clean(_flat(year))
                break
        title = _find(article_meta, "article-title")
        if title is not None and _clean(_flat(title)):
            meta["title"] = _clean(_flat(title))
    journal = _find(root, "journal-meta", "journal-title")
    if journal is not None and _clean(_flat(journal)):
        meta["journal"] = _clean(_flat(journal))
    return meta


def read(data: bytes, shown: str) -> Reading:
    """A JATS article as text: see the module's docstring."""
    root = _parse(data, shown)
    article = next((c for c in root.children if isinstance(c, _Node)), None)
    if article is not None and article.tag == "pmc-articleset":
        article = next(_descendants(article, "article"), None)
    if article is None or article.tag != "article":
        found = f"<{article.tag}>" if article is not None else "no element"
        raise InputError(shown, 1, f"not a JATS article (its root is {found}, not <article>)")
    out = _Out()
    title = _find(article, "article-meta", "article-title")
    if title is not None:
        out.block(title)
    meta_node = _find(article, "article-meta")
    if meta_node is not None:
        for c in meta_node.children:
            if isinstance(c, _Node) and c.tag in ("abstract", "trans-abstract"):
                _walk(c, out)
                out.blank()
    for c in article.children:
        if isinstance(c, _Node) and c.tag in ("body", "back", "floats-group"):
            _walk(c, out)
    for c in article.children:
        if isinstance(c, _Node) and c.tag == "sub-article":
            _walk(c, out)
    while out.lines and out.lines[-1] == "":
        out.lines.pop()
        out.places.pop()
    evidence = [x for i, x in enumerate(out.lines, 1) if x and not _in(out.furniture, i)]
    if not evidence or (title is not None and len(evidence) <= 1):
        raise InputError(shown, article.line, "JATS article without abstract or body text")
    return Reading("jats", out.lines, out.places, out.furniture, _meta(article))


def _in(furniture: list[Furniture], line: int) -> bool:
    return any(f.first <= line <= f.last for f in furniture)
