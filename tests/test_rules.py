"""Every rule through the real CLI on real files: a failing and a passing case for each code,
with the line, the column and what the message promises; then exit codes, output formats,
`explain`, and one-line input errors."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from conftest import SEED_BIB, Project, Result, run_cli
from glutlint.rules import REGISTRY

MCINTYRE = "seeds/000_a568ac835381dff8.txt"
SANACORA = "seeds/004_f7be47b46469de80.txt"
MS = "manuscript/ms.md"
FIELDS = ["path", "line", "column", "end_line", "end_column", "code", "severity", "message"]


def diags(p: Project, *args: str) -> list[dict]:
    """`glutlint check --format json ARGS` in the project; the parsed diagnostics."""
    r = run_cli(["check", "--format", "json", *args], p.root)
    assert r.code in (0, 1), r.err
    assert "Traceback" not in r.err
    return json.loads(r.out)


def only(p: Project, code: str, *args: str) -> list[dict]:
    """The diagnostics of one rule, run alone with --select."""
    found = diags(p, "--select", code, *args)
    assert all(d["code"] == code for d in found), found
    return found


def col(line: str, needle: str) -> int:
    """1-based column of `needle` in `line`."""
    assert needle in line, (needle, line)
    return line.index(needle) + 1


def bib_line(bib: str, needle: str) -> int:
    hits = [i for i, s in enumerate(bib.splitlines(), 1) if needle in s]
    assert hits, needle
    return hits[0]


def full_manuscript(body: str = "") -> str:
    """A manuscript with every section the default profile requires and 3 key points."""
    return (
        textwrap.dedent(
            """
        # Key Points

        - Ketamine is an NMDA receptor antagonist [@sanacora2008].
        - Esketamine was approved by the FDA in 2019 [@mcintyre2024].
        - Riluzole is approved for amyotrophic lateral sclerosis [@sanacora2008].

        # Introduction

        Glutamate is the most abundant neurotransmitter [@mcintyre2024].
        """
        ).lstrip("\n")
        + body
        + textwrap.dedent(
            """
        # Conclusions

        In our view, the field has moved from hypothesis to clinical use.

        # Declarations

        None.

        # References
        """
        )
    )


# ------------------------------------------------------------------------- GL001


def test_gl001_reports_a_suppression_that_suppresses_nothing(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        <!-- glutlint: disable-next-line GL201 -->
        Ketamine is an NMDA receptor antagonist [@sanacora2008].
        """,
    )
    found = diags(seeded, "--select", "GL001,GL201")
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("GL001", 1, 1)]
    assert found[0]["severity"] == "warning"
    assert "GL201" in found[0]["message"] and "suppresses nothing" in found[0]["message"]


def test_gl001_is_silent_when_the_suppression_is_used(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        <!-- glutlint: disable-next-line GL201 -->
        Esketamine was approved by the FDA in 2018 [@mcintyre2024].
        """,
    )
    assert diags(seeded, "--select", "GL001,GL201") == []


# ------------------------------------------------------------------------- GL101


def test_gl101_unknown_key_with_suggestion(seeded: Project) -> None:
    text = "Esketamine was approved in 2019 [@mcintyre2042]."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL101")
    assert (d["path"], d["line"], d["column"]) == (MS, 1, col(text, "@mcintyre2042"))
    assert d["end_column"] == col(text, "@mcintyre2042") + len("@mcintyre2042")
    assert "'mcintyre2042'" in d["message"] and "did you mean 'mcintyre2024'?" in d["message"]


def test_gl101_known_key_passes(seeded: Project) -> None:
    seeded.write(MS, "Esketamine was approved in 2019 [@mcintyre2024].\n")
    assert only(seeded, "GL101") == []


# ------------------------------------------------------------------------- GL102


def test_gl102_each_sentence_needs_its_own_citation(seeded: Project) -> None:
    text = (
        "Ketamine is an NMDA receptor antagonist [@sanacora2008]. Riluzole is approved for "
        "ALS. It may have antidepressant effects [@sanacora2008]."
    )
    seeded.write(MS, "# Introduction\n\n" + text + "\n")
    [d] = only(seeded, "GL102")
    assert (d["line"], d["column"]) == (3, col(text, "Riluzole"))
    assert d["severity"] == "error"
    assert "without a citation" in d["message"] and "Riluzole" in d["message"]


def test_gl102_states_the_value_of_an_uncited_number(seeded: Project) -> None:
    text = "The lifetime risk of any mood disorder in the United States is 20.8%."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL102")
    assert (d["line"], d["column"]) == (1, 1)
    assert "20.8%" in d["message"]


def test_gl102_passes_cited_claims_and_sentences_that_are_not_claims(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        # Introduction

        Riluzole is approved for ALS [@sanacora2008]. It may have antidepressant
        effects [@sanacora2008].

        In our view, ketamine changed the field. We review 5 sources in Table 1.

        # References

        Sanacora G, et al. 2008;7(5):426-437.
        """,
    )
    assert only(seeded, "GL102") == []


# ------------------------------------------------------------------------- GL105


def test_gl105_reports_raw_output_that_carries_text(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        Ketamine acts fast [@sanacora2008].

        ```{=typst}
        A claim nobody checks.
        ```

        A sentence with `an inline claim`{=openxml} in it [@sanacora2008].

        <pre>A preformatted claim.</pre>
        """,
    )
    found = [(d["line"], d["column"], d["message"]) for d in only(seeded, "GL105")]
    assert [(line, column) for line, column, _ in found] == [(3, 1), (7, 17), (9, 1)]
    assert "raw typst block" in found[0][2] and "raw openxml inline" in found[1][2]
    assert "raw html block" in found[2][2]


def test_gl105_passes_markup_comments_and_suppressed_layout(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        <details>
        <summary>Summary</summary>
        Ketamine acts fast [@sanacora2008].
        </details>

        <!-- a comment is never rendered -->

        <!-- glutlint: disable-next-line GL105 -->
        ```{=typst}
        #pagebreak()
        ```
        """,
    )
    assert only(seeded, "GL105") == []


