"""Build the DOCX reference document (styles, page setup) for submission, reproducibly by code.

It starts from pandoc's own default reference.docx and edits its XML: Times New Roman 12 pt,
double line spacing in the body styles, continuous line numbers, 2.5 cm margins on A4, page
numbers in the footer and, when given, the running title in the header. pandoc copies the
final `w:sectPr` of the reference document into every DOCX it writes, so these settings reach
the manuscript. The zip is written with fixed timestamps, so equal inputs give equal bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_BASE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
FONT = "Times New Roman"
TWIPS_25MM = 1417  # 2.5 cm
DOUBLE = 480  # line spacing in 240ths of a line: 480 = double
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
TITLE_BLOCK_STYLES = ("Author", "Date", "AbstractTitle", "Abstract")

# Elements that follow w:spacing / w:ind inside w:pPr (ECMA-376 CT_PPrBase order).
AFTER_SPACING = (
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
AFTER_IND = AFTER_SPACING[1:]
# Elements that follow w:pPr inside w:style.
AFTER_PPR = ("w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


class ReferenceDocxError(RuntimeError):
    """pandoc's default reference.docx no longer looks as this module expects."""


def _style_span(xml: str, style_id: str) -> tuple[int, int]:
    m = re.search(rf'<w:style\b[^>]*\bw:styleId="{re.escape(style_id)}"[^>]*>', xml)
    if not m:
        raise ReferenceDocxError(f"style {style_id} not found in reference.docx")
    end = xml.index("</w:style>", m.end())
    return m.start(), end + len("</w:style>")


def _insert_before(block: str, element: str, followers: tuple[str, ...], closing: str) -> str:
    """Insert `element` before the first of `followers` present in `block`, else before closing."""
    positions = [m.start() for f in followers for m in [re.search(rf"<{f}\b", block)] if m]
    at = min(positions) if positions else block.rindex(closing)
    return block[:at] + element + block[at:]


def _set_in_ppr(block: str, tag: str, element: str, followers: tuple[str, ...]) -> str:
    """Set (replace or insert) one child of the w:pPr of a style block."""
    if "<w:pPr>" not in block and "<w:pPr/>" not in block and "<w:pPr />" not in block:
        block = _insert_before(block, "<w:pPr></w:pPr>", AFTER_PPR, "</w:style>")
    block = re.sub(r"<w:pPr\s*/>", "<w:pPr></w:pPr>", block)
    start = block.index("<w:pPr>")
    end = block.index("</w:pPr>", start) + len("</w:pPr>")
    ppr = block[start:end]
    existing = re.search(rf"<{tag}\b[^>]*/>", ppr)
    if existing:
        ppr = ppr[: existing.start()] + element + ppr[existing.end() :]
    else:
        ppr = _insert_before(ppr, element, followers, "</w:pPr>")
    return block[:start] + ppr + block[end:]


def _edit_style(
    xml: str,
    style_id: str,
    *,
    spacing: str | None = None,
    ind: str | None = None,
    size: int | None = None,
    color: str | None = None,
) -> str:
    a, b = _style_span(xml, style_id)
    block = xml[a:b]
    if spacing is not None:
        block = _set_in_ppr(block, "w:spacing", f"<w:spacing {spacing} />", AFTER_SPACING)
    if ind is not None:
        block = _set_in_ppr(block, "w:ind", f"<w:ind {ind} />", AFTER_IND)
    if size is not None:
        block = re.sub(r'<w:sz w:val="\d+"\s*/>', f'<w:sz w:val="{size}" />', block)
        block = re.sub(r'<w:szCs w:val="\d+"\s*/>', f'<w:szCs w:val="{size}" />', block)
    if color is not None:
        block = re.sub(r"<w:color\b[^>]*/>", f'<w:color w:val="{color}" />', block)
    return xml[:a] + block + xml[b:]


