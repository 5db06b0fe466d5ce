"""Table cells whose unit stands in their column's header: "MLT (min)" over "83.8".

The source readers write a table one row per line, cells joined by " | ". A number in a cell
is read bare; a reader takes its unit from the header of its column ("Seroprevalence (%)",
"Dose [mg/kg]"). `column_units` finds those units so that the evidence index can read
"83.8" under "MLT (min)" as 83.8 minutes, which a claim of "83.8 min" then matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .numerals import read_quantities
from .quantities import Quantity

CELL_SEP = " | "
#: a unit in brackets in a header cell: "MLT (min)", "Dose [mg/kg]", "(%)"
_HEADER_UNIT_RE = re.compile(r"[(\[]\s*([^()\[\]\d][^()\[\]]{0,11}?)\s*[)\]]")
#: a cell that holds a number and at most a short mark: "83.8", "12 (4)", "<0.001", "50.9*"
_NUMERIC_CELL_RE = re.compile(r"[-+\u2212<>\u2264\u2265~]?\s*\d[\d.,]*(?:\s*\S{0,12})?")


#: a line of one short cell inside a table is a section row ("Growth rate"), not its end
SECTION_ROW_CHARS = 60


#: what may follow the number in its cell: a bracketed spread or count and a note mark
#: ("58 (21)*", "43.5 (13.4)")
_CELL_REST_RE = re.compile(r"\s*(?:[(\[][^()\[\]]*[)\]])?\s*[*\u2020\u2021\u00a7a-z]?")


def _rows(text: str) -> Iterator[list[tuple[int, int, list[tuple[int, int]]]]]:
    """Each table of `text`: its rows as (start, end, cells), a cell as its (start, end).
    Blank lines and section rows between the rows of a table are skipped; a line of prose
    ends the table."""
    block: list[tuple[int, int, list[tuple[int, int]]]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if CELL_SEP not in line:
            if block and len(line.strip()) > SECTION_ROW_CHARS:
                yield block
                block = []
            continue
        cells: list[tuple[int, int]] = []
        at = start
        for part in text[start:end].split(CELL_SEP):
            lead = len(part) - len(part.lstrip())
            cells.append((at + lead, at + len(part.rstrip())))
            at += len(part) + len(CELL_SEP)
        block.append((start, end, cells))
    if block:
        yield block


def _unit(header: str) -> str | None:
    """The unit a header cell names, if it reads as one ("(min)" -> "min")."""
    for m in _HEADER_UNIT_RE.finditer(header):
        unit = m.group(1)
        read = read_quantities(f"1 {unit}")
        if len(read) == 1 and read[0].start == 0 and (read[0].unit or read[0].kind == "percent"):
            return unit
    return None


def column_units(text: str) -> list[tuple[int, int, str]]:
    """(start, end, unit) of every table cell whose column header names a unit.

    The header rows are those above a table's first row of numbers; a row's label may name
    the unit of its own cells instead ("Age (years)"). A header row with fewer
    cells than a data row is aligned on the right: its missing cells are the row labels'
    column, spanned from a row above ("District | Goats | Sheep" over "n | % | n | %")."""
    out: list[tuple[int, int, str]] = []
    for block in _rows(text):
        headers: list[list[str | None]] = []
        data_started = False
        for _start, _end, cells in block:
            texts = [text[a:b] for a, b in cells]
            numeric = any(_NUMERIC_CELL_RE.fullmatch(t) for t in texts[1:])
            if not numeric:
                if data_started:  # a header after rows of numbers starts a table of its own
                    headers, data_started = [], False
                headers.append([_unit(t) for t in texts])
                continue
            data_started = True
            # a row label may name the row's unit ("Fe [µg L-1] | 340 | 58"), below any column's
            units: list[str | None] = [None, *[_unit(texts[0])] * (len(cells) - 1)]
            for header in headers:
                shift = len(cells) - len(header)
                if shift < 0:
                    continue
                for j, unit in enumerate(header):
                    if unit is not None:
                        units[j + shift] = unit
            out.extend((a, b, u) for (a, b), u in zip(cells, units, strict=True) if u)
    return out


def with_column_units(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """`quantities` of `text`, each bare number that fills a table cell given the unit of its
    column (its offsets and text unchanged)."""
    cells = column_units(text)
    if not cells:
        return quantities
    by_start = {a: (b, u) for a, b, u in cells}
    out: list[Quantity] = []
    for q in quantities:
        cell = by_start.get(q.start)
        if (
            cell is None
            or q.unit
            or q.kind != "count"
            or not text.startswith(q.text, q.start)
            or not _CELL_REST_RE.fullmatch(text, q.start + len(q.text), cell[0])
        ):
            out.append(q)
            continue
        read = read_quantities(f"{q.text} {cell[1]}")
        if len(read) == 1 and read[0].start == 0 and read[0].value == q.value:
            r = read[0]
            out.append(replace(q, kind=r.kind, unit=r.unit, decimals=r.decimals))
        else:
            out.append(q)
    return out
