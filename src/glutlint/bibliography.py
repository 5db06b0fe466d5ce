"""The bibliography, parsed with bibtexparser 2, each entry knowing its line and source file."""

from __future__ import annotations

import re
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


def load_bibliography(path: Path, root: Path, store: Store | None = None) -> dict[str, Entry]:
    """Parse `path`; any block bibtexparser cannot parse is a one-line InputError.

    With `store`, the parse of identical text is reused (a bibliography with hundreds of
    entries costs more to parse than a whole check); `file` fields are resolved every time,
    since where they lead depends on the file system, not on the text."""
    from .cache import key

    text = read_text(path)
    shown = _show(path, root)
    if store is None:
        parsed = _parse(text, shown)
    else:
        parsed = store.value(f"bib-{key(text)}", list[Entry], lambda: _parse(text, shown))
    entries: dict[str, Entry] = {}
    for entry in parsed:
        if entry.fields.get("file"):
            line = entry.field_lines.get("file", entry.line)
            entry.file = _source_path(entry.fields["file"], root, shown, line)
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
    for block in library.blocks:
        raw = getattr(block, "raw", "") or ""
        if type(block).__name__ == "ImplicitComment" and ("{" in raw or "}" in raw):
            line = (block.start_line or 0) + 1
            prev = [e for e in library.entries if e.start_line < (block.start_line or 0)]
            key = prev[-1].key if prev else "?"
            raise InputError(shown, line, f"unbalanced braces in entry {key}")
    out: list[Entry] = []
    lines = text.splitlines()
    for e in library.entries:
        if not e.key.strip():
            raise InputError(shown, e.start_line + 1, "entry without a citation key")
        fields = {k.lower(): _clean(str(f.value)) for k, f in e.fields_dict.items()}
        field_lines = {k: _field_line(lines, e.start_line, k) for k in fields}
        out.append(Entry(e.key, e.entry_type.lower(), e.start_line + 1, fields, field_lines))
    return out


def _show(path: Path, root: Path) -> str:
    try:
        return real_path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _source_path(value: str, root: Path, shown: str, line: int) -> Path:
    """Resolve a `file` field (Zotero style `desc:path:type` is accepted) inside the project."""
    parts = value.split(";")[0].split(":")
    rel = parts[1] if len(parts) == 3 else value.split(";")[0]
    p = real_path(root / rel)
    try:
        p.relative_to(root)
    except ValueError:
        raise InputError(shown, line, f"file field points outside the project: {rel}") from None
    return p
