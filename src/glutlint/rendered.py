"""What pandoc renders from a manuscript file, mapped back to the file's lines and columns.

pandoc's own reading is the authority: the file is parsed by the pandoc binary that builds the
outputs (`pandoc --from markdown --to json`), and every block of its AST that puts text in front
of a reader becomes a leaf: paragraphs and plain text anywhere (lists, block quotes, divs, raw
HTML containers, notes), headings, line blocks, definition terms, table cells of every table
kind, table and figure captions, and the metadata fields the templates print. Raw blocks and
inlines are kept as `Raw` records: their text reaches an output unchecked.

pandoc's Markdown reader keeps no source positions, so each leaf is placed in the file by its
words: the words (letters and digits) of the leaves in document order are aligned with the
words of the file (`alignment.py`: common runs anchored on words that occur once on each
side, robust to markup, URLs, attributes and entities that only one side has). Notes, table
cells and captions, whose order in the file is not their order in the AST, are placed
afterwards in the words left over, and metadata fields inside the YAML block that holds them.
A leaf becomes one source segment per line it covers.
"""

from __future__ import annotations

import bisect
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .alignment import matching_blocks
from .errors import InputError

WORD_RE = re.compile(r"[^\W_]+")
NUMBER_RUN_RE = re.compile(r"[^\W_]+(?:[.,][^\W_]+)*")  # "22.8", "1,000": words a point joins
SECONDS_BASE = 2.0  # pandoc's time limit for one file: this, plus a second per 20 kB
BYTES_PER_SECOND = 20_000
#: Metadata fields the templates print (the PDF, DOCX and HTML title blocks, headers and the
#: text before and after the body), each read as the kind of text it is printed as: a title
#: block's lines need no citation of their own (an address holds numbers that are no claim),
#: text printed around the body is held to the body's rules.
PRINTED_META = {
    "title": "title",
    "subtitle": "title",
    "running-title": "title",
    "keywords": "title",
    "thanks": "title",
    "date": "title",
    "author": "title",
    "affiliations": "title",
    "abstract-title": "title",
    "toc-title": "title",
    "reference-section-title": "title",
    "abstract": "abstract",
    "include-before": "paragraph",
    "include-after": "paragraph",
    "header-includes": "paragraph",
}
_CAPTION_LINE_RE = re.compile(r"^[ ]{0,3}(?:[Tt]able)?:\s")
_FENCE_RE = re.compile(r"^\s*(?:`{3,}|~{3,})\s*\{\s*=")
_YAML_KEY_RE = re.compile(r"^([A-Za-z0-9_][\w-]*)\s*:")
BREAK = "\n"  # stands for a line start; never a word
_NEAR = 200  # words: how far a placed leaf's pieces may lie from its longest run


@dataclass
class Leaf:
    """A block of rendered text (or raw output) and where its words sit in the file."""

    kind: str  # paragraph item heading cell caption figure term title abstract code raw
    words: list[str]
    level: int = 0
    table: int = 0
    fmt: str = ""  # raw: the output format
    text: str = ""  # raw: the text passed through
    later: str = ""  # "" (document order) | note | cell | caption | meta:<key>
    raws: list[tuple[int, int, str, str]] = field(default_factory=list)  # raw inlines
    at: int = 0  # main leaves before it (tables: where the table stands)
    hits: list[int] = field(default_factory=list)  # file word index of each word, -1: unplaced
    #: a heading inside a quote, list, note, table or the metadata: no section of the document
    nested: bool = False
    #: the text as printed, pieces joined as pandoc joins them ("2<!-- -->0.8%" is "20.8%"),
    #: and for each of its characters the index of the word in `words` it comes from (-1: none)
    printed: str = ""
    owner: list[int] = field(default_factory=list)


@dataclass
class Raw:
    """Raw output text: a raw block or inline for one format, at its place in the file."""

    fmt: str
    text: str
    start: int  # offsets in the file
    end: int
    inline: bool


@dataclass
class Segment:
    """The part of one file line that a leaf covers."""

    start: int  # offset in the file
    end: int


@dataclass
class Placed:
    leaf: Leaf
    segments: list[Segment]
    #: the words with digits pandoc prints as prose in this leaf, each with its offset in the
    #: file (-1 where it was not placed): what the rules must be able to read
    numbers: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Rendering:
    placed: list[Placed]
    raws: list[Raw]
    yaml: list[tuple[int, int]]  # line ranges [first, last) of YAML metadata blocks, 0-based


