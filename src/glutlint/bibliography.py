"""The bibliography, parsed with bibtexparser 2, each entry knowing its line and source file."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .textio import read_text, real_path

if TYPE_CHECKING:
    from .cache import Store


@dataclass
class Entry:
    """One BibTeX entry; `fields` are lower-cased names with braces stripped from values."""

    key: str
    entry_type: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    #: Resolved on every load: where it leads depends on the file system, not on the text.
    file: Path | None = field(default=None, metadata={"stored": False})

    @property
    def year(self) -> int | None:
        m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", self.fields.get("year", "") or self.date)
        return int(m.group(1)) if m else None

    @property
    def date(self) -> str:
        return self.fields.get("date", "")

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def authors(self) -> list[str]:
        raw = self.fields.get("author", "")
        return [a.strip() for a in re.split(r"\s+and\s+", raw) if a.strip()]

    def short_authors(self) -> str:
        names = [a.split(",")[0].strip() for a in self.authors]
        if not names:
            return ""
        return names[0] + (
            " et al." if len(names) > 2 else "" if len(names) == 1 else f" and {names[1]}"
        )


def _clean(value: str) -> str:
    value = re.sub(r"[{}]", "", value)
    return re.sub(r"\s+", " ", value).strip()


def _field_line(lines: list[str], start_line: int, name: str) -> int:
    """1-based line of `name =` at or after the entry start (bibtexparser does not keep it)."""
    pat = re.compile(rf"^\s*{re.escape(name)}\s*=", re.IGNORECASE)
    for i in range(start_line, len(lines)):
        if pat.search(lines[i]):
            return i + 1
        if i > start_line and lines[i].lstrip().startswith("@"):
            break
    return start_line + 1


def _unbalanced(raw: str) -> bool:
    depth = 0
    for ch in raw:
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            return True
    return depth != 0


def load_bibliography(
    path: Path, root: Path, store: Store | None = None, roots: Sequence[Path] = ()
) -> dict[str, Entry]:
    """Parse `path`; any block bibtexparser cannot parse is a one-line InputError.

    With `store`, the parse of identical text is reused (a bibliography with hundreds of
    entries costs more to parse than a whole check); `file` fields are resolved every time,
    since where they lead depends on the file system, not on the text."""
    from .cache import key

    text = read_text(path)
    shown = _show(path, root)
    parse = _parse_csl if _is_csl(path, text) else _parse
    if store is None:
        parsed = parse(text, shown)
    else:
        parsed = store.value(f"bib-{key(text)}", list[Entry], lambda: parse(text, shown))
    entries: dict[str, Entry] = {}
    for entry in parsed:
        if entry.fields.get("file"):
            line = entry.field_lines.get("file", entry.line)
            entry.file = source_path(entry.fields["file"], root, shown, line, roots)
        entries[entry.key] = entry
    return entries


def _parse(text: str, shown: str) -> list[Entry]:
    """The entries, in file order (their `file` not yet resolved)."""
    import logging

    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser raises bare exceptions on some malformed input
        raise InputError(shown, None, f"cannot parse bibliography: {exc}") from None
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        raw = getattr(block, "raw", "") or ""
        m = re.match(r"@\w+\s*[{(]\s*([^,\s]+)", raw)
        key = m.group(1) if m else "?"
        name = type(block).__name__
        if name == "DuplicateBlockKeyBlock":
            raise InputError(shown, line, f"duplicate key {key}")
        if name == "DuplicateFieldKeyBlock":
            raise InputError(shown, line, f"duplicate field in entry {key}")
        if _unbalanced(raw):
            raise InputError(shown, line, f"unbalanced braces in entry {key}")
        raise InputError(shown, line, f"cannot parse entry {key}")
    for item in library.blocks:
        raw = getattr(item, "raw", "") or ""
        if type(item).__name__ == "ImplicitComment" and ("{" in raw or "}" in raw):
            line = (item.start_line or 0) + 1
            prev = [e for e in library.entries if (e.start_line or 0) < (item.start_line or 0)]
            key = prev[-1].key if prev else "?"
            raise InputError(shown, line, f"unbalanced braces in entry {key}")
    out: list[Entry] = []
    lines = text.splitlines()
    for e in library.entries:
        start = e.start_line or 0
        if not e.key.strip():
            raise InputError(shown, start + 1, "entry without a citation key")
        fields = {k.lower(): _clean(str(f.value)) for k, f in e.fields_dict.items()}
        field_lines = {k: _field_line(lines, start, k) for k in fields}
        out.append(Entry(e.key, e.entry_type.lower(), start + 1, fields, field_lines))
    return out


# ------------------------------------------------------------------------------- CSL JSON

#: CSL item types as the BibTeX entry types the rest of glutlint reads.
_CSL_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "report",
    "thesis": "thesis",
    "webpage": "online",
    "post-weblog": "online",
    "post": "online",
}
#: CSL variables -> the BibTeX field names glutlint reads.
_CSL_FIELDS = {
    "title": "title",
    "container-title": "journaltitle",
    "container-title-short": "shortjournal",
    "journalAbbreviation": "shortjournal",
    "DOI": "doi",
    "PMID": "pmid",
    "PMCID": "pmcid",
    "URL": "url",
    "volume": "volume",
    "issue": "number",
    "page": "pages",
    "publisher": "publisher",
    "note": "note",
    "file": "file",
}
_KEY_LINE_RE = re.compile(r'^\s*"([^"\\]+)"\s*:', re.MULTILINE)


def _is_csl(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".json" or text.lstrip("\ufeff \t\r\n").startswith("[")


def _object_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each object at the top level of a JSON array, strings respected."""
    spans: list[tuple[int, int]] = []
    depth, start, in_string, escaped = 0, 0, False, False
    for i, c in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth == 2 and c == "{":
                start = i
        elif c in "]}":
            if depth == 2 and c == "}":
                spans.append((start, i + 1))
            depth -= 1
    return spans


