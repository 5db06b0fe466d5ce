"""Differential test: glutlint's citation finder against the real pandoc.

Random paragraphs mixing prose, citation forms and look-alikes (e-mail addresses, URLs,
code spans, comments, links) are put into one document, parsed once by pandoc, and the
``Cite`` keys of each paragraph are compared with ``find_citations(mask_nonprose(p))``.
"""

from __future__ import annotations

import json
import random

import pytest

from glutlint.inline import find_citations, mask_nonprose

pypandoc = pytest.importorskip("pypandoc")

SEED = 20240611
N_PARAGRAPHS = 1000

WORDS = (  # noqa: SIM905 - a word list reads best as one string
    "ketamine depression rapid response trial patients dose effect remission placebo "
    "infusion study cohort relapse glutamate receptor NMDA mood week the of and in was "
    "e.g. i.e. Fig. approx. vs. et al. p. U.S. 0.5 43.2% 12 3.1 Smith Zarate CA Jr. J. W. "
    "Murrough Dr. No."
).split()
PUNCT = [".", ",", ";", ":", "!", "?", "(", ")", "-", "--", "...", '"', "'", "/", "&", "+"]
KEYS = [
    "smith2000",
    "doe_2019a",
    "doi:10.1000/xyz",
    "smith.2000.b",
    "a-b",
    "x#y",
    "k+1",
    "q?r",
    "lt<gt",
    "t~u",
    "a/b",
    "_under",
    "Üni",
    "1990ab",
    "m$n",
    "p%q",
    "r&s",
    "*",
    "zarate:2006",
    "url://x",
]
BRACED = ["{braced.key}", "{a{b}c}", "{with:colon}", "{}", "{x y}"]
TRAILING = ["", "", "", ".", ",", ":", "-", "?", ";", "'s", ")", "...", "/", "_", "--"]
PREFIXES = ["", "", "see ", "see also ", "*cf.* ", "e.g., ", "reviewed in "]
LOCATORS = ["", "", ", p. 33", ", pp. 33-35", " p. 4", ", chap. 2", ", fig. 1", ", and passim"]
SUFFIX_EXTRA = ["", "", " *emphasis*", " `code;]`", " [note]"]


def _key(rng: random.Random) -> str:
    """A citation key, sometimes braced, sometimes followed by punctuation."""
    if rng.random() < 0.12:
        return "@" + rng.choice(BRACED)
    return "@" + rng.choice(KEYS) + rng.choice(TRAILING)


def _item(rng: random.Random) -> str:
    """One citation inside a bracketed group."""
    dash = "-" if rng.random() < 0.15 else ""
    loc = rng.choice(LOCATORS) + rng.choice(SUFFIX_EXTRA)
    return rng.choice(PREFIXES) + dash + _key(rng) + loc


def _group(rng: random.Random) -> str:
    sep = rng.choice(["; ", ";", " ; ", ";\n"])
    inner = sep.join(_item(rng) for _ in range(rng.randint(1, 3)))
    pad = rng.choice(["", "", " "])
    return "[" + pad + inner + pad + "]"