# ------------------------------------------------------------------------- GL106


def test_gl106_reports_a_printed_number_the_rules_cannot_read(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        Ketamine acted within $2$ hours [@sanacora2008].

        The lifetime risk was 2<!-- -->0.8% [@sanacora2008].
        """,
    )
    found = [(d["line"], d["message"].split()[0]) for d in only(seeded, "GL106")]
    assert found == [(1, "'2'"), (3, "'20.8'")]


def test_gl106_passes_numbers_written_as_text(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        Ketamine acted within 2 hours [@sanacora2008, p. 11].[^1]

        The lifetime risk was 20.8% in 10^6^ people [@sanacora2008].

        [^1]: A note of 3 words.
        """,
    )
    assert only(seeded, "GL106") == []


# ------------------------------------------------------------------------- GL103


def test_gl103_reports_each_uncited_entry_at_its_line(seeded: Project) -> None:
    seeded.write(MS, "Glutamate is the most abundant neurotransmitter [@mcintyre2024].\n")
    found = only(seeded, "GL103")
    uncited = ["pedersen2017", "kadriu2019", "henter2021", "sanacora2008"]
    assert [(d["path"], d["line"], d["column"]) for d in found] == [
        ("refs/references.bib", bib_line(SEED_BIB, "{" + k + ","), 1) for k in uncited
    ]
    for d, key in zip(found, uncited, strict=True):
        assert f"'{key}'" in d["message"] and "never cited" in d["message"]
        assert d["severity"] == "warning"


def test_gl103_passes_when_every_entry_is_cited(seeded: Project) -> None:
    seeded.write(
        MS,
        "Ketamine has rapid effects [@mcintyre2024; @pedersen2017; @kadriu2019; "
        "@henter2021; @sanacora2008].\n",
    )
    assert only(seeded, "GL103") == []


def test_gl103_does_not_run_on_part_of_the_manuscript(seeded: Project) -> None:
    seeded.write("manuscript/a.md", "Ketamine has rapid effects [@mcintyre2024].\n")
    seeded.write("manuscript/b.md", "Ketamine has rapid effects [@sanacora2008].\n")
    assert only(seeded, "GL103", "manuscript/a.md") == []


# ------------------------------------------------------------------------- GL104


NO_FILE_ENTRY = """
@article{smith2020,
  author = {Smith, Jane},
  title  = {A Review Without Text},
  year   = {2020}
}
"""


def test_gl104_cited_entry_without_source_text(seeded: Project) -> None:
    bib = SEED_BIB + NO_FILE_ENTRY
    (seeded.root / "refs" / "references.bib").write_text(bib, encoding="utf-8")
    seeded.write(MS, "Ketamine has rapid effects [@smith2020].\n")
    [d] = only(seeded, "GL104")
    assert (d["path"], d["line"], d["column"]) == (
        "refs/references.bib",
        bib_line(bib, "{smith2020,"),
        1,
    )
    assert "'smith2020'" in d["message"] and "file" in d["message"]
    assert d["severity"] == "warning"


def test_gl104_passes_entries_with_text_and_uncited_entries(seeded: Project) -> None:
    (seeded.root / "refs" / "references.bib").write_text(SEED_BIB + NO_FILE_ENTRY, "utf-8")
    seeded.write(MS, "Ketamine has rapid effects [@sanacora2008].\n")
    assert only(seeded, "GL104") == []


# ------------------------------------------------------------------------- GL201


def test_gl201_names_value_key_and_what_the_source_says(seeded: Project) -> None:
    text = "Esketamine was approved by the FDA in 2018 [@mcintyre2024]."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL201")
    assert (d["path"], d["line"], d["column"]) == (MS, 1, col(text, "2018"))
    assert (d["end_line"], d["end_column"]) == (1, col(text, "2018") + 4)
    assert d["message"].startswith("2018 not in mcintyre2024")
    assert f"it says 2019 ({MCINTYRE}:51)" in d["message"]


def test_gl201_underlines_the_whole_hedged_value(seeded: Project) -> None:
    text = "Since 2000, about 30 glutamate-targeted medicines have been tested [@mcintyre2024]."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL201")
    assert d["column"] == col(text, "about 30")
    assert d["end_column"] == col(text, "about 30") + len("about 30")
    assert "about 30 not in mcintyre2024" in d["message"]
    assert f"about 20 ({MCINTYRE}:74)" in d["message"]


def test_gl201_on_the_second_line_of_a_paragraph(seeded: Project) -> None:
    seeded.write(
        MS,
        """
        Ketamine is an NMDA receptor antagonist [@sanacora2008]. In the first open-label
        riluzole study, 56% of trial completers met response criteria [@sanacora2008].
        """,
    )
    [d] = only(seeded, "GL201")
    assert (d["line"], d["column"]) == (2, col("riluzole study, 56% of", "56%"))
    assert "56% not in sanacora2008" in d["message"]
    assert f"46% ({SANACORA}:673)" in d["message"]


@pytest.mark.parametrize(
    "claim",
    [
        "Esketamine was approved by the FDA in 2019 [@mcintyre2024].",
        "Seventy-one percent of subjects met response criteria [@sanacora2008].",
        "In STAR\\*D, 71% of subjects is not the point; fewer than one-third of patients "
        "remitted after up to 14 weeks [@sanacora2008].",
        "The lifetime risk of any mood disorder in the United States is about 21% [@sanacora2008].",
        "A 2021 review covered rapastinel (GLYX-13) [@henter2021].",
        "Ketamine was given at 0.5 mg/kg over 40 minutes [@sanacora2008].",
        "Dextromethorphan-bupropion was approved before 2023 [@mcintyre2024].",
    ],
)
def test_gl201_passes_values_the_sources_give(seeded: Project, claim: str) -> None:
    seeded.write(MS, claim + "\n")
    assert only(seeded, "GL201") == []