def pandoc_binary() -> str:
    """The pandoc of the pypandoc_binary wheel, found without importing pypandoc."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("pandoc", "pandoc.exe"):
                candidate = Path(folder) / "files" / name
                if candidate.is_file():
                    return str(candidate)
    from .build.pandoc import pandoc_path

    return pandoc_path()


def pandoc_json(text: str, shown: str) -> dict:
    """pandoc's AST of Markdown `text`, or a one-line InputError naming `shown`."""
    cmd = [pandoc_binary(), "--sandbox", "--from", "markdown", "--to", "json"]
    data = text.encode("utf-8", "surrogatepass")
    # pandoc reads a page in milliseconds, but some inputs ("[@a" repeated, unclosed image
    # brackets) send its parser into exponential time: a build could never finish them either.
    limit = SECONDS_BASE + len(data) / BYTES_PER_SECOND
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(
            shown, None, f"pandoc did not finish reading it in {limit:.0f} s (nor would a build)"
        ) from None
    except OSError as exc:
        raise InputError(shown, None, f"cannot run pandoc: {exc.strerror}") from None
    if proc.returncode != 0:
        message = " ".join(proc.stderr.decode("utf-8", "replace").split())
        m = re.search(r"at \(line (\d+), column \d+\)", message)
        line = int(m.group(1)) if m else None
        raise InputError(shown, line, f"pandoc cannot read it: {message or 'no message'}")
    return json.loads(proc.stdout)


def pandoc_jsons(items: list[tuple[str, str]]) -> list[dict]:
    """pandoc's AST of each (text, shown), read by parallel pandoc processes; the first
    file that cannot be read (in order) raises its InputError."""
    if len(items) <= 1:
        return [pandoc_json(text, shown) for text, shown in items]
    import os
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 2)) as pool:
        futures = [pool.submit(pandoc_json, text, shown) for text, shown in items]
        return [f.result() for f in futures]


# --- the AST: leaves in document order --------------------------------------------------------


