"""Table-driven tests for number extraction and the claim/source support judgement."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glutlint.extraction import NUMBER_WORDS, extract, parse_number_words
from glutlint.quantities import (
    COMPARATORS,
    KINDS,
    Quantity,
    date_parts,
    may_hold_numbers,
    supported_by_any,
    supports,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PDF_SEED = SEEDS / "004_f7be47b46469de80.txt"
PUBMED_SEED = SEEDS / "000_a568ac835381dff8.txt"
CODES_SEED = SEEDS / "003_c56acd26e9e85d78.txt"


def one(text: str) -> Quantity:
    """The single quantity in `text` (fails loudly if there is not exactly one)."""
    qs = extract(text)
    assert len(qs) == 1, f"{text!r} -> {[q.text for q in qs]}"
    return qs[0]


def summary(q: Quantity) -> tuple[float, float | None, str, str, str]:
    return (round(q.value, 6), q.high, q.kind, q.unit, q.comparator)


# ---------------------------------------------------------------------------------------------
# extraction: one quantity per phrase
# ---------------------------------------------------------------------------------------------

SINGLE = [
    # percent, from digits and words (incl. a PDF line break inside the number word)
    ("The lifetime risk is 20.8%, and", (20.8, None, "percent", "%", "=")),
    ("Seventy-one percent of subjects", (71, None, "percent", "%", "=")),
    ("Seventy-\none percent of subjects met", (71, None, "percent", "%", "=")),
    ("Thirty-five percent of subjects", (35, None, "percent", "%", "=")),
    ("12 per cent of them", (12, None, "percent", "%", "=")),
    ("with 46% of trial completers meeting", (46, None, "percent", "%", "=")),
    ("and 29% achieved remission", (29, None, "percent", "%", "=")),
    ("fewer than 2% of patients", (2, None, "percent", "%", "<")),
    ("approximately 43.2% of", (43.2, None, "percent", "%", "~")),
    # counts
    ("involving 22 patients with", (22, None, "count", "", "=")),
    ("memantine in 32 patients with MDD", (32, None, "count", "", "=")),
    ("seven subjects with", (7, None, "count", "", "=")),
    ("two are approved", (2, None, "count", "", "=")),
    ("twenty samples", (20, None, "count", "", "=")),
    ("one hundred and twenty-five people", (125, None, "count", "", "=")),
    ("a dozen sites", (12, None, "count", "", "=")),
    ("about 20 glutamate-targeted medicines", (20, None, "count", "", "~")),
    ("typically less than four exposures", (4, None, "count", "", "<")),
    ("at \nleast eight splice variants", (8, None, "count", "", ">=")),
    ("no more than 3 doses", (3, None, "count", "", "<=")),
    ("patients aged 18 or older", (18, None, "duration", "year", ">=")),  # age: in years
    ("aged 65+ were", (65, None, "duration", "year", ">=")),
    ("1,234 patients", (1234, None, "count", "", "=")),
    ("1.5 million people", (1_500_000, None, "count", "", "=")),
    ("A 21-item, clinician-administered questionnaire", (21, None, "count", "", "=")),
    ("in the 2000 patients", (2000, None, "count", "", "=")),
    ("p < 0.05", (0.05, None, "count", "", "<")),
    ("p<.001", (0.001, None, "count", "", "<")),
    ("a change of −0.5", (-0.5, None, "count", "", "=")),
    # fractions
    ("less than one-third of patients achieved remission", (1 / 3, None, "fraction", "", "<")),
    ("a third of patients", (1 / 3, None, "fraction", "", "=")),
    ("two-thirds of the sample", (2 / 3, None, "fraction", "", "=")),
    ("three quarters of", (0.75, None, "fraction", "", "=")),
    ("that half of the patients with MDD", (0.5, None, "fraction", "", "=")),
    ("nearly half responded", (0.5, None, "fraction", "", "~")),
    ("2/3 of them", (2 / 3, None, "fraction", "", "=")),
    # durations, with unit spellings canonicalised
    ("after up to 14 weeks of treatment", (14, None, "duration", "week", "<=")),
    ("nearly 24 weeks of treatment", (24, None, "duration", "week", "~")),
    ("within 72 hours of treatment", (72, None, "duration", "hour", "<=")),
    ("resolved within 8 hours.", (8, None, "duration", "hour", "<=")),
    ("24 hours following the infusion", (24, None, "duration", "hour", "=")),
    ("for at least 1 week;", (1, None, "duration", "week", ">=")),
    ("lasted less than 1 hour.", (1, None, "duration", "hour", "<")),
    ("chronic dosing (19 days) with", (19, None, "duration", "day", "=")),
    ("a 6-week crossover study", (6, None, "duration", "week", "=")),
    ("an 8-week, double-blind trial", (8, None, "duration", "week", "=")),
    ("for 8 weeks significantly", (8, None, "duration", "week", "=")),
    ("In the past 2 decades, a", (20, None, "duration", "year", "=")),
    ("In the past 2\u00a0decades, a", (20, None, "duration", "year", "=")),
    ("nearly two decades ago", (20, None, "duration", "year", "~")),
    ("over a decade of experience", (10, None, "duration", "year", "=")),
    ("two and a half years", (2.5, None, "duration", "year", "=")),
    ("a 45-year-old man", (45, None, "duration", "year", "=")),
    ("24h later", (24, None, "duration", "hour", "=")),
    ("30 min", (30, None, "duration", "minute", "=")),
    ("3 mo", (3, None, "duration", "month", "=")),
    # "over" before a duration is the infusion span, not a lower bound
    ("infused over 40 minutes", (40, None, "duration", "minute", "=")),
    # ranges: the unit after the range applies to both ends
    ("after 6–12 weeks96. Overall", (6, 12, "duration", "week", "=")),
    ("6-12 weeks", (6, 12, "duration", "week", "=")),
    ("6 to 12 weeks", (6, 12, "duration", "week", "=")),
    ("between 6 and 12 weeks", (6, 12, "duration", "week", "=")),
    ("two to three weeks", (2, 3, "duration", "week", "=")),
    ("a 15- to 20-minute infusion", (15, 20, "duration", "minute", "=")),
    ("10%–20% of patients", (10, 20, "percent", "%", "=")),
    ("10-20% of patients", (10, 20, "percent", "%", "=")),
    ("CI -3.1 to -1.9", (-3.1, -1.9, "count", "", "=")),
    # doses and measures
    ("at 250 mg per day to other", (250, None, "dose", "mg/day", "=")),
    ("doses higher \nthan 500 mg per day are", (500, None, "dose", "mg/day", ">")),
    ("250 mg/day", (250, None, "dose", "mg/day", "=")),
    ("250 mg daily", (250, None, "dose", "mg/day", "=")),
    ("250 mg a day", (250, None, "dose", "mg/day", "=")),
    ("10 mg/kg/day", (10, None, "dose", "mg/kg/day", "=")),
    ("0.5 mg/kg", (0.5, None, "dose", "mg/kg", "=")),
    ("5mg dose", (5, None, "dose", "mg", "=")),
    ("100 mcg", (100, None, "dose", "µg", "=")),
    ("by more than 15 points by the", (15, None, "measure", "point", ">")),
    ("a nearly 10-point reduction in", (10, None, "measure", "point", "~")),
    ("5 mM glutamate", (5, None, "measure", "mM", "=")),
    ("25 kg/m2", (25, None, "measure", "kg/m²", "=")),
    # ratios and frequencies
    ("approximately \ntwo-times greater", (2, None, "ratio", "×", "~")),
    ("a 2-fold increase", (2, None, "ratio", "×", "=")),
    ("a twofold increase", (2, None, "ratio", "×", "=")),
    ("a 2x increase", (2, None, "ratio", "×", "=")),
    ("twice as likely", (2, None, "ratio", "×", "=")),
    ("three times higher", (3, None, "ratio", "×", "=")),
    ("taken twice daily", (2, None, "frequency", "/day", "=")),
    ("three times a week", (3, None, "frequency", "/week", "=")),
    ("once weekly", (1, None, "frequency", "/week", "=")),
    # years
    ("ranked fourth in 1990, and", (1990, None, "year", "", "=")),
    ("Since 2000, about", (2000, None, "year", "", ">=")),
    ("It was not until 1997 that", (1997, None, "year", "", "=")),
    ("by mid-2019", (2019, None, "year", "", "=")),
    ("from 2010–2015", (2010, 2015, "year", "", "=")),
    ("in 1995-96", (1995, 1996, "year", "", "=")),
    ("© 2024. The Author(s).", (2024, None, "year", "", "=")),
]


@pytest.mark.parametrize(("text", "expected"), SINGLE, ids=[t for t, _ in SINGLE])
def test_extract_single(text: str, expected: tuple) -> None:
    q = one(text)
    value, high, kind, unit, cmp = expected
    assert q.value == pytest.approx(value)
    assert (q.high is None) == (high is None)
    if high is not None:
        assert q.high == pytest.approx(high)
    assert (q.kind, q.unit, q.comparator) == (kind, unit, cmp)
    assert q.kind in KINDS and q.comparator in COMPARATORS
    assert text[q.start : q.end] == q.text


DATES = [
    ("Last updated: 8 Aug 2018 (x)", (2018, 8, 8)),
    ("(Originally: 18 Mar 2017)", (2017, 3, 18)),
    ("Retrieved on November 26, 2020, from", (2020, 11, 26)),
    ("March 18, 2017", (2017, 3, 18)),
    ("2017-03-18", (2017, 3, 18)),
    ("Epub 2024\n Aug 16.", (2024, 8, 16)),
    ("in March 2017", (2017, 3, 0)),
    ("Behav Brain Res. 2020 Apr 6;383:112508.", (2020, 4, 6)),
    ("CNS Drugs. 2024 Nov;38(11):869-890.", (2024, 11, 0)),
]


@pytest.mark.parametrize(("text", "parts"), DATES, ids=[t for t, _ in DATES])
def test_extract_dates(text: str, parts: tuple[int, int, int]) -> None:
    q = one(text)
    assert q.kind == "date"
    assert date_parts(q) == parts
    assert q.value == parts[0] * 10000 + parts[1] * 100 + parts[2]


# ---------------------------------------------------------------------------------------------
# extraction: several quantities, decimals, spans
# ---------------------------------------------------------------------------------------------

MULTI = [
    (
        "a single intravenous dose of ketamine (0.5 mg per kg over 40 minutes) resulted",
        [(0.5, "dose", "mg/kg", "="), (40, "duration", "minute", "=")],
    ),
    (
        "no subject responded at 1 or 7 days.",
        [(1, "duration", "day", "="), (7, "duration", "day", "=")],
    ),
    (
        "10, 20 and 30 mg",
        [(10, "dose", "mg", "="), (20, "dose", "mg", "="), (30, "dose", "mg", "=")],
    ),
    ("1 or 2 decades", [(10, "duration", "year", "="), (20, "duration", "year", "=")]),
    (
        "two of these maintained response at least 2 weeks",
        [(2, "count", "", "="), (2, "duration", "week", ">=")],
    ),
    ("registered phase 2 or 3 clinical trials", [(2, "count", "", "="), (3, "count", "", "=")]),
    ("the 12/20 patients", [(12, "count", "", "="), (20, "count", "", "=")]),
    ("one another; no one; one study", [(1, "count", "", "=")]),
    ("24 hours following and 29%", [(24, "duration", "hour", "="), (29, "percent", "%", "=")]),
]


@pytest.mark.parametrize(("text", "expected"), MULTI, ids=[t for t, _ in MULTI])
def test_extract_multi(text: str, expected: list[tuple]) -> None:
    got = [(round(q.value, 6), q.kind, q.unit, q.comparator) for q in extract(text)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "decimals"),
    [("43%", 0), ("43.2%", 1), ("0.05", 2), ("1,234", 0), ("1.5 million", -5), ("Seventy", 0)],
)
def test_decimals_as_written(text: str, decimals: int) -> None:
    assert one(text).decimals == decimals


def test_span_includes_hedge_and_text_matches() -> None:
    text = "MADRS scores dropped by more than 15 points by week 8"
    q = extract(text)[0]
    assert q.text == "more than 15 points"
    assert text[q.start : q.end] == q.text


def test_span_text_is_original_even_with_nbsp() -> None:
    text = "past 2\u00a0decades"
    q = one(text)
    assert q.text == "2\u00a0decades"


def test_skip_spans_are_ignored() -> None:
    text = "In 2019, 22 patients (Smith 2018) had 15% remission"
    i = text.index("(Smith 2018)")
    kept = extract(text, skip_spans=[(i, i + len("(Smith 2018)"))])
    assert [q.text for q in kept] == ["2019", "22", "15%"]
    assert [q.text for q in extract(text)] == ["2019", "22", "2018", "15%"]


# ---------------------------------------------------------------------------------------------
# extraction: things that are not quantities
# ---------------------------------------------------------------------------------------------

NOTHING = [
    # names and codes
    "NR2B, 5-HT, 5-HT1A, mGluR5, AXS-05, COVID-19",
    "CP-101,606 and CP-101-606 and MK-0657/CERC-301",
    "REL-1017 and 4-Cl-KYN/AV-101 and GLYX-13",
    "(2R,6R)-hydroxynorketamine",
    "Ca2+-dependent; Mg2+ ions; H2O",
    "EAAT2 and VGLUT1 and SAP102 and PSD95",
    "(GLUR1–4) and mGluR6–8 and NR2A–D",
    "riluzole (2-amino-6-(trifluoromethoxy) benzothiazole)",
    "AMPA ( -amino-3-hydroxy-5-methyl-4-\nisoxazole propionic acid)",
    "Memantine (1-amino-3, 5-dimethyl-\nadamantane)",
    "3-[(2-Methyl-1,3-thiazol-4-ylethynyl]pyridine",
    "1H-MRS and 13C-MRS studies",
    "the 3rd and 2nd visits",
    "5-HT (5-hydroxytryptamine)",
    # reference markers glued to words in PDF text
    "meeting response criteria94. In",
    "in healthy subjects117 or in humans109,119.",
    "adolescence1. Mood disorders",
    "between epi-\nsodes2–4. The",
    "with BPD and MDD38. Fortunately",
    "(STAR*D)7 found",
    "antagonists139140.",
    # references, labels, locators
    "(reviewed in REFS 65,81) as well",
    "(see REF. 13 for review)",
    "(REFS126,127) have",
    "see Table 1, Fig. 2, FIG. 1, Section 3, BOX 1, Figure 1 | and TABLE 3.",
    "Tables 1 and 2",
    "[12] and [3,4] and [5–7]",
    "claimed^12^ and[^3]",
    "[@smith2020, p. 33] and [@smith2020, 33]",
    "see p. 870 and pp. 869-890",
    "(1)University of Toronto, (2)Department of Psychiatry",
    "including (1) broad modulators; (2) glycine site modulators",
    "1. CNS Drugs.",
    # citation strings and identifiers
    ";38(11):869-890",
    "Biol Psychiatry 67:139–145.",
    "doi: 10.1007/s40263-024-01114-y",
    "https://doi.org/10.1007/s40263-024-01114-y",
    "see https://example.org/2019/05/x",
    "PMID: 39150594 PMCID: PMC11486832",
    "NCT01234567",
    "write to jaintexas2@gmail.com",
    # non-quantity words
    "a single intravenous infusion",
    "the first and second leading causes",
    "a third trial",
    "its half-life",
    "a two-sided test",
    "one another",
    "no one",
    "once the membrane is depolarized",
    "3/18/2017",
    "version 1.2.3",
    "ratio 2:1 at 10:30",
]


@pytest.mark.parametrize("text", NOTHING)
def test_not_quantities(text: str) -> None:
    assert extract(text) == []


def test_citation_keeps_the_year_but_not_volume_issue_pages() -> None:
    qs = extract("1. CNS Drugs. 2024 Nov;38(11):869-890. doi: 10.1007/s40263-024-01114-y.")
    assert len(qs) == 1
    year_claim = one("approved in 2024")
    assert supports(year_claim, qs[0])
    assert not supports(one("approved in 2023"), qs[0])


def test_pubmed_year_only_citation() -> None:
    qs = extract("Rev Invest Clin. 2018;70(2):65-7.")
    assert [(q.kind, q.value) for q in qs] == [("year", 2018)]


# ---------------------------------------------------------------------------------------------
# number words
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value"),
    [
        ("zero", 0),
        ("two", 2),
        ("twenty", 20),
        ("seventy-one", 71),
        ("Ninety nine", 99),
        ("one hundred", 100),
        ("two hundred and five", 205),
        ("three thousand four hundred", 3400),
        ("a", None),
        ("one two", None),
        ("twenty twenty", None),
        ("first", None),
    ],
)
def test_parse_number_words(phrase: str, value: float | None) -> None:
    assert parse_number_words(phrase) == value


def test_number_words_table() -> None:
    assert NUMBER_WORDS["ninety"] == 90
    assert NUMBER_WORDS["thirteen"] == 13
    assert NUMBER_WORDS["thousand"] == 1000
    assert "first" not in NUMBER_WORDS and "single" not in NUMBER_WORDS


# ---------------------------------------------------------------------------------------------
# supports
# ---------------------------------------------------------------------------------------------

SUPPORTS = [
    # same figure, different spelling
    ("71% of subjects responded", "Seventy-one percent of subjects met", True),
    ("46% of completers", "with 46% of trial completers meeting", True),
    ("46 of completers", "with 46% of trial completers meeting", True),
    ("15 points", "dropping by 15", False),
    ("a third of patients", "less than one-third of patients", False),
    ("a third of patients", "one-third of patients", True),
    ("33% of patients", "one-third of patients", True),
    ("one-third of patients", "33% of patients", True),
    ("one-third of patients", "40% of patients", False),
    ("half of the patients", "50%", True),
    ("50% of patients", "half of the patients", True),
    ("20.8%", "is 20.8%, and", True),
    ("20.8%", "21%", False),
    # rounding at the claim's precision
    ("43%", "43.2%", True),
    ("43.2%", "43%", False),
    ("21%", "20.8%", True),
    ("44%", "43.2%", False),
    # comparators
    ("fewer than 2% of patients", "1.7% of patients", True),
    ("fewer than 2% of patients", "2% of patients", False),
    ("fewer than 2% of patients", "2.5% of patients", False),
    ("fewer than 2% of patients", "0.1% of patients", False),
    ("fewer than 2% of patients", "fewer than 2% of patients", True),
    ("fewer than 2% of patients", "fewer than 3% of patients", False),
    ("less than one-third of patients", "less than one-third of patients achieved", True),
    ("less than one-third of patients", "30% of patients", True),
    ("less than one-third of patients", "35% of patients", False),
    ("more than 15 points", "dropping by more than 15 points by", True),
    ("more than 15 points", "more than 15 points", True),
    ("more than 10 points", "more than 15 points", False),
    ("at least 15 points", "more than 15 points", True),
    ("more than 20 points", "more than 15 points", False),
    ("more than 15 points", "15 points", False),
    ("more than 15 points", "less than 15 points", False),
    ("15 points", "more than 15 points", False),
    ("17 points", "more than 15 points", False),
    ("more than 15 points", "17 points", True),
    ("more than 15 points", "40 points", False),
    ("at least 15 points", "15 points", True),
    ("about 20 medicines", "about 20 glutamate-targeted medicines", True),
    ("about 20 medicines", "20 medicines", True),
    ("about 20 medicines", "19 medicines", True),
    ("about 20 medicines", "25 medicines", False),
    ("20 medicines", "about 20 medicines", True),
    ("21 medicines", "about 20 medicines", False),
    ("nearly 24 weeks", "nearly 24 weeks of treatment", True),
    ("24 weeks", "nearly 24 weeks of treatment", True),
    ("nearly 24 weeks", "24 weeks", True),
    ("nearly 10 points", "a nearly 10-point reduction", True),
    ("a 10-point reduction", "a nearly 10-point reduction", True),
    ("a 12-point reduction", "a nearly 10-point reduction", False),
    ("up to 14 weeks", "after up to 14 weeks of treatment", True),
    ("14 weeks", "after up to 14 weeks of treatment", True),
    ("up to 14 weeks", "16 weeks", False),
    ("up to 14 weeks", "12 weeks", True),
    ("up to 16 weeks", "up to 14 weeks", False),
    ("14 weeks", "16 weeks", False),
    ("at least 1 week", "for at least 1 week;", True),
    ("at least 1 week", "7 days", True),
    ("at least 2 weeks", "for at least 1 week", False),
    ("within 72 hours", "within 72 hours of treatment", True),
    ("within 3 days", "within 72 hours of treatment", True),
    ("within 8 hours", "within 72 hours of treatment", False),
    ("resolved within 8 hours", "were modest and resolved within 8 hours.", True),
    ("less than 1 hour", "lasted less than 1 hour", True),
    ("less than 1 hour", "lasted 2 hours", False),
    ("less than 1 hour", "lasted 55 minutes", True),
    ("higher than 500 mg per day", "doses higher \nthan 500 mg per day are", True),
    ("500 mg per day", "doses higher than 500 mg per day are", False),
    ("more than 450 mg/day", "500 mg per day", True),
    ("more than 250 mg/day", "500 mg per day", False),
    ("more than 500 mg/day", "250 mg per day", False),
    ("approximately two-times greater", "approximately \ntwo-times greater", True),
    ("approximately two-times greater", "a 2-fold increase", True),
    ("approximately two-times greater", "twice as large", True),
    ("approximately two-times greater", "a 3-fold increase", False),
    # ranges
    ("6-12 weeks", "after 6–12 weeks96. Overall", True),
    ("between 6 and 12 weeks", "6–12 weeks", True),
    ("6-10 weeks", "6–12 weeks", False),
    ("12 weeks", "after 6–12 weeks", True),
    ("6 weeks", "after 6–12 weeks", True),
    ("8 weeks", "after 6–12 weeks", False),
    ("6-12 weeks", "12 weeks", False),
    ("about 9 weeks", "after 6–12 weeks", True),
    # units and conversions
    ("1 week", "7 days", True),
    ("1 week", "6 days", False),
    ("24 hours", "1 day", True),
    ("1 day", "24 hours following", True),
    ("20 years", "In the past 2 decades", True),
    ("two decades", "In the past 2 decades", True),
    ("2 decades", "over 20 years", True),
    ("12 months", "1 year", True),
    ("12 weeks", "12 months", False),
    ("500 mg", "0.5 g", True),
    ("0.5 mg per kg", "(0.5 mg/kg over", True),
    ("0.5 mg/kg", "0.5 mg", False),
    ("250 mg/day", "at 250 mg per day to", True),
    ("250 mg/day", "250 mg", False),
    ("250 mg/kg", "250 mg/day", False),
    ("14 mg/week", "2 mg/day", True),
    ("40 minutes", "infused over 40 minutes", True),
    ("40-minute infusion", "over 40 minutes", True),
    ("6-week crossover", "a 6-week crossover study", True),
    ("6 weeks", "a 6-week crossover study", True),
    ("8-week trial", "an 8-week, double-blind", True),
    ("8-week trial", "a 6-week crossover", False),
    ("12%", "12 weeks", False),
    ("2 weeks", "2-fold", False),
    ("twice daily", "two times a day", True),
    ("twice daily", "twice weekly", False),
    # counts
    ("22 patients", "involving 22 patients with", True),
    ("22 patients", "in 32 patients with MDD", False),
    ("32 patients", "in 32 patients with MDD", True),
    ("seven subjects", "found that seven subjects", True),
    ("8 subjects", "found that seven subjects", False),
    # years and dates: exact only
    ("since 2000", "Since 2000, about", True),
    ("in 2000", "Since 2000, about", True),
    ("in 2001", "Since 2000, about", False),
    ("in 2000", "in the 2000 patients", False),
    ("2000 patients", "In 2000, the first", False),
    ("in 1997", "not until 1997 that", True),
    ("in 2017", "(Originally: 18 Mar 2017)", True),
    ("18 March 2017", "(Originally: 18 Mar 2017)", True),
    ("March 2017", "(Originally: 18 Mar 2017)", True),
    ("19 March 2017", "(Originally: 18 Mar 2017)", False),
    ("18 March 2017", "in March 2017", False),
    ("18 March 2017", "in 2017", False),
    ("2010–2015", "from 2010 to 2015", True),
    ("2010–2016", "from 2010 to 2015", False),
    ("in 2015", "from 2010 to 2015", True),
]


@pytest.mark.parametrize(
    ("claim", "source", "expected"), SUPPORTS, ids=[f"{c} | {s}" for c, s, _ in SUPPORTS]
)
def test_supports(claim: str, source: str, expected: bool) -> None:
    assert supports(one(claim), one(source)) is expected


def test_supports_real_sentences_from_the_pdf_seed() -> None:
    source = extract(PDF_SEED.read_text(encoding="utf-8"))
    claims = [
        "less than one-third of patients achieved remission",
        "after up to 14 weeks",
        "nearly 24 weeks",
        "46% of trial completers",
        "71% of subjects met response criteria",
        "29% achieved remission 24 hours following the infusion",
        "35% maintained response for at least 1 week",
        "within 72 hours",
        "0.5 mg per kg over 40 minutes",
        "250 mg per day",
        "higher than 500 mg per day",
        "22 patients",
        "32 patients",
        "a 6-week crossover",
        "an 8-week trial",
        "20.8%",
        "a nearly 10-point reduction",
        "after 6–12 weeks",
        "resolved within 8 hours",
        "approximately two-times greater",
        "nearly two decades ago",
        "more than 15 points",
        "in 1997",
    ]
    for claim in claims:
        for q in extract(claim):
            assert supported_by_any(q, source), f"{claim!r}: {q.text!r} not found"
    wrong = [
        "37% of completers",
        "after up to 16 weeks",
        "750 mg per day",
        "27 patients",
        "in 1998",
    ]
    for claim in wrong:
        q = one(claim)
        assert not supported_by_any(q, source), claim


def test_supports_real_sentences_from_the_pubmed_seed() -> None:
    source = extract(PUBMED_SEED.read_text(encoding="utf-8"))
    for claim in [
        "In the past 2 decades",
        "about 20 glutamate-targeted medicines",
        "Since 2000",
        "approved in 2019",
        "twice daily",
    ]:
        q = one(claim)
        assert supported_by_any(q, source), claim
    for claim in ["about 30 medicines", "approved in 2018", "three decades"]:
        assert not supported_by_any(one(claim), source), claim


# ---------------------------------------------------------------------------------------------
# real seeds: codes and references never produce quantities
# ---------------------------------------------------------------------------------------------


def _overlapping(qs: list[Quantity], text: str, needle: str) -> list[str]:
    hits = []
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        hits += [q.text for q in qs if q.start < end and start < q.end]
        start = text.find(needle, end)
    return hits


PDF_NON_QUANTITIES = [
    "adolescence1",
    "impairment2–4",
    "worldwide5",
    "treatments6,7",
    "(STAR*D)7",
    "REFS 10–12",
    "REF. 13",
    "disorders14,15",
    "(FIG. 1)",
    "Ca2+",
    "(BOX 1)",
    "MDD38",
    "1H-MRS",
    "13C-MRS",
    "Figure 1 |",
    "5-HT1A",
    "VGLUT1",
    "CP-101-606",
    "EAAT2",
    "mGluR5",
    "criteria94",
    "humans109,119",
    "subjects117",
    "REFS 65,81",
    "TABLE 1",
    "weeks96",
    "Ser845",
    "(REFS126,127)",
    "2-amino-6-",
    "GLUR1–4",
    "mGluR6–8",
]


@pytest.mark.parametrize("needle", PDF_NON_QUANTITIES)
def test_pdf_seed_codes_and_refs_are_not_quantities(needle: str) -> None:
    text = PDF_SEED.read_text(encoding="utf-8")
    assert needle in text
    qs = extract(text)
    bad = [h for h in _overlapping(qs, text, needle) if not h.endswith(("weeks", "week"))]
    assert bad == []


def test_codes_seed_yields_only_dates_and_a_label_number() -> None:
    text = CODES_SEED.read_text(encoding="utf-8")
    qs = extract(text)
    assert {q.kind for q in qs} <= {"date", "count"}
    assert [q.text for q in qs if q.kind == "count"] == ["1"]  # "complex 1 (mTORC1)"
    for needle in ["CP-101,606", "AXS-05", "REL-1017", "MK-0657", "4-Cl-KYN", "(2R,6R)", "NV-5138"]:
        assert _overlapping(qs, text, needle) == [], needle


def test_pubmed_seed_skips_ids_and_affiliation_numbers() -> None:
    text = PUBMED_SEED.read_text(encoding="utf-8")
    qs = extract(text)
    for needle in ["39150594", "PMC11486832", "10.1007/s40263-024-01114-y", "(1)", "(5)", "1. CNS"]:
        assert _overlapping(qs, text, needle) == [], needle
    assert any(q.kind == "frequency" and q.text == "twice daily" for q in qs)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------


@given(st.text(max_size=300))
def test_extract_never_crashes_and_spans_are_consistent(text: str) -> None:
    for q in extract(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.kind in KINDS and q.comparator in COMPARATORS


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators_round_trip(n: int) -> None:
    q = one(f"a total of {n:,} people")
    assert q.value == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3))
def test_percent_round_trip_and_self_support(n: int, places: int) -> None:
    value = n / 10**places
    q = one(f"in {value:.{places}f}% of cases")
    assert q.kind == "percent" and q.decimals == places
    assert q.value == pytest.approx(value)
    assert supports(q, q)


@given(st.integers(min_value=0, max_value=99))
def test_number_words_round_trip(n: int) -> None:
    tens, ones = divmod(n, 10)
    words = list(NUMBER_WORDS)
    if n < 20:
        word = words[n]
    else:
        word = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"][
            tens - 2
        ] + ("" if ones == 0 else "-" + words[ones])
    assert parse_number_words(word) == n
    assert one(f"{word} percent").value == n


def test_every_seed_quantity_supports_itself() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        for q in extract(path.read_text(encoding="utf-8")):
            assert supports(q, q), (path.name, q)


def test_a_count_of_people_is_not_a_duration_or_dose() -> None:
    patients = extract("Memantine was tested in 40 patients.")[0]
    minutes = extract("a dose given over 40 minutes")[0]
    dose = extract("a dose of 40 mg")[0]
    assert patients.kind == "count"
    assert not supports(patients, minutes)
    assert not supports(patients, dose)
    assert not supports(minutes, patients)


# ---------------------------------------------------------------- the pre-check before extraction

ROOT = SEEDS.parent


def _lines_of_real_text() -> list[str]:
    files = [*SEEDS.glob("*.txt"), *(ROOT / "manuscript").glob("*.md")]
    files += [ROOT / "tests/claims/labelled.yaml", ROOT / "README.md"]
    return [ln for f in files for ln in f.read_text(encoding="utf-8").splitlines()]


def test_the_pre_check_never_hides_a_number_in_real_text() -> None:
    """A line the pre-check calls number-free must give no quantity: every line of the seeds,
    the manuscript, the labelled claims and the README."""
    lines = _lines_of_real_text()
    skipped = [ln for ln in lines if not may_hold_numbers(ln)]
    assert len(skipped) > 200  # it does skip prose
    assert [ln for ln in skipped if extract(ln)] == []


_WORDS = [*NUMBER_WORDS, "half", "a third", "twice", "once", "thrice", "a decade", "twofold"]


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_WORDS),
            st.sampled_from(["patients", "weeks", "per", "a", "%", "mg", "-", "of", "and", "\n"]),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ -.,()", max_size=12),
        ),
        max_size=12,
    )
)
def test_the_pre_check_agrees_with_extraction(parts: list[str]) -> None:
    text = " ".join(parts)
    if not may_hold_numbers(text):
        assert extract(text) == []


# ---------------------------------------------------------------------------------------------
# real sentences of tests/fixtures/jats (open-access articles): spreads, cycles, multipliers,
# hedged lists, year pairs
# ---------------------------------------------------------------------------------------------

JATS = Path(__file__).resolve().parent / "fixtures" / "jats"
PBDE_MALES = "In the high-dose treatment, PBDE-47 levels were 64.62 ± 6.10 µg/g carcass in males."
PBDE_LOW = "males had a body burden of 11.43 ± 1.24 μg PBDE-47/g carcass"
PHOTOPERIOD = "under a 16 hr:8 hr light:dark photoperiod with water quality parameters of 24–26°C"
MOLAR_EXCESS = "at inhibitor-to-enzyme molar excess of 20 (xI = 20), all Lip-HSL enzymes"
HERDS = (
    "The province has a total of 32,629 cattle, 1,308 water buffaloes, 194,052 goats and "
    "47,603 sheep, of which the majority are kept in rural areas"
)
RVF_YEARS = "In 2006/2007 in Kenya, Somalia and Tanzania the disease caused more than 1,000"


def _jats_line(name: str, needle: str) -> str:
    """The text line of a JATS fixture that holds `needle`, as the source reader gives it."""
    from glutlint.readers import read

    path = JATS / name
    r = read(path.read_bytes(), path, path.name)
    return next(line for line in r.lines if needle in line)


def test_the_real_sentences_are_in_the_fixtures() -> None:
    assert "64.62 ± 6.10 μg/g carcass in males" in _jats_line("ehp-116-1694.nxml", "64.62")
    assert "16 hr:8 hr light:dark" in _jats_line("ehp-116-1694.nxml", "16 hr:8 hr")
    assert "molar excess of 20 (" in _jats_line("pone.0046493.nxml", "inhibitor-to-enzyme")
    assert "194,052 goats and 47,603 sheep" in _jats_line("pntd.0002065.nxml", "194,052")
    assert RVF_YEARS in _jats_line("pntd.0002065.nxml", "2006/2007")


@pytest.mark.parametrize("text", [PBDE_MALES, "64.62 ± 6.10 μg/g carcass"])
def test_mean_plus_minus_spread_unit_gives_the_unit_to_the_mean(text: str) -> None:
    mean, spread = extract(text)
    assert summary(mean) == (64.62, None, "dose", "µg", "=")
    assert summary(spread) == (6.1, None, "dose", "µg", "=")
    assert supported_by_any(one("reached 64.62 µg/g in males"), extract(text))
    assert not supported_by_any(one("reached 64.62 mg/g in males"), extract(text))
    assert not supported_by_any(one("reached 6.4 µg/g in males"), extract(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PBDE_LOW, [(11.43, "dose", "µg"), (1.24, "dose", "µg")]),
        ("5.1 ± 0.4 (SEM) mg", [(5.1, "dose", "mg"), (0.4, "dose", "mg")]),
        ("7 +/- 2 SD days", [(7, "duration", "day"), (2, "duration", "day")]),
        ("12 mg ± 3", [(12, "dose", "mg"), (3, "dose", "mg")]),
        ("1.2–3.4 mg", [(1.2, "dose", "mg")]),
        # no "±": the unit of the next value is not the bare number's
        ("64.62 in males, 6.10 µg/g in females", [(64.62, "count", ""), (6.1, "dose", "µg")]),
        ("64.62 and 6.10 µg/g carcass, respectively", [(64.62, "dose", "µg"), (6.1, "dose", "µg")]),
    ],
)
def test_spread_units(text: str, expected: list[tuple]) -> None:
    assert [(round(q.value, 6), q.kind, q.unit) for q in extract(text)] == expected


def test_a_light_dark_cycle_is_two_durations() -> None:
    got = [summary(q) for q in extract(PHOTOPERIOD)]
    assert got[:2] == [(16, None, "duration", "hour", "="), (8, None, "duration", "hour", "=")]
    assert supported_by_any(one("dark for 8 h"), extract(PHOTOPERIOD))
    assert not supported_by_any(one("dark for 9 h"), extract(PHOTOPERIOD))
    # a colon after no quantity stays a code: "doi:10", a clock "10:30", "vol 12:345"
    assert extract("doi:10.1/x and at 10:30 h") == []
    # a slash before a unit is a denominator, not a second quantity
    assert [summary(q) for q in extract("10 mg/kg")] == [(10, None, "dose", "mg/kg", "=")]


def test_a_number_written_as_a_multiplier_is_a_ratio() -> None:
    assert summary(extract(MOLAR_EXCESS)[0]) == (20, None, "ratio", "×", "=")
    assert supported_by_any(one("a 20-fold molar excess"), extract(MOLAR_EXCESS))
    assert supported_by_any(one("a 3-fold rise"), extract("rose by a factor of 3."))
    # a bare number that counts something is no multiplier ...
    assert summary(one("an excess of 20 deaths")) == (20, None, "count", "", "=")
    assert not supported_by_any(one("about three times as much"), extract("three subgroups"))
    assert not supported_by_any(one("a 20-fold excess"), extract("xI = 20, all 20 enzymes"))
    # ... and "in excess of" is a bound
    assert summary(one("in excess of 20, the")) == (20, None, "count", "", ">")


def test_a_hedge_governs_every_item_of_its_list() -> None:
    claim = extract("roughly 194,000 goats and 47,600 sheep")
    assert [q.comparator for q in claim] == ["~", "~"]
    assert all(supported_by_any(q, extract(HERDS)) for q in claim)
    claim = extract("about 32,600 cattle, 1,300 water buffaloes, 194,000 goats and 47,600 sheep")
    assert [q.comparator for q in claim] == ["~"] * 4
    assert all(supported_by_any(q, extract(HERDS)) for q in claim)
    assert [q.comparator for q in extract("about 5 and 10 mg")] == ["~", "~"]
    assert [q.comparator for q in extract("nearly 5, 10 or 20 days")] == ["~", "~", "~"]


@pytest.mark.parametrize(
    "text",
    [
        "about 20 patients were treated and 30 withdrew",  # a clause, not a list
        "about 194,000 goats; 47,600 sheep",
        "about 194,000 goats, whereas 47,600 sheep",
        "approximately 20 patients and exactly 30 controls",
    ],
)
def test_a_hedge_does_not_leak_into_the_next_clause(text: str) -> None:
    assert extract(text)[-1].comparator == "="


def test_a_list_item_with_its_own_comparator_keeps_it() -> None:
    assert [q.comparator for q in extract("about 20 patients and at least 30")] == ["~", ">="]
    assert not supported_by_any(one("47,600 sheep"), extract(HERDS))  # no hedge: exact


def test_two_consecutive_years_joined_by_a_slash_are_a_year_range() -> None:
    q = extract(RVF_YEARS)[0]
    assert summary(q) == (2006, 2007, "year", "", "=")
    source = extract(RVF_YEARS)
    for claim in ("In 2006/2007, RVF caused", "in 2006", "in 2007", "from 2006 to 2007"):
        assert supported_by_any(one(claim), source), claim
    assert not supported_by_any(one("in 2008"), source)
    assert not any(q.kind in ("fraction", "count") and q.value >= 2006 for q in source)
    assert summary(one("in the 2006/07 season")) == (2006, 2007, "year", "", "=")
    assert [summary(q) for q in extract("in 1990/2000 and")] == [
        (1990, None, "year", "", "="),
        (2000, None, "year", "", "="),
    ]
    assert [q.kind for q in extract("1950/2000 samples")] == ["count", "count"]
    assert summary(one("in 2/3 of them")) == (round(2 / 3, 6), None, "fraction", "", "=")
    assert [q.value for q in extract("the 12/20, and")] == [12, 20]


# ---------------------------------------------------------------------------------------------
# Real sentences from CC BY articles fetched from the allofplos/allofplos repository on GitHub
# (starter_corpus): Cao et al. 2016, PLoS ONE 11(4): e0152459 (no space after its commas and
# colons, a comparator glued to "age"); MacPherson et al. 2013, PLoS Med 10(9): e1001518 and
# Brettschneider et al. 2013, PLoS ONE 8(6): e66742 (differences printed with their minus sign).
# ---------------------------------------------------------------------------------------------

CAO_STAGE = (
    "As shown in Fig 2, the overexpression of p16INK4a was significantly associated with the "
    "lower FIGO stage of I–II(OR = 0.60,95%CI:0.41–0.86,P = 0.006,fixed effect; Fig 2A), no "
    "lymph node metastasis(OR = 0.61,95%CI:0.39–0.95,P = 0.029,fixed effect; Fig 2B), patient’s "
    "age<55(OR = 0.54,95%CI:0.31–0.96,P = 0.034,fixed effect; Fig 2C)"
)
MACPHERSON_PHQ9 = (
    "Compared to usual care, patients in the acupuncture arm experienced an average additional "
    "reduction in depression of −2.46 points on the PHQ-9 (p<0.001)."
)
BRETTSCHNEIDER_VAS = (
    "Multimorbidity measured by a weighted count score was significantly associated with lower "
    "overall HRQL (EQ VAS), b = −1.02 (SE: 0.06)."
)


def test_a_comma_after_a_decimal_and_a_glued_colon_separate_values() -> None:
    got = [(q.value, q.high) for q in extract(CAO_STAGE) if q.kind != "year"]
    for value in [(0.60, None), (95, None), (0.41, 0.86), (0.006, None), (0.61, None)]:
        assert value in got, value
    assert (0.31, 0.96) in got and (0.034, None) in got
    source = extract(CAO_STAGE)
    for claim in ("OR 0.60", "95% CI 0.41–0.86", "P = 0.006", "OR 0.54, 95% CI 0.31–0.96"):
        assert all(supported_by_any(q, source) for q in extract(claim)), claim
    for wrong in ("OR 0.59", "95% CI 0.41–0.87", "OR 60.95"):
        assert not all(supported_by_any(q, source) for q in extract(wrong)), wrong
    # a comma after an integer is still a glued reference list or a thousands separator, and
    # an identifier after a colon (zero-padded, or five digits or more) is no value
    assert extract("in humans109,119 and disorders14,15") == []
    assert [q.value for q in extract("1,234 patients")] == [1234]
    assert extract("GO:0008150 and ISRCTN:12345678") == []
    assert [q.value for q in extract("n:45 and ratio 1:2")] == [45]


def test_an_age_without_a_unit_is_in_years() -> None:
    age = [q for q in extract(CAO_STAGE) if q.value == 55]
    assert [summary(q) for q in age] == [(55, None, "duration", "year", "<")]
    assert supported_by_any(one("age under 55 years"), extract(CAO_STAGE))
    assert summary(one("patients aged 65 to 85")) == (65, 85, "duration", "year", "=")
    # another bound, another unit, or a number that is not an age stays unsupported
    for wrong in ("age under 65 years", "age under 55 months", "over 55 years of age"):
        assert not supported_by_any(one(wrong), extract(CAO_STAGE)), wrong
    assert not supported_by_any(one("under 55 years"), extract("a score<55 (OR = 0.54)"))
    assert summary(one("stage 3")) == (3, None, "count", "", "=")


def test_a_claim_without_a_sign_is_the_magnitude_of_a_negative_source_value() -> None:
    for claim, source in [
        ("reduced mean PHQ-9 scores by 2.46 points", MACPHERSON_PHQ9),
        ("a reduction of about 2.5 points", MACPHERSON_PHQ9),
        ("lowered EQ-VAS by 1.02 points", BRETTSCHNEIDER_VAS),
        ("a difference of 1.21 to 3.72", "95% CI −3.72 to −1.21"),
        ("fell by more than 2 points", "a change of < −2 points"),
    ]:
        assert supported_by_any(one(claim), extract(source)), claim
    # a claim that writes its sign means it; a wrong magnitude and a temperature stay wrong
    for claim, source in [
        ("a change of −2.46 points", "improved by 2.46 points"),
        ("a change of minus 2.46 points", "improved by 2.46 points"),
        ("a change of +2.46 points", MACPHERSON_PHQ9),
        ("reduced scores by 2.64 points", MACPHERSON_PHQ9),
        ("reduced scores by 2.46", "p<0.001"),
        ("stored at 20 °C", "stored at −20 °C"),
        ("a difference of 1.21 to 3.72", "95% CI −1.21 to 3.72"),
    ]:
        assert not supported_by_any(one(claim), extract(source)), claim
    assert summary(one("minus 2.46 points")) == (-2.46, None, "measure", "point", "=")
    assert [q.value for q in extract("5 plus or minus 2")] == [5, 2]


# Held-out red team, round 3: PLOS articles from allofplos/allofplos, starter_corpus (CC BY):
# journal.pmed.1001300 (drug-resistant tuberculosis), journal.pone.0070598 (lake chemistry).
@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            "increased from 281,000 in 2000 to 547,000 in 2010 to 571,000 in 2011",
            [
                ("281,000", "count"),
                ("2000", "year"),
                ("547,000", "count"),
                ("2010", "year"),
                ("571,000", "count"),
                ("2011", "year"),
            ],
        ),
        ("treatment failure occurred in 1932 (21%)", [("1932", "count"), ("21%", "percent")]),
        ("from 1994 to 1998", [("1994 to 1998", "year")]),  # a range of years stays one
        ("from 900 to 1,200 patients", [("900 to 1,200", "count")]),
    ],
)
def test_a_year_and_a_grouped_count_are_no_range(text: str, read: list[tuple[str, str]]) -> None:
    assert [(q.text, q.kind) for q in extract(text)] == read


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("15 µg L-1", "µg/L"),
        ("15 µg L\u207b\u00b9", "µg/L"),  # superscript minus one, as XML prints it
        ("15 \u03bcg L -1", "µg/L"),  # Greek mu, a space before the power
        ("5 g m-2 d-1", "g/m²/day"),
    ],
)
def test_a_negative_power_is_a_denominator(written: str, unit: str) -> None:
    [q] = extract(f"a concentration of {written} was found")
    assert q.unit == unit
    assert supports(extract(f"{q.value:g} {unit}")[0], q)
