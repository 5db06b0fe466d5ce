"""The evidence report: every claim beside the source passages that support it, as one HTML page.

Why a page: co-authors and reviewers who never run glutlint can open it from a file (no server,
no script, no network) and see, claim by claim, what each cited source actually says there.
`collect` gathers the data from a checked project; `render` turns it into the page and does no
I/O besides reading the packaged stylesheet, so it is easy to test and to reuse.

Everything that comes from the manuscript, the bibliography or the sources is escaped.
"""

from __future__ import annotations

import html
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
    "missing": ("\u2716", "not found", "bad"),
    "misbound": ("\u2716", "found, but about something else", "bad"),
    "unchecked": ("?", "not checked: no source text", "unk"),
    "unverified": ("?", "not in the partial text kept (abstract, excerpt, news)", "unk"),
}
_BAD = {"missing", "misbound"}
_SUPERSEDED = "; superseded by: "


def e(value: object) -> str:
    """Escape text for element content and quoted attributes."""
    return html.escape(str(value), quote=True)


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


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` escaped, with each (start, end, css class) span wrapped in <mark>."""
    out, pos = [], 0
    for a, b, cls in spans:
        out.append(e(text[pos:a]))
        attr = f' class="{cls}"' if cls else ""
        out.append(f"<mark{attr}>{e(text[a:b])}</mark>")
        pos = b
    out.append(e(text[pos:]))
    return "".join(out)


def _badge(verdict: str) -> str:
    icon, word = VERDICTS.get(verdict, ("", verdict))
    return (
        f'<span class="badge {e(verdict)}"><span aria-hidden="true">{icon}</span> {e(word)}</span>'
    )


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _ids(data: ReportData) -> dict[str, str]:
    return {row.key: f"source-{i}" for i, row in enumerate(data.sources, 1)}


def render(data: ReportData, flagged_first: bool = False) -> str:
    """The whole page as one string: inline CSS, no script, no external resource."""
    title = data.title or "Manuscript"
    numbered = list(enumerate(data.records, 1))
    if flagged_first:
        numbered.sort(key=lambda nr: nr[1].verdict != "flagged")
    counts = Counter(r.verdict for r in data.records)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f'<meta name="generator" content="glutlint {e(data.version)}">',
        f"<title>Evidence report: {e(title)}</title>",
        f"<style>\n{stylesheet()}</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#main">Skip to main content</a>',
        '<header class="site-header"><div class="wrap">',
        '<p class="eyebrow">Evidence report</p>',
        f"<h1>{e(title)}</h1>",
        f'<p class="lede">{_plural(len(data.records), "claim")} in '
        f"{_plural(len(data.files), 'file')}, checked against the text of "
        f"{_plural(sum(1 for s in data.sources if s.path), 'source')}.</p>",
        "</div></header>",
        _nav(data, counts),
        '<main id="main" tabindex="-1"><div class="wrap">',
        _summary(data, counts, numbered),
        _sources(data),
        _claims(data, numbered, flagged_first),
        _other(data),
        "</div></main>",
        '<footer class="site-footer"><div class="wrap">',
        f"<p>Written by glutlint {e(data.version)} from "
        f"{e(', '.join(data.files)) or 'no files'}.</p>",
        "<p>A claim is verified when every value and named agent in it was found in the text of "
        "a source it cites. Passages are quoted from the source texts as glutlint reads them "
        "(repaired line breaks, furniture removed); the file and line point at the original.</p>",
        "</div></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _nav(data: ReportData, counts: Counter[str]) -> str:
    links = [
        ("summary", "Summary", ""),
        ("sources", "Sources", str(len(data.sources))),
        ("claims", "Claims", str(len(data.records))),
        ("other", "Other findings", str(len(data.other))),
    ]
    items = "".join(
        f'<li><a href="#{i}">{label}{f" <span class=n>({n})</span>" if n else ""}</a></li>'
        for i, label, n in links
    )
    return (
        '<nav class="site-nav" aria-label="Sections"><div class="wrap">'
        f"<ul>{items}</ul></div></nav>"
    )


def _summary(
    data: ReportData, counts: Counter[str], numbered: list[tuple[int, ClaimRecord]]
) -> str:
    cards = [("claims", "Claims", len(data.records), "")]
    for verdict, cls in (("verified", "ok"), ("flagged", "bad"), ("unverified", "unk")):
        n = counts.get(verdict, 0)
        cards.append((verdict, verdict.capitalize(), n, cls if n else ""))
    cards.append(("uncited", "Uncited", counts.get("uncited", 0), ""))
    cards.append(("other", "Other findings", len(data.other), "bad" if data.other else ""))
    stats = "".join(
        f'<div class="{cls}"><dt>{_icon(name)}{label}</dt><dd data-count="{name}">{n}</dd></div>'
        for name, label, n, cls in cards
    )
    out = [
        '<section id="summary" aria-labelledby="summary-h">',
        '<h2 id="summary-h">Summary</h2>',
        f'<dl class="stats">{stats}</dl>',
    ]
    by_code = Counter(d.code for d in data.diagnostics)
    if by_code:
        severity = {d.code: d.severity for d in data.diagnostics}
        rows = "".join(
            f'<tr><th scope="row"><span class="code">{e(code)}</span></th>'
            f"<td>{e(data.rules.get(code, ''))}</td>"
            f'<td><span class="badge {e(severity[code])}">{e(severity[code])}</span></td>'
            f'<td class="num" data-code="{e(code)}">{n}</td></tr>'
            for code, n in sorted(by_code.items())
        )
        out.append(
            '<div class="table-wrap"><table id="by-rule"><caption>Findings by rule</caption>'
            '<thead><tr><th scope="col">Code</th><th scope="col">Rule</th>'
            '<th scope="col">Severity</th><th scope="col" class="num">Findings</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    else:
        out.append('<p class="intro">No findings: every rule passed.</p>')
    flagged = [(n, r) for n, r in numbered if r.verdict == "flagged"]
    flagged.sort(key=lambda nr: nr[0])
    if flagged:
        links = "".join(
            f'<li><a href="#claim-{n}">Claim {n}</a>, <span class="path">{e(r.path)}:{r.line}'
            f"</span>: {e(', '.join(sorted({d.code for d in r.diagnostics})))}</li>"
            for n, r in flagged
        )
        out.append(f'<p class="intro">Flagged claims:</p><ul class="flag-list">{links}</ul>')
    out.append("</section>")
    return "\n".join(out)


def _icon(name: str) -> str:
    icon = VERDICTS.get(name, ("",))[0]
    return f'<span aria-hidden="true">{icon}</span> ' if icon else ""


def _sources(data: ReportData) -> str:
    ids = _ids(data)
    rows = []
    for row in data.sources:
        who = " ".join(x for x in (row.authors, f"({row.year})" if row.year else "") if x)
        sub = f'<span class="sub">{e(who)}{": " if who and row.title else ""}{e(row.title)}</span>'
        kind = e(row.kind) if row.kind else '<span class="sub">not stated</span>'
        if not row.path:
            kind = '<span class="sub">no source text</span>'
        path = f'<span class="path">{e(row.path)}</span>' if row.path else "\u2014"
        rows.append(
            f'<tr id="{ids[row.key]}"><th scope="row">{e(row.key)}{sub}</th>'
            f'<td class="num">{e(row.year or chr(0x2014))}</td><td>{kind}</td>'
            f'<td class="num" data-claims="{e(row.key)}">{row.claims}</td><td>{path}</td></tr>'
        )
    body = "".join(rows) or '<tr><td colspan="5">No bibliography entries.</td></tr>'
    return "\n".join(
        [
            '<section id="sources" aria-labelledby="sources-h">',
            '<h2 id="sources-h">Sources</h2>',
            '<p class="intro">Each bibliography entry, what its text is, and how many claims '
            "cite it.</p>",
            '<div class="table-wrap"><table><caption class="sr-only">Sources</caption>'
            '<thead><tr><th scope="col">Source</th><th scope="col" class="num">Year</th>'
            '<th scope="col">Kind</th><th scope="col" class="num">Claims</th>'
            '<th scope="col">Text file</th></tr></thead>',
            f"<tbody>{body}</tbody></table></div>",
            "</section>",
        ]
    )


def _claims(data: ReportData, numbered: list[tuple[int, ClaimRecord]], flagged_first: bool) -> str:
    legend = "".join(
        f"<li>{_badge(v)} {e(text)}</li>"
        for v, text in (
            ("verified", "every value and agent found in a cited source"),
            ("flagged", "a rule reported a problem"),
            ("unverified", "a cited source has no text"),
            ("uncited", "no citation"),
        )
    )
    order = (
        "Flagged claims first, then the others, each in manuscript order"
        if flagged_first
        else "Every claim in manuscript order"
    )
    out = [
        '<section id="claims" aria-labelledby="claims-h">',
        '<h2 id="claims-h">Claims</h2>',
        f'<p class="intro">{order}. Values and named agents are '
        "<mark>highlighted</mark>; below each claim, the passage of each cited source that "
        "states them.</p>",
        f'<ul class="legend" aria-label="Verdicts">{legend}</ul>',
    ]
    ids = _ids(data)
    rows = {row.key: row for row in data.sources}
    out.extend(_claim(n, rec, ids, rows, data.rules) for n, rec in numbered)
    if not numbered:
        out.append('<p class="none">The manuscript states no claims.</p>')
    out.append("</section>")
    return "\n".join(out)


def _claim(
    n: int,
    rec: ClaimRecord,
    ids: dict[str, str],
    rows: dict[str, SourceRow],
    rules: dict[str, str],
) -> str:
    sentence = display_sentence(rec.sentence)
    spans = [
        (a, b, "bad" if item.status in _BAD else "")
        for a, b, item in sentence_marks(sentence, rec.items)
    ]
    out = [
        f'<article class="claim v-{e(rec.verdict)}" id="claim-{n}" aria-labelledby="claim-{n}-h"'
        f' data-verdict="{e(rec.verdict)}" data-path="{e(rec.path)}" data-line="{rec.line}"'
        f' data-column="{rec.column}">',
        f'<h3 id="claim-{n}-h"><span class="no">Claim {n}</span> '
        f'<span class="path">{e(rec.path)}:{rec.line}:{rec.column}</span> '
        f"{_badge(rec.verdict)}</h3>",
        f'<p class="sentence">{_marked(sentence, spans)}</p>',
        "" if rec.keys else '<p class="cites">No citation.</p>',
    ]
    if rec.diagnostics:
        out.append('<ul class="findings" aria-label="Findings">')
        out.extend(f"<li>{_finding(d, rules)}</li>" for d in rec.diagnostics)
        out.append("</ul>")
    if rec.keys or rec.items:
        out.append(_evidence(rec, ids, rows))
    out.append("</article>")
    return "\n".join(out)


def _finding(d: Diagnostic, rules: dict[str, str] | None, where: bool = True) -> str:
    """One diagnostic: icon, code, severity, message; GL401 lists what overtook the statement."""
    icon = "\u2716" if d.severity == "error" else "!"
    name = f" {e(rules.get(d.code, ''))}" if rules else ""
    message, overtaken = d.message, ""
    if _SUPERSEDED in message:
        message, later = message.split(_SUPERSEDED, 1)
        items = "".join(f"<li>{e(x.strip())}</li>" for x in later.split("; ") if x.strip())
        overtaken = f'<div class="overtaken">Overtaken by:<ul>{items}</ul></div>'
    loc = f' <span class="path">(line {d.line}, column {d.column})</span>' if where else ""
    return (
        f'<span aria-hidden="true">{icon}</span> <span class="code">{e(d.code)}</span>{name} '
        f'<span class="badge {e(d.severity)}">{e(d.severity)}</span> {e(message)}{loc}{overtaken}'
    )


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


def _evidence(rec: ClaimRecord, ids: dict[str, str], rows: dict[str, SourceRow]) -> str:
    groups, loose = _group(rec, rows)
    out = ['<div class="evidence">']
    for key, items in groups.items():
        row = rows.get(key)
        meta = ""
        if row is None:
            meta = "not in the bibliography"
        else:
            who = " ".join(x for x in (row.authors, str(row.year or "")) if x)
            meta = " \u00b7 ".join(x for x in (who, row.kind or "") if x)
            if not row.path:
                meta += " \u00b7 no source text" if meta else "no source text"
        link = f'<a class="key" href="#{ids[key]}">{e(key)}</a>' if key in ids else e(key)
        out.append(
            f'<div class="source-group"><p class="source-head">{link} '
            f'<span class="meta">{e(meta)}</span></p>'
        )
        if items:
            out.append('<ul class="items">')
            out.extend(_item(i) for i in items)
            out.append("</ul>")
        else:
            out.append('<p class="none">No value or agent of this claim is looked up here.</p>')
        out.append("</div>")
    if loose:
        out.append(
            '<div class="source-group"><p class="source-head">'
            '<span class="key">In no cited source</span></p><ul class="items">'
        )
        out.extend(_item(i) for i in loose)
        out.append("</ul></div>")
    out.append("</div>")
    return "\n".join(out)


def _item(item: Item, cited: bool = True) -> str:
    icon, words, cls = STATUSES.get(item.status, ("", item.status, "unk"))
    if item.status == "unchecked" and not cited:
        words = "not checked: no citation"
    mark = "bad" if item.status in _BAD else ""
    mark_attr = f' class="{mark}"' if mark else ""
    line = [
        f'<li class="item" data-status="{e(item.status)}"><p class="item-line">',
        f'<span class="kind">{e(item.kind)}</span> <mark{mark_attr}>{e(item.text)}</mark>',
        f'<span class="status {cls}"><span aria-hidden="true">{icon}</span> {e(words)}</span>',
    ]
    p = item.passage
    if p is not None:
        line.append(f'<span class="where"><span class="path">{e(p.where)}</span></span>')
    line.append("</p>")
    if item.note and item.status != "pubyear":
        line.append(f'<p class="note">{e(item.note[:1].upper() + item.note[1:])}.</p>')
    if p is not None:
        needle = p.value or item.text
        at = passage_mark(p.snippet, needle, ignore_case=item.kind == "agent" or not p.value)
        spans = [(at[0], at[1], "")] if at else []
        label = "Closest passage" if item.status == "missing" else "Passage"
        line.append(
            f'<blockquote class="passage" aria-label="{label} from {e(p.key)}, '
            f'{e(p.where)}">{_marked(p.snippet, spans)}</blockquote>'
        )
    line.append("</li>")
    return "".join(line)


def _other(data: ReportData) -> str:
    out = [
        '<section id="other" aria-labelledby="other-h">',
        '<h2 id="other-h">Other findings</h2>',
    ]
    if not data.other:
        out.append('<p class="none">None: every finding belongs to a claim above.</p>')
    else:
        out.append(
            '<p class="intro">Findings that belong to no claim: citations, structure, '
            "placeholders, the bibliography and the facts ledger.</p>"
        )
        rows = "".join(
            f'<tr><th scope="row"><span class="path">{e(d.path)}:{d.line}:{d.column}</span></th>'
            f"<td>{_finding(d, data.rules, where=False)}</td></tr>"
            for d in data.other
        )
        out.append(
            '<div class="table-wrap"><table id="other-findings"><caption class="sr-only">'
            'Other findings</caption><thead><tr><th scope="col">Where</th>'
            f'<th scope="col">Finding</th></tr></thead><tbody>{rows}</tbody></table></div>'
        )
    out.append("</section>")
    return "\n".join(out)
