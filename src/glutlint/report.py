"""The evidence report: every claim beside the source passages that support it, as one HTML page.

Why a page: co-authors and reviewers who never run glutlint can open it from a file (no server,
no script, no network) and see, claim by claim, what each cited source actually says there.
`collect` gathers the data from a checked project; `render` turns it into the page and does no
I/O besides reading the packaged stylesheet, so it is easy to test and to reuse.

Everything that comes from the manuscript, the bibliography or the sources is escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from . import __version__
from .diagnostics import Diagnostic
from .trail import ClaimRecord, Item, records

if TYPE_CHECKING:
    import jinja2

    from .engine import Context


@dataclass(frozen=True)
class SourceRow:
    """One bibliography entry as the report shows it."""

    key: str
    authors: str
    year: int | None
    title: str
    kind: str  # the sidecar's kind ("full text", "abstract", "news"); "" when not stated
    path: str  # shown path of its source text; "" when the entry has none
    claims: int  # how many claims cite it


@dataclass
class ReportData:
    """Everything the page shows; built by `collect`, or by hand in tests and other tools."""

    title: str
    records: list[ClaimRecord]
    other: list[Diagnostic] = field(default_factory=list)  # findings outside every claim
    sources: list[SourceRow] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)  # code -> rule name
    files: list[str] = field(default_factory=list)
    version: str = __version__

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for r in self.records for d in r.diagnostics] + self.other


def collect(ctx: Context, diagnostics: list[Diagnostic]) -> ReportData:
    """The report's data for a checked project: claim records, loose findings, sources."""
    from .rules import REGISTRY

    recs = records(ctx, diagnostics)
    inside = {d for r in recs for d in r.diagnostics}
    project = ctx.project
    rows = []
    for key, entry in project.entries.items():
        src = project.sources.get(key)
        rows.append(
            SourceRow(
                key=key,
                authors=entry.short_authors(),
                year=entry.year,
                title=entry.title,
                kind=src.kind if src is not None else "",
                path=project.config.rel(src.path) if src is not None else "",
                claims=sum(key in r.keys for r in recs),
            )
        )
    title = ""
    for doc in ctx.documents:
        value = doc.metadata.get("title")
        if isinstance(value, str) and value.strip():
            title = " ".join(value.split())
            break
    return ReportData(
        title=title,
        records=recs,
        other=sorted(
            (d for d in diagnostics if d not in inside),
            key=lambda d: (d.path, d.line, d.column, d.code, d.message),
        ),
        sources=rows,
        rules={code: str(getattr(m, "NAME", "")) for code, m in REGISTRY.items()},
        files=[doc.shown for doc in ctx.documents],
    )


# ----------------------------------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------------------------------

#: verdict -> (icon, word). The word is always printed: colour and icon only repeat it.
VERDICTS: dict[str, tuple[str, str]] = {
    "verified": ("\u2714", "verified"),
    "flagged": ("\u2716", "flagged"),
    "unverified": ("?", "unverified"),
    "uncited": ("\u25cb", "uncited"),
}
#: item status -> (icon, words, css class)
STATUSES: dict[str, tuple[str, str, str]] = {
    "supported": ("\u2714", "found", "ok"),
    "pubyear": ("\u2714", "publication year of the source", "ok"),
    "computed": ("\u2714", "computed from numbers stated beside it", "ok"),
    "missing": ("\u2716", "not found", "bad"),
    "misbound": ("\u2716", "found, but about something else", "bad"),
    "unchecked": ("?", "not checked: no source text", "unk"),
    "unverified": ("?", "not in the partial text kept (abstract, excerpt, news)", "unk"),
}
_BAD = {"missing", "misbound"}
_SUPERSEDED = "; superseded by: "


@cache
def stylesheet() -> str:
    return resources.files("glutlint").joinpath("data/report.css").read_text(encoding="utf-8")