def _piece(rng: random.Random) -> str:
    """A random inline fragment: prose, a citation form, or a citation look-alike."""
    r = rng.random()
    if r < 0.30:
        return rng.choice(WORDS)
    if r < 0.38:
        return rng.choice(PUNCT)
    kind = rng.randrange(30)
    k = _key(rng)
    w = rng.choice(WORDS)
    return [
        lambda: _group(rng),
        lambda: _group(rng) + rng.choice([".", ",", "", "(x)", "[y]", "{.c}", " (z)"]),
        lambda: k,
        lambda: "-" + k,
        lambda: k + " [" + rng.choice(["p. 4", "pp. 3-5", "chap. 1", "see fig. 2"]) + "]",
        lambda: k + " " + _group(rng),
        lambda: k + " [p. 4; " + _item(rng) + "]",
        lambda: w + k,
        lambda: w + rng.choice([".", ",", "-", "_", "*", "'", '"', "(", "/"]) + k,
        lambda: "(" + k + ")",
        lambda: '"' + k + '"',
        lambda: rng.choice(["me@x.org", "first.last@uni.edu", "x_@y.org", "a-b@c.de"]),
        lambda: rng.choice(
            ["https://medium.com/@user/post", "http://x.org/a@b", "www.x.org/@c", "http://a.b/"]
        ),
        lambda: "`" + k + "`",
        lambda: "`` x ` " + k + " ``",
        lambda: "<!-- " + k + " -->",
        lambda: "<span>" + k + "</span>",
        lambda: "<b>" + w + "</b>",
        lambda: "[text " + k + "](http://a/" + k + ' "title ' + k + '")',
        lambda: "[" + w + "](http://x.org/@y)",
        lambda: "![img " + k + "](x.png)",
        lambda: "[" + rng.choice(["foo", "see; " + k, k + "; see", "foo" + k, w + " " + k]) + "]",
        lambda: "\\" + k,
        lambda: "$" + k + "$",
        lambda: "^[note " + k + "]",
        lambda: "[^1]",
        lambda: "*" + w + "*",
        lambda: "**" + k + "**",
        lambda: "<me@x.org>",
        lambda: "<https://x.org/@z>",
    ][kind]()


def _paragraph(rng: random.Random) -> str:
    """A paragraph starting with a plain word so pandoc sees no block markup."""
    out = "Para"
    for _ in range(rng.randint(3, 14)):
        piece = _piece(rng)
        sep = " "
        if rng.random() < 0.12 and piece[:1].isalpha():
            sep = "\n"  # soft line break only before a letter: no list, header or table
        elif rng.random() < 0.1:
            sep = ""
        out += sep + piece
    return out


def _cite_keys(node: object, out: list[str]) -> None:
    """Collect citation ids in document order (prefix, id, suffix for each citation)."""
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            for cit in node["c"][0]:
                _cite_keys(cit["citationPrefix"], out)
                out.append(cit["citationId"])
                _cite_keys(cit["citationSuffix"], out)
            return
        for value in node.values():
            _cite_keys(value, out)
    elif isinstance(node, list):
        for value in node:
            _cite_keys(value, out)


def test_find_citations_matches_pandoc() -> None:
    rng = random.Random(SEED)
    paragraphs = [_paragraph(rng) for _ in range(N_PARAGRAPHS)]
    doc = "\n\n".join(paragraphs) + "\n"
    ast = json.loads(pypandoc.convert_text(doc, "json", format="markdown"))
    blocks = ast["blocks"]
    assert [b["t"] for b in blocks] == ["Para"] * len(paragraphs), "generator made non-paragraphs"
    checked = 0
    for para, block in zip(paragraphs, blocks, strict=True):
        expected: list[str] = []
        _cite_keys(block["c"], expected)
        got = [c.key for c in find_citations(mask_nonprose(para))]
        assert got == expected, f"paragraph {checked}: {para!r}"
        checked += 1
    assert checked == N_PARAGRAPHS
    # the generator must actually exercise citations and non-citations
    total = sum(len(find_citations(p)) for p in paragraphs)
    assert total > N_PARAGRAPHS


def test_documented_cases_match_pandoc() -> None:
    """The hand-written expectations in test_inline.PANDOC_CASES are what pandoc does."""
    from test_inline import PANDOC_CASES

    doc = "\n\n".join(text for text, _ in PANDOC_CASES) + "\n"
    ast = json.loads(pypandoc.convert_text(doc, "json", format="markdown"))
    assert len(ast["blocks"]) == len(PANDOC_CASES)
    for (text, expected), block in zip(PANDOC_CASES, ast["blocks"], strict=True):
        found: list[str] = []
        _cite_keys(block["c"], found)
        assert found == expected, text


def test_raw_and_masked_agree() -> None:
    """find_citations gives the same keys on raw and on masked text."""
    rng = random.Random(SEED + 1)
    for _ in range(300):
        para = _paragraph(rng)
        masked = mask_nonprose(para)
        assert len(masked) == len(para)
        assert [c.key for c in find_citations(para)] == [c.key for c in find_citations(masked)]
        assert mask_nonprose(masked) == masked, para
