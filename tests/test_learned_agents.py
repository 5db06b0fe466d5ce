"""Drug names on a topic glutlint has no lexicon for: stems, definitions, combinations."""

from __future__ import annotations

from pathlib import Path

from conftest import one_file_review, run_cli
from glutlint.lexicon import Lexicon, called_drugs, scan

SOURCE = (
    "Mass drug administration (MDA) combined diethylcarbamazine (DEC) with albendazole (ALB). "
    "In a second arm, nitazoxanide, a broad-spectrum antiparasitic agent, was added, and the "
    "drug combination was given once a year to 120 villages."
)


def _learned() -> Lexicon:
    lex = Lexicon()
    lex.learn([scan(SOURCE)])
    return lex


def _names(lex: Lexicon, text: str) -> list[str]:
    return [text[a:b] for a, b, _n in lex.agents_in(text, unknown=True)]


def test_a_drug_name_stem_makes_a_drug_without_any_source() -> None:
    assert _names(Lexicon(), "Moxidectin and ivermectin were given.") == [
        "Moxidectin",
        "ivermectin",
    ]
    assert _names(Lexicon(), "Cholesterol, pectin and April were measured.") == []


def test_combinations_name_each_part() -> None:
    lex = _learned()
    assert _names(lex, "ivermectin-albendazole was given") == ["ivermectin", "albendazole"]
    assert _names(lex, "DEC-ALB was given yearly") == ["DEC", "ALB"]
    assert [n for *_x, n in lex.agents_in("DEC-ALB", unknown=True)] == [
        "diethylcarbamazine",
        "albendazole",
    ]
    assert _names(lex, "MDA-ALB rounds") == [
        "MDA",
        "ALB",
    ]  # both defined by the source: both must be in it
    assert _names(lex, "pre-treatment and follow-up") == []  # no part is a drug


def test_what_a_source_calls_a_drug_is_learned() -> None:
    assert called_drugs(SOURCE) == ["nitazoxanide"]
    assert _names(_learned(), "Nitazoxanide was added.") == ["Nitazoxanide"]


def test_words_that_only_stand_near_drug_are_not_learned() -> None:
    text = (
        "Treatment with an antiviral drug alone is not enough, and the drug requires "
        "monitoring. Levels rose with metformin (Figure 3A,C) and fell in controls "
        "(Supplementary Figure 1f; Table S4)."
    )
    assert called_drugs(text) == []
    lex = Lexicon()
    lex.learn([scan(SOURCE + " " + text)])
    assert _names(lex, "Nitazoxanide alone requires care (Figure 2).") == ["Nitazoxanide"]


def test_binding_reads_only_the_known_names() -> None:
    lex = _learned()
    assert lex.agents_in("moxidectin and nitazoxanide") == []  # unknown=False: as before


def _project(tmp_path: Path, claim: str) -> Path:
    one_file_review(tmp_path, 'partial_sources = "strict"\n')
    (tmp_path / "refs.bib").write_text(
        "@article{lf2020,\n  title = {MDA},\n  year = {2020},\n  file = {lf.txt}\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "lf.txt").write_text(SOURCE + "\n", encoding="utf-8")
    (tmp_path / "ms.md").write_text(f"# Results\n\n{claim}\n", encoding="utf-8")
    return tmp_path


def test_a_drug_the_source_never_names_is_gl202(tmp_path: Path) -> None:
    r = run_cli(["check", "--no-cache"], _project(tmp_path, "Moxidectin was added [@lf2020]."))
    assert r.code == 1 and "GL202 'Moxidectin' is not named in lf2020" in r.out, r.out


def test_a_combination_of_named_drugs_passes(tmp_path: Path) -> None:
    claim = "DEC-ALB was given once a year to 120 villages [@lf2020]."
    r = run_cli(["check", "--no-cache"], _project(tmp_path, claim))
    assert r.code == 0 and r.out == "", r.out


def test_an_uncited_regimen_needs_a_citation(tmp_path: Path) -> None:
    r = run_cli(["check", "--no-cache"], _project(tmp_path, "DEC-ALB was given yearly."))
    assert r.code == 1 and "GL102" in r.out and "names 'DEC'" in r.out, r.out


def test_no_vocabulary_is_said(tmp_path: Path) -> None:
    root = _project(tmp_path, "The villages were visited [@lf2020].")
    (root / "lf.txt").write_text("The villages were visited in 2020.\n", encoding="utf-8")
    r = run_cli(["check", "--no-cache"], root)
    assert r.code == 0, r.out + r.err
    assert r.err.startswith("glutlint: note: no agent vocabulary"), r.err
    learned = run_cli(["check", "--no-cache"], _project(tmp_path, "MDA was done [@lf2020]."))
    assert "no agent vocabulary" not in learned.err
