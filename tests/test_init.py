"""`glutlint init` in an empty folder and over an existing library; rule links that exist."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT, run_cli
from glutlint.rules import REGISTRY

REGISTER = ROOT / "tests" / "fixtures" / "pdf" / "federal-register-2020-17221.pdf"
RVF = ROOT / "tests" / "fixtures" / "jats" / "pntd.0002065.nxml"


def test_init_starts_a_review_that_checks(tmp_path: Path) -> None:
    r = run_cli(["init"], tmp_path)
    assert r.code == 0, r.err
    for rel in (
        "pyproject.toml",
        "manuscript/01-key-points.md",
        "refs/facts.yaml",
        "refs/sources.yaml",
        "refs/references.bib",
        ".pre-commit-config.yaml",
    ):
        assert (tmp_path / rel).is_file(), rel
    check = run_cli(["check", "--no-cache"], tmp_path)
    assert check.code == 0, check.out + check.err  # the skeleton has every required section


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "my-review"\n', encoding="utf-8")
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "02-introduction.md").write_text("# Introduction\n\nMine.\n")
    r = run_cli(["init"], tmp_path)
    assert r.code == 0, r.err
    assert "appended pyproject.toml" in r.out and "kept     manuscript/02-introduction.md" in r.out
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "my-review"\n') and "[tool.glutlint]" in text
    assert (tmp_path / "manuscript/02-introduction.md").read_text() == "# Introduction\n\nMine.\n"
    again = run_cli(["init"], tmp_path)
    assert again.code == 2 and again.err.strip() == (
        "pyproject.toml: already has [tool.glutlint]: nothing done"
    )


def test_init_reports_which_entries_have_a_readable_source(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    shutil.copy(REGISTER, tmp_path / "files" / "rule.pdf")
    shutil.copy(RVF, tmp_path / "files" / "rvf.nxml")
    (tmp_path / "files" / "scan.pdf").write_bytes(b"%PDF-1.4\nbroken\n")
    (tmp_path / "library.bib").write_text(
        "@article{a, title = {A}, year = {2020}, file = {PDF:files/rule.pdf:application/pdf}}\n"
        "@article{b, title = {B}, year = {2013}, file = {files/rvf.nxml}}\n"
        "@article{c, title = {C}, year = {2001}}\n"
        "@article{d, title = {D}, year = {2001}, file = {files/scan.pdf}}\n",
        encoding="utf-8",
    )
    r = run_cli(["init", "--bibliography", "library.bib"], tmp_path)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert re.search(r"^source +a: files/rule\.pdf \(pdf, \d+ lines\)$", r.out, re.M), r.out
    assert re.search(r"^source +b: files/rvf\.nxml \(jats, \d+ lines\)$", r.out, re.M), r.out
    assert "no source  c: no file field" in lines
    assert any(x.startswith("no source  d: files/scan.pdf: cannot read PDF") for x in lines)
    assert "2 of 4 entries have a source glutlint can read" in lines


def test_every_rule_has_an_anchor_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in REGISTRY:
        assert f'<a id="{code.lower()}"></a>{code}' in readme, code
