"""GL607 evidence-cutoff: a review dated after its newest source states its cut-off."""

from __future__ import annotations

import json
import textwrap

from conftest import Project, run_cli

KEY_POINTS = """
# Key Points

- Esketamine was approved by the FDA in 2019 [@mcintyre2024].
- Riluzole is approved for amyotrophic lateral sclerosis [@sanacora2008].
- {point}

# Introduction

Ketamine is an NMDA receptor antagonist [@sanacora2008].

# Conclusions

In our view, the field has moved from hypothesis to clinical use.

# Declarations

None.

# References
"""


def write(p: Project, front: str, abstract: str, point: str) -> None:
    head = textwrap.dedent(front).strip("\n")
    text = f"---\n{head}\nabstract: |\n  {abstract}\n---\n" + textwrap.dedent(KEY_POINTS).format(
        point=point
    )
    (p.root / "manuscript" / "review.md").write_text(text, encoding="utf-8")


def gl607(p: Project) -> list[dict]:
    r = run_cli(["check", "--format", "json", "--select", "GL607"], p.root)
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


STATED = "Evidence cut-off: August 2024, the date of the newest source [@mcintyre2024]."
PLAIN = "Esketamine was approved by the FDA in 2019 [@mcintyre2024]."


def test_later_review_without_a_cutoff_fails_at_the_front_matter(seeded: Project) -> None:
    write(seeded, "title: T\ndate: 2026-11-26", PLAIN, PLAIN)
    found = gl607(seeded)
    assert [(d["line"], d["code"]) for d in found] == [(1, "GL607")]
    assert "mcintyre2024" in found[0]["message"] and "2024-11" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_cutoff_given_but_not_stated_in_abstract_or_key_points(seeded: Project) -> None:
    write(seeded, "title: T\ndate: 2026-11-26\nevidence-cutoff: 2024-08-16", PLAIN, PLAIN)
    messages = [d["message"] for d in gl607(seeded)]
    assert len(messages) == 2
    assert messages[0].startswith("Abstract does not state the evidence cut-off (2024-08-16)")
    assert messages[1].startswith("Key Points does not state the evidence cut-off")


def test_stated_in_abstract_only_leaves_key_points(seeded: Project) -> None:
    write(seeded, "title: T\ndate: 2026-11-26\nevidence-cutoff: 2024-08-16", STATED, PLAIN)
    found = gl607(seeded)
    assert [d["message"].split(" does")[0] for d in found] == ["Key Points"]


def test_cutoff_stated_everywhere_passes(seeded: Project) -> None:
    write(seeded, "title: T\ndate: 2026-11-26\nevidence-cutoff: 2024-08-16", STATED, STATED)
    assert gl607(seeded) == []


def test_cutoff_before_the_newest_source_year_fails(seeded: Project) -> None:
    write(seeded, "title: T\ndate: 2026-11-26\nevidence-cutoff: 2021", STATED, STATED)
    messages = [d["message"] for d in gl607(seeded)]
    assert any("earlier than the cited source mcintyre2024" in m for m in messages)


def test_review_dated_within_its_newest_source_needs_no_cutoff(seeded: Project) -> None:
    write(seeded, "title: T\ndate: 2024-11", PLAIN, PLAIN)
    assert gl607(seeded) == []


def test_undated_review_is_not_checked(seeded: Project) -> None:
    write(seeded, "title: T", PLAIN, PLAIN)
    assert gl607(seeded) == []


def test_explain_prints_the_docs(seeded: Project) -> None:
    r = run_cli(["explain", "GL607"], seeded.root)
    assert r.code == 0 and "evidence-cutoff" in r.out
