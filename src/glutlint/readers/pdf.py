"""PDF sources: the text layer of a born-digital PDF, read with PDFium (pypdfium2).

PDFium gives each page's text as rectangles of text on a line. They are put back into reading
order by their positions: rectangles on one baseline in one column make a line; the columns
of a page are found from its gutters (vertical strips its narrow lines leave empty), and a
page in columns is read column by column, left to right, band by band between the lines
that cross a gutter (a title, a full-width table). Each line keeps its page and its line on
that page (`file.pdf:p3:12`).

Lines at the very top or bottom of a page that repeat on other pages (running heads and feet,
digits aside) and bare page numbers are marked furniture. A line-break hyphen PDFium marks
(typesetters' soft hyphens) is written "-", and the shared repair (sources.normalise) decides
from the document's own words whether to join it, as it does for any extracted text.

Refused in one line: encrypted PDFs (a password is needed), files PDFium cannot open, PDFs of
more than MAX_PAGES pages (checked before any page is read) and PDFs without a text layer
(scans): their text has to come from elsewhere (an accessible version, OCR).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from .base import Furniture, Place, Reading

#: Longer PDFs are refused (a book, a thesis or a whole journal issue is not one source).
MAX_PAGES = 300
#: Share of the page's height at its top and bottom where running heads and feet live.
MARGIN = 0.09
#: A line this close (in line heights) to another's baseline is on the same line.
SAME_LINE = 0.5
#: A column holds at least this many rectangles; a gutter between columns is this wide (pt).
MIN_COLUMN_RECTS = 4
GUTTER = 4

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s+)?(?:\d{1,6}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,6})?$", re.IGNORECASE
)
#: A DOI, also when a line break cut it after a "/", "-" or "_" (no DOI ends in one), or after
#: a "." that a digit or a lowercase letter follows (a sentence goes on with a capital).
_DOI_RE = re.compile(
    r"\b(10\.\d{4,9}/(?:[^\s\"<>]|(?<=[/_-])\n(?=[^\s\"<>])|(?<=\.)\n(?=[0-9a-z]))+)"
)


@dataclass
class _Rect:
    left: float
    bottom: float
    right: float
    top: float
    text: str

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 0.1)


def _clean(text: str) -> str:
    # PDFium marks a typesetter's line-break hyphen as U+0002 (and U+FFFE in page text).
    text = text.replace("\x02", "-").replace("\ufffe", "-")
    text = text.replace("\r", " ").replace("\n", " ")
    return _CONTROL_RE.sub("", text)


def _lines_of(rects: list[_Rect]) -> list[list[_Rect]]:
    """Rectangles grouped into lines (top to bottom), each line's parts left to right."""
    lines: list[list[_Rect]] = []
    for r in sorted(rects, key=lambda r: (-r.top, r.left)):
        mid = (r.top + r.bottom) / 2
        for line in reversed(lines[-3:]):
            ref = line[0]
            ref_mid = (ref.top + ref.bottom) / 2
            inside = ref.bottom <= mid <= ref.top or r.bottom <= ref_mid <= r.top
            if inside and abs(ref_mid - mid) <= SAME_LINE * max(ref.height, r.height):
                line.append(r)
                break
        else:
            lines.append([r])
    return [sorted(line, key=lambda r: r.left) for line in lines]


def _join(parts: list[_Rect]) -> str:
    out = ""
    prev: _Rect | None = None
    for r in parts:
        text = r.text
        if text == "-" and prev is not None and r.height < 0.5 * prev.height:
            out = out.rstrip() + "-"  # a line-break hyphen drawn apart from its word
            prev = r
            continue
        if prev is not None:
            gap = r.left - prev.right
            if gap > 0.15 * r.height and not out.endswith(" ") and not text.startswith(" "):
                out += " "
        out += text
        prev = r
    return " ".join(out.split())