def edit_styles(xml: str) -> str:
    """Times New Roman 12 pt, double spacing in body styles, black headings."""
    fonts = f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" />'
    xml, n = re.subn(
        r"<w:rPrDefault>\s*<w:rPr>\s*<w:rFonts\b[^>]*/>",
        f"<w:rPrDefault><w:rPr>{fonts}",
        xml,
        count=1,
    )
    if n != 1:
        raise ReferenceDocxError("docDefaults run fonts not found")
    line = f'w:line="{DOUBLE}" w:lineRule="auto"'
    xml, n = re.subn(
        r"<w:pPrDefault>\s*<w:pPr>\s*<w:spacing\b[^>]*/>",
        f'<w:pPrDefault><w:pPr><w:spacing w:after="0" {line} />',
        xml,
        count=1,
    )
    if n != 1:
        raise ReferenceDocxError("docDefaults paragraph spacing not found")
    body = f'w:before="0" w:after="0" {line}'
    xml = _edit_style(xml, "Normal", spacing=line)
    xml = _edit_style(xml, "BodyText", spacing=body, ind='w:firstLine="720"')
    xml = _edit_style(xml, "FirstParagraph", spacing=body, ind='w:firstLine="0"')
    xml = _edit_style(xml, "Compact", spacing=body, ind='w:firstLine="0"')
    xml = _edit_style(xml, "Abstract", spacing=f'w:before="0" w:after="240" {line}', size=24)
    xml = _edit_style(xml, "AbstractTitle", spacing=f'w:before="240" w:after="0" {line}', size=24)
    xml = _edit_style(xml, "Bibliography", spacing=body)
    xml = _edit_style(xml, "Caption", spacing=f'w:before="120" w:after="120" {line}')
    xml = _edit_style(xml, "BlockText", spacing=f'w:before="0" w:after="0" {line}')
    for sid in TITLE_BLOCK_STYLES:  # no keep-with-next chain: page 1 holds the title page
        a, b = _style_span(xml, sid)
        xml = xml[:a] + re.sub(r"<w:keepNext\b[^>]*/>", "", xml[a:b]) + xml[b:]
    for level, size in ((1, 28), (2, 26), (3, 24)):
        for sid in (f"Heading{level}", f"Heading{level}Char"):
            xml = _edit_style(xml, sid, size=size, color="000000")
    for level in range(4, 10):
        for sid in (f"Heading{level}", f"Heading{level}Char"):
            xml = _edit_style(xml, sid, color="000000")
    return xml


#: The numbering Word applies to Heading 1-3 (decimal, "1", "1.1", "1.1.1"): headings are
#: numbered by their style, not by digits typed into their text.
HEADING_NUM_ID = 980
#: w:pPr children that follow w:numPr (ECMA-376 CT_PPrBase order)
AFTER_NUMPR = (
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    *AFTER_SPACING,
)
UNNUMBERED = "Unnumbered Heading {level}"


def number_headings(xml: str) -> str:
    """Heading 1-3 numbered by style; "Unnumbered Heading N" styles for `{-}` headings."""
    for level in (1, 2, 3):
        numpr = (
            f'<w:numPr><w:ilvl w:val="{level - 1}" /><w:numId w:val="{HEADING_NUM_ID}" /></w:numPr>'
        )
        a, b = _style_span(xml, f"Heading{level}")
        xml = xml[:a] + _set_in_ppr(xml[a:b], "w:numPr", numpr, AFTER_NUMPR) + xml[b:]
    extra = "".join(
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="UnnumberedHeading{n}">'
        f'<w:name w:val="{UNNUMBERED.format(level=n)}" /><w:basedOn w:val="Heading{n}" />'
        f'<w:next w:val="BodyText" /><w:qFormat />'
        f'<w:pPr><w:numPr><w:ilvl w:val="0" /><w:numId w:val="0" /></w:numPr>'
        f'<w:outlineLvl w:val="{n - 1}" /></w:pPr></w:style>'
        for n in (1, 2, 3)
    )
    return xml.replace("</w:styles>", extra + "</w:styles>", 1)


def edit_numbering(xml: str) -> str:
    """Add the decimal multilevel list Heading 1-3 are numbered with."""
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1" /><w:numFmt w:val="decimal" />'
        f'<w:pStyle w:val="Heading{i + 1}" />'
        f'<w:lvlText w:val="{".".join(f"%{k + 1}" for k in range(i + 1))}" />'
        f'<w:lvlJc w:val="left" /><w:pPr><w:ind w:left="0" w:firstLine="0" /></w:pPr>'
        f"<w:rPr><w:b /></w:rPr></w:lvl>"
        for i in range(3)
    )
    abstract = (
        f'<w:abstractNum w:abstractNumId="{HEADING_NUM_ID}">'
        f'<w:multiLevelType w:val="multilevel" />{levels}</w:abstractNum>'
    )
    num = f'<w:num w:numId="{HEADING_NUM_ID}"><w:abstractNumId w:val="{HEADING_NUM_ID}" /></w:num>'
    m = re.search(r"<w:abstractNum\b", xml)
    if m is None or "</w:numbering>" not in xml:
        raise ReferenceDocxError("numbering.xml has no abstractNum")
    xml = xml[: m.start()] + abstract + xml[m.start() :]
    return xml.replace("</w:numbering>", num + "</w:numbering>", 1)