def display_sentence(text: str) -> str:
    """The claim as read: without the gaps its removed citations left before punctuation."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(?=[.,;:!?)\]])", "", text)
    return re.sub(r"(?<=[(\[])\s+", "", text)


def _find(text: str, needle: str, start: int = 0, ignore_case: bool = False) -> list[int]:
    """Offsets of `needle` in `text` from `start`, not inside a longer word or number."""
    needle = " ".join(needle.split())
    if not needle:
        return []
    pattern = re.escape(needle)
    if needle[0].isalnum():
        pattern = (r"(?<!\w)(?<!\d\.)" if needle[0].isdigit() else r"(?<!\w)") + pattern
    if needle[-1].isalnum():
        pattern += r"(?![\w])" if not needle[-1].isdigit() else r"(?![\d]|\.\d)"
    flags = re.IGNORECASE if ignore_case else 0
    return [m.start() for m in re.compile(pattern, flags).finditer(text, start)]


def sentence_marks(sentence: str, items: list[Item]) -> list[tuple[int, int, Item]]:
    """Where each value and agent sits in the displayed sentence, in order, never overlapping.

    Items carry offsets in the parsed text, which differs from the displayed sentence by
    whitespace and emphasis marks; so each item is found by its text, left to right.
    """
    from .numerals import fold

    shown = fold(sentence)  # values are named as read: "2018" for "２０１８", "1,000" for "1 000"
    spans: list[tuple[int, int, Item]] = []
    cursor = 0
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        needle = " ".join(item.text.split())
        hits = _find(shown.text, needle, cursor) or _find(shown.text, needle)
        for at in hits:
            end = at + len(needle)
            if all(end <= a or at >= b for a, b, _ in spans):
                spans.append((at, end, item))
                cursor = end
                break
    spans = [(*shown.span_in_original(a, b), item) for a, b, item in spans]
    return sorted(spans, key=lambda s: s[0])


def passage_mark(snippet: str, needle: str, ignore_case: bool = False) -> tuple[int, int] | None:
    """Where the matched value sits in a passage snippet (built around it, so nearest centre)."""
    needle = " ".join(needle.split())
    hits = _find(snippet, needle, ignore_case=ignore_case)
    if not hits:
        return None
    if snippet.startswith("..."):
        centre = (len(snippet) - len(needle)) / 2
        at = min(hits, key=lambda h: abs(h - centre))
    else:
        at = hits[0]
    return at, at + len(needle)


def _segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """`text` cut at each (start, end, css class) span: (piece, None) outside a mark,
    (piece, class) inside one ("" for a mark without a class)."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for a, b, cls in spans:
        out += [(text[pos:a], None), (text[a:b], cls)]
        pos = b
    out.append((text[pos:], None))
    return [(t, c) for t, c in out if t or c is not None]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _ids(data: ReportData) -> dict[str, str]:
    return {row.key: f"source-{i}" for i, row in enumerate(data.sources, 1)}


