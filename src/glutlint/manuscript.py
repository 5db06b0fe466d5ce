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

from .errors import InputError
from .inline import citation_spans, find_citations, mask_nonprose, split_sentences

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
    heading_path: tuple[str, ...] = ()
    level: int = 0  # heading level for headings
    table: int = 0  # table number for cells and captions

    def position(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        line, col = self.origins[i]
        return line, col + offset - self.starts[i]

    @cached_property
    def masked(self) -> str:
        return mask_nonprose(self.raw)


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
        """The masked sentence with citation groups blanked, offsets unchanged."""
        s = list(self.block.masked[self.start : self.end])
        for a, b in self.spans:
            s[a:b] = " " * (b - a)
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
        return [b for b in self.blocks if b.kind == "heading"]

    @cached_property
    def cites(self) -> list[Cite]:
        """Every citation of the document, figures' captions included."""
        return [c for s in self.sentences for c in s.cites]


def _cites(block: Block, masked: str, base: int = 0) -> list[Cite]:
    out = []
    for c in find_citations(masked):
        line, col = block.position(base + c.start)
        el, ec = block.position(base + c.end)
        out.append(Cite(c.key, line, col, el, ec, c.locator))
    return out


def _sentences(block: Block) -> list[Sentence]:
    masked = block.masked
    cites = find_citations(masked)
    groups = citation_spans(masked)
    out: list[Sentence] = []
    for a, b in split_sentences(masked):
        mine = [c for c in cites if a <= c.start < b]
        spans = [(max(g0, a) - a, min(g1, b) - a) for g0, g1 in groups if g0 < b and g1 > a]
        refs = []
        for c in mine:
            line, col = block.position(c.start)
            el, ec = block.position(c.end)
            refs.append(Cite(c.key, line, col, el, ec, c.locator))
        out.append(Sentence(block, a, b, refs, spans))
    return out


def _metadata(content: str, shown: str) -> dict[str, object]:
    from .yamlfile import loads_yaml

    meta = loads_yaml(content, shown, first_line=2) or {}
    if not isinstance(meta, dict):
        raise InputError(shown, 1, "YAML front matter must be a mapping")
    return meta


def parse(path: Path, text: str, shown: str) -> Document:
    """Parse Markdown `text` (the content of `path`) into a Document, from the project's memo
    when this exact text was parsed before (an edit re-parses only the file it changed)."""
    from .cache import code_key, key, memo

    k = key(code_key(*_parser_files()), text)
    return memo("documents").get(  # type: ignore[return-value]
        k,
        lambda: parse_now(path, text, shown),
        _encode_document,
        lambda raw: _decode_document(raw, path, text, shown),
    )


class _NotStored(Exception):
    """Raised instead of computing: the memo does not hold this parse."""


def _not_stored() -> Document:
    raise _NotStored


def parse_all(items: list[tuple[Path, str, str]]) -> list[Document]:
    """Parse several files (path, text, shown): those the memo holds are read back, and pandoc
    reads the others side by side, one process per file (at most one per core at a time)."""
    from .cache import code_key, key, memo
    from .rendered import pandoc_jsons

    m = memo("documents")
    code = code_key(*_parser_files())
    keys = [key(code, text) for _path, text, _shown in items]
    docs: list[Document | None] = []
    for (path, text, shown), k in zip(items, keys, strict=True):
        decode = functools.partial(_decode_document, path=path, text=text, shown=shown)
        try:
            docs.append(m.get(k, _not_stored, _encode_document, decode))  # type: ignore[arg-type]
        except _NotStored:
            docs.append(None)
    missing = [i for i, d in enumerate(docs) if d is None]
    asts = pandoc_jsons([(items[i][1], items[i][2]) for i in missing])
    for i, ast in zip(missing, asts, strict=True):
        path, text, shown = items[i]
        docs[i] = m.get(  # type: ignore[assignment]
            keys[i],
            functools.partial(parse_now, path, text, shown, ast),
            _encode_document,
            functools.partial(_decode_document, path=path, text=text, shown=shown),
        )
    return [d for d in docs if d is not None]


@functools.cache
def _parser_files() -> tuple[str, ...]:
    """The code a parse depends on: this module, the placing of pandoc's AST, and the pandoc
    of the installed pypandoc_binary (found, not imported, so a cached parse costs no import)."""
    import importlib.util

    files = [__file__, str(Path(__file__).with_name("rendered.py"))]
    spec = importlib.util.find_spec("pypandoc")
    files.append(spec.origin if spec and spec.origin else "pypandoc")
    return tuple(files)


def _encode_document(doc: object) -> object:
    d: Document = doc  # type: ignore[assignment]
    return {
        "front": d.front_matter,
        "blocks": [
            [b.kind, b.raw, b.starts, b.origins, b.section, list(b.heading_path), b.level, b.table]
            for b in d.blocks
        ],
        "suppressions": [
            [s.line, s.column, s.action, list(s.codes), s.end_line] for s in d.suppressions
        ],
        "raws": [
            [r.fmt, r.text, r.line, r.column, r.end_line, r.end_column, r.inline] for r in d.raws
        ],
    }


def _ints(xs: object) -> bool:
    return isinstance(xs, list) and set(map(type, xs)) <= {int}


def _decode_document(raw: object, path: Path, text: str, shown: str) -> Document | None:
    """A stored parse, or None when it is not in the shape `_encode_document` writes."""
    if not isinstance(raw, dict) or not isinstance(raw.get("front"), str | None):
        return None
    doc = Document(path=path, shown=shown, text=text, front_matter=raw["front"])
    try:
        for kind, braw, starts, origins, section, heading, level, table in raw["blocks"]:
            ok = (
                isinstance(kind, str)
                and isinstance(braw, str)
                and isinstance(section, str)
                and _ints(starts)
                and isinstance(origins, list)
                and all(_ints(o) and len(o) == 2 for o in origins)
                and len(origins) == len(starts)
                and isinstance(heading, list)
                and all(isinstance(h, str) for h in heading)
                and type(level) is int
                and type(table) is int
            )
            if not ok:
                return None
            pos = [(a, b) for a, b in origins]
            doc.blocks.append(Block(kind, braw, starts, pos, section, tuple(heading), level, table))
        for line, col, action, codes, end in raw["suppressions"]:
            if not (_ints([line, col, end]) and isinstance(action, str)):
                return None
            if not (isinstance(codes, list) and all(isinstance(c, str) for c in codes)):
                return None
            doc.suppressions.append(Suppression(line, col, action, tuple(codes), end))
        for fmt, rtext, line, col, end_line, end_col, inline in raw["raws"]:
            if not (isinstance(fmt, str) and isinstance(rtext, str) and type(inline) is bool):
                return None
            if not _ints([line, col, end_line, end_col]):
                return None
            doc.raws.append(RawText(fmt, rtext, line, col, end_line, end_col, inline))
    except (KeyError, TypeError, ValueError):
        return None
    if doc.front_matter is not None:
        doc.metadata = _metadata(doc.front_matter, shown)
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


def parse_now(path: Path, text: str, shown: str, ast: dict | None = None) -> Document:
    """Parse Markdown `text` (the content of `path`) into a Document, as pandoc reads it
    (`ast`: pandoc's AST of `text`, when it has been read already)."""
    from .rendered import pandoc_json, render_map, yaml_blocks

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
                Block(kind, "\n".join(parts), starts, origins, section, (), leaf.level, leaf.table),
            )
        )
    blocks.sort(key=lambda x: x[0])
    section = ""
    for _start, b in blocks:
        if b.kind == "heading" and b.level == 1:
            section = heading_title(b)
        if b.kind not in ("abstract", "title"):
            b.section = section
        doc.blocks.append(b)
    return doc


HEADING_CLOSE_RE = re.compile(r"(?:\s+#+)?\s*$")


def heading_title(block: Block) -> str:
    return HEADING_CLOSE_RE.sub("", ATTRS_RE.sub("", block.raw)).strip()
