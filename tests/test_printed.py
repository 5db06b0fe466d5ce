"""What pandoc prints is what the rules read: numbers hidden from the rules by math, code,
markup or entities are reported (GL106), a citation's prefix and suffix prose is read, and a
heading pandoc prints inside a quote or the metadata opens no section.

pandoc (from pypandoc_binary) is the judge: each case is checked against its plain rendering
first, so a case that pandoc prints differently than the test says fails on its own.
"""

from __future__ import annotations

import json

import pytest

from conftest import Project, run_cli

pypandoc = pytest.importorskip("pypandoc")

RISK = "The lifetime risk of any mood disorder in the United States is {N} [@sanacora2008]."


def _plain(markdown: str) -> str:
    return " ".join(pypandoc.convert_text(markdown, "plain", format="markdown").split())


def _findings(p: Project, body: str, *select: str) -> list[dict]:
    p.write("manuscript/a.md", body)
    args = ["check", "--no-cache", "--format", "json"]
    if select:
        args += ["--select", ",".join(select)]
    r = run_cli(args, p.root)
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("$20.8\\%$", "20.8%"),  # TeX math
        ("`20.8%`", "20.8%"),  # a code span
        ("2<!-- -->0.8%", "20.8%"),  # an HTML comment inside the number
        ("*2*0.8%", "20.8%"),  # emphasis on one digit
        ("[2]{.x}0.8%", "20.8%"),  # a span around one digit
        ("&#50;0.8%", "20.8%"),  # an entity for a digit
        ("20.&#56;%", "20.8%"),
    ],
)
def test_a_number_hidden_from_the_rules_is_reported(
    seeded: Project, written: str, printed: str
) -> None:
    body = RISK.format(N=written)
    assert printed in _plain(body), _plain(body)  # pandoc prints the number whole
    found = _findings(seeded, body, "GL106")
    assert [(d["code"], d["line"]) for d in found] == [("GL106", 1)], found
    assert "'20.8'" in found[0]["message"]


def test_tex_looking_text_pandoc_prints_as_it_stands_is_reported(seeded: Project) -> None:
    body = "A \\textbf{Remission occurred in 93% of patients.} b\n"
    assert "93%" in _plain(body)
    found = _findings(seeded, body, "GL106", "GL102")
    assert ("GL106", 1) in [(d["code"], d["line"]) for d in found], found


@pytest.mark.parametrize(
    "body",
    [
        RISK.format(N="20.8%"),
        "Ketamine acted within 2 hours [@sanacora2008, p. 11].",  # a locator
        "Ketamine acted within 2 hours [see @sanacora2008; @kadriu2019].",  # keys with digits
        "Receptor density was 10^6^ per cell in H~2~O over 3 km^2^ [@sanacora2008].",
        "Ketamine acted within 2 hours [@sanacora2008].[^1]\n\n[^1]: A note.",
        "![Ketamine acted within 2 hours [@sanacora2008].](figures/fig2.png)",
    ],
)
def test_numbers_the_rules_read_are_not_reported(seeded: Project, body: str) -> None:
    assert _findings(seeded, body, "GL106") == []


def test_the_prose_of_a_citation_suffix_is_read(seeded: Project) -> None:
    body = "Ketamine acted within 2 hours [@sanacora2008, noting a trial of 1999]."
    assert "1999" in _plain(body)
    found = _findings(seeded, body, "GL201")
    assert [d["message"].split()[0] for d in found] == ["1999"], found


def test_a_citation_prefix_is_read_and_a_locator_is_not(seeded: Project) -> None:
    found = _findings(seeded, "Ketamine acted within 2 hours [in 1999 @sanacora2008].", "GL201")
    assert [d["message"].split()[0] for d in found] == ["1999"], found
    locator = "Ketamine acted within 2 hours [@sanacora2008, pp. 1999-2001]."
    assert _findings(seeded, locator, "GL201", "GL106", "GL102") == []


@pytest.mark.parametrize(
    "heading",
    [
        "> # Declarations\n",  # a heading inside a quote
        "---\nabstract: |\n  # Declarations\n---\n",  # a heading inside the metadata
        "- # Declarations\n",  # a heading inside a list
    ],
)
def test_a_heading_inside_a_quote_list_or_metadata_opens_no_section(
    seeded: Project, heading: str
) -> None:
    body = f"# Results\n\n{heading}\nRemission occurred in 93% of patients in 1999.\n"
    found = _findings(seeded, body, "GL102")
    assert [d["code"] for d in found] == ["GL102"], found


def test_a_declarations_section_still_exempts_its_paragraphs(seeded: Project) -> None:
    body = "# Declarations\n\nThe review was written in 2026 by 3 authors.\n"
    assert _findings(seeded, body, "GL102") == []


def test_a_percentage_in_superscript_digits_is_read(seeded: Project) -> None:
    body = "Ketamine cured \u2079\u00b3% of patients in the trial.\n"
    assert "\u2079\u00b3%" in _plain(body)  # pandoc prints it as written
    found = _findings(seeded, body, "GL102", "GL106")
    assert [d["code"] for d in found] == ["GL102"], found