def render(data: ReportData, flagged_first: bool = False) -> str:
    """The whole page as one string: inline CSS, no script, no external resource. Rendered
    from the package's template `data/report.html.j2` with autoescaping: text from the
    manuscript, bibliography and sources is escaped by the template, never by hand."""
    return _environment().get_template("report.html.j2").render(**_page(data, flagged_first))


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("glutlint", "data"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _page(data: ReportData, flagged_first: bool) -> dict[str, object]:
    """What the template shows, as plain data."""
    from markupsafe import Markup

    title = data.title or "Manuscript"
    numbered = list(enumerate(data.records, 1))
    if flagged_first:
        numbered.sort(key=lambda nr: nr[1].verdict != "flagged")
    counts = Counter(r.verdict for r in data.records)
    cards = [("claims", "Claims", len(data.records), "")]
    for verdict, cls in (("verified", "ok"), ("flagged", "bad"), ("unverified", "unk")):
        n = counts.get(verdict, 0)
        cards.append((verdict, verdict.capitalize(), n, cls if n else ""))
    cards.append(("uncited", "Uncited", counts.get("uncited", 0), ""))
    cards.append(("other", "Other findings", len(data.other), "bad" if data.other else ""))
    by_code = Counter(d.code for d in data.diagnostics)
    severity = {d.code: d.severity for d in data.diagnostics}
    flagged = sorted((n, r) for n, r in numbered if r.verdict == "flagged")
    ids = _ids(data)
    rows = {row.key: row for row in data.sources}
    return {
        "title": title,
        "version": data.version,
        "stylesheet": Markup(stylesheet()),  # the package's own file, not user text
        "verdicts": VERDICTS,
        "lede": f"{_plural(len(data.records), 'claim')} in {_plural(len(data.files), 'file')}, "
        f"checked against the text of {_plural(sum(1 for s in data.sources if s.path), 'source')}.",
        "nav": [
            ("summary", "Summary", ""),
            ("sources", "Sources", str(len(data.sources))),
            ("claims", "Claims", str(len(data.records))),
            ("other", "Other findings", str(len(data.other))),
        ],
        "cards": cards,
        "by_rule": [
            (code, data.rules.get(code, ""), severity[code], n)
            for code, n in sorted(by_code.items())
        ],
        "flagged": [
            (n, r.path, r.line, ", ".join(sorted({d.code for d in r.diagnostics})))
            for n, r in flagged
        ],
        "sources": [_source(row, ids[row.key]) for row in data.sources],
        "order": "Flagged claims first, then the others, each in manuscript order"
        if flagged_first
        else "Every claim in manuscript order",
        "legend": [
            ("verified", "every value and agent found in a cited source"),
            ("flagged", "a rule reported a problem"),
            ("unverified", "a cited source has no text"),
            ("uncited", "no citation"),
        ],
        "claims": [_claim(n, rec, ids, rows, data.rules) for n, rec in numbered],
        "other": [_finding(d, data.rules) for d in data.other],
        "files": ", ".join(data.files),
    }


def _source(row: SourceRow, row_id: str) -> dict[str, object]:
    return {
        "id": row_id,
        "key": row.key,
        "who": " ".join(x for x in (row.authors, f"({row.year})" if row.year else "") if x),
        "title": row.title,
        "year": row.year or "\u2014",
        "kind": row.kind,
        "path": row.path,
        "claims": row.claims,
    }


def _claim(
    n: int,
    rec: ClaimRecord,
    ids: dict[str, str],
    rows: dict[str, SourceRow],
    rules: dict[str, str],
) -> dict[str, object]:
    sentence = display_sentence(rec.sentence)
    spans = [
        (a, b, "bad" if item.status in _BAD else "")
        for a, b, item in sentence_marks(sentence, rec.items)
    ]
    groups: list[dict[str, object]] | None = None
    loose: list[dict[str, object]] = []
    if rec.keys or rec.items:
        grouped, rest = _group(rec, rows)
        groups = [_source_group(key, items, ids, rows) for key, items in grouped.items()]
        loose = [_item(i) for i in rest]
    return {
        "n": n,
        "verdict": rec.verdict,
        "path": rec.path,
        "line": rec.line,
        "column": rec.column,
        "sentence": _segments(sentence, spans),
        "cited": bool(rec.keys),
        "findings": [_finding(d, rules) for d in rec.diagnostics],
        "groups": groups,
        "loose": loose,
    }


def _finding(d: Diagnostic, rules: dict[str, str] | None) -> dict[str, object]:
    """One diagnostic; GL401 lists what overtook the statement."""
    message, overtaken = d.message, []
    if _SUPERSEDED in message:
        message, later = message.split(_SUPERSEDED, 1)
        overtaken = [x.strip() for x in later.split("; ") if x.strip()]
    return {
        "icon": "\u2716" if d.severity == "error" else "!",
        "code": d.code,
        "rule": rules.get(d.code, "") if rules else None,
        "severity": d.severity,
        "message": message,
        "overtaken": overtaken,
        "path": d.path,
        "line": d.line,
        "column": d.column,
    }


def _group(
    rec: ClaimRecord, rows: dict[str, SourceRow]
) -> tuple[dict[str, list[Item]], list[Item]]:
    """Items under the citation whose source states them; the rest (nothing found) apart."""
    groups: dict[str, list[Item]] = {k: [] for k in rec.keys}
    loose: list[Item] = []
    for item in rec.items:
        if item.passage is not None:
            groups.setdefault(item.passage.key, []).append(item)
            continue
        if item.status == "pubyear":
            key = next((k for k in rec.keys if k in rows and str(rows[k].year) in item.text), None)
            if key is not None:
                groups[key].append(item)
                continue
        loose.append(item)
    return groups, loose


def _source_group(
    key: str, items: list[Item], ids: dict[str, str], rows: dict[str, SourceRow]
) -> dict[str, object]:
    row = rows.get(key)
    if row is None:
        meta = "not in the bibliography"
    else:
        who = " ".join(x for x in (row.authors, str(row.year or "")) if x)
        meta = " \u00b7 ".join(x for x in (who, row.kind or "") if x)
        if not row.path:
            meta += " \u00b7 no source text" if meta else "no source text"
    return {"key": key, "id": ids.get(key, ""), "meta": meta, "entries": [_item(i) for i in items]}


def _item(item: Item, cited: bool = True) -> dict[str, object]:
    icon, words, cls = STATUSES.get(item.status, ("", item.status, "unk"))
    if item.status == "unchecked" and not cited:
        words = "not checked: no citation"
    p = item.passage
    passage = None
    if p is not None:
        needle = p.value or item.text
        at = passage_mark(p.snippet, needle, ignore_case=item.kind == "agent" or not p.value)
        passage = _segments(p.snippet, [(at[0], at[1], "")] if at else [])
    note = ""
    if item.note and item.status != "pubyear":
        note = f"{item.note[:1].upper() + item.note[1:]}."
    return {
        "status": item.status,
        "kind": item.kind,
        "text": item.text,
        "bad": item.status in _BAD,
        "cls": cls,
        "icon": icon,
        "words": words,
        "where": p.where if p is not None else "",
        "key": p.key if p is not None else "",
        "note": note,
        "passage": passage,
        "label": "Closest passage" if item.status == "missing" else "Passage",
    }
