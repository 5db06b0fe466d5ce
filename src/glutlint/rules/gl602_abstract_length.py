"""GL602 abstract-length: the abstract is over the journal's word limit.

What it does
    Counts the words of the `abstract` in the YAML metadata as journals do (citations,
    Markdown markup and URLs do not count; hyphenated words count once) and compares the count
    with `[tool.glutlint.profile] abstract_words` (default 250).

Why
    Submission systems cut or refuse over-long abstracts; the count must be right before you
    paste it into a form.

Example
    Fails:  a 270-word abstract with abstract_words = 250.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding
from ..options import POSITIVE_INT

CODE = "GL602"
NAME = "abstract-length"
SEVERITY = ERROR
CONF = {"abstract_words": POSITIVE_INT}
DEFAULT: dict[str, object] = {"abstract_words": 250}
WORD_RE = re.compile(r"[\w\u00c0-\u024f][\w\u00c0-\u024f'’.,/-]*")


def count_words(sentences: list) -> int:
    return sum(len(WORD_RE.findall(s.text.replace("*", " ").replace("_", " "))) for s in sentences)


def check(ctx) -> Iterator[Finding]:
    limit = int(ctx.options["abstract_words"])
    for doc in ctx.documents:
        sentences = [s for s in doc.sentences if s.block.kind == "abstract"]
        if not sentences:
            continue
        n = count_words(sentences)
        if n > limit:
            block = sentences[0].block
            line, col = block.position(0)
            yield Finding(doc.shown, line, col, f"abstract has {n} words; the limit is {limit}")
