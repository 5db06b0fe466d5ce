"""Parse a pandoc Markdown manuscript once into blocks and sentences that keep file positions.

pandoc itself finds the blocks (`glutlint.rendered` reads its AST and places each block of
rendered text on its source lines); inside each block the raw Markdown is masked (code, HTML,
link targets, URLs become spaces of the same length), citations are found with pandoc's
syntax, and the prose is split into sentences. Every offset maps back to
a 1-based line and column in the file.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import key
from .errors import InputError
from .inline import Citation, citation_spans, find_citations, mask_nonprose, split_sentences

if TYPE_CHECKING:
    from .cache import Store

ATTRS_RE = re.compile(r"\{[#.=:\w\s%\"'-]*\}\s*$")
SUPPRESS_RE = re.compile(r"<!--\s*glutlint:\s*(?P<body>.*?)\s*-->", re.DOTALL)


@dataclass(frozen=True)
class Cite:
    """A citation with its position in the file."""

    key: str
    line: int
    column: int
    end_line: int
    end_column: int
    locator: str = ""


@dataclass
class Block:
    """A run of raw Markdown whose characters map to file positions."""

    kind: str  # paragraph | heading | cell | caption | figure | abstract | item
    raw: str
    starts: list[int]  # offsets in `raw` where each source line begins
    origins: list[tuple[int, int]]  # (line, column) of each of those offsets, 1-based
    section: str = ""  # title of the enclosing top-level section
    level: int = 0  # heading level for headings
    table: int = 0  # table number for cells and captions
    nested: bool = False  # a heading in a quote, list, note, cell or metadata: no section
    #: the words with digits pandoc prints here, with their (line, column): what rules must read
    printed: list[tuple[str, int, int]] = field(default_factory=list)
    #: Where the analyses of `raw` are kept (set by `parse`); never stored itself.
    store: Store | None = field(default=None, compare=False, repr=False, metadata={"stored": False})

    def position(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        line, col = self.origins[i]
        return line, col + offset - self.starts[i]

    @cached_property
    def masked(self) -> str:
        return mask_nonprose(self.raw, self.store)

    @cached_property
    def cited(self) -> list[Citation]:
        """The citations of the masked text, in order (read once per block)."""
        return sorted(find_citations(self.masked, self.store), key=lambda c: c.start)

    @cached_property
    def digest(self) -> str:
        """A digest of `raw`, for keys: a paragraph's sentences key their values by it."""
        return key(self.raw)


@dataclass
class Sentence:
    """One sentence of prose, with the citations inside it."""

    block: Block
    start: int
    end: int
    cites: list[Cite]
    spans: list[tuple[int, int]]  # citation groups, offsets relative to the sentence

    @property
    def raw(self) -> str:
        return self.block.raw[self.start : self.end]

    @cached_property
    def text(self) -> str:
        """The masked sentence with citation groups blanked, offsets unchanged: all but the
        prose of their prefixes and suffixes, which is printed as the author wrote it
        ("[see @a, p. 12, noting remission in 93%]" keeps "see" and "noting remission in
        93%"; the key and the locator "p. 12" are blanked)."""
        s = list(self.block.masked[self.start : self.end])
        for a, b in self.spans:
            keep = group_prose(self.block.masked, self.start + a, self.start + b, self.block.cited)
            for k in range(a, b):
                if not any(x <= self.start + k < y for x, y in keep) and s[k] not in "\r\n":
                    s[k] = " "
        return "".join(s)

    @cached_property
    def plain(self) -> str:
        """Readable prose: Markdown emphasis and extra spaces removed."""
        t = re.sub(r"[*_]{1,3}(?=\w)|(?<=\w)[*_]{1,3}", "", self.text)
        return re.sub(r"\s+", " ", t).strip()

    @property
    def line(self) -> int:
        return self.block.position(self.start)[0]

    @property
    def column(self) -> int:
        return self.block.position(self.start)[1]

    def pos(self, offset: int) -> tuple[int, int]:
        """File position of an offset inside the sentence."""
        return self.block.position(self.start + offset)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.cites]


@dataclass
class Suppression:
    line: int
    column: int
    action: str  # disable-next-line | disable-line | disable | enable
    codes: tuple[str, ...]  # empty: all codes
    end_line: int = 0  # the line of the comment's `-->`