class _Walk:
    def __init__(self) -> None:
        self.leaves: list[Leaf] = []
        self.tables = 0
        self.main = 0
        self.depth = 0  # quotes, lists and definitions entered
        self.silent = 0  # inside what is placed by its words but not printed as written

    def add(self, leaf: Leaf) -> None:
        leaf.at = self.main
        self.leaves.append(leaf)
        if not leaf.later:
            self.main += 1

    def inlines(self, xs: list, leaf: Leaf) -> None:
        for x in xs:
            self.inline(x, leaf)

    def text(self, s: str, leaf: Leaf, printed: bool = True) -> None:
        """The words of `s` for placing the leaf, and `s` itself as printed text."""
        base = len(leaf.words)
        owner = [-1] * len(s)
        for j, m in enumerate(WORD_RE.finditer(s)):
            leaf.words.append(m.group())
            owner[m.start() : m.end()] = [base + j] * (m.end() - m.start())
        if printed and not self.silent:
            leaf.printed += s
            leaf.owner += owner

    def gap(self, leaf: Leaf) -> None:
        """A break between printed words."""
        leaf.printed += " "
        leaf.owner.append(-1)

    def inline(self, x: dict, leaf: Leaf) -> None:
        t, c = x.get("t"), cast(Any, x.get("c"))
        if t == "Str":
            self.text(c, leaf)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            self.gap(leaf)
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps"):
            self.inlines(c, leaf)
        elif t in ("Superscript", "Subscript"):  # "10^6^" prints 10 and a raised 6, not 106
            self.gap(leaf)
            self.inlines(c, leaf)
            self.gap(leaf)
        elif t in ("Quoted", "Span", "Link"):
            self.inlines(c[1], leaf)
        elif t == "Cite":  # placed by the citation as written; printed as the style says
            self.gap(leaf)
            self.silent += 1
            self.inlines(c[1], leaf)
            self.silent -= 1
            self.gap(leaf)
        elif t == "Image":
            self.inlines(c[1], leaf)
            self.text(c[2][0], leaf, printed=False)  # the file name: places the image
        elif t in ("Code", "Math"):
            self.text(c[1], leaf)
        elif t == "RawInline":
            first = len(leaf.words)
            self.text(c[1], leaf, printed=False)
            leaf.raws.append((first, len(leaf.words), c[0], c[1]))
        elif t == "Note":
            self.gap(leaf)
            self.blocks(c, "paragraph", "note", 0)

    def leaf(self, kind: str, xs: list, later: str, table: int, level: int = 0) -> Leaf:
        leaf = Leaf(kind, [], level=level, table=table, later=later)
        self.inlines(xs, leaf)
        self.add(leaf)
        return leaf

    def blocks(self, bs: list, kind: str, later: str, table: int, item: bool = False) -> None:
        for i, b in enumerate(bs):
            t, c = b.get("t"), b.get("c")
            if t in ("Para", "Plain"):
                self.leaf("item" if item and i == 0 else kind, c, later, table)
            elif t == "Header":
                heading = self.leaf("heading", c[2], later, table, level=c[0])
                heading.nested = self.depth > 0 or bool(later)
            elif t == "LineBlock":
                flat: list = []
                for line in c:
                    flat.extend(line)
                    flat.append({"t": "SoftBreak"})
                self.leaf(kind, flat, later, table)
            elif t in ("BlockQuote", "BulletList", "OrderedList", "DefinitionList"):
                self.depth += 1
                self.nested_blocks(t, c, kind, later, table)
                self.depth -= 1
            elif t == "Div":
                self.blocks(c[1], kind, later, table)
            elif t == "Figure":
                leaf = Leaf("figure", [], later=later, table=table)
                for inner in c[2]:
                    if inner.get("t") in ("Para", "Plain"):
                        self.inlines(inner["c"], leaf)
                self.add(leaf)
            elif t == "Table":
                self.table(c, later)
            elif t == "CodeBlock":
                self.add(Leaf("code", WORD_RE.findall(c[1]), later=later, table=table))
            elif t == "RawBlock":
                leaf = Leaf("raw", WORD_RE.findall(c[1]), fmt=c[0], text=c[1], later=later)
                self.add(leaf)

    def nested_blocks(self, t: str, c: Any, kind: str, later: str, table: int) -> None:
        """The blocks of a quote, a list or a definition list."""
        if t == "BlockQuote":
            self.blocks(c, kind, later, table)
        elif t == "BulletList":
            for entry in c:
                self.blocks(entry, kind, later, table, item=True)
        elif t == "OrderedList":
            for entry in c[1]:
                self.blocks(entry, kind, later, table, item=True)
        else:
            for term, defs in c:
                self.leaf("term", term, later, table)
                for d in defs:
                    self.blocks(d, kind, later, table)

    def table(self, c: list, later: str) -> None:
        self.tables += 1
        n = self.tables
        here = self.main
        _attr, caption, _cols, head, bodies, foot = c
        rows = list(head[1])
        for body in bodies:
            rows.extend(body[2])
            rows.extend(body[3])
        rows.extend(foot[1])
        for row in rows:
            for cell in row[1]:
                self.blocks(cell[4], "cell", later or "cell", n)
        self.blocks(caption[1], "caption", later or "caption", n)
        for leaf in self.leaves:
            if leaf.table == n and leaf.later in ("cell", "caption"):
                leaf.at = here

    def meta(self, meta: dict) -> None:
        for key, kind in PRINTED_META.items():
            if key in meta:
                self.meta_value(meta[key], kind, f"meta:{key}")

    def meta_value(self, v: dict, kind: str, later: str) -> None:
        t, c = v.get("t"), cast(Any, v.get("c"))
        if t == "MetaInlines":
            self.leaf(kind, c, later, 0)
        elif t == "MetaBlocks":
            self.blocks(c, kind, later, 0)
        elif t == "MetaString":
            self.leaf(kind, [{"t": "Str", "c": c}], later, 0)
        elif t == "MetaList":
            for x in c:
                self.meta_value(x, kind, later)
        elif t == "MetaMap":  # an author: name, affiliation, e-mail, ORCID
            for x in c.values():
                self.meta_value(x, kind, later)


def leaves_of(ast: dict) -> list[Leaf]:
    """Every leaf of the AST: the body in document order, then the printed metadata."""
    walk = _Walk()
    walk.blocks(ast.get("blocks", []), "paragraph", "", 0)
    walk.meta(ast.get("meta", {}))
    return walk.leaves


