"""GL105 raw-output: text passed raw to an output format, where no rule can read it.

What it does
    Reports raw blocks and inlines that carry text into an output: a ```` ```{=typst} ````,
    ```` ```{=openxml} ```` or ```` ```{=latex} ```` block, an inline `` `...`{=typst} ``, and raw
    HTML that pandoc passes through untouched with text inside (`<pre>`, `<script>` or any
    element pandoc does not read as Markdown). HTML that only opens or closes an element
    (`<details>`, `</div>`) and HTML comments carry no text and are not reported; the text
    between such tags is read as Markdown and checked like any other.

Why
    glutlint checks the text pandoc puts in front of a reader. Raw output is copied into the
    PDF, DOCX or HTML as it stands, so a claim written there is never checked: a wrong year in
    a raw Typst block reaches the PDF even when `glutlint check` passes. Write the text as
    Markdown, or suppress this finding where the raw block is layout only.

Example
    Fails:  ```{=typst}
            The FDA approved velostatin in 2016.
            ```
    Passes: The FDA approved velostatin in 2018 [@orsini2022].
            (a layout-only raw block, e.g. a Typst page break, is kept with
            <!-- glutlint: disable-next-line GL105 --> on the line before it)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding

CODE = "GL105"
NAME = "raw-output"
SEVERITY = ERROR
_MARKUP_RE = re.compile(r"<!--.*?-->|<[^<>]*>", re.DOTALL)


def carries_text(fmt: str, text: str) -> bool:
    """Whether raw `text` for `fmt` can put words in front of a reader."""
    if fmt.lower() in ("html", "html5", "html4"):
        text = _MARKUP_RE.sub(" ", text)
    return any(ch.isalnum() for ch in text)


def check(ctx) -> Iterator[Finding]:
    for doc in ctx.documents:
        for raw in doc.raws:
            if not carries_text(raw.fmt, raw.text):
                continue
            what = "inline" if raw.inline else "block"
            yield Finding(
                doc.shown,
                raw.line,
                raw.column,
                f"raw {raw.fmt} {what}: its text reaches the output unchecked",
                raw.end_line,
                raw.end_column,
            )
