"""Parse a pandoc Markdown manuscript once into blocks and sentences that keep file positions.

markdown-it-py finds the blocks (with their source lines); inside each block the raw Markdown
is masked (code, HTML, link targets, URLs become spaces of the same length), citations are
found with pandoc's syntax, and the prose is split into sentences. Every offset maps back to
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

from .errors import InputError
from .inline import citation_spans, find_citations, mask_nonprose, split_sentences

if TYPE_CHECKING:
    from .cache import Store

ATTRS_RE = re.compile(r"\{[#.=:\w\s%\"'-]*\}\s*$")
IMAGE_RE = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)(?:\{[^}]*\})?")
CAPTION_RE = re.compile(r"^(?:Table|: )\s*:?\s*", re.IGNORECASE)
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
    #: Where the analyses of `raw` are kept (set by `parse`); never stored itself.
    store: Store | None = field(default=None, compare=False, repr=False, metadata={"stored": False})

    def position(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        line, col = self.origins[i]
        return line, col + offset - self.starts[i]

    @cached_property
    def masked(self) -> str:
        return mask_nonprose(self.raw, self.store)


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

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        for block in self.blocks:
            if block.kind == "figure":
                continue
            out.extend(_sentences(block))
        return out

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    @cached_property
    def cites(self) -> list[Cite]:
        """Every citation of the document, figures' captions included."""
        cites = [c for s in self.sentences for c in s.cites]
        for b in self.blocks:
            if b.kind == "figure":
                cites.extend(_cites(b, b.masked))
        return cites


def _cites(block: Block, masked: str, base: int = 0) -> list[Cite]:
    out = []
    for c in find_citations(masked, block.store):
        line, col = block.position(base + c.start)
        el, ec = block.position(base + c.end)
        out.append(Cite(c.key, line, col, el, ec, c.locator))
    return out


def _sentences(block: Block) -> list[Sentence]:
    masked = block.masked
    cites = find_citations(masked, block.store)
    groups = citation_spans(masked, block.store)
    out: list[Sentence] = []
    for a, b in split_sentences(masked, block.store):
        mine = [c for c in cites if a <= c.start < b]
        spans = [(max(g0, a) - a, min(g1, b) - a) for g0, g1 in groups if g0 < b and g1 > a]
        refs = []
        for c in mine:
            line, col = block.position(c.start)
            el, ec = block.position(c.end)
            refs.append(Cite(c.key, line, col, el, ec, c.locator))
        out.append(Sentence(block, a, b, refs, spans))
    return out


def _block_from_lines(
    kind: str, content: str, source_lines: list[str], first: int, last: int
) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Locate each line of markdown-it's inline `content` in the source lines first..last."""
    starts: list[int] = []
    origins: list[tuple[int, int]] = []
    offset = 0
    line_no = first
    for part in content.split("\n"):
        col = 0
        while line_no < min(last, len(source_lines)):
            found = source_lines[line_no].find(part) if part else 0
            if found >= 0:
                col = found
                break
            line_no += 1
        starts.append(offset)
        origins.append((min(line_no, len(source_lines) - 1) + 1, col + 1))
        offset += len(part) + 1
        line_no += 1
    return content, starts, origins


def _metadata(content: str, shown: str, store: Store | None = None) -> dict[str, object]:
    from .yamlfile import loads_yaml

    meta = loads_yaml(content, shown, first_line=2, store=store) or {}
    if not isinstance(meta, dict):
        raise InputError(shown, 1, "YAML front matter must be a mapping")
    return meta


def _front_matter(doc: Document, content: str, source_lines: list[str]) -> None:
    doc.front_matter = content
    meta = doc.metadata = _metadata(content, doc.shown)
    abstract = meta.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        key_line = next((i for i, s in enumerate(source_lines) if re.match(r"abstract\s*:", s)), 0)
        end = next(
            (i for i, s in enumerate(source_lines) if i > 0 and s.strip() in {"---", "..."}),
            len(source_lines),
        )
        # Rebuild the abstract from source lines so positions are exact.
        parts, starts, origins, offset = [], [], [], 0
        for i in range(key_line + 1, end):
            s = source_lines[i]
            if s.strip() and not s.startswith((" ", "\t")):
                break
            stripped = s.strip()
            starts.append(offset)
            origins.append((i + 1, len(s) - len(s.lstrip()) + 1))
            parts.append(stripped)
            offset += len(stripped) + 1
        if parts:
            doc.blocks.append(Block("abstract", "\n".join(parts), starts, origins, "Abstract"))


def _suppressions(doc: Document, html: str, line: int, col: int) -> None:
    for m in SUPPRESS_RE.finditer(html):
        before = html[: m.start()]
        ln = line + before.count("\n")
        cl = (col if "\n" not in before else 1) + len(before.rsplit("\n", 1)[-1])
        words = m.group("body").replace(",", " ").split()
        if not words:
            continue
        action = words[0].lower()
        codes = tuple(w.upper() for w in words[1:])
        if action not in {"disable-next-line", "disable-line", "disable", "enable"} or any(
            not re.fullmatch(r"GL\d{3}", c) for c in codes
        ):
            raise InputError(doc.shown, ln, f"malformed suppression comment: {m.group(0)}")
        end = line + html[: m.end()].count("\n")
        doc.suppressions.append(Suppression(ln, cl, action, codes, end))