@dataclass(frozen=True)
class RawText:
    """A raw block or inline for an output format: its text reaches the output unchecked."""

    fmt: str
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    inline: bool


@dataclass
class Document:
    """A parsed manuscript file."""

    path: Path
    shown: str
    text: str
    metadata: dict[str, object] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    front_matter: str | None = None  # the YAML text, as written
    raws: list[RawText] = field(default_factory=list)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for m in re.finditer("\n", self.text):
            starts.append(m.end())
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset in the file's text."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        for block in self.blocks:
            out.extend(_sentences(block))
        return out

    @property
    def headings(self) -> list[Block]:
        """The headings of the document's outline (none inside a quote, list or note)."""
        return [b for b in self.blocks if b.kind == "heading" and not b.nested]

    @cached_property
    def cites(self) -> list[Cite]:
        """Every citation of the document, figures' captions included."""
        return [c for s in self.sentences for c in s.cites]


def _cites(block: Block, masked: str, base: int = 0) -> list[Cite]:
    out = []
    for c in find_citations(masked, block.store):
        line, col = block.position(base + c.start)
        el, ec = block.position(base + c.end)
        out.append(Cite(c.key, line, col, el, ec, c.locator))
    return out


#: a CSL locator at the start of a citation's suffix: "p. 12", "pp. 3-5", "chap. 2", "fig. 1"
LOCATOR_RE = re.compile(
    r"\s*,?\s*(?:book|bk\.|chapter|chap\.|column|col\.|figure|fig\.|folio|fol\.|f\.|"
    r"number|no\.|line|l\.|ll\.|note|n\.|nn\.|opus|op\.|page|pages|p\.|pp\.|paragraph|para\.|"
    r"part|pt\.|section|sec\.|sub verbo|s\.v\.|verse|v\.|vv\.|volume|vol\.|vols\.|\u00b6|\u00a7)"
    r"\s*[\w.\u2013-]+(?:\s*(?:,|&|and)\s*[\w.\u2013-]*\d[\w.\u2013-]*)*",
    re.I,
)


def group_prose(text: str, start: int, end: int, found: list[Citation]) -> list[tuple[int, int]]:
    """The prose of the citation group text[start:end]: each citation's prefix (before its
    key) and suffix (after its key and locator), as (start, end) offsets. `found`: the text's
    citations, in order."""
    lo = bisect.bisect_left(found, start, key=lambda c: c.start)
    cites = found[lo : bisect.bisect_left(found, end, lo, key=lambda c: c.start)]
    out: list[tuple[int, int]] = []
    lo = start + 1 if text[start : start + 1] == "[" else start
    for c in cites:
        out.append((lo, c.start))
        after = c.end
        m = LOCATOR_RE.match(text, after)
        if m and c.locator:
            after = m.end()
        nxt = text.find(";", after, end)
        lo = nxt + 1 if nxt >= 0 else end
        out.append((after, nxt if nxt >= 0 else end - (text[end - 1 : end] == "]")))
    return [(a, b) for a, b in out if b > a and not text[a:b].isspace()]


def _sentences(block: Block) -> list[Sentence]:
    masked = block.masked
    cites = block.cited
    at = [c.start for c in cites]
    groups = sorted(citation_spans(masked, block.store))  # disjoint: their ends sorted too
    ends = [g1 for _g0, g1 in groups]
    out: list[Sentence] = []
    for a, b in split_sentences(masked, block.store):
        mine = cites[bisect.bisect_left(at, a) : bisect.bisect_left(at, b)]
        spans = []
        for g0, g1 in groups[bisect.bisect_right(ends, a) :]:
            if g0 >= b:
                break
            spans.append((max(g0, a) - a, min(g1, b) - a))
        refs = []
        for c in mine:
            line, col = block.position(c.start)
            el, ec = block.position(c.end)
            refs.append(Cite(c.key, line, col, el, ec, c.locator))
        out.append(Sentence(block, a, b, refs, spans))
    return out


def _metadata(content: str, shown: str, store: Store | None = None) -> dict[str, object]:
    from .yamlfile import loads_yaml

    meta = loads_yaml(content, shown, first_line=2, store=store) or {}
    if not isinstance(meta, dict):
        raise InputError(shown, 1, "YAML front matter must be a mapping")
    return meta


def parse(path: Path, text: str, shown: str, store: Store | None = None) -> Document:
    """Parse Markdown `text` (the content of `path`) into a Document, from the project's
    store when this exact text was parsed before (an edit re-parses only the file it changed)."""
    return parse_all([(path, text, shown)], store)[0]