def test_gl201_several_citations_support_a_claim_together(seeded: Project) -> None:
    seeded.write(
        MS,
        "Esketamine was approved in 2019, and 46% of riluzole completers responded "
        "[@mcintyre2024; @sanacora2008].\n",
    )
    assert only(seeded, "GL201") == []


# ------------------------------------------------------------------------- GL202


def test_gl202_agent_not_named_in_the_cited_source(seeded: Project) -> None:
    text = "Riluzole showed antidepressant effects [@henter2021]."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL202")
    assert (d["path"], d["line"], d["column"]) == (MS, 1, 1)
    assert d["end_column"] == 1 + len("Riluzole")
    assert "'Riluzole'" in d["message"] and "henter2021" in d["message"]


@pytest.mark.parametrize(
    "claim",
    [
        "Riluzole showed antidepressant effects [@sanacora2008].",
        "Spravato is given nasally under medical supervision [@mcintyre2024].",
        "Auvelity is taken as a tablet [@mcintyre2024].",
        "AXS-05 is an approved monotherapy for MDD [@mcintyre2024].",
        "GLYX-13 is a glycine site modulator [@henter2021].",
    ],
)
def test_gl202_passes_names_and_aliases_the_source_gives(seeded: Project, claim: str) -> None:
    seeded.write(MS, claim + "\n")
    assert only(seeded, "GL202") == []


# ------------------------------------------------------------------------- GL203


def test_gl203_value_taken_from_another_finding(seeded: Project) -> None:
    text = "Remission was reached by 35% of patients at 24 hours [@sanacora2008]."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL203")
    assert (d["path"], d["line"], d["column"]) == (MS, 1, col(text, "35%"))
    msg = d["message"]
    assert "35%" in msg and "sanacora2008" in msg and "about something else" in msg
    assert f"{SANACORA}:870" in msg  # where 35% is: maintained response at 1 week
    assert "29%" in msg and f"{SANACORA}:868" in msg  # what it says about remission


def test_gl203_passes_the_value_about_the_same_thing(seeded: Project) -> None:
    seeded.write(MS, "Remission was reached by 29% of patients at 24 hours [@sanacora2008].\n")
    assert only(seeded, "GL203") == []


# ------------------------------------------------------------------------- GL301


def test_gl301_dates_swapped_between_indications(seeded: Project) -> None:
    text = (
        "Esketamine was approved in 2020 for treatment-resistant depression and in 2019 "
        "for MDD with acute suicidal ideation [@mcintyre2024]."
    )
    seeded.write(MS, text + "\n")
    found = only(seeded, "GL301")
    assert [(d["line"], d["column"]) for d in found] == [
        (1, col(text, "2020")),
        (1, col(text, "2019")),
    ]
    first, second = (d["message"] for d in found)
    assert first.startswith("2020 contradicts the facts ledger")
    assert "2019" in first and "esketamine-fda-trd" in first and "mcintyre2024" in first
    assert second.startswith("2019 contradicts the facts ledger")
    assert "2020" in second and "esketamine-fda-suicidal" in second


def test_gl301_wrong_year_even_when_the_source_does_not_give_it(seeded: Project) -> None:
    text = (
        "Esketamine was approved by the FDA for treatment-resistant depression in 2021 "
        "[@henter2021]."
    )
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL301")
    assert d["column"] == col(text, "2021")
    assert "esketamine-fda-trd" in d["message"] and "2019" in d["message"]


@pytest.mark.parametrize(
    "claim",
    [
        "Esketamine was approved in 2019 for treatment-resistant depression and in 2020 "
        "for MDD with acute suicidal ideation or behavior [@mcintyre2024].",
        "Esketamine has been approved for treatment-resistant depression since 2019 "
        "[@mcintyre2024].",
        "Dextromethorphan-bupropion was approved before 2023 [@mcintyre2024].",
        "A 2024 review described the 2022 approval of dextromethorphan-bupropion [@mcintyre2024].",
    ],
)
def test_gl301_passes_dates_that_agree_with_the_ledger(seeded: Project, claim: str) -> None:
    seeded.write(MS, claim + "\n")
    assert only(seeded, "GL301") == []


# ------------------------------------------------------------------------- GL401


def test_gl401_superseded_statement_stated_as_current(seeded: Project) -> None:
    text = "No glutamate modulator has been approved for depression [@pedersen2017]."
    seeded.write(MS, text + "\n")
    [d] = only(seeded, "GL401")
    assert (d["path"], d["line"], d["column"]) == (MS, 1, col(text, "glutamate modulator"))
    msg = d["message"]
    assert "outdated" in msg and "2017" in msg and "pedersen2017" in msg
    assert "superseded by" in msg and "2019" in msg and "mcintyre2024" in msg


@pytest.mark.parametrize(
    "claim",
    [
        "Currently, no glutamatergic antidepressant is approved [@pedersen2017].",
        "To date, no glutamate-based treatment has received regulatory approval [@pedersen2017].",
        "As of 2021, no glutamate modulator had been approved [@pedersen2017].",
    ],
)
def test_gl401_other_wordings_fail(seeded: Project, claim: str) -> None:
    seeded.write(MS, claim + "\n")
    assert [d["line"] for d in only(seeded, "GL401")] == [1]


@pytest.mark.parametrize(
    "claim",
    [
        "As of 2017, no glutamate modulator had been approved for depression [@pedersen2017].",
        "Until 2019, no glutamate modulator had been approved [@pedersen2017; @mcintyre2024].",
        "In 2017, no glutamate modulator had yet been approved [@pedersen2017].",
        "Two glutamate-targeted antidepressants are approved [@mcintyre2024].",
    ],
)
def test_gl401_passes_statements_placed_in_their_time(seeded: Project, claim: str) -> None:
    seeded.write(MS, claim + "\n")
    assert only(seeded, "GL401") == []


