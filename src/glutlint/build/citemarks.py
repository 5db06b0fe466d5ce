"""Citation marks after punctuation, as AMA style wants superscript numbers placed.

Authors write `text [@key].` (pandoc's convention); AMA sets the superscript number after
the period or comma: "text.¹". pandoc's citeproc moves punctuation only for note styles, so
for a style whose citations are superscript glutlint moves it on the AST: a citation followed
by `.`, `,`, `;` or `:` trades places with that mark, and the space before the citation goes.
"""

from __future__ import annotations

import re
from pathlib import Path

PUNCT = (".", ",", ";", ":")


def is_superscript_style(csl: Path) -> bool:
    """Does the CSL style set its in-text citations in superscript?"""
    text = csl.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"<citation\b.*?</citation>", text, re.S)
    return bool(m and 'vertical-align="sup"' in m.group())


def _move(inlines: list) -> list:
    out: list = []
    for node in inlines:
        out.append(node)
        if not isinstance(node, dict) or node.get("t") != "Str" or len(out) < 2:
            continue
        cite = out[-2]
        text = node["c"]
        if cite.get("t") != "Cite" or not text.startswith(PUNCT):
            continue
        mark = text[0]
        out.pop()  # the Str
        out.pop()  # the Cite
        if out and out[-1].get("t") == "Space":
            out.pop()
        out += [{"t": "Str", "c": mark}, cite]
        if text[1:]:
            out.append({"t": "Str", "c": text[1:]})
    return out


def walk(node: object) -> object:
    """Move punctuation before every citation it follows, anywhere in the AST."""
    if isinstance(node, list):
        items = [walk(x) for x in node]
        if any(isinstance(x, dict) and x.get("t") == "Cite" for x in items):
            items = _move(items)
        return items
    if isinstance(node, dict):
        return {k: walk(v) for k, v in node.items()}
    return node


def punctuation_first(doc: dict) -> dict:
    """A copy of the pandoc AST with citation marks after punctuation."""
    return {**doc, "blocks": walk(doc["blocks"]), "meta": walk(doc["meta"])}
