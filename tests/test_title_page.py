"""GL608 title-page: the authors' data the build prints on the title page is checked.

The ORCID iDs are those ORCID's own documentation uses for its test record (Josiah Carberry,
0000-0002-1825-0097) and for an iD whose check digit is X (0000-0002-1694-233X).
"""

from __future__ import annotations

import json

import pytest

from conftest import Project, run_cli

FRONT = """---
title: A review
author:
  - name: Jane Doe
    affiliation: [1]
    email: {email}
    orcid: {orcid}
    corresponding: true
  - name: Ali Khan
    affiliation: [{second}]
    orcid: 0000-0002-1694-233X
affiliations:
  - id: 1
    name: Department of Psychiatry, Some University, City, Country
  - id: 2
    name: Institute of Pharmacology, City, Country
---

Body text.
"""


def gl608(p: Project, **fields: str) -> list[dict]:
    values = {"email": "jane.doe@example.org", "orcid": "0000-0002-1825-0097", "second": "2"}
    values.update(fields)
    (p.root / "manuscript" / "review.md").write_text(FRONT.format(**values), encoding="utf-8")
    r = run_cli(["check", "--format", "json", "--select", "GL608"], p.root)
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def test_valid_authors_pass(seeded: Project) -> None:
    assert gl608(seeded) == []
    assert gl608(seeded, orcid="https://orcid.org/0000-0002-1825-0097") == []


@pytest.mark.parametrize(
    "orcid",
    ["0000-0002-1825-0098", "0000-0002-1825-009", "0000 0002 1825 0097", "1825-0097"],
)
def test_an_orcid_with_a_wrong_check_digit_or_shape_fails_at_its_line(
    seeded: Project, orcid: str
) -> None:
    found = gl608(seeded, orcid=f'"{orcid}"')
    assert [(d["line"], d["code"], d["severity"]) for d in found] == [(7, "GL608", "error")]
    assert orcid in found[0]["message"] and "Jane Doe" in found[0]["message"]


def test_an_affiliation_that_is_not_defined_fails_at_the_authors_line(seeded: Project) -> None:
    found = gl608(seeded, second="3")
    assert [(d["line"], d["code"]) for d in found] == [(10, "GL608")]
    assert "Ali Khan" in found[0]["message"] and "affiliation '3'" in found[0]["message"]


def test_several_ids_in_one_string_are_not_a_list(seeded: Project) -> None:
    """The title page reads `affiliation: "1, 2"` as one affiliation named "1, 2"."""
    found = gl608(seeded, second='"1, 2"')
    assert [(d["line"], d["code"]) for d in found] == [(10, "GL608")]
    assert "a list, [1, 2]" in found[0]["message"]


def test_affiliations_without_ids_are_numbered_by_place(seeded: Project) -> None:
    text = (
        "---\ntitle: A review\nauthor:\n  - name: Jane Doe\n    affiliation: [2]\n"
        "affiliations:\n  - name: One University\n  - name: Two Institute\n---\n\nBody.\n"
    )
    (seeded.root / "manuscript" / "review.md").write_text(text, encoding="utf-8")
    r = run_cli(["check", "--format", "json", "--select", "GL608"], seeded.root)
    assert json.loads(r.out) == []
    (seeded.root / "manuscript" / "review.md").write_text(
        text.replace("[2]", "[3]"), encoding="utf-8"
    )
    r = run_cli(["check", "--format", "json", "--select", "GL608"], seeded.root)
    assert [d["line"] for d in json.loads(r.out)] == [5]


def test_a_broken_email_fails(seeded: Project) -> None:
    found = gl608(seeded, email="jane.doe at example.org")
    assert [(d["line"], d["code"]) for d in found] == [(6, "GL608")]


def test_plain_text_authors_are_not_read(seeded: Project) -> None:
    text = "---\ntitle: A review\nauthor: Jane Doe\n---\n\nBody text.\n"
    (seeded.root / "manuscript" / "review.md").write_text(text, encoding="utf-8")
    r = run_cli(["check", "--format", "json", "--select", "GL608"], seeded.root)
    assert json.loads(r.out) == []


def test_explain_documents_the_rule(seeded: Project) -> None:
    r = run_cli(["explain", "GL608"], seeded.root)
    assert r.code == 0 and "ISO 7064" in r.out