class _NotStored(Exception):
    """Raised instead of computing: the store does not hold this parse."""


def _not_stored() -> Document:
    raise _NotStored


_Stored = tuple[str | None, list[Block], list[Suppression], list[RawText]]


def _stored(d: Document) -> _Stored:
    return (d.front_matter, d.blocks, d.suppressions, d.raws)


def parse_all(items: list[tuple[Path, str, str]], store: Store | None = None) -> list[Document]:
    """Parse several files (path, text, shown): those the store holds are read back, and
    pandoc reads the others side by side, one process per file (at most one per core)."""
    from .rendered import pandoc_jsons

    docs: list[Document | None] = []
    keys: list[str] = []
    if store is not None:
        from .cache import key

        memo = store.memo("documents")
        for path, text, shown in items:
            k = key(*_parser_versions(), text)
            keys.append(k)
            decode = functools.partial(_document, path=path, text=text, shown=shown, store=store)
            try:
                docs.append(memo.get(k, _not_stored, _Stored, _stored, decode))
            except _NotStored:
                docs.append(None)
    else:
        docs = [None] * len(items)
    missing = [i for i, d in enumerate(docs) if d is None]
    for i in missing:  # our own YAML reader first: its errors name the line, pandoc's do not
        _refuse_huge_lines(items[i][1], items[i][2])
        _front_matter(Document(items[i][0], items[i][2], items[i][1]), *_yaml_of(items[i][1]))
    asts = pandoc_jsons([(items[i][1], items[i][2]) for i in missing])
    for i, ast in zip(missing, asts, strict=True):
        path, text, shown = items[i]
        if store is None:
            docs[i] = parse_now(path, text, shown, ast)
            continue
        decode = functools.partial(_document, path=path, text=text, shown=shown, store=store)
        docs[i] = store.memo("documents").get(
            keys[i], functools.partial(parse_now, path, text, shown, ast), _Stored, _stored, decode
        )
    out = [d for d in docs if d is not None]
    for d in out:
        for block in d.blocks:
            block.store = store
        _refuse_huge_blocks(d)
    return out


#: The most text one block (a paragraph, a list item, a cell) may hold. A real paragraph is a
#: few kilobytes; megabytes on one line are an export gone wrong, and reading them would keep
#: an editor or a commit hook waiting for a minute. Refused, never passed over.
MAX_BLOCK_CHARS = 1_000_000


def _refuse_huge_lines(text: str, shown: str) -> None:
    """A line over the block limit is one block over it: refused before pandoc spends half a
    minute reading it. (A block of many lines is measured after the parse.)"""
    if len(text) <= MAX_BLOCK_CHARS:
        return
    start, number = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_BLOCK_CHARS:
            raise InputError(
                shown,
                number,
                f"one line of {(end - start) / 1_000_000:.1f} million characters is over the "
                f"{MAX_BLOCK_CHARS // 1_000_000} million glutlint reads in one paragraph; "
                "split it into paragraphs",
            )
        start, number = end + 1, number + 1


def _refuse_huge_blocks(doc: Document) -> None:
    for b in doc.blocks:
        if len(b.raw) > MAX_BLOCK_CHARS:
            line = b.origins[0][0] if b.origins else None
            raise InputError(
                doc.path,
                line,
                f"one block of {len(b.raw) / 1_000_000:.1f} million characters is over the "
                f"{MAX_BLOCK_CHARS // 1_000_000} million glutlint reads in one paragraph; "
                "split it into paragraphs",
            )