@pytest.mark.parametrize(
    ("claim", "fails"),
    [
        ("Esketamine is approved for the adjunctive treatment of MDD [@mcintyre2024].", True),
        ("Spravato is licensed only as an add-on treatment [@mcintyre2024].", True),
        (
            "In 2024 labelling, esketamine was approved as adjunctive treatment [@mcintyre2024].",
            False,
        ),
        (
            "The 2024 review described esketamine as approved for adjunctive treatment "
            "[@mcintyre2024].",
            False,
        ),
    ],
)
def test_gl401_guards_the_2024_adjunctive_wording(seeded: Project, claim: str, fails: bool) -> None:
    """The ledger dates the 2024 labelling; the sources hold nothing later, so it must be dated."""
    seeded.write(MS, claim + "\n")
    found = only(seeded, "GL401")
    assert [d["message"].startswith("time-bound claim") for d in found] == ([True] if fails else [])


# ------------------------------------------------------------------------- GL402


def test_gl402_current_claim_on_an_older_source(seeded: Project) -> None:
    text = "To date, esketamine has shown rapid effects [@henter2021]."
    seeded.write(MS, text + "\n")
    r = run_cli(["check", "--select", "GL402"], seeded.root)
    assert r.code == 0  # a warning does not fail the check
    [d] = only(seeded, "GL402")
    assert (d["line"], d["column"], d["end_column"]) == (1, 1, 1 + len("To date"))
    assert d["severity"] == "warning"
    assert "mcintyre2024" in d["message"] and "2024" in d["message"]
    assert "esketamine" in d["message"] and "2021" in d["message"]


@pytest.mark.parametrize(
    "claim",
    [
        "As of 2021, esketamine had shown rapid effects [@henter2021].",
        "To date, esketamine has been approved for adults [@mcintyre2024].",
    ],
)
def test_gl402_passes_claims_in_their_time_or_on_the_newest_source(
    seeded: Project, claim: str
) -> None:
    seeded.write(MS, claim + "\n")
    assert only(seeded, "GL402") == []


# ------------------------------------------------------------------------- GL501


def test_gl501_doi_disagrees_with_the_source_text(seeded: Project) -> None:
    bib = SEED_BIB.replace("10.1007/s40263-024-01114-y}", "10.1007/s40263-024-01114-x}")
    assert bib != SEED_BIB
    (seeded.root / "refs" / "references.bib").write_text(bib, encoding="utf-8")
    seeded.write(MS, "Glutamate is the most abundant neurotransmitter [@mcintyre2024].\n")
    [d] = only(seeded, "GL501")
    assert (d["path"], d["line"], d["column"]) == (
        "refs/references.bib",
        bib_line(bib, "01114-x}"),
        1,
    )
    msg = d["message"]
    assert "mcintyre2024" in msg and "doi" in msg
    assert "10.1007/s40263-024-01114-x" in msg and "10.1007/s40263-024-01114-y" in msg


def test_gl501_passes_the_real_bibliography(seeded: Project) -> None:
    seeded.write(MS, "Glutamate is the most abundant neurotransmitter [@mcintyre2024].\n")
    assert only(seeded, "GL501") == []


# ------------------------------------------------------------------------- GL502


def test_gl502_quote_not_in_source_and_date_not_in_quote(seeded: Project) -> None:
    facts = seeded.root / "refs" / "facts.yaml"
    original = facts.read_text(encoding="utf-8")
    old = (
        '"Nasal administration of esketamine (Spravato®) was approved by the US Food and '
        'Drug Administration (FDA) in 2019 to treat adults with treatment-resistant depression"'
    )
    assert old in original
    text = original.replace(old, '"esketamine was approved in 2018"')
    facts.write_text(text, encoding="utf-8")
    seeded.write(MS, "Glutamate is the most abundant neurotransmitter [@mcintyre2024].\n")
    found = only(seeded, "GL502")
    quote_line = bib_line(text, "esketamine was approved in 2018")
    date_line = next(
        i
        for i, s in enumerate(text.splitlines(), 1)
        if i > quote_line and s.strip() == "date: 2019"
    )
    assert [(d["path"], d["line"], d["column"]) for d in found] == [
        ("refs/facts.yaml", quote_line, 1),
        ("refs/facts.yaml", date_line, 1),
    ]
    assert "esketamine-fda-trd" in found[0]["message"] and "not found" in found[0]["message"]
    assert "mcintyre2024" in found[0]["message"]
    assert "2019" in found[1]["message"] and "not in its quote" in found[1]["message"]


def test_gl502_passes_the_real_ledger(seeded: Project) -> None:
    seeded.write(MS, "Glutamate is the most abundant neurotransmitter [@mcintyre2024].\n")
    assert only(seeded, "GL502") == []


# ------------------------------------------------------------------------- GL601


def test_gl601_missing_required_section(seeded: Project) -> None:
    ms = full_manuscript().replace("# Conclusions\n", "# Summary\n")
    seeded.write(MS, ms)
    [d] = only(seeded, "GL601")
    assert (d["path"], d["line"], d["column"]) == (MS, 1, 1)
    assert "'Conclusions'" in d["message"] and "missing" in d["message"]


def test_gl601_passes_with_every_section_in_any_case_and_level(seeded: Project) -> None:
    ms = full_manuscript().replace("# Conclusions\n", "## CONCLUSIONS\n")
    seeded.write(MS, ms)
    assert only(seeded, "GL601") == []


