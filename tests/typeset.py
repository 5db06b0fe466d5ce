"""Typeset a JATS article like a journal page, as tests and benchmarks need real-looking PDFs.

The article's text, as glutlint's JATS reader gives it (furniture left out), is set with typst:
two columns, hyphenation, justified text, a running head and page numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

LAYOUT = """#set page(paper: "a4", margin: (x: 1.7cm, y: 2.2cm), columns: 2,
  header: context {{ if counter(page).get().first() > 1 [
    #set text(7.5pt)
    {head} #h(1fr) {journal}
  ] }},
  footer: context [#set text(8pt); #h(1fr) #counter(page).display() #h(1fr)])
#set text(size: 9pt, lang: "en", hyphenate: true)
#set par(justify: true)
#set heading(numbering: none)
#show heading: set text(10pt)
"""


def _escape(s: str) -> str:
    return re.sub(r"([\\#$*_`<>@\[\]~=/\-+])", r"\\\1", s)


def typeset(jats: Path, out: Path) -> None:
    """The article's text (as the JATS reader gives it, furniture left out) set like a
    journal page: headings, paragraphs and table rows as they come."""
    import typst

    from glutlint.readers import read

    reading = read(jats.read_bytes(), jats, jats.name)
    skip = {n for f in reading.furniture for n in range(f.first, f.last + 1)}
    blocks, para = [], []
    for n, line in enumerate(reading.lines, 1):
        if n in skip:
            continue
        if not line:
            if para:
                blocks.append(" ".join(para))
            para = []
        else:
            para.append(_escape(line))
    if para:
        blocks.append(" ".join(para))
    head = _escape(reading.meta.get("title", "")[:70])
    journal = _escape(reading.meta.get("journal", ""))
    src = out.with_suffix(".typ")
    body = "\n\n".join(f"*{b}*" if len(b) < 60 and not b.endswith(".") else b for b in blocks)
    src.write_text(LAYOUT.format(head=head, journal=journal) + body, encoding="utf-8")
    out.write_bytes(typst.compile(str(src)))
    src.unlink()