@functools.cache
def _parser_versions() -> tuple[str, ...]:
    """The pandoc of the installed pypandoc_binary (its package files, found, not imported, so
    a stored parse costs no import): a parse depends on it as well as on our code."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    origin = spec.origin if spec and spec.origin else ""
    try:
        return (Path(origin).read_text(encoding="utf-8", errors="replace"),)
    except OSError:
        return ("pypandoc",)


def _document(stored: _Stored, path: Path, text: str, shown: str, store: Store) -> Document | None:
    """A document from its stored parse."""
    front, blocks, suppressions, raws = stored
    doc = Document(path, shown, text, {}, blocks, suppressions, front, raws)
    if front is not None:
        doc.metadata = _metadata(front, shown, store)
    return doc


def _suppressions(doc: Document, comment: str, start: int) -> None:
    """Suppression comments inside raw HTML that pandoc read at file offset `start`."""
    for m in SUPPRESS_RE.finditer(comment):
        line, col = doc.position(start + m.start())
        end, _ = doc.position(start + m.end())
        words = m.group("body").replace(",", " ").split()
        if not words:
            continue
        action = words[0].lower()
        codes = tuple(w.upper() for w in words[1:])
        if action not in {"disable-next-line", "disable-line", "disable", "enable"} or any(
            not re.fullmatch(r"GL\d{3}", c) for c in codes
        ):
            raise InputError(doc.shown, line, f"malformed suppression comment: {m.group(0)}")
        doc.suppressions.append(Suppression(line, col, action, codes, end))


def _front_matter(doc: Document, lines: list[str], yaml: list[tuple[int, int]]) -> None:
    """The YAML block at the top of the file: the metadata other rules read (nocite, title)."""
    if yaml and yaml[0][0] == 0:
        first, last = yaml[0]
        content = "\n".join(lines[first + 1 : last - 1])
        doc.front_matter = content
        doc.metadata = _metadata(content, doc.shown)


def _yaml_of(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    from .rendered import yaml_blocks

    lines = text.split("\n")
    return lines, [(a, b + 1) for a, b in yaml_blocks(lines)]


def parse_now(path: Path, text: str, shown: str, ast: dict | None = None) -> Document:
    """Parse Markdown `text` (the content of `path`) into a Document, as pandoc reads it
    (`ast`: pandoc's AST of `text`, when it has been read already)."""
    from .rendered import pandoc_json, render_map, yaml_blocks

    _refuse_huge_lines(text, shown)
    doc = Document(path=path, shown=shown, text=text)
    lines = text.split("\n")
    _front_matter(doc, lines, [(a, b + 1) for a, b in yaml_blocks(lines)])
    rendering = render_map(text, ast if ast is not None else pandoc_json(text, shown))
    for raw in rendering.raws:
        if raw.fmt in ("html", "html5") and "<!--" in raw.text:
            # the comment's words are placed; the comment runs from its `<!--` to its `-->`
            a = text.rfind("<!--", 0, raw.start + 4)
            b = text.find("-->", raw.end)
            if a >= 0 and b >= 0:
                _suppressions(doc, text[a : b + 3], a)
    doc.raws = [
        RawText(r.fmt, r.text, *doc.position(r.start), *doc.position(r.end), r.inline)
        for r in rendering.raws
    ]
    nested = [
        (p.segments[0].start, p.segments[-1].end)
        for p in rendering.placed
        if p.leaf.later == "note" and p.segments
    ]
    blocks: list[tuple[int, Block]] = []
    for p in rendering.placed:
        if not p.segments:
            continue
        leaf = p.leaf
        parts, starts, origins, offset = [], [], [], 0
        a0, b0 = p.segments[0].start, p.segments[-1].end
        inner = [(a, b) for a, b in nested if a0 < a and b <= b0 and (a, b) != (a0, b0)]
        for seg in p.segments:
            chunk = list(text[seg.start : seg.end])
            for a, b in inner:
                for k in range(max(a, seg.start), min(b, seg.end)):
                    chunk[k - seg.start] = " "
            starts.append(offset)
            origins.append(doc.position(seg.start))
            parts.append("".join(chunk))
            offset += seg.end - seg.start + 1
        kind = leaf.kind
        section = "Abstract" if kind == "abstract" else ""
        blocks.append(
            (
                a0,
                Block(
                    kind,
                    "\n".join(parts),
                    starts,
                    origins,
                    section,
                    leaf.level,
                    leaf.table,
                    leaf.nested,
                    [(w, *doc.position(at if at >= 0 else a0)) for w, at in p.numbers],
                ),
            )
        )
    blocks.sort(key=lambda x: x[0])
    section = ""
    for _start, block in blocks:
        if block.kind == "heading" and block.level == 1 and not block.nested:
            section = heading_title(block)
        if block.kind not in ("abstract", "title"):
            block.section = section
        doc.blocks.append(block)
    return doc


HEADING_CLOSE_RE = re.compile(r"(?:\s+#+)?\s*$")


def heading_title(block: Block) -> str:
    return HEADING_CLOSE_RE.sub("", ATTRS_RE.sub("", block.raw)).strip()