def test_gl601_abstract_is_satisfied_by_metadata(seeded: Project) -> None:
    (seeded.root / "pyproject.toml").write_text(
        (seeded.root / "pyproject.toml").read_text(encoding="utf-8")
        + '\n[tool.glutlint.profile]\nrequired_sections = ["Abstract", "Introduction"]\n',
        encoding="utf-8",
    )
    seeded.write(MS, "---\nabstract: |\n  A short abstract.\n---\n\n# Introduction\n\nText.\n")
    assert only(seeded, "GL601") == []
    seeded.write(MS, "# Introduction\n\nText.\n")
    [d] = only(seeded, "GL601")
    assert "'Abstract'" in d["message"]


# ------------------------------------------------------------------------- GL602


def _abstract(words: int, extra: str = "") -> str:
    body = " ".join(["glutamate"] * words)
    return f"---\ntitle: A review\nabstract: |\n  {body}{extra}\n---\n\n# Introduction\n\nText.\n"


def test_gl602_abstract_over_the_limit(seeded: Project) -> None:
    seeded.write(MS, _abstract(260))
    [d] = only(seeded, "GL602")
    assert (d["path"], d["line"], d["column"]) == (MS, 4, 3)
    assert "260 words" in d["message"] and "250" in d["message"]


def test_gl602_citations_and_hyphenated_words_are_counted_as_journals_do(
    seeded: Project,
) -> None:
    seeded.write(MS, _abstract(249, " glutamate-targeted [@mcintyre2024]."))
    assert only(seeded, "GL602") == []


# ------------------------------------------------------------------------- GL603


def test_gl603_heading_level_skipped(seeded: Project) -> None:
    seeded.write(MS, "# Methods\n\n### Search\n\nText.\n")
    [d] = only(seeded, "GL603")
    assert (d["path"], d["line"], d["column"]) == (MS, 3, 1)
    assert d["severity"] == "warning"
    assert "level 3" in d["message"] and "level 1" in d["message"]


def test_gl603_passes_one_level_at_a_time(seeded: Project) -> None:
    seeded.write(MS, "# Methods\n\n## Search\n\n### Terms\n\n# Results\n\nText.\n")
    assert only(seeded, "GL603") == []


# ------------------------------------------------------------------------- GL604


TABLE = """
Table: Early glutamatergic candidates [@sanacora2008].

| Agent | Mechanism |
|---|---|
| Riluzole | inhibits glutamate release |
"""


def test_gl604_table_never_referred_to(seeded: Project) -> None:
    seeded.write(MS, "# Results\n\nThe candidates differ in mechanism.\n" + TABLE)
    [d] = only(seeded, "GL604")
    assert (d["path"], d["line"]) == (MS, 7)
    assert d["column"] in (1, 3)  # the table row, or its first cell
    assert d["message"] == "Table 1 is never referred to in the text"


def test_gl604_passes_when_the_prose_refers_to_the_table(seeded: Project) -> None:
    seeded.write(MS, "# Results\n\nTable 1 lists the candidates.\n" + TABLE)
    assert only(seeded, "GL604") == []


# ------------------------------------------------------------------------- GL605


def test_gl605_placeholders(seeded: Project) -> None:
    text = "Response rates were ?? percent [citation needed]. TODO: add the 2019 data."
    seeded.write(MS, "# Results\n\n" + text + "\n")
    found = only(seeded, "GL605")
    assert [(d["line"], d["column"]) for d in found] == [
        (3, col(text, "??")),
        (3, col(text, "[citation needed]")),
        (3, col(text, "TODO")),
    ]
    assert "'??'" in found[0]["message"]
    assert "[citation needed]" in found[1]["message"]
    assert "'TODO'" in found[2]["message"]


def test_gl605_passes_ordinary_prose_and_comments(seeded: Project) -> None:
    seeded.write(
        MS,
        "# Results\n\nMuch remains to do in this field [@sanacora2008].\n\n<!-- TODO later -->\n",
    )
    assert only(seeded, "GL605") == []


# ------------------------------------------------------------------------- GL606


def test_gl606_wrong_number_of_key_points(seeded: Project) -> None:
    items = "".join(f"- Point {i} about ketamine [@sanacora2008].\n" for i in range(1, 7))
    seeded.write(MS, "# Introduction\n\nText.\n\n# Key Points\n\n" + items)
    [d] = only(seeded, "GL606")
    assert (d["path"], d["line"], d["column"]) == (MS, 5, 1)
    assert "6 points" in d["message"] and "3 to 4" in d["message"]


def test_gl606_passes_with_three_points(seeded: Project) -> None:
    seeded.write(MS, full_manuscript())
    assert only(seeded, "GL606") == []


# ------------------------------------------------------------------------- GL607
# More cases in test_evidence_cutoff.py.

CUTOFF_FRONT = "---\ntitle: T\ndate: 2026-11-26\n{extra}abstract: |\n  {abstract}\n---\n\n"
CUTOFF_SAID = "This review's evidence cut-off is August 2024."


def test_gl607_later_review_without_cutoff(seeded: Project) -> None:
    seeded.write(MS, CUTOFF_FRONT.format(extra="", abstract=CUTOFF_SAID) + full_manuscript())
    [d] = only(seeded, "GL607")
    assert d["line"] == 1 and "give `evidence-cutoff`" in d["message"]


def test_gl607_cutoff_given_and_stated_passes(seeded: Project) -> None:
    front = CUTOFF_FRONT.format(extra="evidence-cutoff: 2024-08\n", abstract=CUTOFF_SAID)
    body = full_manuscript().replace(
        "- Riluzole is approved", f"- {CUTOFF_SAID}\n- Riluzole is approved"
    )
    seeded.write(MS, front + body)
    assert only(seeded, "GL607") == []


# More cases in test_title_page.py.

AUTHORS_FRONT = (
    "---\ntitle: T\nauthor:\n  - name: Jane Doe\n    affiliation: [1]\n"
    "    orcid: {orcid}\naffiliations:\n  - id: 1\n    name: A University\n---\n\n"
)


