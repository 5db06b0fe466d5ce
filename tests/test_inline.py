"""Unit tests for glutlint.inline: masking, pandoc citation syntax and sentence splitting.

The expected citation keys in ``PANDOC_CASES`` were taken from pandoc 3.9;
``tests/test_citations_pandoc.py`` re-checks the whole table against the real pandoc.
"""

from __future__ import annotations

import pytest

from glutlint.inline import (
    Citation,
    citation_spans,
    find_citations,
    mask_nonprose,
    split_sentences,
)


def keys(text: str) -> list[str]:
    return [c.key for c in find_citations(text)]


def only(text: str) -> Citation:
    cites = find_citations(text)
    assert len(cites) == 1, cites
    return cites[0]


def blanked(text: str, *parts: str) -> str:
    """text with the first occurrence of each part turned to spaces (newlines kept)."""
    for part in parts:
        k = text.index(part)
        text = text[:k] + "".join("\n" if c == "\n" else " " for c in part) + text[k + len(part) :]
    return text


def sentences(text: str) -> list[str]:
    masked = mask_nonprose(text)
    return [text[s:e] for s, e in split_sentences(masked)]


# ---------------------------------------------------------------------------
# mask_nonprose
# ---------------------------------------------------------------------------


def test_mask_keeps_length_and_newlines() -> None:
    text = "See `x@y`\nand <!-- a\n@b -->\nnow."
    masked = mask_nonprose(text)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    assert masked == blanked(text, "`x@y`", "<!-- a\n@b -->")


def test_mask_code_spans_follow_backtick_run_lengths() -> None:
    assert mask_nonprose("a `b@c` d") == "a       d"
    # a run of two backticks closes only with a run of exactly two
    assert mask_nonprose("a `` x ` @y `` d") == "a              d"
    # an unclosed run is literal text
    assert mask_nonprose("a `` b") == "a `` b"


def test_mask_html_comment_tags_and_autolinks() -> None:
    text = 'x <span class="c">@a</span> y'
    assert mask_nonprose(text) == blanked(text, '<span class="c">', "</span>")
    assert mask_nonprose("x <!-- @a --> y") == "x             y"
    text = "x <https://a.org/@b> <me@x.org> y"
    assert mask_nonprose(text) == blanked(text, "<https://a.org/@b>", "<me@x.org>")


def test_mask_link_destination_but_keep_text() -> None:
    text = 'see [the trial](http://x.org/@y "title @z") now'
    masked = mask_nonprose(text)
    assert masked == "see [the trial](" + " " * 26 + ") now"
    assert keys(text) == []


def test_mask_image_keeps_alt_text() -> None:
    assert mask_nonprose("![a plot](fig.png)") == "![a plot](       )"


def test_mask_reference_definitions_and_labels() -> None:
    assert mask_nonprose('[ref]: http://x.org "T"') == " " * 23
    assert mask_nonprose("see [the docs][ref] now") == "see [the docs][   ] now"


def test_mask_bare_urls_and_emails() -> None:
    text = "mail me@x.org or see https://x.org/a?b=1."
    assert mask_nonprose(text) == blanked(text, "me@x.org", "https://x.org/a?b=1")


def test_mask_keeps_citation_that_pandoc_reads_inside_url() -> None:
    # pandoc has no bare-URL autolinks: "/@user/post" is a citation of "user/post"
    text = "see https://medium.com/@user/post."
    masked = mask_nonprose(text)
    assert masked == "see                    @user/post."
    assert keys(masked) == keys(text) == ["user/post"]


def test_mask_does_not_create_citation_after_email() -> None:
    # '@d' follows the word 'c', so pandoc does not cite it; blanking 'a@b.c' must not
    # turn it into a citation
    text = "x a@b.c@d y"
    masked = mask_nonprose(text)
    assert keys(text) == []
    assert keys(masked) == []
    assert "@" not in masked