def edit_theme(xml: str) -> str:
    """Make the theme's heading and body fonts Times New Roman too."""
    xml, n = re.subn(
        r'(<a:(?:major|minor)Font>\s*<a:latin typeface=")[^"]*("[^/]*/>)', rf"\g<1>{FONT}\g<2>", xml
    )
    if n != 2:
        raise ReferenceDocxError("theme fonts not found")
    return xml


def section_properties(with_header: bool) -> str:
    """The final w:sectPr: A4, 2.5 cm margins, footer page numbers, continuous line numbers."""
    header = '<w:headerReference w:type="default" r:id="rIdGlHeader" />' if with_header else ""
    m = TWIPS_25MM
    return (
        "<w:sectPr>"
        f"{header}"
        '<w:footerReference w:type="default" r:id="rIdGlFooter" />'
        '<w:footnotePr><w:numRestart w:val="eachSect" /></w:footnotePr>'
        '<w:pgSz w:w="11906" w:h="16838" />'
        f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" '
        'w:header="709" w:footer="709" w:gutter="0" />'
        '<w:lnNumType w:countBy="1" w:restart="continuous" />'
        '<w:pgNumType w:start="1" />'
        "</w:sectPr>"
    )


def edit_document(xml: str, with_header: bool) -> str:
    xml, n = re.subn(
        r"<w:sectPr>.*?</w:sectPr>", section_properties(with_header), xml, count=1, flags=re.S
    )
    if n != 1:
        raise ReferenceDocxError("the body's w:sectPr not found")
    if f'xmlns:r="{R_NS}"' not in xml:
        raise ReferenceDocxError("document.xml does not declare the r: namespace")
    return xml


def _paragraph(inner: str) -> str:
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto" />{inner}'
    )


def footer_xml() -> str:
    """A centred PAGE field: Word shows the page number on every page."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        + _paragraph('<w:jc w:val="center" /></w:pPr>')
        + '<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate" /></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end" /></w:r>'
        "</w:p></w:ftr>"
    )


def header_xml(text: str) -> str:
    """The running title, right-aligned, on every page."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        + _paragraph('<w:jc w:val="right" /></w:pPr>')
        + f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        "</w:p></w:hdr>"
    )


def edit_rels(xml: str, with_header: bool) -> str:
    rels = f'<Relationship Type="{REL_BASE}/footer" Id="rIdGlFooter" Target="footer1.xml" />'
    if with_header:
        rels += f'<Relationship Type="{REL_BASE}/header" Id="rIdGlHeader" Target="header1.xml" />'
    if "</Relationships>" not in xml:
        raise ReferenceDocxError("document.xml.rels is malformed")
    return xml.replace("</Relationships>", rels + "</Relationships>", 1)


def edit_content_types(xml: str, with_header: bool) -> str:
    parts = f'<Override PartName="/word/footer1.xml" ContentType="{CT_BASE}.footer+xml" />'
    if with_header:
        parts += f'<Override PartName="/word/header1.xml" ContentType="{CT_BASE}.header+xml" />'
    if "</Types>" not in xml:
        raise ReferenceDocxError("[Content_Types].xml is malformed")
    return xml.replace("</Types>", parts + "</Types>", 1)


def build_reference_docx(default_docx: bytes, running_title: str | None = None) -> bytes:
    """Turn pandoc's default reference.docx into the submission reference document."""
    with_header = bool(running_title and running_title.strip())
    src = zipfile.ZipFile(io.BytesIO(default_docx))
    parts = {name: src.read(name) for name in src.namelist()}
    edits = {
        "word/styles.xml": lambda x: number_headings(edit_styles(x)),
        "word/numbering.xml": edit_numbering,
        "word/theme/theme1.xml": edit_theme,
        "word/document.xml": lambda x: edit_document(x, with_header),
        "word/_rels/document.xml.rels": lambda x: edit_rels(x, with_header),
        "[Content_Types].xml": lambda x: edit_content_types(x, with_header),
    }
    for name, edit in edits.items():
        if name not in parts:
            raise ReferenceDocxError(f"{name} missing from pandoc's reference.docx")
        parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    parts["word/footer1.xml"] = footer_xml().encode("utf-8")
    if with_header:
        parts["word/header1.xml"] = header_xml(" ".join((running_title or "").split())).encode(
            "utf-8"
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in parts:  # pandoc's order first ([Content_Types].xml leads), then ours
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, parts[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()
