"""GL106 unread-number: a number pandoc prints that no rule can read as it is written.

What it does
    Compares the numbers pandoc prints in each block (from its own reading of the file) with
    the numbers the claim rules read in the same block. A printed number that the rules do not
    see is reported where it stands: one written in TeX math (`$22.8\\%$`) or a code span,
    hidden in text glutlint takes for a TeX command (`\\textbf{...}` that pandoc prints as it
    stands), or put together by pandoc from pieces the rules read apart (`1<!-- -->20.8%`,
    `*1*20.8%`, `[1]{.x}20.8%` all print 120.8%). Numbers in citation keys and image file names
    are not printed as prose and are not compared.

Why
    glutlint checks the text pandoc puts in front of a reader. A number the rules cannot read
    reaches the PDF, DOCX or HTML unchecked, however wrong it is: the reader sees 120.8% while
    the rules checked 20.8%. Write the number as plain text, or suppress this finding where
    the number is no claim (a version in a code span).

Example
    Fails:  LDL cholesterol fell by $38\\%$ [@orsini2022].
    Passes: LDL cholesterol fell by 38% [@orsini2022].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..inline import citation_spans
from ..rendered import WORD_RE

CODE = "GL106"
NAME = "unread-number"
SEVERITY = ERROR


def _read(block) -> Counter[str]:
    """The words the claim rules read in a block (citation groups blanked)."""
    chars = list(block.masked)
    for a, b in citation_spans(block.masked, block.store):
        chars[a:b] = " " * (b - a)
    return Counter(WORD_RE.findall("".join(chars)))


def check(ctx) -> Iterator[Finding]:
    for doc in ctx.documents:
        for block in doc.blocks:
            if not block.printed:
                continue
            read = _read(block)
            for number, line, col in block.printed:
                words = Counter(WORD_RE.findall(number))
                if all(read[w] >= n for w, n in words.items()):
                    read -= words
                    continue
                yield Finding(
                    doc.shown,
                    line,
                    col,
                    f"'{number}' is printed here, but not as the rules read this text (math, code, "
                    "markup or an entity around it): write the number as plain text",
                )
