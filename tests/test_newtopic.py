"""A review on a new topic, as a new user starts one: four PDFs and one JATS article as the
reference manager keeps them, no lexicon, no sidecar, no hand-extracted text.

The project is tests/fixtures/newtopic; its sources are put in place here: a real Federal
Register PDF (tests/fixtures/pdf), three real PMC articles typeset to PDF (tests/fixtures/jats,
typeset like journal pages by tests/typeset.py) and one PMC article as JATS. Accurate
sentences pass; a wrong value, a wrong year, a drug the source never names, and an uncited
sentence naming a drug are each caught.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from typeset import typeset

FIXTURES = ROOT / "tests" / "fixtures"
INTRO = "manuscript/01-introduction.md"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("newtopic")
    shutil.copytree(FIXTURES / "newtopic", root, dirs_exist_ok=True)
    sources = root / "sources"
    sources.mkdir()
    shutil.copy(FIXTURES / "jats" / "pntd.0002065.nxml", sources)
    (sources / "fafetine2013.html").write_text("<html>a saved web page</html>\n")
    shutil.copy(FIXTURES / "pdf" / "federal-register-2020-17221.pdf", sources)
    for key, article in (
        ("delorme2012", "pone.0046493.nxml"),
        ("lema2008", "ehp-116-1694.nxml"),
        ("dennehy2011", "1471-2180-11-174.nxml"),
    ):
        typeset(FIXTURES / "jats" / article, sources / f"{key}.pdf")
    return root


@pytest.fixture
def review(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "review"
    shutil.copytree(template, root)
    return root


def _check(root: Path) -> tuple[int, list[str], str]:
    r = run_cli(["check", "--no-cache"], root)
    return r.code, r.out.splitlines(), r.err


def test_accurate_sentences_pass(review: Path) -> None:
    code, out, err = _check(review)
    assert code == 0 and out == [], "\n".join(out) + err
    assert "Traceback" not in err


def _edit(root: Path, old: str, new: str) -> None:
    path = root / INTRO
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("sera from 377 goats", "sera from 367 goats", "GL201 367 not in fafetine2013"),
        ("In 2010, a further 449", "In 2012, a further 449", "GL201 2012 not in fafetine2013"),
        ("In 2010, a further 449", "In 2011, a further 449", "GL203 2011 is in fafetine2013"),
        ("for 21 days [@lema2008]", "for 28 days [@lema2008]", "GL201 28 days not in lema2008"),
        (
            "Tetrahydrolipstatin and MmPPOX",
            "Moxifloxacin and MmPPOX",
            "GL202 'Moxifloxacin' is not named in delorme2012",
        ),
        ("in 189 fatalities", "in 198 fatalities", "GL201 198 not in faa2020"),
        # not 25.2%: the source's Table 1 prints the interval "[5.7,25.2]", two values
        ("21.2% of goats", "24.2% of goats", "GL201 24.2% not in fafetine2013"),
        ("(P = 0.0002)", "(P = 0.002)", "GL201 0.002 not in fafetine2013"),
        ("approximately 45-day", "approximately 30-day", "GL201 approximately 30-day not in"),
        ("After 21 days of exposure", "After 14 days of exposure", "GL201 14 days not in lema2008"),
    ],
)
def test_wrong_values_years_and_drugs_are_caught(
    review: Path, old: str, new: str, expected: str
) -> None:
    _edit(review, old, new)
    code, out, err = _check(review)
    assert code == 1, err
    assert any(expected in line for line in out), "\n".join(out)


def test_an_uncited_sentence_naming_a_drug_needs_a_citation(review: Path) -> None:
    _edit(review, "\nThe mean lysis time", "\nMoxifloxacin was not tested.\n\nThe mean lysis time")
    code, out, _ = _check(review)
    assert code == 1
    assert any("GL102" in x and "names 'Moxifloxacin'" in x for x in out), out


def test_a_year_only_in_a_reference_list_supports_nothing(review: Path) -> None:
    # 2004 is the year of entries of the JATS article's reference list, and nowhere else in it.
    _edit(review, "In 2010, a further 449", "In 2004, a further 449")
    code, out, _ = _check(review)
    assert code == 1 and any("GL201 2004 not in fafetine2013" in x for x in out), out


def test_the_sources_are_read_as_their_formats(review: Path) -> None:
    r = run_cli(["trace", "--sources", "--no-cache"], review)
    assert r.code == 0, r.err
    heads = [x for x in r.out.splitlines() if not x.startswith(" ")]
    assert heads == [
        "sources/pntd.0002065.nxml: fafetine2013, jats, 263 lines",
        *(x for x in heads[1:] if x.startswith("sources/")),
    ]
    formats = sorted(x.split(", ")[1] for x in heads)
    assert formats == ["jats", "pdf", "pdf", "pdf", "pdf"]
    assert "  not evidence " in r.out and ": reference list" in r.out
