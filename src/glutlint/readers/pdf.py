"""PDF sources: the text layer of a born-digital PDF, read with PDFium (pypdfium2).

PDFium gives each page's text as rectangles of text on a line. They are put back into reading
order by their positions: rectangles on one baseline in one column make a line; a page whose
text sits in two columns (many lines wholly left of the middle, many wholly right) is read
left column then right column, band by band between the lines that span both (a title, a
full-width table). Each line keeps its page and its line on that page (`file.pdf:p3:12`).

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
#: A page is in two columns when at least this many rectangles lie wholly on each side.
MIN_COLUMN_RECTS = 4

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
_DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")


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


def _reading_order(rects: list[_Rect], width: float) -> list[list[_Rect]]:
    """Lines of one page in reading order (see the module's docstring)."""
    mid = width / 2
    slack = 0.02 * width
    left = [r for r in rects if r.right <= mid + slack]
    right = [r for r in rects if r.left >= mid - slack]
    if len(left) < MIN_COLUMN_RECTS or len(right) < MIN_COLUMN_RECTS:
        return _lines_of(rects)
    span = [r for r in rects if r not in left and r not in right]
    ordered: list[list[_Rect]] = []
    # Bands between spanning lines, top to bottom: each band's left column, then its right.
    cuts = sorted({round(line[0].top, 1) for line in _lines_of(span)}, reverse=True)
    spans = _lines_of(span)
    bounds = [float("inf"), *cuts, float("-inf")]
    for i in range(len(bounds) - 1):
        hi, lo = bounds[i], bounds[i + 1]
        if i > 0:
            ordered += [ln for ln in spans if round(ln[0].top, 1) == hi]
        band = [r for r in left if lo < r.top < hi or (r.top == hi and i == 0)]
        ordered += _lines_of(band)
        band = [r for r in right if lo < r.top < hi or (r.top == hi and i == 0)]
        ordered += _lines_of(band)
    return ordered


def _open(data: bytes, shown: str):  # noqa: ANN202 - pypdfium2's document type
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
        edges: list[tuple[int, str]] = []  # (reading line, its text) in a page's margins
        for number in range(pages):
            page = doc[number]
            width, height = page.get_size()
            textpage = page.get_textpage()
            rects = []
            for i in range(textpage.count_rects()):
                box = textpage.get_rect(i)
                text = _clean(textpage.get_text_bounded(*box))
                if text.strip():
                    rects.append(_Rect(*box, text))
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
                    edges.append((len(lines), text))
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


def _furniture(edges: list[tuple[int, str]], pages: int) -> list[Furniture]:
    """Running heads and feet (repeated in the margins, digits aside) and page numbers."""
    key = {n: re.sub(r"\d+", "#", t).strip().lower() for n, t in edges}
    seen = Counter(key.values())
    repeat = max(2, int(0.3 * pages))
    out = []
    for n, text in edges:
        if _PAGE_NUMBER_RE.match(text.strip()):
            out.append(Furniture(n, n, "page number"))
        elif pages > 1 and seen[key[n]] >= repeat:
            out.append(Furniture(n, n, "running head"))
    return out


def _meta(doc, lines: list[str]) -> dict[str, str]:  # noqa: ANN001
    meta: dict[str, str] = {}
    try:
        info = doc.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is optional, a broken dictionary is no error
        info = {}
    title = str(info.get("Title", "")).strip()
    if title:
        meta["title"] = title
    first_page = " ".join(lines[:200])
    m = _DOI_RE.search(first_page)
    if m:
        meta["doi"] = m.group(1)
    return meta
