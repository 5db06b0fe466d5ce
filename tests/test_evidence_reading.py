"""How a reader ties a number to what it is about, on small texts of our own words modelled on
the ways published papers write (the train split of Citation-Integrity showed each one as a
false alarm): each mechanism has an accurate claim that must pass and, where the mechanism
could hide an error, a wrong claim that must still be caught.

Mechanisms tested here on real articles instead: tests/test_others_text.py (a table cell's
unit in its column header, a share computed from counts, a ratio of two percentages, the
passage holding the claim's other numbers, a year the source repeats, hedged lists).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Project, run_cli
from glutlint.words import stem


def _codes(tmp_path: Path, source: str, claim: str, kind: str, select: str) -> list[str]:
    p = Project(tmp_path)
    p.write(
        "pyproject.toml",
        '[tool.glutlint]\nmanuscript = "ms"\nbibliography = "refs.bib"\n'
        'sources = "src/sources.yaml"\n[tool.glutlint.profile]\nrequired_sections = []\n',
    )
    p.write(
        "refs.bib",
        "@article{src2019, author = {Ferreira, Ana}, year = {2019}, title = {A study},\n"
        "  file = {src/src2019.txt}}\n",
    )
    p.write("src/src2019.txt", source)
    p.write("src/sources.yaml", f"src2019:\n  kind: {kind}\n")
    p.write("ms/a.md", claim + "\n")
    r = run_cli(["check", "--no-cache", "--format", "json", "--select", select], tmp_path)
    assert r.code in (0, 1), r.err
    return [d["code"] for d in json.loads(r.out)]


# A bracket of numbers right after a number annotates it: the words after the bracket are
# the number's ("12.4% (95% CI 11.9-12.9) for any fracture").
ANNOTATED = """\
Fracture incidence in older women: a pooled analysis
Across 40 cohorts, the pooled incidence was 12.4% (95% CI 11.9-12.9) for any fracture, \
3.12% (3.01-3.24) for hip fracture, 2.87% (2.75-2.99) for vertebral fracture, and 5.6% \
(5.4-5.8) for wrist fracture.
Analyses confined to cohorts with radiographic confirmation showed a pooled incidence of \
13.0% for any fracture among women.
"""

# "The A and B of X were 4.7% and 2.1%": which number is which is given by order, not by
# nearness to the words before them; and a passage on what the claim gives its other number
# ("lifetime ... 1.5 to 9%") is not the subject of this one.
RESPECTIVELY = """\
Panic disorder in ten regions
The lifetime prevalence of panic disorder ranged from 1.5% in one region to 9.0% in another.
The average lifetime and 12-month prevalence estimates were 4.7% and 2.1% in high-income \
regions.
"""

# A threshold the claim's number meets says nothing against it.
THRESHOLD = """\
Methods of the microbiome survey
Clades were aligned against the reference database.
A multivariate linear model associated each clade with the metadata, and any variable \
selected in at least 1% of the boosting iterations was tested in a generalized linear model.
"""

# A name in most sentences of the source is its topic, and ties no number to a claim.
TOPIC = """\
Remdesivir for Covid-19: final report
In an open-label study of remdesivir in hospitalized patients with Covid-19 (83% were not \
receiving oxygen at baseline), clinical improvement was more likely with a 5-day course.
Patients with Covid-19 who received remdesivir recovered sooner than those given placebo.
We enrolled adults hospitalized with Covid-19 and lower respiratory tract infection.
The benefit persisted after adjustment for glucocorticoid use.
"""


@pytest.mark.parametrize(
    ("source", "kind", "claim", "select", "codes"),
    [
        (
            ANNOTATED,
            "full text",
            "Vertebral fracture is the most common osteoporotic fracture, with a pooled "
            "incidence of 2.87% among women [@src2019].",
            "GL201,GL203",
            [],
        ),
        (
            ANNOTATED,
            "full text",
            "Vertebral fracture is the most common osteoporotic fracture, with a pooled "
            "incidence of 3.12% among women [@src2019].",
            "GL201,GL203",
            ["GL203"],
        ),
        (
            RESPECTIVELY,
            "full text",
            "The lifetime prevalence of panic disorder ranges from 1.5 to 9% and its 12-month "
            "prevalence is about 2% worldwide [@src2019].",
            "GL201,GL203",
            [],
        ),
        (
            THRESHOLD,
            "abstract",
            "Clades were identified with 97% similarity by a multivariate linear model of the "
            "metadata [@src2019].",
            "GL201,GL203",
            [],
        ),
        (
            THRESHOLD,
            "full text",
            "Clades were identified with 97% similarity by a multivariate linear model of the "
            "metadata [@src2019].",
            "GL201,GL203",
            ["GL201"],  # a full text is held to what it says: 97% is in none of it
        ),
        (
            TOPIC,
            "abstract",
            "Remdesivir reduced mortality by 70% in hospitalized patients with Covid-19 and "
            "supplemental oxygen [@src2019].",
            "GL201,GL203",
            [],
        ),
    ],
)
def test_a_number_is_read_with_what_it_is_about(
    tmp_path: Path, source: str, kind: str, claim: str, select: str, codes: list[str]
) -> None:
    assert _codes(tmp_path, source, claim, kind, select) == codes


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("randomised", "randomized"),
        ("age-standardised", "age-standardized"),
        ("analysed", "analyzed"),
        ("tumours", "tumors"),
        ("behavioural", "behavioral"),
        ("oedema", "edema"),
        ("haemoglobin", "hemoglobin"),
        ("paediatric", "pediatric"),
        ("oesophageal", "esophageal"),
        ("diarrhoea", "diarrhea"),
    ],
)
def test_british_and_american_spellings_are_one_word(british: str, american: str) -> None:
    assert stem(british) == stem(american)


@pytest.mark.parametrize(("a", "b"), [("four", "for"), ("hour", "hor"), ("heroes", "heres")])
def test_short_and_plural_words_keep_their_letters(a: str, b: str) -> None:
    assert stem(a) != stem(b)


# A number the author computes from two numbers stated beside it is their arithmetic, checked
# as arithmetic; the two numbers are checked where they stand.
SHRUBS = """\
Arctic plant responses to warming
Graminoids had the highest share of positive responders in the long term (47%).
Shrubs had the lowest share of positive responders (17% in both periods).
"""


@pytest.mark.parametrize(
    ("ratio", "codes"),
    [("nearly three times", []), ("about 2.8 times", []), ("nearly five times", ["GL201"])],
)
def test_a_ratio_of_two_numbers_stated_beside_it_is_computed(
    tmp_path: Path, ratio: str, codes: list[str]
) -> None:
    claim = (
        "Shrubs had the fewest positive responders (17%) [@src2019]. In the long term, the "
        f"share among graminoids (47%) was {ratio} that among shrubs [@src2019]."
    )
    assert _codes(tmp_path, SHRUBS, claim, "full text", "GL201,GL203") == codes


def test_a_ratio_of_two_counts_the_claim_states_is_computed(tmp_path: Path) -> None:
    source = "Quinolones\nOfloxacin was given to 6,489 patients and later quinolones to 1,258.\n"
    good = "Ofloxacin went to 6,489 patients, roughly five times the 1,258 given later ones."
    bad = "Ofloxacin went to 6,489 patients, roughly eight times the 1,258 given later ones."
    assert _codes(tmp_path / "a", source, good + " [@src2019]", "full text", "GL201") == []
    assert _codes(tmp_path / "b", source, bad + " [@src2019]", "full text", "GL201") == ["GL201"]


def test_a_date_to_the_day_found_in_the_source_is_not_misplaced(tmp_path: Path) -> None:
    source = (
        "Lake sampling\nSampling occurred on Aug 23 2010.\n"
        "During August 2010, colour was measured in all lakes.\n"
    )
    claim = "Colour was measured in all lakes, with sampling on 23 August 2010 [@src2019]."
    assert _codes(tmp_path, source, claim, "full text", "GL201,GL203") == []


# A table cell takes the unit its row label names, and a cell may hold a spread after its
# number and a note mark ("340*", "58 (21)").
TABLE = """\
Table 1 Lake chemistry.

Variable | Lake A | Lake B

pH | 6.5 | 7.0

Fe coll [\u03bcg L -1] | 340* | 58 (21)
"""


def test_a_table_cell_takes_the_unit_of_its_row_label(tmp_path: Path) -> None:
    claim = "Colloidal iron was 340 µg/L in lake A and 58 µg/L in lake B [@src2019]."
    assert _codes(tmp_path, TABLE, claim, "full text", "GL201,GL203") == []