def test_mask_footnote_markers_but_keep_note_text() -> None:
    assert mask_nonprose("claim.[^1] more") == "claim.     more"
    assert mask_nonprose("[^1]: The note @a.") == blanked("[^1]: The note @a.", "[^1]:")
    assert mask_nonprose("claim.^[A note.] more") == "claim.  A note.  more"


def test_mask_keeps_backslash_escapes() -> None:
    text = r"costs \$5 and \@not"
    assert mask_nonprose(text) == text
    assert keys(text) == []


def test_mask_math_and_tex() -> None:
    assert mask_nonprose("p $x@y$ q \\emph{@z} r") == "p       q           r"
    assert mask_nonprose("$5 and $6") == "$5 and $6"  # not math: '$' before a space


def test_mask_heading_attributes() -> None:
    text = "Results {#sec:res .unnumbered}"
    assert mask_nonprose(text) == blanked(text, "{#sec:res .unnumbered}")


def test_mask_is_idempotent() -> None:
    text = "a `c` [t](u) <b>x</b> $m$ me@x.org https://a.b/@c [@k, p. 3] done"
    once = mask_nonprose(text)
    assert mask_nonprose(once) == once


def test_mask_never_loses_a_literal_dollar_citation() -> None:
    # blanking "$x$" must not let the first '$' open math that swallows '@m$n'
    text = "x \\@m$n) q ? $@r$ @m$n z"
    assert keys(mask_nonprose(text)) == keys(text) == ["m$n"]


# ---------------------------------------------------------------------------
# find_citations: structure and offsets
# ---------------------------------------------------------------------------


def test_bracketed_citation_offsets() -> None:
    text = "Fast [@smith2000]."
    c = only(text)
    assert (c.key, c.start, c.end) == ("smith2000", 6, 16)
    assert (c.group_start, c.group_end) == (5, 17)
    assert text[c.group_start : c.group_end] == "[@smith2000]"
    assert not c.in_text and not c.suppress_author and c.locator == ""


def test_group_with_prefixes_locators_and_several_keys() -> None:
    text = "x [see @a, p. 3; also @b, chap. 2] y"
    a, b = find_citations(text)
    assert (a.key, a.locator, b.key, b.locator) == ("a", "p. 3", "b", "chap. 2")
    assert (a.group_start, a.group_end) == (b.group_start, b.group_end) == (2, 34)


def test_locator_without_comma_and_over_a_line_break() -> None:
    assert only("x [@a p. 870]").locator == "p. 870"
    assert only("x [@a,\n  pp. 3-5]").locator == "pp. 3-5"


def test_suppress_author_starts_at_dash() -> None:
    c = only("x [-@a, p. 4]")
    assert c.suppress_author and c.start == 3 and c.locator == "p. 4"


def test_in_text_citation() -> None:
    c = only("As @doe_2019a shows.")
    assert c.in_text and (c.start, c.end) == (3, 13)
    assert (c.group_start, c.group_end) == (3, 13)


def test_in_text_citation_with_locator() -> None:
    text = "As @a [p. 4] shows."
    c = only(text)
    assert c.in_text and c.locator == "p. 4"
    assert text[c.group_start : c.group_end] == "@a [p. 4]"


def test_in_text_citation_followed_by_group() -> None:
    a, b = find_citations("x @a [@b]")
    assert (a.key, a.in_text, b.key, b.in_text) == ("a", True, "b", False)
    assert a.group_end == b.group_end


def test_in_text_suppress_author() -> None:
    c = only("x -@a says")
    assert c.in_text and c.suppress_author and c.start == 2


def test_braced_keys() -> None:
    c = only("x @{braced.key}.")
    assert (c.key, c.end) == ("braced.key", 15)
    assert keys("x @{a{b}c}.") == ["a{b}c"]
    assert keys("x @{with space}") == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("x @doi:10.1/x.", "doi:10.1/x"),
        ("x @smith_2000.b,", "smith_2000.b"),
        ("x @a-b-", "a-b"),
        ("x @k+1?", "k+1"),
        ("x @lt<gt>", "lt<gt"),
        ("x @a#b$c%d&e~f", "a#b$c%d&e~f"),
        ("x @a//b", "a//b"),
        ("x @a:/", "a:"),  # ':' may precede '/', but a final '/' is dropped
        ("x @Üni:", "Üni"),
        ("x @_under", "_under"),
        ("x @1990ab", "1990ab"),
    ],
)
def test_key_punctuation(text: str, key: str) -> None:
    assert keys(text) == [key]