def test_gl608_orcid_with_a_wrong_check_digit(seeded: Project) -> None:
    seeded.write(MS, AUTHORS_FRONT.format(orcid="0000-0002-1825-0098") + full_manuscript())
    [d] = only(seeded, "GL608")
    assert d["line"] == 6 and "Jane Doe" in d["message"]


def test_gl608_valid_orcid_passes(seeded: Project) -> None:
    seeded.write(MS, AUTHORS_FRONT.format(orcid="0000-0002-1825-0097") + full_manuscript())
    assert only(seeded, "GL608") == []


# ------------------------------------------------------------------------- all rules


def test_every_rule_has_a_failing_and_a_passing_test() -> None:
    names = {n for n in globals() if n.startswith("test_gl")}
    for code in REGISTRY:
        mine = [n for n in names if n.startswith(f"test_{code.lower()}_")]
        assert len(mine) >= 2, f"{code} needs a failing and a passing test"


def test_a_clean_full_manuscript_has_no_diagnostics(seeded: Project) -> None:
    body = "\nKetamine has rapid effects [@pedersen2017; @kadriu2019; @henter2021].\n\n"
    seeded.write(MS, full_manuscript(body))
    assert diags(seeded) == []


# ------------------------------------------------------------------------- exit codes


def test_exit_0_when_clean_and_1_on_errors(seeded: Project) -> None:
    seeded.write(MS, "Esketamine was approved by the FDA in 2019 [@mcintyre2024].\n")
    assert run_cli(["check", "--select", "GL201"], seeded.root).code == 0
    seeded.write(MS, "Esketamine was approved by the FDA in 2018 [@mcintyre2024].\n")
    r = run_cli(["check", "--select", "GL201"], seeded.root)
    assert r.code == 1
    assert r.out.startswith(f"{MS}:1:{col('Esketamine was approved by the FDA in 2018', '2018')}:")
    assert " GL201 2018 not in mcintyre2024" in r.out
    assert run_cli(["check", "--select", "GL201", "--exit-zero"], seeded.root).code == 0


def test_exit_2_for_an_unknown_rule_code(seeded: Project) -> None:
    seeded.write(MS, "Text.\n")
    r = run_cli(["check", "--select", "GL999"], seeded.root)
    assert r.code == 2
    assert "GL999" in r.err and "Traceback" not in r.err
    r = run_cli(["explain", "GL999"], seeded.root)
    assert r.code == 2
    assert "GL999" in r.err and "Traceback" not in r.err


def test_exit_2_and_one_line_for_a_bibliography_with_unbalanced_braces(seeded: Project) -> None:
    broken = "\n@article{broken2020,\n  title = {Unclosed {title},\n  year = {2020}\n}\n"
    bib = SEED_BIB + broken
    (seeded.root / "refs" / "references.bib").write_text(bib, encoding="utf-8")
    seeded.write(MS, "Text.\n")
    r: Result = run_cli(["check"], seeded.root)
    assert r.code == 2
    line = bib_line(bib, "@article{broken2020,")
    assert r.err == f"refs/references.bib:{line}: unbalanced braces in entry broken2020\n"
    assert r.out == ""


# ------------------------------------------------------------------------- formats


def _many(p: Project) -> None:
    p.write(
        "manuscript/b.md",
        """
        Riluzole showed antidepressant effects [@henter2021]. Esketamine was approved by the FDA in
        2018 [@mcintyre2024].
        """,
    )
    p.write(
        "manuscript/a.md",
        """
        Ketamine is a schedule III controlled substance.

        Esketamine was approved in 2019 [@mcintyre2042].
        """,
    )


def test_json_has_exactly_the_documented_fields(seeded: Project) -> None:
    _many(seeded)
    found = diags(seeded, "--select", "GL1,GL2")
    assert found
    for d in found:
        assert list(d) == FIELDS
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
        assert isinstance(d["end_line"], int) and isinstance(d["end_column"], int)
        assert d["severity"] in {"error", "warning"}
        assert re.fullmatch(r"GL\d{3}", d["code"])


def test_output_is_sorted_by_path_line_column_code(seeded: Project) -> None:
    _many(seeded)
    found = diags(seeded, "--select", "GL1,GL2")
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in found]
    assert keys == sorted(keys)
    paths = {d["path"] for d in found}
    assert {"manuscript/a.md", "manuscript/b.md", "refs/references.bib"} <= paths
    a_b = [(d["line"], d["code"]) for d in found if d["path"] != "refs/references.bib"]
    assert a_b == [(1, "GL102"), (3, "GL101"), (1, "GL202"), (2, "GL201")]
    text = run_cli(["check", "--select", "GL1,GL2"], seeded.root).out.splitlines()
    assert [tuple(t.split(":")[:3]) for t in text] == [
        (d["path"], str(d["line"]), str(d["column"])) for d in found
    ]


# ------------------------------------------------------------------------- explain


def test_explain_prints_the_rule_documentation(tmp_path: Path) -> None:
    r = run_cli(["explain", "GL102"], tmp_path)
    assert r.code == 0
    assert r.out.startswith("GL102 (uncited-claim, error)")
    assert "What it does" in r.out and "Why" in r.out and "Example" in r.out
    assert "Each such sentence needs its own citation" in r.out


def test_explain_lists_every_rule(tmp_path: Path) -> None:
    r = run_cli(["explain"], tmp_path)
    assert r.code == 0
    listed = [line.split()[0] for line in r.out.splitlines() if line.strip()]
    assert listed == list(REGISTRY)


# ---------------------------------------------------------------------------------------------
# Partial sources, what a citation covers, numbers that are not claims (text written here)
# ---------------------------------------------------------------------------------------------

