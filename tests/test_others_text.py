"""Reviews of other people's articles, checked against the real articles.

tests/fixtures/othertext/manuscript/review.md paraphrases four PMC open-access articles (JATS)
and a Federal Register notice (PDF), and tests/fixtures/othertext2 four PLOS articles from
other fields, the real files of tests/fixtures/jats and tests/fixtures/pdf, the way authors
write: rounded and hedged numbers, spelled numbers, shares
computed from counts, ratios of two percentages, table cells whose unit is in the column
header, mean ± SD values, lists of places. Every line is accurate except those in
planted.tsv, each with one planted error. The bar: no finding on an accurate line, and every
planted error caught unless named below as a known miss.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures"
PDF = FIXTURES / "pdf" / "federal-register-2020-17221.pdf"
#: each set: its folder under tests/fixtures, its sources, and the planted errors no rule reads
SETS = {
    # a virology survey, a toxicology study, phage biology and lipase inhibitors (JATS), an
    # aviation rule (PDF)
    "othertext": (
        ["pntd.0002065.nxml", "pone.0046493.nxml", "ehp-116-1694.nxml", "1471-2180-11-174.nxml"],
        {
            "P01",  # Malawi for Mozambique: places are not compared
            "P02",  # sheep and goats swapped: both numbers are in one sentence
            "P04",  # Mopeia and Nicoadala swapped
            "P05",  # an odds ratio of sheep given to goats
            "P07",  # zebrafish for fathead minnows: organisms are not compared
            "P09",  # "raised" for "lowered"
            "P10",  # a share from the liver given to the brain
            "P11",  # a share from the males given to the females
            "P12",  # 74.5 min, the end of a range of strains, given as the wild type's mean
            "P14",  # a growth rate of one medium given to another
            "P15",  # the SD of normal lysis given to KCN at 55 min
            "P16",  # infections and deaths swapped
            "P19",  # a MIC against BCG given for M. tuberculosis
            "P20",  # M. leprae for M. tuberculosis
        },
    ),
    # a psychiatry trial, Arctic ecology, an oncology meta-analysis, a multimorbidity cohort
    "othertext2": (
        [
            "journal.pmed.1001518.nxml",
            "journal.pone.0116586.nxml",
            "journal.pone.0152459.nxml",
            "journal.pone.0066742.nxml",
        ],
        {
            "P01",  # a bracketed arm size reads as a numeric reference mark
            "P03",  # a share of one arm given to another
            "P05",  # an effect of one arm given to another
            "P06",  # two groups' numbers swapped
            "P09",  # two groups' numbers swapped
            "P10",  # "rose from 46% to 57%" for a fall
            "P14",  # an odds ratio of one outcome given to another
            "P15",  # a P value of one outcome given to another
            "P19",  # two groups' numbers swapped
            "P20",  # two groups' numbers swapped
            "P21",  # an odds ratio of one domain given to another
        },
    ),
}


def _planted(name: str) -> dict[int, str]:
    out = {}
    for row in (FIXTURES / name / "planted.tsv").read_text(encoding="utf-8").splitlines():
        line, ident, _sentence = row.split("\t", 2)
        out[int(line)] = ident
    return out


def _lines(name: str) -> list[str]:
    return (FIXTURES / name / "manuscript" / "review.md").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module", params=list(SETS))
def checked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    name = request.param
    root = tmp_path_factory.mktemp(name)
    for file in ("pyproject.toml", "refs.bib"):
        shutil.copy(FIXTURES / name / file, root / file)
    shutil.copytree(FIXTURES / name / "manuscript", root / "manuscript")
    (root / "sources").mkdir()
    for article in SETS[name][0]:
        shutil.copy(FIXTURES / "jats" / article, root / "sources" / article)
    shutil.copy(PDF, root / "sources" / PDF.name)
    r = run_cli(["check", "--no-cache", "--format", "json"], root)
    assert r.code in (0, 1), r.err
    return name, json.loads(r.out)


def test_the_sources_are_the_real_files() -> None:
    for name, (articles, _known) in SETS.items():
        for article in articles:
            assert (FIXTURES / "jats" / article).stat().st_size > 10_000, article
        assert len([x for x in _lines(name) if "[@" in x]) >= 100, name


def test_no_finding_on_an_accurate_sentence(checked: tuple[str, list[dict]]) -> None:
    name, findings = checked
    planted = _planted(name)
    text = _lines(name)
    wrong = [
        f"{d['line']}: {d['code']} {d['message']}\n    {text[d['line'] - 1]}"
        for d in findings
        if d["line"] not in planted or not d["path"].startswith("manuscript")
    ]
    assert not wrong, "\n".join(wrong)


def test_planted_errors_are_caught_or_known(checked: tuple[str, list[dict]]) -> None:
    name, findings = checked
    planted = _planted(name)
    known = SETS[name][1]
    flagged = {planted[d["line"]] for d in findings if d["line"] in planted}
    missed = set(planted.values()) - flagged
    assert missed <= known, f"{name}: newly missed: {sorted(missed - known)}"
    assert missed >= known, f"{name}: caught now, remove from the known misses: {known - missed}"


@pytest.mark.parametrize(
    ("ident", "code", "says"),
    [
        ("P03", "GL201", "277"),  # 494 goats for 449
        ("P06", "GL201", "April 2011"),  # the cohort ended in April 2011
        ("P08", "GL201", "21 days"),  # 14 days for 21
        ("P18", "GL201", "20"),  # 22.79 is not the xI50
        ("P21", "GL201", "October 29, 2018"),  # the Lion Air accident date
    ],
)
def test_a_planted_number_is_reported_with_the_source_value(
    checked: tuple[str, list[dict]], ident: str, code: str, says: str
) -> None:
    name, findings = checked
    if name != "othertext":
        pytest.skip("the values of the first set")
    line = next(n for n, i in _planted(name).items() if i == ident)
    found = [d for d in findings if d["line"] == line and d["code"] == code]
    assert found and says in found[0]["message"], findings