def test_citation_spans_are_distinct_groups() -> None:
    text = "x [@a; @b] and @c [p. 2]."
    assert citation_spans(text) == [(2, 10), (15, 24)]


def test_offsets_are_into_raw_text_with_code_before() -> None:
    text = "`code` [@a]"
    c = only(text)
    assert text[c.start : c.end] == "@a"
    assert only(mask_nonprose(text)).start == c.start


# ---------------------------------------------------------------------------
# find_citations: pandoc's behaviour, including the surprising parts
# ---------------------------------------------------------------------------

PANDOC_CASES: list[tuple[str, list[str]]] = [
    # ordinary forms
    ("x [@a]", ["a"]),
    ("x [see @a, pp. 33-35; also @b, chap. 1]", ["a", "b"]),
    ("x [ @a ]", ["a"]),
    ("x [-@a; -@b, p. 3]", ["a", "b"]),
    ("x @a [p. 4; @b]", ["a", "b"]),
    ("x @a\n[p. 3]", ["a"]),
    ("x (@a)", ["a"]),
    ('x "@a"', ["a"]),
    ("x [foo @bar]", ["bar"]),
    # no citation: after a word, escaped, code, comment, math, TeX, link target
    ("x me@x.org", []),
    ("x 1@a", []),
    ("x word.@a", []),
    ("x ..@b", []),
    ("x it's@foo", []),
    ("x \\@foo", []),
    ("x `@a` @b", ["b"]),
    ("x <!-- @a --> @b", ["b"]),
    ("x $@a$", []),
    ("x \\emph{@a}", []),
    ('x [text](http://a/@m "title @m")', []),
    ("x <https://x.org/@z>", []),
    ("x *foo*@a", []),  # a closed emphasis ends like a word
    ("x **foo**@a", []),
    # surprising but true
    ("x a-@foo", ["foo"]),  # '-' is no word character
    ("x a,@foo", ["foo"]),
    ("x ...@b", ["b"]),  # an ellipsis is no word
    ("x a@b@c", ["c"]),  # '@b' is swallowed as an example label, then '@c' cites
    ("x me_@x.org", ["x.org"]),
    ("x https://medium.com/@user/post", ["user/post"]),  # no bare-URL links in pandoc
    ("x foo*@bar", ["bar"]),  # an unclosed emphasis
    ("x _@b_", ["b_"]),  # '_' is a key character
    ("x @a@b", ["a", "b"]),
    ("x @*a", ["*a"]),
    ("x @{}", [""]),
    ("x ---@b", ["b"]),
    # brackets that are no citation group
    ("x [see; @a]", ["a"]),  # ';' in a prefix: the brackets are text, '@a' is in-text
    ("x [@a; see]", ["a"]),
    ("x [@a;; @b]", ["a", "b"]),
    ("x [foo@bar]", []),
    ("x [see]@foo]", ["foo"]),  # a prefix may end with ']'
    # followed by link syntax: link text or span, not a group
    ("x [@a](http://x)", ["a"]),
    ("x [see @a](u)", ["a"]),
    ("x [@a]{.c}", ["a"]),
    ("x [@a][q]", ["a"]),
    ("x [@a] (x)", ["a"]),
    ("x @a [p. 4](http://x)", ["a"]),
    ("x @a [p. 3]{foo}", ["a"]),
    ("x [text @m$n](http://a/@m$n)", ["m$n", "m$n"]),  # '$n](...@m$' is math to pandoc
    ("x [y][see; @t]", ["t"]),
    ("x [a](u) [ @t](v)", ["t"]),
    ("x [a][c] [ @t](u)", []),  # a word position leaks from the label '[c]'
    ("x [a][c] ~;@t~", []),
    # notes, sub- and superscript
    ("x ^[note @a] @b", ["a", "b"]),
    ("x @a [^1]", ["a"]),
    ("x ~b;@t~u c", ["t"]),  # subscript '~b;@t~' ends the key early
    ("x ^a;@t^", ["t"]),
    ("x <a/b@z>", []),
    ("x [<ab/@z>]()", ["z"]),  # no autolinks inside link text
]


