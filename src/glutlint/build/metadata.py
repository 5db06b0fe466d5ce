"""Adjust the pandoc metadata per writer, so every format shows the same title block.

pandoc's DOCX and HTML writers drop structured authors (name + affiliation) and never show
keywords; the Typst template handles both itself. For those two writers glutlint flattens
each author to "Name (Affiliation)" and appends a "Keywords:" paragraph to the abstract.
"""

from __future__ import annotations

import copy
from typing import Any


def _inlines(value: dict | None) -> list[dict]:
    """The inlines of a MetaInlines / MetaString / MetaBlocks / MetaList value."""
    if not value:
        return []
    t = value.get("t")
    c: Any = value.get("c") or ([] if t != "MetaString" else "")
    if t == "MetaInlines":
        return list(c)
    if t == "MetaString":
        return _words(c)
    if t == "MetaBlocks":
        out: list[dict] = []
        for block in c:
            if block.get("t") in ("Para", "Plain"):
                out += ([{"t": "Space"}] if out else []) + list(block["c"])
        return out
    if t == "MetaList":
        out = []
        for item in c:
            out += ([{"t": "Str", "c": ";"}, {"t": "Space"}] if out else []) + _inlines(item)
        return out
    return []


def _words(text: str) -> list[dict]:
    out: list[dict] = []
    for i, word in enumerate(str(text).split()):
        out += ([{"t": "Space"}] if i else []) + [{"t": "Str", "c": word}]
    return out


def _as_list(value: dict | None) -> list[dict]:
    if not value:
        return []
    return list(value["c"]) if value.get("t") == "MetaList" else [value]


def flat_authors(meta: dict) -> None:
    """Replace structured authors by "Name (Affiliation)" inlines, in place."""
    authors = _as_list(meta.get("author"))
    if not any(a.get("t") == "MetaMap" for a in authors):
        return
    flat = []
    for a in authors:
        if a.get("t") != "MetaMap":
            flat.append(a)
            continue
        name = _inlines(a["c"].get("name"))
        aff = _inlines(a["c"].get("affiliation"))
        if aff:
            name += [{"t": "Space"}, {"t": "Str", "c": "("}, *aff, {"t": "Str", "c": ")"}]
        flat.append({"t": "MetaInlines", "c": name})
    meta["author"] = {"t": "MetaList", "c": flat}


def keywords_in_abstract(meta: dict) -> None:
    """Append "Keywords: a; b; c" to the abstract (or make it the abstract), in place."""
    words = [_inlines(k) for k in _as_list(meta.get("keywords"))]
    words = [w for w in words if w]
    if not words:
        return
    para: list[dict] = [{"t": "Strong", "c": [{"t": "Str", "c": "Keywords:"}]}]
    for i, w in enumerate(words):
        para += ([{"t": "Str", "c": ";"}] if i else []) + [{"t": "Space"}, *w]
    abstract = meta.get("abstract")
    blocks: list[dict]
    if abstract is None:
        blocks = []
    elif abstract.get("t") == "MetaBlocks":
        blocks = list(abstract["c"])
    else:
        blocks = [{"t": "Para", "c": _inlines(abstract)}]
    meta["abstract"] = {"t": "MetaBlocks", "c": [*blocks, {"t": "Para", "c": para}]}


def running_title(meta: dict) -> str | None:
    """The `running-title` as plain text, for the DOCX header."""
    text = " ".join(_plain(_inlines(meta.get("running-title"))).split())
    return text or None


def _plain(node: object) -> str:
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return node["c"]
        if node.get("t") in ("Space", "SoftBreak", "LineBreak"):
            return " "
        return _plain(node.get("c"))
    if isinstance(node, list):
        return "".join(_plain(x) for x in node)
    return ""


PAGE_BREAK = {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page" /></w:r></w:p>']}


def title_page_first(doc: dict) -> dict:
    """For DOCX: the title page, then the abstract and keywords on their own page, as body.

    pandoc's DOCX writer puts author, date and abstract under the title in styles chained
    with keep-with-next; with a title page glutlint writes them into the body instead, each
    part ending with a page break, so page 1 holds exactly the title page.
    """
    meta = doc["meta"]
    page = meta.get("title-page")
    if not page or page.get("t") != "MetaBlocks":
        return doc
    drop = ("author", "date", "abstract", "keywords", "title-page")
    meta = {k: v for k, v in meta.items() if k not in drop}
    blocks = [*page["c"], PAGE_BREAK]
    abstract = doc["meta"].get("abstract")
    if abstract is not None:
        body = (
            list(abstract["c"])
            if abstract.get("t") == "MetaBlocks"
            else [{"t": "Para", "c": _inlines(abstract)}]
        )
        head = {"t": "Header", "c": [1, ["abstract", ["unnumbered"], []], _words("Abstract")]}
        words = [_inlines(k) for k in _as_list(doc["meta"].get("keywords"))]
        keys: list[dict] = [{"t": "Strong", "c": [{"t": "Str", "c": "Keywords:"}]}]
        for i, w in enumerate(x for x in words if x):
            keys += ([{"t": "Str", "c": ";"}] if i else []) + [{"t": "Space"}, *w]
        styled = {
            "t": "Div",
            "c": [["", [], [["custom-style", "Abstract"]]], [*body, {"t": "Para", "c": keys}]],
        }
        blocks += [head, styled, PAGE_BREAK]
    return {**doc, "meta": meta, "blocks": [*blocks, *doc["blocks"]]}


def for_word_and_html(doc: dict) -> dict:
    """A copy of the AST with the title block flattened for the DOCX and HTML writers."""
    out = copy.copy(doc)
    out["meta"] = copy.deepcopy(doc["meta"])
    flat_authors(out["meta"])
    keywords_in_abstract(out["meta"])
    return out