# --- the file: words, YAML blocks, alignment --------------------------------------------------


def yaml_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [first, last] (the fences included) of YAML metadata blocks, pandoc's way:
    `---` after a blank line or at the top, not followed by a blank line, closed by `---`/`...`."""
    out: list[tuple[int, int]] = []
    i = 0
    n = len(lines)
    while i < n:
        if (
            lines[i].rstrip() == "---"
            and (i == 0 or not lines[i - 1].strip())
            and i + 1 < n
            and lines[i + 1].strip()
        ):
            j = i + 1
            while j < n and lines[j].rstrip() not in ("---", "..."):
                j += 1
            if j < n:
                out.append((i, j))
                i = j + 1
                continue
        i += 1
    return out


def _runs(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The matching runs near the longest one: a leaf placed later lies in one area."""
    if not blocks:
        return []
    big = max(range(len(blocks)), key=lambda k: blocks[k][2])
    keep = [blocks[big]]
    lo, hi = blocks[big][0], blocks[big][0] + blocks[big][2]
    for a, b, size in reversed(blocks[:big]):
        if lo - (a + size) > _NEAR:
            break
        keep.insert(0, (a, b, size))
        lo = a
    for a, b, size in blocks[big + 1 :]:
        if a - hi > _NEAR:
            break
        keep.append((a, b, size))
        hi = a + size
    return keep


class _Aligner:
    def __init__(self, text: str, yaml: list[tuple[int, int]], line_starts: list[int]) -> None:
        self.text = text
        self.line_starts = line_starts
        # A line start is a word of its own (BREAK); a break also stands between two leaves
        # of the main stream, so a leaf's last words cannot run on into another block.
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        starts = iter(line_starts[1:])
        nxt = next(starts, None)
        self.words.append(BREAK)
        self.spans.append((0, 0))
        for m in WORD_RE.finditer(text):
            while nxt is not None and nxt <= m.start():
                if self.words[-1] is not BREAK:  # blank lines: one break, as between leaves
                    self.words.append(BREAK)
                    self.spans.append((nxt, nxt))
                nxt = next(starts, None)
            self.words.append(m.group())
            self.spans.append((m.start(), m.end()))
        self.line = [bisect.bisect_right(line_starts, s) - 1 for s, _ in self.spans]
        in_yaml: set[int] = set()
        for first, last in yaml:
            in_yaml.update(range(first, last + 1))
        self.yaml = [ln in in_yaml for ln in self.line]
        self.used = [False] * len(self.words)

    def free(
        self, lo: int = 0, hi: int | None = None, yaml: bool = False, breaks: bool = False
    ) -> list[int]:
        """Unplaced words in [lo, hi), in or out of YAML blocks, with or without breaks."""
        hi = len(self.words) if hi is None else hi
        return [
            i
            for i in range(lo, hi)
            if not self.used[i] and self.yaml[i] == yaml and (breaks or self.words[i] is not BREAK)
        ]

    def place(self, leaves: list[Leaf], pool: list[int], near: bool) -> None:
        """Align the words of `leaves` (in order) with the file words `pool` (in order)."""
        seq: list[str] = []
        owner: list[tuple[Leaf, int] | None] = []
        for leaf in leaves:
            leaf.hits = [-1] * len(leaf.words)
            if len(leaves) > 1:
                seq.append(BREAK)
                owner.append(None)
            mine = leaf.later in ("", "note") or len(leaves) == 1
            for k, w in enumerate(leaf.words):
                seq.append(w)
                owner.append((leaf, k) if mine else None)
        if not seq or not pool:
            return
        have = [self.words[i] for i in pool]
        blocks = matching_blocks(have, seq, skip=BREAK)
        if near:
            blocks = _runs(blocks)
        for a, b, size in blocks:
            for k in range(size):
                own = owner[b + k]
                if own is None:
                    continue
                leaf, j = own
                i = pool[a + k]
                leaf.hits[j] = i
                self.used[i] = True