@pytest.mark.parametrize(("text", "expected"), PANDOC_CASES)
def test_pandoc_behaviour(text: str, expected: list[str]) -> None:
    assert keys(text) == expected
    assert keys(mask_nonprose(text)) == expected


def test_in_text_cite_in_link_text_is_in_text() -> None:
    c = only("x [see @a](u)")
    assert c.in_text and c.locator == ""


def test_bracket_followed_by_space_and_parens_is_a_group() -> None:
    c = only("x [@a] (x)")
    assert not c.in_text


def test_locator_rejected_before_link() -> None:
    c = only("x @a [p. 4](http://x)")
    assert c.locator == "" and c.group_end == c.end


def test_nested_groups_are_reported_in_position_order() -> None:
    text = "x [@a, see [@b]; @c]"
    assert keys(text) == ["a", "b", "c"]


def test_many_brackets_stay_fast() -> None:
    text = "x " + "[" * 60 + "@a" + "]" * 60
    assert keys(text) == ["a"]
    text = "x " + "[a " * 400
    assert keys(text) == []


# ---------------------------------------------------------------------------
# split_sentences
# ---------------------------------------------------------------------------


def test_split_basic_and_trimmed() -> None:
    text = "  One claim. Two? Three!  "
    assert sentences(text) == ["One claim.", "Two?", "Three!"]
    masked = mask_nonprose(text)
    assert split_sentences(masked)[0] == (2, 12)


def test_split_empty() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n ") == []


def test_no_split_before_lowercase() -> None:
    assert sentences("It works. and then more.") == ["It works. and then more."]


@pytest.mark.parametrize(
    "abbrev",
    [
        "et al.",
        "e.g.",
        "i.e.",
        "vs.",
        "Fig.",
        "Figs.",
        "approx.",
        "ca.",
        "cf.",
        "Dr.",
        "No.",
        "Ref.",
        "Refs.",
        "Eq.",
        "p.",
        "pp.",
        "vol.",
        "St.",
        "Jr.",
        "Sr.",
        "U.S.",
    ],
)
def test_no_split_after_abbreviation(abbrev: str) -> None:
    text = f"As in Smith {abbrev} Next 3 words. End."
    assert sentences(text) == [f"As in Smith {abbrev} Next 3 words.", "End."]


@pytest.mark.parametrize("abbrev", ["etc.", "Inc.", "Ltd.", "Co."])
def test_sentence_final_abbreviations(abbrev: str) -> None:
    assert sentences(f"Pears {abbrev} and more. End.") == [f"Pears {abbrev} and more.", "End."]
    assert sentences(f"Pears {abbrev} The next.") == [f"Pears {abbrev}", "The next."]


def test_no_split_in_decimals_and_percentages() -> None:
    assert sentences("It was 0.5 and 43.2% here. Next.") == ["It was 0.5 and 43.2% here.", "Next."]


def test_no_split_after_initials() -> None:
    text = "By J. W. Murrough and Zarate CA Jr. in 2006. Then."
    assert sentences(text) == ["By J. W. Murrough and Zarate CA Jr. in 2006.", "Then."]


def test_split_after_single_capital_ending_a_sentence() -> None:
    assert sentences("Levels of vitamin D. Participants were fine.") == [
        "Levels of vitamin D.",
        "Participants were fine.",
    ]