def _columns(rects: list[_Rect], width: float) -> list[tuple[float, float]]:
    """The page's text columns as x ranges, found from the gutters: vertical strips that the
    narrow rectangles (less than half the page wide) leave empty. One range: one column."""
    narrow = [r for r in rects if r.right - r.left < 0.5 * width]
    if len(narrow) < 2 * MIN_COLUMN_RECTS:
        return [(0.0, width)]
    bins = int(width) + 1
    cover = [0] * bins
    for r in narrow:
        for x in range(max(int(r.left), 0), min(int(r.right) + 1, bins)):
            cover[x] += 1
    lo = next((x for x in range(bins) if cover[x]), 0)
    hi = next((x for x in range(bins - 1, -1, -1) if cover[x]), bins - 1)
    quiet = max(1, len(narrow) // 50)  # a stray page number or bullet may sit in a gutter
    gutters: list[tuple[int, int]] = []
    x = lo
    while x <= hi:
        if cover[x] <= quiet:
            start = x
            while x <= hi and cover[x] <= quiet:
                x += 1
            if x - start >= GUTTER:
                gutters.append((start, x))
        x += 1
    edges = [float(lo), *(float(g) for gap in gutters for g in gap), float(hi + 1)]
    columns = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
    # A strip with a few rectangles (a margin note, a line number) is no column.
    columns = [
        (a, b)
        for a, b in columns
        if sum(1 for r in narrow if a - 1 <= r.left and r.right <= b + 1) >= MIN_COLUMN_RECTS
    ]
    return columns if len(columns) >= 2 else [(0.0, width)]


def _reading_order(rects: list[_Rect], width: float) -> list[list[_Rect]]:
    """Lines of one page in reading order (see the module's docstring)."""
    columns = _columns(rects, width)
    if len(columns) == 1:
        return _lines_of(rects)

    def column_of(r: _Rect) -> int | None:
        for i, (a, b) in enumerate(columns):
            if a - 1 <= r.left and r.right <= b + 1:
                return i
        return None  # across a gutter: a title, a wide table

    placed = [(r, column_of(r)) for r in rects]
    spans = _lines_of([r for r, c in placed if c is None])  # top to bottom
    # Bands between spanning lines: a rectangle belongs to the band above the first spanning
    # line its middle is above; each band is read column by column, then its spanning line.
    middles = [sum((r.top + r.bottom) / 2 for r in line) / len(line) for line in spans]
    bands: list[list[list[_Rect]]] = [[[] for _ in columns] for _ in range(len(spans) + 1)]
    for r, c in placed:
        if c is not None:
            mid = (r.top + r.bottom) / 2
            bands[sum(1 for m in middles if m > mid)][c].append(r)
    ordered: list[list[_Rect]] = []
    for i, band in enumerate(bands):
        for column in band:
            ordered += _lines_of(column)
        if i < len(spans):
            ordered.append(spans[i])
    return ordered


def _open(data: bytes, shown: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputError(
                shown, None, "encrypted PDF: a password is needed to read it"
            ) from None
        raise InputError(shown, None, f"cannot read PDF: {message}") from None


def read(data: bytes, shown: str) -> Reading:
    """A PDF's text layer as lines with their pages: see the module's docstring."""
    doc = _open(data, shown)
    try:
        pages = len(doc)
        if pages > MAX_PAGES:
            raise InputError(
                shown, None, f"PDF of {pages} pages: over the limit of {MAX_PAGES} for a source"
            )
        lines: list[str] = []
        places: list[Place] = []
        edges: list[tuple[int, list[str]]] = []  # (reading line, its parts) in the margins
        for number in range(pages):
            page = doc[number]
            width, height = page.get_size()
            textpage = page.get_textpage()
            rects = []
            for i in range(textpage.count_rects()):
                box = textpage.get_rect(i)
                text = _clean(textpage.get_text_bounded(*box))
                if text.strip():
                    rects.append(_Rect(box[0], box[1], box[2], box[3], text))
            textpage.close()
            page.close()
            on_page = 0
            for parts in _reading_order(rects, width):
                text = _join(parts)
                if not text:
                    continue
                on_page += 1
                lines.append(text)
                places.append(Place(on_page, page=number + 1))
                top, bottom = max(r.top for r in parts), min(r.bottom for r in parts)
                if top >= (1 - MARGIN) * height or bottom <= MARGIN * height:
                    edges.append((len(lines), [r.text for r in parts]))
            if on_page:
                lines.append("")  # a page break ends a block only where the text says so
                places.append(Place(on_page + 1, page=number + 1))
        meta = _meta(doc, lines)
    finally:
        doc.close()
    if not any(x.strip() for x in lines):
        raise InputError(
            shown,
            None,
            "PDF without a text layer (a scanned PDF?): give its text another way, e.g. an "
            "accessible version or OCR",
        )
    while lines and not lines[-1]:
        lines.pop()
        places.pop()
    return Reading("pdf", lines, places, _furniture(edges, pages), meta)


def _furniture(edges: list[tuple[int, list[str]]], pages: int) -> list[Furniture]:
    """Running heads and feet and page numbers: lines in a page's margins each of whose parts
    is a page number or recurs in the margins of other pages. Parts are compared by their
    letters only: a head carries the page number on one page and loses it on the next, and
    a head set in two parts on a page in columns is one line on a page without."""

    def key(part: str) -> str:
        return re.sub(r"[^a-z]+", "", part.lower())

    seen = Counter(k for _, parts in edges for k in {key(p) for p in parts} if k)
    repeat = max(2, int(0.3 * pages))
    out = []
    for n, parts in edges:
        text = " ".join(" ".join(parts).split())
        if _PAGE_NUMBER_RE.match(text):
            out.append(Furniture(n, n, "page number"))
            continue
        keys = [key(p) for p in parts if p.strip()]
        number = [_PAGE_NUMBER_RE.match(p.strip()) is not None for p in parts if p.strip()]
        recurs = [len(k) >= 3 and seen[k] >= repeat for k in keys]
        if pages > 1 and any(recurs) and all(r or m for r, m in zip(recurs, number, strict=True)):
            out.append(Furniture(n, n, "running head"))
    return out


def _meta(doc, lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    try:
        info = doc.get_metadata_dict(skip_empty=True)
    except Exception:
        info = {}
    title = str(info.get("Title", "")).strip()
    if title:
        meta["title"] = title
    first_page = "\n".join(lines[:200])
    m = _DOI_RE.search(first_page)
    if m:
        meta["doi"] = m.group(1).replace("\n", "").rstrip(".,;)]")
    return meta