def _csl_date(value: object) -> tuple[str, str]:
    """(year, ISO date) of a CSL date."""
    if not isinstance(value, dict):
        return "", ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        nums = [str(x) for x in parts[0][:3] if isinstance(x, int | str) and str(x).isdigit()]
        if nums:
            date = "-".join([nums[0], *(n.zfill(2) for n in nums[1:])])
            return nums[0], date
    for k in ("raw", "literal"):
        raw = value.get(k)
        if isinstance(raw, str):
            m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", raw)
            if m:
                return m.group(1), raw.strip()
    return "", ""


def _csl_names(value: object) -> str:
    if not isinstance(value, list):
        return ""
    names = []
    for n in value:
        if not isinstance(n, dict):
            continue
        if isinstance(n.get("literal"), str):
            names.append(n["literal"])
        elif isinstance(n.get("family"), str):
            parts = [n["family"], n.get("suffix"), n.get("given")]
            names.append(", ".join(p for p in parts if isinstance(p, str) and p))
    return " and ".join(names)


def _parse_csl(text: str, shown: str) -> list[Entry]:
    """A CSL JSON bibliography (an array of items, as pandoc and Zotero write it) as entries
    with BibTeX field names; each entry and field knows its line."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(shown, exc.lineno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise InputError(shown, 1, "a CSL JSON bibliography is an array of items")
    spans = _object_spans(text)
    if len(spans) != len(data):
        raise InputError(shown, 1, "a CSL JSON bibliography is an array of objects")
    out: list[Entry] = []
    seen: dict[str, int] = {}
    for item, (start, end) in zip(data, spans, strict=True):
        line = text.count("\n", 0, start) + 1
        item_id = item.get("id")
        if isinstance(item_id, int):
            item_id = str(item_id)
        if not isinstance(item_id, str) or not item_id.strip():
            raise InputError(shown, line, "item without an id (its citation key)")
        if item_id in seen:
            raise InputError(
                shown, line, f"duplicate key {item_id} (first at line {seen[item_id]})"
            )
        seen[item_id] = line
        lines: dict[str, int] = {}
        for m in _KEY_LINE_RE.finditer(text, start, end):
            lines.setdefault(m.group(1), text.count("\n", 0, m.start(1)) + 1)
        fields: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        for var, name in _CSL_FIELDS.items():
            value = item.get(var)
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if isinstance(value, str) and value.strip() and name not in fields:
                fields[name] = _clean(value)
                field_lines[name] = lines.get(var, line)
        if "journaltitle" in fields:
            fields["journal"] = fields["journaltitle"]
            field_lines["journal"] = field_lines["journaltitle"]
        authors = _csl_names(item.get("author"))
        if authors:
            fields["author"], field_lines["author"] = authors, lines.get("author", line)
        year, date = _csl_date(item.get("issued"))
        if year:
            fields["year"], field_lines["year"] = year, lines.get("issued", line)
            fields["date"], field_lines["date"] = date, lines.get("issued", line)
        _, accessed = _csl_date(item.get("accessed"))
        if accessed:
            fields["urldate"], field_lines["urldate"] = accessed, lines.get("accessed", line)
        kind = item.get("type")
        entry_type = _CSL_TYPES.get(kind, "misc") if isinstance(kind, str) else "misc"
        out.append(Entry(item_id.strip(), entry_type, line, fields, field_lines))
    return out


def _show(path: Path, root: Path) -> str:
    try:
        return real_path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


#: What an attachment is, by its MIME type or its name, ranked: the article's XML first (the
#: publisher's own structure), then a text the author made on purpose, then the PDF; a web
#: page snapshot is not read.
_RANKS = (
    (0, ("application/xml", "text/xml", "application/jats+xml"), (".nxml", ".xml")),
    (1, ("text/plain",), (".txt", ".text", ".md")),
    (2, ("application/pdf",), (".pdf",)),
    (9, ("text/html", "application/xhtml+xml"), (".html", ".htm", ".xhtml")),
)
_UNESCAPED_RE = re.compile(r"(?<!\\);")
_FIELD_SPLIT_RE = re.compile(r"(?<!\\):")


@dataclass(frozen=True)
class Attachment:
    """One attachment of a `file` field: Zotero writes `description:path:mime`."""

    path: str
    mime: str = ""

    @property
    def rank(self) -> int:
        suffix = Path(self.path).suffix.lower()
        for rank, mimes, suffixes in _RANKS:
            if self.mime.lower() in mimes or (not self.mime and suffix in suffixes):
                return rank
        for rank, _, suffixes in _RANKS:
            if suffix in suffixes:
                return rank
        return 3


def attachments(value: str) -> list[Attachment]:
    """The attachments of a `file` field: `;`-separated, each `path` or `desc:path:mime`, with
    `\\:` and `\\;` standing for colons and semicolons in paths (Windows drives)."""
    out = []
    for item in _UNESCAPED_RE.split(value):
        parts = _FIELD_SPLIT_RE.split(item.strip())
        if len(parts) == 3:
            _, path, mime = parts
        elif len(parts) == 2 and "/" in parts[1] and not parts[1].startswith(("/", "~")):
            path, mime = parts  # "path:mime"
        else:
            path, mime = item.strip(), ""
        path = path.replace("\\:", ":").replace("\\;", ";").strip()
        if path:
            out.append(Attachment(path, mime.strip()))
    return out


def source_path(value: str, root: Path, shown: str, line: int, roots: Sequence[Path] = ()) -> Path:
    """The source file a `file` field names: of its attachments that exist, the best to read
    (see `_RANKS`), else the first. Relative paths are from the project root; absolute ones
    (Zotero's storage folder) and `~` only inside the project or an allowed root."""
    found = attachments(value)
    if not found:
        raise InputError(shown, line, "empty file field")
    allowed = [root, *roots]
    resolved = []
    for a in found:
        p = Path(a.path).expanduser()
        p = real_path(p if p.is_absolute() else root / p)
        resolved.append((a, p))
    existing = [(a, p) for a, p in resolved if os.path.lexists(p)]
    a, p = min(existing, key=lambda ap: ap[0].rank) if existing else resolved[0]
    if existing and a.rank == 9:
        raise InputError(
            shown,
            line,
            f"only a web page snapshot is attached ({Path(a.path).name}): attach the article's "
            "PDF or XML, or a text file",
        )
    if not any(p.is_relative_to(r) for r in allowed):
        raise InputError(
            shown,
            line,
            f"file field points outside the project: {a.path} (add its folder to "
            "[tool.glutlint] allowed_roots, e.g. your Zotero storage folder)",
        )
    return p
