"""Draw the timeline figure from the facts ledger at build time, so it cannot disagree with it.

Every fact with a `date` or an `as_of` becomes one row, in chronological order, labelled by
its `label`; a fact that was later superseded is struck through with a note naming what
superseded it. The drawing is a small Typst program (data/timeline.typ) that receives the
rows as JSON, compiled with the fonts embedded in the typst package only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..textio import read_text

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Event:
    """One row of the timeline."""

    id: str
    label: str
    when: tuple[int, int, int]
    shown: str
    as_of: bool
    superseded_by: list[str] = field(default_factory=list)
    source: str = ""


def _parse_when(value: object) -> tuple[tuple[int, int, int], str] | None:
    """(sort key, display text) for a YAML date: 2019, "2019-05", 2017-03-18 (a date)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        shown = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
        return (value.year, value.month, value.day), shown
    if isinstance(value, bool):
        return None
    m = DATE_RE.match(str(value).strip()) if isinstance(value, int | str) else None
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if not 0 <= mo <= 12 or not 0 <= d <= 31:
        return None
    shown = str(y)
    if mo:
        shown = f"{MONTHS[mo - 1]} {y}"
    if mo and d:
        shown = f"{d} {MONTHS[mo - 1]} {y}"
    return (y, mo, d), shown


def load_events(path: Path, shown: str) -> list[Event]:
    """The dated facts of the ledger, oldest first; bad YAML or shape is an InputError."""
    import yaml

    text = read_text(path, shown)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(shown, line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(shown, None, f"invalid YAML: {exc}") from None
    facts = data.get("facts") if isinstance(data, dict) else data
    if facts is None:
        return []
    if not isinstance(facts, list):
        raise InputError(shown, None, "expected a list of facts under `facts:`")
    lines = _fact_lines(text)
    events: list[Event] = []
    for i, fact in enumerate(facts):
        line = lines[i] if i < len(lines) else None
        if not isinstance(fact, dict):
            raise InputError(shown, line, "each fact must be a mapping")
        raw = fact.get("date", fact.get("as_of"))
        if raw is None:
            continue
        fid = str(fact.get("id", f"fact-{i + 1}"))
        when = _parse_when(raw)
        if when is None:
            raise InputError(shown, line, f"fact {fid}: not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        sup = fact.get("superseded_by") or []
        if isinstance(sup, str):
            sup = [sup]
        if not isinstance(sup, list):
            raise InputError(shown, line, f"fact {fid}: superseded_by must be a list of fact ids")
        label = fact.get("label") or fact.get("statement_text") or fid
        events.append(
            Event(
                id=fid,
                label=" ".join(str(label).split()),
                when=when[0],
                shown=when[1],
                as_of="date" not in fact,
                superseded_by=[str(s) for s in sup],
                source=str(fact.get("source") or ""),
            )
        )
    events.sort(key=lambda e: e.when)  # stable: ledger order breaks ties
    return events


def _fact_lines(text: str) -> list[int]:
    """1-based line of each top-level `- ` item of the facts list, for error messages."""
    out = []
    indent = None
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^(\s*)- ", line)
        if m and (indent is None or len(m.group(1)) == indent):
            indent = len(m.group(1))
            out.append(n)
    return out


def parse_date(value: object) -> str | None:
    """A date as the figure shows it ("16 Aug 2024"), or None if it is not a date."""
    when = _parse_when(value)
    return when[1] if when else None


def timeline_json(
    events: list[Event], sources: dict[str, str] | None = None, cutoff: str | None = None
) -> str:
    """The rows handed to the Typst program; `sources` names each row's source ("Smith 2020"),
    `cutoff` is the evidence cut-off drawn as a marked line after the rows."""
    sources = sources or {}
    by_id = {e.id: e for e in events}
    rows = []
    for e in events:
        later = [by_id[s] for s in e.superseded_by if s in by_id]
        rows.append(
            {
                "date": e.shown,
                "label": e.label,
                "as_of": e.as_of,
                "superseded": bool(e.superseded_by),
                "superseded_by": [f"{x.label} ({x.shown})" for x in later]
                + [s for s in e.superseded_by if s not in by_id],
                "source": sources.get(e.source, e.source),
            }
        )
    return json.dumps({"rows": rows, "cutoff": cutoff}, ensure_ascii=False)


def render(
    events: list[Event],
    fmt: str = "png",
    ppi: int = 600,
    sources: dict[str, str] | None = None,
    cutoff: str | None = None,
) -> bytes:
    """Compile the timeline to PNG (at `ppi`), SVG or PDF; a Typst failure is an InputError."""
    import typst

    source = resources.files("glutlint").joinpath("data/timeline.typ").read_bytes()
    try:
        return typst.compile(  # type: ignore[no-any-return,call-overload]  # typst's stubs list no bytes input
            source,
            format=fmt,
            ppi=ppi if fmt == "png" else None,
            sys_inputs={"timeline": timeline_json(events, sources, cutoff)},
            font_paths=[],
            ignore_system_fonts=True,
        )
    except Exception as exc:  # typst.TypstError and friends
        raise InputError(None, None, f"timeline figure: typst failed: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]