def render_map(text: str, ast: dict) -> Rendering:
    """Place every leaf of `ast` in `text`; return the placed leaves and the raw output."""
    lines = text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    yaml = yaml_blocks(lines)
    al = _Aligner(text, yaml, starts)
    leaves = leaves_of(ast)
    main = [lf for lf in leaves if not lf.later]
    # Table cells and captions stand in the main stream too, unplaced: their words keep the
    # words of the leaves around the table from being matched inside it.
    stream = [lf for lf in leaves if lf.later in ("", "cell", "caption")]
    al.place(stream, al.free(breaks=True), near=False)
    for n in sorted({lf.table for lf in leaves if lf.later in ("cell", "caption")}):
        _place_table(al, lines, [lf for lf in leaves if lf.table == n and lf.later], main)
    for leaf in leaves:
        if leaf.later == "note":
            al.place([leaf], al.free(), near=True)
    for leaf in leaves:
        if leaf.later.startswith("meta:"):
            pool = _meta_pool(al, lines, yaml, leaf.later[5:])
            al.place([leaf], pool, near=True)
    placed: list[Placed] = []
    raws: list[Raw] = []
    windows = sorted(
        (min(h for h in lf.hits if h >= 0), max(lf.hits))
        for lf in leaves
        if any(h >= 0 for h in lf.hits)
    )
    for k, leaf in enumerate(main):
        if leaf.words and not any(h >= 0 for h in leaf.hits) and leaf.kind not in ("code", "raw"):
            placed.append(Placed(leaf, _between(al, lines, main, k)))
    for leaf in leaves:
        if not any(h >= 0 for h in leaf.hits):
            continue
        if leaf.kind == "raw":
            raws.append(_raw(al, leaf.fmt, leaf.text, leaf.hits, inline=False))
            continue
        for first, end, fmt, raw_text in leaf.raws:
            hits = leaf.hits[first:end]
            if any(h >= 0 for h in hits):
                raws.append(_raw(al, fmt, raw_text, hits, inline=True))
        if leaf.kind == "code":
            continue
        segments = _segments(al, leaf, windows)
        if segments:
            placed.append(Placed(leaf, segments, _numbers(al, leaf)))
    return Rendering(placed, raws, [(a, b + 1) for a, b in yaml])


def _numbers(al: _Aligner, leaf: Leaf) -> list[tuple[str, int]]:
    """The printed words of `leaf` that hold a digit, each with the file offset of the first
    word it is made of (-1 where that was not placed)."""
    out = []
    for m in NUMBER_RUN_RE.finditer(leaf.printed):
        if not any(ch.isdigit() for ch in m.group()):
            continue
        owners = [o for o in leaf.owner[m.start() : m.end()] if o >= 0]
        hit = leaf.hits[owners[0]] if owners and owners[0] < len(leaf.hits) else -1
        out.append((m.group(), al.spans[hit][0] if hit >= 0 else -1))
    return out


def _between(al: _Aligner, lines: list[str], main: list[Leaf], k: int) -> list[Segment]:
    """A leaf whose words could not be placed (all too common to align): the non-blank lines
    between its placed neighbours, so that its text is still read."""
    lo, hi = 0, len(lines)
    for lf in reversed(main[:k]):
        got = [h for h in lf.hits if h >= 0]
        if got:
            lo = al.line[max(got)] + 1
            break
    for lf in main[k + 1 :]:
        got = [h for h in lf.hits if h >= 0]
        if got:
            hi = al.line[min(got)]
            break
    out = []
    for ln in range(lo, hi):
        a = al.line_starts[ln]
        b = a + len(lines[ln])
        while a < b and al.text[a] in " \t>":
            a += 1
        if a < b:
            out.append(Segment(a, b))
    return out


def _raw(al: _Aligner, fmt: str, text: str, hits: list[int], inline: bool) -> Raw:
    got = [h for h in hits if h >= 0]
    start, end = al.spans[min(got)][0], al.spans[max(got)][1]
    while start > 0 and al.text[start - 1] not in " \t\n":  # from its `<` or backquote
        start -= 1
    if not inline:  # a fenced raw block starts at its fence, where a suppression points
        ln = al.line[min(got)]
        fence = ln - 1
        while fence >= 0 and ln - fence <= 2:
            line = al.text[al.line_starts[fence] : al.line_starts[fence + 1] - 1]
            if _FENCE_RE.match(line):
                start = al.line_starts[fence] + len(line) - len(line.lstrip())
                break
            fence -= 1
    return Raw(fmt, text, start, end, inline)


