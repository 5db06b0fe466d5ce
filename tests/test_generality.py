"""glutlint on a second, made-up project (tests/fixtures/othercorpus): a fictional statin,
velostatin (brand Veloxa, code VLX-12), another regulator (EMA), other indications and another
superseded statement. Everything the checks know comes from that folder's own bibliography,
sources, sidecar, lexicon and ledger: no drug, year or sentence of our corpus is built in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Project, run_cli

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "othercorpus"
MS = "manuscript/review.md"
HALDEN = "sources/halden2015.txt"
ORSINI = "sources/orsini2022.txt"
BRAM = "sources/bram2017.txt"


@pytest.fixture
def other(tmp_path: Path) -> Project:
    root = tmp_path / "othercorpus"
    shutil.copytree(FIXTURE, root)
    return Project(root)


def diags(p: Project, *args: str) -> list[dict]:
    r = run_cli(["check", "--format", "json", *args], p.root)
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def only(p: Project, code: str, text: str) -> list[dict]:
    """Write `text` as the whole manuscript and run one rule on it."""
    p.write(MS, text + "\n")
    found = diags(p, "--select", code)
    assert all(d["code"] == code for d in found), found
    return found


def col(text: str, needle: str) -> int:
    assert needle in text, (needle, text)
    return text.index(needle) + 1


def line_of(path: Path, needle: str) -> int:
    hits = [
        i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in s
    ]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


# ------------------------------------------------------------------------- the corpus itself


def test_the_fixture_shares_nothing_with_our_corpus() -> None:
    text = " ".join(
        p.read_text(encoding="utf-8").lower()
        for p in FIXTURE.rglob("*")
        if p.is_file() and ".glutlint_cache" not in p.parts  # the cache is not the fixture
    )
    for word in ("ketamine", "glutamat", "fda", "spravato", "depression", "sanacora"):
        assert word not in text, word


def test_the_shipped_manuscript_is_clean(other: Project) -> None:
    r = run_cli(["check"], other.root)
    assert (r.code, r.out) == (0, ""), r.out


def test_a_year_that_places_a_negative_statement_is_not_an_event_date(other: Project) -> None:
    text = (
        "As of 2015, no oral velostatin formulation had been authorised in the European Union "
        "[@halden2015]."
    )
    assert only(other, "GL301", text) == []


# ------------------------------------------------------------------------- GL201


def test_gl201_value_not_in_source(other: Project) -> None:
    text = "Velostatin lowered LDL cholesterol by 42% at 12 weeks [@halden2015]."
    [d] = only(other, "GL201", text)
    assert (d["path"], d["line"], d["column"]) == (MS, 1, col(text, "42%"))
    line = line_of(FIXTURE / HALDEN, "lowered LDL cholesterol by 38%")
    assert d["message"] == f"42% not in halden2015; it says 38% ({HALDEN}:{line})"


def test_gl201_furniture_is_not_evidence(other: Project) -> None:
    # 42% is on the "Related articles" line, which the sidecar excludes.
    assert "42%" in (FIXTURE / HALDEN).read_text(encoding="utf-8")
    [d] = only(other, "GL201", "Velostatin lowered LDL cholesterol by 42% [@halden2015].")
    assert d["message"].startswith("42% not in halden2015")


@pytest.mark.parametrize(
    "text",
    [
        "Velostatin 20 mg once daily lowered LDL cholesterol by 38% at 12 weeks [@halden2015].",
        "About 60% of patients reached their LDL cholesterol target at 24 weeks [@orsini2022].",
        "Tessamide was tested in 120 adults for 16 weeks [@bram2017].",
        "A 2022 review covered velostatin [@orsini2022].",
    ],
)
def test_gl201_passes_values_the_sources_give(other: Project, text: str) -> None:
    assert only(other, "GL201", text) == []


# ------------------------------------------------------------------------- GL202


def test_gl202_agent_not_in_source(other: Project) -> None:
    text = "Tessamide lowered LDL cholesterol in a phase 2 trial [@halden2015]."
    [d] = only(other, "GL202", text)
    assert (d["line"], d["column"], d["end_column"]) == (1, 1, 1 + len("Tessamide"))
    assert d["message"] == "'Tessamide' is not named in halden2015 (nor under any alias)"


def test_gl202_learns_the_code_alias_from_the_source(other: Project) -> None:
    # the lexicon knows only velostatin = Veloxa; "VLX-12" comes from "Velostatin (Veloxa®, VLX-12)"
    assert "VLX-12" not in (FIXTURE / "refs" / "lexicon.yaml").read_text(encoding="utf-8")
    [d] = only(other, "GL202", "VLX-12 lowered LDL cholesterol [@bram2017].")
    assert "'VLX-12'" in d["message"]


@pytest.mark.parametrize(
    "text",
    [
        "Tessamide lowered triglycerides in mixed dyslipidaemia [@bram2017].",
        "Veloxa is an oral statin with a long half-life [@orsini2022].",
        "VLX-12 was authorised by the EMA [@orsini2022].",
        "TSX-41 was compared with placebo [@bram2017].",
        "Velostatin and tessamide act on lipids [@halden2015; @bram2017].",
    ],
)
def test_gl202_passes_names_and_aliases(other: Project, text: str) -> None:
    assert only(other, "GL202", text) == []


# ------------------------------------------------------------------------- GL203


def test_gl203_value_about_something_else(other: Project) -> None:
    text = "Myalgia was reported by 38% of patients taking velostatin [@halden2015]."
    [d] = only(other, "GL203", text)
    assert (d["line"], d["column"]) == (1, col(text, "38%"))
    line = line_of(FIXTURE / HALDEN, "Myalgia was reported by 12%")
    assert "about something else" in d["message"] and "halden2015" in d["message"]
    assert f"12% ({HALDEN}:{line})" in d["message"]


def test_gl203_passes_the_value_about_the_same_thing(other: Project) -> None:
    text = "Myalgia was reported by 12% of patients taking velostatin [@halden2015]."
    assert only(other, "GL203", text) == []


# ------------------------------------------------------------------------- GL301


def test_gl301_wrong_year(other: Project) -> None:
    text = (
        "The EMA authorised velostatin for heterozygous familial hypercholesterolaemia in 2019 "
        "[@orsini2022]."
    )
    [d] = only(other, "GL301", text)
    assert (d["line"], d["column"]) == (1, col(text, "2019"))
    msg = d["message"]
    assert msg.startswith("2019 contradicts the facts ledger")
    assert "velostatin-ema-hefh" in msg and "2018" in msg and "orsini2022" in msg


def test_gl301_the_year_of_the_event_before_a_report_verb(other: Project) -> None:
    text = "Velostatin, authorised in 2019 for HeFH, was described as well tolerated [@orsini2022]."
    [d] = only(other, "GL301", text)
    assert d["column"] == col(text, "2019") and "velostatin-ema-hefh" in d["message"]


def test_gl301_dates_swapped_between_two_indications(other: Project) -> None:
    text = (
        "Velostatin was authorised in 2020 for heterozygous familial hypercholesterolaemia and "
        "in 2018 for mixed dyslipidaemia [@orsini2022]."
    )
    found = only(other, "GL301", text)
    assert [(d["column"], d["message"].split(":")[0]) for d in found] == [
        (col(text, "2020"), "2020 contradicts the facts ledger"),
        (col(text, "2018"), "2018 contradicts the facts ledger"),
    ]
    assert "velostatin-ema-hefh" in found[0]["message"]
    assert "velostatin-ema-mixed" in found[1]["message"]


@pytest.mark.parametrize(
    "text",
    [
        "Velostatin was authorised in 2018 for heterozygous familial hypercholesterolaemia and "
        "in 2020 for mixed dyslipidaemia [@orsini2022].",
        "The European Medicines Agency authorised Veloxa for HeFH in 2018 [@orsini2022].",
        "Velostatin has been authorised for mixed dyslipidaemia since 2020 [@orsini2022].",
        # the year dates the description, not the authorisation
        "In 2022, velostatin was described as authorised for HeFH [@orsini2022].",
    ],
)
def test_gl301_passes_dates_that_agree(other: Project, text: str) -> None:
    assert only(other, "GL301", text) == []


# ------------------------------------------------------------------------- GL401


@pytest.mark.parametrize(
    "text",
    [
        "No oral velostatin formulation has been authorised in the European Union [@halden2015].",
        "Currently, velostatin is not authorised in the European Union [@halden2015].",
        "To date, no oral formulation of velostatin has received marketing authorisation "
        "[@halden2015].",
    ],
    ids=["present-perfect", "currently", "to-date"],
)
def test_gl401_superseded_statement_stated_as_current(other: Project, text: str) -> None:
    [d] = only(other, "GL401", text)
    assert d["line"] == 1
    msg = d["message"]
    assert "outdated claim" in msg and "2015-06-01" in msg and "halden2015" in msg
    assert "superseded by" in msg and "2018" in msg and "orsini2022" in msg


@pytest.mark.parametrize(
    "text",
    [
        "As of 2015, no oral velostatin formulation had been authorised in the European Union "
        "[@halden2015].",
        "Until 2018, velostatin had not been authorised in the European Union "
        "[@halden2015; @orsini2022].",
        "In 2015, no oral velostatin formulation had yet been authorised [@halden2015].",
    ],
    ids=["as-of", "until", "in-year-yet"],
)
def test_gl401_passes_the_statement_placed_in_its_time(other: Project, text: str) -> None:
    assert only(other, "GL401", text) == []


def test_gl401_a_time_it_no_longer_held_fails(other: Project) -> None:
    text = "As of 2021, no oral velostatin formulation had been authorised [@halden2015]."
    [d] = only(other, "GL401", text)
    assert "2021" in d["message"]


@pytest.mark.parametrize(
    "text",
    [
        "Velostatin is authorised as an adjunct to diet [@orsini2022].",
        "Currently, Veloxa is approved only as add-on therapy alongside diet [@orsini2022].",
        "As of 2025, velostatin is authorised as an adjunct to diet [@orsini2022].",
        "The 2022 review said velostatin is authorised as an adjunct to diet, which remains "
        "true today [@orsini2022].",
    ],
    ids=["undated", "currently", "later-than-known", "source-year-but-today"],
)
def test_gl401_time_bound_statement_stated_without_its_time(other: Project, text: str) -> None:
    [d] = only(other, "GL401", text)
    msg = d["message"]
    assert msg.startswith("time-bound claim")
    assert "2022-03-01" in msg and "orsini2022" in msg and "velostatin-adjunct-2022" in msg
    assert "superseded" not in msg
    assert d["column"] == text.lower().index("velo") + 1
    if "2025" in text:
        assert "(as of 2025)" in msg


@pytest.mark.parametrize(
    "text",
    [
        "As of 2022, velostatin was authorised as an adjunct to diet [@orsini2022].",
        "In 2022 labelling, velostatin was authorised as an adjunct to diet [@orsini2022].",
        "The 2022 review described velostatin as authorised as an adjunct to diet [@orsini2022].",
        # no qualifier: another statement, which the ledger dates by itself (GL301)
        "Velostatin was authorised by the EMA in 2018 for HeFH [@orsini2022].",
    ],
    ids=["as-of", "in-year-labelling", "dated-source", "not-the-statement"],
)
def test_gl401_time_bound_statement_placed_in_its_time(other: Project, text: str) -> None:
    assert only(other, "GL401", text) == []


def test_gl401_a_dated_source_places_a_superseded_statement(other: Project) -> None:
    text = "The 2015 report said no oral velostatin formulation has been authorised [@halden2015]."
    assert only(other, "GL401", text) == []
    still = text.replace("has been", "has still not been")
    assert len(only(other, "GL401", still)) == 1


@pytest.mark.parametrize(
    ("line", "edited", "why"),
    [
        (
            "      qualifier: adjunct",
            "      qualifier: [adjunct]",
            "statement qualifier must be text",
        ),
        ("    as_of: 2022-03-01", None, "a statement needs as_of"),
    ],
    ids=["qualifier-not-text", "no-as-of"],
)
def test_ledger_statement_errors(other: Project, line: str, edited: str | None, why: str) -> None:
    facts = other.root / "refs" / "facts.yaml"
    lines = facts.read_text(encoding="utf-8").splitlines()
    at = lines.index(line, lines.index("  - id: velostatin-adjunct-2022"))
    if edited is None:
        del lines[at]  # the error is then reported at the statement it leaves undated
        at = lines.index("    statement:", at)
    else:
        lines[at] = edited
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run_cli(["check"], other.root)
    assert r.code == 2 and r.out == "" and "Traceback" not in r.err
    assert r.err.startswith(f"refs/facts.yaml:{at + 1}:"), r.err
    assert "velostatin-adjunct-2022" in r.err and why in r.err
    assert "Traceback" not in r.err


# ------------------------------------------------------------------------- GL402


def test_gl402_current_claim_on_an_older_source(other: Project) -> None:
    text = "To date, velostatin has shown good tolerability [@halden2015]."
    [d] = only(other, "GL402", text)
    assert (d["line"], d["column"], d["severity"]) == (1, 1, "warning")
    msg = d["message"]
    assert "2015" in msg and "orsini2022" in msg and "2022" in msg and "velostatin" in msg


@pytest.mark.parametrize(
    "text",
    [
        "As of 2015, velostatin had shown good tolerability [@halden2015].",
        "To date, velostatin has shown good tolerability [@orsini2022].",
        "To date, tessamide has been tested only against placebo [@bram2017].",
    ],
)
def test_gl402_passes(other: Project, text: str) -> None:
    assert only(other, "GL402", text) == []


# ------------------------------------------------------------------------- GL502


def test_gl502_passes_the_shipped_ledger(other: Project) -> None:
    assert diags(other, "--select", "GL502") == []


def test_gl502_quote_not_in_source_and_as_of_not_stated(other: Project) -> None:
    facts = other.root / "refs" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace(
        "in 2018 for adults with heterozygous", "in 2017 for adults with heterozygous"
    )
    text = text.replace("as_of: 2015-06-01", "as_of: 2013-06-01")
    facts.write_text(text, encoding="utf-8")
    found = diags(other, "--select", "GL502")
    lines = text.splitlines()
    quote_line = next(i for i, s in enumerate(lines, 1) if "in 2017 for adults" in s)
    date_line = next(i for i, s in enumerate(lines, 1) if s.strip() == "date: 2018")
    as_of_line = next(i for i, s in enumerate(lines, 1) if "as_of: 2013-06-01" in s)
    got = [(d["path"], d["line"], d["column"]) for d in found]
    assert got == [
        ("refs/facts.yaml", quote_line, 1),
        ("refs/facts.yaml", date_line, 1),
        ("refs/facts.yaml", as_of_line, 1),
    ]
    assert "velostatin-ema-hefh" in found[0]["message"] and "orsini2022" in found[0]["message"]
    assert "not found" in found[0]["message"]
    assert "2018" in found[1]["message"] and "not in its quote" in found[1]["message"]
    assert "no-oral-velostatin-2015" in found[2]["message"]
    assert "2013-06-01" in found[2]["message"] and "halden2015" in found[2]["message"]