def test_no_split_inside_citation_group() -> None:
    text = "Fast [@a, p. 3. Also @b, chap. 2]. Next."
    assert sentences(text) == ["Fast [@a, p. 3. Also @b, chap. 2].", "Next."]


def test_no_split_inside_open_brackets() -> None:
    text = "We saw it (see Table 1. Also Fig. 2). Then more."
    assert sentences(text) == ["We saw it (see Table 1. Also Fig. 2).", "Then more."]


def test_split_after_closing_bracket_or_quote() -> None:
    assert sentences("(See above.) Next one.") == ["(See above.)", "Next one."]
    assert sentences('He said "It works." Then left.') == ['He said "It works."', "Then left."]


def test_a_figure_caption_is_read_as_sentences_a_bracket_is_not() -> None:
    caption = "![A timeline of approvals [@k]. The dashed line marks the cut-off.](f.png)"
    assert sentences(caption) == [
        "![A timeline of approvals [@k].",
        "The dashed line marks the cut-off.](f.png)",
    ]
    assert sentences("A link [as in Fig. 2. Also here](x) ends.") == [
        "A link [as in Fig. 2. Also here](x) ends."
    ]


def test_trailing_citation_group_belongs_to_previous_sentence() -> None:
    assert sentences("A claim. [@k] Next one.") == ["A claim. [@k]", "Next one."]
    assert sentences("A claim.[@k; @j, p. 3] Next one.") == [
        "A claim.[@k; @j, p. 3]",
        "Next one.",
    ]
    assert sentences("Last claim. [@k]") == ["Last claim. [@k]"]


def test_in_text_citation_starts_a_sentence() -> None:
    assert sentences("Done. @smith2000 showed it.") == ["Done.", "@smith2000 showed it."]


def test_newlines_are_spaces() -> None:
    text = "Line one\nstill one. Line two\nstarts here."
    assert sentences(text) == ["Line one\nstill one.", "Line two\nstarts here."]


def test_sentences_with_masked_code_and_urls() -> None:
    text = "Run `a. B` now. See https://x.org/A. Then."
    assert sentences(text) == ["Run `a. B` now.", "See https://x.org/A.", "Then."]


def test_crlf_line_endings_read_like_lf() -> None:
    lf = "A claim @a\n[p. 3]. Next `x@y`\nmore."
    crlf = lf.replace("\n", "\r\n")
    c_lf, c_crlf = only(lf), only(crlf)
    assert (c_crlf.key, c_crlf.locator) == (c_lf.key, c_lf.locator) == ("a", "p. 3")
    masked = mask_nonprose(crlf)
    assert masked.count("\r\n") == 2 and "x@y" not in masked
    assert len(split_sentences(masked)) == 2


# A real sentence from a CC BY article fetched from the allofplos/allofplos repository on GitHub
# (starter_corpus): Cao et al. 2016, PLoS ONE 11(4): e0152459, followed by a review's sentence
# that opens with the gene product's name, which is written in lower case.
CAO_CONCLUSION = (
    "In conclusion, despite the limitations, the results of the present meta-analysis suggested "
    "that p16INK4a overexpression was associated with a favorable prognosis in patients with "
    "vulvar cancer."
)


def test_a_lower_case_name_with_a_digit_or_inner_capital_starts_a_sentence() -> None:
    nxt = "p16INK4a overexpression was associated with lower FIGO stage."
    assert sentences(f"{CAO_CONCLUSION} {nxt}") == [CAO_CONCLUSION, nxt]
    for name in ("p53 was mutated.", "mRNA levels fell.", "eGFR declined."):
        assert sentences(f"It ended. {name}") == ["It ended.", name]
    # an abbreviation before the name still does not end the sentence, nor does a plain word
    for abbrev in ("e.g.", "i.e.", "et al.", "vs.", "cf."):
        text = f"Genes ({abbrev} p16INK4a) and others {abbrev} p53 were studied."
        assert sentences(text) == [text], abbrev
    assert sentences("It works. and then more.") == ["It works. and then more."]