_SOURCE = """\
Velostatin in mixed dyslipidaemia: a randomised trial
Velostatin lowered LDL cholesterol by 38% over 12 weeks.
Myalgia was reported by 12% of patients taking velostatin.
Enrolment ran in 1994, 1995, 1996, 1997, and 1998.
"""


def _small(tmp_path: Path, claim: str, kind: str = "abstract", strict: bool = False) -> Project:
    """A one-source project of our own words: a source of `kind` and a one-line manuscript."""
    p = Project(tmp_path)
    settings = 'partial_sources = "strict"\n' if strict else ""
    p.write(
        "pyproject.toml",
        '[tool.glutlint]\nmanuscript = "ms"\nbibliography = "refs.bib"\n'
        f'sources = "src/sources.yaml"\n{settings}'
        "[tool.glutlint.profile]\nrequired_sections = []\n",
    )
    p.write(
        "refs.bib",
        "@article{orsini2022, author = {Orsini, Lucia and Brandt, Karl}, year = {2022},\n"
        "  title = {Velostatin}, file = {src/orsini2022.txt}}\n",
    )
    p.write("src/orsini2022.txt", _SOURCE)
    p.write("src/sources.yaml", f"orsini2022:\n  kind: {kind}\n")
    p.write("ms/a.md", claim + "\n")
    return p


_LIST_SOURCE = """\
Myopathies under velostatin: a pooled analysis
Across 35 cohorts, the prevalence of any myopathy was 34.6%, tendinopathy was 6.96%, \
neuropathy was 6.81%, and rhabdomyolysis was 0.2%.
"""


@pytest.mark.parametrize(
    ("claim", "codes"),
    [
        # the same item of the source's list: the label before the number is the same
        (
            "The prevalence of neuropathy was 6.81%, close to that of tendinopathy (6.96%) "
            "[@orsini2022].",
            [],
        ),
        ("Neuropathy was 6.81% in the pooled cohorts [@orsini2022].", []),
        # numbers swapped between items of the list
        ("The prevalence of neuropathy was 6.96% [@orsini2022].", ["GL203"]),
        ("Tendinopathy was 6.81% and neuropathy was 6.96% [@orsini2022].", ["GL203", "GL203"]),
    ],
)
def test_gl203_reads_which_item_of_a_list_a_number_belongs_to(
    tmp_path: Path, claim: str, codes: list[str]
) -> None:
    p = _small(tmp_path, claim, kind="full text")
    p.write("src/orsini2022.txt", _LIST_SOURCE)
    assert [d["code"] for d in diags(p) if d["code"].startswith("GL2")] == codes


def test_gl205_warns_on_a_value_a_partial_source_does_not_give(tmp_path: Path) -> None:
    text = "Velostatin lowered LDL cholesterol by 38% in 412 patients [@orsini2022]."
    p = _small(tmp_path, text)
    found = diags(p)
    assert [(d["code"], d["severity"]) for d in found] == [("GL205", "warning")]
    assert found[0]["column"] == col(text, "412")
    assert "the abstract kept for orsini2022 (src/orsini2022.txt)" in found[0]["message"]
    assert p.check().code == 0


def test_gl205_passes_values_the_partial_source_gives(tmp_path: Path) -> None:
    p = _small(tmp_path, "Velostatin lowered LDL cholesterol by 38% [@orsini2022].")
    assert diags(p) == []


def test_gl205_strict_or_full_text_holds_claims_to_the_text(tmp_path: Path) -> None:
    text = "Velostatin lowered LDL cholesterol by 38% in 412 patients [@orsini2022]."
    assert only(_small(tmp_path / "a", text, strict=True), "GL201")[0]["severity"] == "error"
    assert [d["code"] for d in diags(_small(tmp_path / "b", text, kind="full text"))] == ["GL201"]


def test_gl201_a_partial_source_that_contradicts_the_value(tmp_path: Path) -> None:
    p = _small(tmp_path, "Myalgia was reported by 19% of patients taking velostatin [@orsini2022].")
    [d] = diags(p)
    assert d["code"] == "GL201" and "it says 12% (src/orsini2022.txt:3)" in d["message"]


def test_gl201_an_unknown_kind_is_an_input_error(tmp_path: Path) -> None:
    p = _small(tmp_path, "Velostatin lowered LDL cholesterol by 38% [@orsini2022].", kind="blog")
    r = p.check()
    assert r.code == 2 and r.err.startswith("src/sources.yaml:2: unknown kind 'blog'")


@pytest.mark.parametrize(
    ("claim", "codes"),
    [
        # a citation covers the text before it, not another clause after it
        ("LDL cholesterol fell by 38% [@orsini2022], while Smith et al. found 21%.", []),
        ("LDL cholesterol fell by 39% [@orsini2022], while Smith et al. found 21%.", ["GL201"]),
        # what follows it in the same clause is covered
        ("Velostatin [@orsini2022] lowered LDL cholesterol by 39%.", ["GL201"]),
        # text that carries another work's citation is that work's
        (
            "Myalgia affects 30% of users (Halden et al., 2015) and LDL fell by 38% [@orsini2022].",
            [],
        ),
        ("Myalgia affects 30% of users [14] and LDL fell by 38% [@orsini2022].", []),
        # a narrative citation of ours covers the rest of the sentence
        ("Orsini and Brandt [@orsini2022] saw LDL cholesterol fall by 39% in 12 weeks.", ["GL201"]),
        # the authors' own clause after a citation is theirs, not the source's
        ("As LDL fell by 38%,[@orsini2022] we took 21 samples from 9 sites.", []),
        ("LDL fell by 38% [@orsini2022], and here we report 21 more cases.", []),
        ("LDL fell by 39%,[@orsini2022] we took 21 samples from 9 sites.", ["GL201"]),
        # ... but an aside does not hide a claim value behind it
        ("LDL fell by 38% [@orsini2022], we note, in 21% of the arms.", ["GL201"]),
        # numbers that are not claim values
        ("LDL fell by 38% (95% CI not given) in one of the arms [@orsini2022].", []),
        ("Velostatin lowered LDL cholesterol by 38%, significant at p<0.01 [@orsini2022].", []),
        ("Three studies agree that LDL fell by 38% [@orsini2022].", []),
        ("The ACE 2 receptor was untouched as LDL fell by 38% [@orsini2022].", []),
        # a range the source gives as a list of its points
        ("Enrolment ran from 1994 to 1998 [@orsini2022].", []),
        ("Enrolment ran from 1994 to 1999 [@orsini2022].", ["GL201"]),
        # a code that neither a lexicon nor the source marks as a drug is not an agent
        ("LDL fell by 38% in carriers of PCSK9 variant R46L and HEK-293 cells [@orsini2022].", []),
    ],
)
def test_gl201_reads_only_what_the_citation_covers(
    tmp_path: Path, claim: str, codes: list[str]
) -> None:
    p = _small(tmp_path, claim, kind="full text")
    assert [d["code"] for d in diags(p) if d["code"].startswith("GL2")] == codes