def _place_table(al: _Aligner, lines: list[str], leaves: list[Leaf], main: list[Leaf]) -> None:
    """Cells and caption of one table, in the words between the main leaves around it."""
    at = leaves[0].at
    lo = 0
    for lf in reversed(main[:at]):
        got = [h for h in lf.hits if h >= 0]
        if got:
            lo = max(got) + 1
            break
    hi = len(al.words)
    for lf in main[at:]:
        got = [h for h in lf.hits if h >= 0]
        if got:
            hi = min(got)
            break
    region = al.free(lo, hi)
    caption_lines: set[int] = set()
    if region:
        first_line, last_line = al.line[region[0]], al.line[region[-1]]
        ln = first_line
        while ln <= last_line:
            if _CAPTION_LINE_RE.match(lines[ln]):
                while ln <= last_line and lines[ln].strip():
                    caption_lines.add(ln)
                    ln += 1
            ln += 1
    cells = [i for i in region if al.line[i] not in caption_lines]
    for leaf in leaves:
        if leaf.later == "cell":
            al.place([leaf], [i for i in cells if not al.used[i]], near=True)
    caption_pool = [i for i in region if al.line[i] in caption_lines and not al.used[i]]
    for leaf in leaves:
        if leaf.later == "caption":
            al.place([leaf], caption_pool or [i for i in region if not al.used[i]], near=True)


def _meta_pool(al: _Aligner, lines: list[str], yaml: list[tuple[int, int]], key: str) -> list[int]:
    """The free words of every YAML block's `key:` entry (up to the next top-level key)."""
    wanted: set[int] = set()
    for first, last in yaml:
        ln = first + 1
        while ln < last:
            m = _YAML_KEY_RE.match(lines[ln])
            if m and m.group(1) == key:
                end = ln + 1
                while end < last and not _YAML_KEY_RE.match(lines[end]):
                    end += 1
                wanted.update(range(ln, end))
                ln = end
            else:
                ln += 1
    pool = [i for i in al.free(yaml=True) if al.line[i] in wanted]
    # the key's own name is not its value
    return [i for i in pool if not (al.words[i] == key.split("-")[0] and _is_key(al, lines, i))]


def _is_key(al: _Aligner, lines: list[str], i: int) -> bool:
    start = al.spans[i][0] - al.line_starts[al.line[i]]
    return start == 0


def _segments(al: _Aligner, leaf: Leaf, windows: list[tuple[int, int]]) -> list[Segment]:
    """One segment per file line the leaf covers: a cell only its own words, other leaves
    whole lines (from the first word), minus any other leaf that starts later on the line
    or sits inside this one (an inline note)."""
    got = [h for h in leaf.hits if h >= 0]
    first, last = min(got), max(got)
    text = al.text
    by_line: dict[int, list[int]] = {}
    for h in got:
        by_line.setdefault(al.line[h], []).append(h)
    segs: list[Segment] = []
    cell = leaf.kind in ("cell", "caption") and leaf.later == "cell"
    line_range = sorted(by_line) if cell else range(al.line[first], al.line[last] + 1)
    note = leaf.later == "note"
    stop_chars = " \t|" if cell else " \t[]" if note else " \t"
    for ln in line_range:
        ls = al.line_starts[ln]
        le = text.find("\n", ls)
        le = len(text) if le < 0 else le
        mine = by_line.get(ln)
        if cell or ln == al.line[first]:
            a = al.spans[min(mine)][0] if mine else ls
            b = al.spans[max(mine)][1] if mine else le
            while a > ls and text[a - 1] not in stop_chars:
                a -= 1
        else:
            a, b = ls, le
            while a < b and text[a] in " \t>|":
                a += 1
        if cell or note:
            while b < le and text[b] not in stop_chars:
                b += 1
        else:
            b = le
            if ln == al.line[last]:
                for ws, _we in windows:
                    s = al.spans[ws][0]
                    if al.spans[last][1] <= s < b and al.line[ws] == ln and ws > last:
                        b = s
                        while b > a and text[b - 1] not in " \t" and not text[b - 1].isalnum():
                            b -= 1
                        break
        if b > a:
            segs.append(Segment(a, b))
    return segs