@functools.cache
def _block_parser():  # noqa: ANN202 - MarkdownIt, imported here to keep start-up lean
    """One parser for every file. Blocks only: inline content is read by our own
    pandoc-exact parser, so markdown-it's inline pass would be wasted work."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    md.disable(["inline", "text_join"], ignoreInvalid=True)
    return md


def parse(path: Path, text: str, shown: str, store: Store | None = None) -> Document:
    """Parse Markdown `text` (the content of `path`) into a Document, from the project's
    store when this exact text was parsed before (an edit re-parses only the file it
    changed). The document's blocks keep their analyses in `store` too."""
    if store is None:
        doc = parse_now(path, text, shown)
        _refuse_huge_blocks(doc)
        return doc
    from .cache import key

    doc = store.memo("documents").get(
        key(*_parser_versions(), text),
        lambda: parse_now(path, text, shown),
        _Stored,
        lambda d: (d.front_matter, d.blocks, d.suppressions),
        lambda raw: _document(raw, path, text, shown, store),
    )
    for b in doc.blocks:
        b.store = store
    _refuse_huge_blocks(doc)
    return doc


#: The most text one block (a paragraph, a list item, a cell) may hold. A real paragraph is a
#: few kilobytes; megabytes on one line are an export gone wrong, and reading them would keep
#: an editor or a commit hook waiting for a minute. Refused, never passed over.
MAX_BLOCK_CHARS = 1_000_000


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
    """The installed markdown-it and its plugins (their version files, found, not imported,
    so a stored parse costs no import): a parse depends on them as well as on our code."""
    import importlib.util

    found = []
    for name in ("markdown_it", "mdit_py_plugins"):
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        try:
            found.append(Path(origin).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            found.append(name)
    return tuple(found)


_Stored = tuple[str | None, list[Block], list[Suppression]]


def _document(stored: _Stored, path: Path, text: str, shown: str, store: Store) -> Document | None:
    """A document from its stored parse."""
    front, blocks, suppressions = stored
    doc = Document(path, shown, text, {}, blocks, suppressions, front)
    if front is not None:
        doc.metadata = _metadata(front, shown, store)
    return doc


def parse_now(path: Path, text: str, shown: str) -> Document:
    """Parse Markdown `text` (the content of `path`) into a Document."""
    doc = Document(path=path, shown=shown, text=text)
    source_lines = text.split("\n")
    tokens = _block_parser().parse(text)
    section = ""
    table_no = 0
    in_table = False
    pending_kind = "paragraph"
    for i, tok in enumerate(tokens):
        if tok.type == "front_matter":
            _front_matter(doc, tok.content, source_lines)
        elif tok.type == "html_block" and tok.map:
            _suppressions(doc, tok.content, tok.map[0] + 1, 1)
        elif tok.type == "table_open":
            table_no += 1
            in_table = True
        elif tok.type == "table_close":
            in_table = False
        elif tok.type == "heading_open":
            pending_kind = "heading"
        elif tok.type == "list_item_open":
            pending_kind = "item"
        elif tok.type == "inline" and tok.map:
            first, last = tok.map
            raw, starts, origins = _block_from_lines(
                "x", tok.content, source_lines, first, max(last, first + 1)
            )
            if "<!--" in raw:
                _suppressions(doc, raw, origins[0][0], origins[0][1])
            kind = "cell" if in_table else pending_kind
            level = 0
            if kind == "heading":
                level = int(tokens[i - 1].tag[1])
                title = ATTRS_RE.sub("", raw).strip()
                if level == 1:
                    section = title
            elif kind == "paragraph" and raw.lstrip().startswith(":::"):
                pending_kind = "paragraph"
                continue
            elif kind == "paragraph" and CAPTION_RE.match(raw) and raw.startswith(("Table:", ": ")):
                kind = "caption"
            elif kind == "paragraph" and IMAGE_RE.fullmatch(raw.strip()):
                kind = "figure"
            block = Block(
                kind,
                raw,
                starts,
                origins,
                section,
                level=level,
                table=table_no if kind in {"cell", "caption"} else 0,
            )
            doc.blocks.append(block)
            if kind != "cell":
                pending_kind = "paragraph"
        elif (
            tok.type in {"paragraph_open"}
            and pending_kind not in {"item", "heading"}
            or tok.type == "list_item_close"
        ):
            pending_kind = "paragraph"
    _attach_captions(doc)
    return doc


def _attach_captions(doc: Document) -> None:
    """A pandoc caption may stand before its table: give it the number of the table it captions."""
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if b.kind != "caption":
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        prev = blocks[i - 1] if i > 0 else None
        if nxt is not None and nxt.kind == "cell" and (prev is None or prev.kind != "cell"):
            b.table = nxt.table


def heading_title(block: Block) -> str:
    return ATTRS_RE.sub("", block.raw).strip()