def test_gl503_mention_year_differs_from_the_entry(tmp_path: Path) -> None:
    text = "Orsini et al. (2021) [@orsini2022] saw LDL cholesterol fall by 38%."
    [d] = only(_small(tmp_path, text), "GL503")
    assert d["column"] == col(text, "Orsini")
    assert "gives 2021, but orsini2022 is from 2022" in d["message"]


def test_gl503_mention_names_another_first_author(tmp_path: Path) -> None:
    text = "Brandt et al. [@orsini2022] saw LDL cholesterol fall by 38%."
    [d] = only(_small(tmp_path, text), "GL503")
    assert "names Brandt" in d["message"] and "orsini2022: Orsini" in d["message"]


def test_gl503_passes_a_mention_that_agrees(tmp_path: Path) -> None:
    for i, text in enumerate(
        [
            "Orsini et al. (2022) [@orsini2022] saw LDL cholesterol fall by 38%.",
            "Orsini and Brandt [@orsini2022] saw LDL cholesterol fall by 38%.",
            "In 2022 [@orsini2022], LDL cholesterol fell by 38%.",
            # a bare "X and Y" that names no author the bibliography knows is a list
            "LDL cholesterol fell by 38% in Kenya, Somalia and Tanzania [@orsini2022].",
            "LDL cholesterol fell by 38% in two districts, Mopeia and Nicoadala [@orsini2022].",
        ]
    ):
        assert only(_small(tmp_path / str(i), text), "GL503") == []


def test_gl503_a_bare_pair_naming_a_known_author_is_a_mention(tmp_path: Path) -> None:
    text = "Brandt and Halden [@orsini2022] saw LDL cholesterol fall by 38%."
    [d] = only(_small(tmp_path, text), "GL503")
    assert "names Brandt" in d["message"] and "orsini2022: Orsini" in d["message"]


def test_gl102_a_clause_after_the_last_citation(tmp_path: Path) -> None:
    text = "LDL cholesterol fell by 38% [@orsini2022], and myalgia fell by 12% in 1998."
    p = _small(tmp_path, text, kind="full text")
    found = [d for d in diags(p) if d["code"] == "GL102"]
    assert [(d["column"], d["message"].split("'")[1]) for d in found] == [
        (col(text, "12%"), "12%"),
        (col(text, "1998"), "1998"),
    ]
    assert "no citation covers" in found[0]["message"]


def test_gl102_passes_a_clause_another_work_covers(tmp_path: Path) -> None:
    for i, text in enumerate(
        [
            "LDL cholesterol fell by 38% [@orsini2022], while Smith et al. found 21%.",
            "LDL cholesterol fell by 38% [@orsini2022], and myalgia by 12% [14].",
            "Velostatin [@orsini2022] lowered LDL cholesterol by 38%, and myalgia fell by 12%.",
            # the authors speak for themselves: their own work needs no citation
            "As LDL fell by 38%,[@orsini2022] we took 21 samples from 9 sites.",
        ]
    ):
        assert only(_small(tmp_path / str(i), text, kind="full text"), "GL102") == [], text


def test_findings_carry_their_own_file(seeded: Project) -> None:
    """The same sentence in two files is two findings, one in each file."""
    seeded.write("manuscript/a.md", "Esketamine was approved in 2019.\n")
    seeded.write("manuscript/b.md", "Esketamine was approved in 2019.\n")
    found = only(seeded, "GL102", "--select", "GL102")
    assert [(d["path"], d["line"]) for d in found] == [
        ("manuscript/a.md", 1),
        ("manuscript/b.md", 1),
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('abstract_words = "many"', "abstract_words must be a positive integer"),
        ("abstract_words = 0", "abstract_words must be a positive integer"),
        ('required_sections = "Introduction"', "required_sections must be a list of strings"),
        ("key_points = [4, 3]", "key_points must be a list of two integers [low, high]"),
        ("non_claim_sections = [1, 2]", "non_claim_sections must be a list of strings"),
        ("colour = 3", "unknown option in [tool.glutlint.profile]: colour"),
    ],
)
def test_rule_options_of_the_wrong_kind_are_one_line_errors(
    seeded: Project, setting: str, message: str
) -> None:
    seeded.write("manuscript/a.md", "# Introduction\n\nText.\n")
    text = (seeded.root / "pyproject.toml").read_text(encoding="utf-8")
    text += f"\n[tool.glutlint.profile]\n{setting}\n"
    (seeded.root / "pyproject.toml").write_text(text, encoding="utf-8")
    line = text.splitlines().index(setting) + 1
    r = seeded.check()
    assert r.code == 2, r.out + r.err
    assert r.err.startswith(f"pyproject.toml:{line}: {message}"), r.err
    assert "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1
