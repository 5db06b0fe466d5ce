"""A reference library as authors keep it: Zotero/Better BibTeX attachments and CSL JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import PYPROJECT, ROOT, SEEDS, one_file_review, run_cli
from glutlint.bibliography import Attachment, attachments, load_bibliography
from glutlint.errors import InputError

REGISTER = ROOT / "tests" / "fixtures" / "pdf" / "federal-register-2020-17221.pdf"
RVF = ROOT / "tests" / "fixtures" / "jats" / "pntd.0002065.nxml"


def test_attachments_are_parsed_as_zotero_writes_them() -> None:
    value = (
        "Snapshot:storage/AB12/page.html:text/html;"
        "Full Text PDF:storage/AB12/Brown et al. - 2000 - A trial.pdf:application/pdf"
    )
    assert attachments(value) == [
        Attachment("storage/AB12/page.html", "text/html"),
        Attachment("storage/AB12/Brown et al. - 2000 - A trial.pdf", "application/pdf"),
    ]
    assert attachments(r"PDF:C\:/Users/me/Zotero/x.pdf:application/pdf") == [
        Attachment("C:/Users/me/Zotero/x.pdf", "application/pdf")
    ]
    assert attachments("seeds/a.txt") == [Attachment("seeds/a.txt")]


def _bib(tmp_path: Path, file_field: str) -> Path:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        f"@article{{fr2020,\n  title = {{A rule}},\n  year = {{2020}},\n"
        f"  file = {{{file_field}}}\n}}\n",
        encoding="utf-8",
    )
    return bib


def test_the_best_existing_attachment_is_chosen(tmp_path: Path) -> None:
    store = tmp_path / "storage" / "AB12"
    store.mkdir(parents=True)
    (store / "page.html").write_text("<html>snapshot</html>", encoding="utf-8")
    shutil.copy(REGISTER, store / "rule.pdf")
    field = (
        "Snapshot:storage/AB12/page.html:text/html;Full Text PDF:storage/AB12/rule.pdf:"
        "application/pdf;Missing XML:storage/AB12/gone.nxml:application/xml"
    )
    entry = load_bibliography(_bib(tmp_path, field), tmp_path)["fr2020"]
    assert entry.file == (store / "rule.pdf").resolve()


def test_a_snapshot_alone_is_refused_with_a_way_out(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html>snapshot</html>", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_bibliography(_bib(tmp_path, "Snapshot:page.html:text/html"), tmp_path)
    assert err.value.line == 4 and "snapshot" in err.value.message


def _project(tmp_path: Path, file_field: str, allowed: list[str] | None = None) -> Path:
    root = tmp_path / "review"
    root.mkdir()
    one_file_review(root, f"allowed_roots = {json.dumps(allowed)}\n" if allowed is not None else "")
    (root / "ms.md").write_text(
        "# Results\n\nThe proposed rule applies to Model 737-8 airplanes [@fr2020].\n",
        encoding="utf-8",
    )
    _bib(root, file_field)
    return root


def test_zotero_storage_outside_the_project_needs_allowed_roots(tmp_path: Path) -> None:
    storage = tmp_path / "Zotero" / "storage" / "XK3L9A"
    storage.mkdir(parents=True)
    shutil.copy(REGISTER, storage / "rule.pdf")
    field = f"Full Text PDF:{storage / 'rule.pdf'}:application/pdf"
    refused = run_cli(["check"], _project(tmp_path, field))
    assert refused.code == 2 and len(refused.err.splitlines()) == 1, refused.err
    assert refused.err.startswith("refs.bib:4: file field points outside the project")
    assert "allowed_roots" in refused.err
    shutil.rmtree(tmp_path / "review")
    ok = run_cli(["check", "--no-cache"], _project(tmp_path, field, ["../Zotero/storage"]))
    assert ok.code == 0, ok.out + ok.err


def test_a_symlink_cannot_lead_an_attachment_out(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(REGISTER, outside / "rule.pdf")
    root = _project(tmp_path, "files/rule.pdf")
    (root / "files").symlink_to(outside)
    r = run_cli(["check"], root)
    assert r.code == 2 and "points outside the project" in r.err, r.err


def _csl_of_our_bibliography(root: Path) -> list[dict[str, object]]:
    import pypandoc

    items = json.loads(
        pypandoc.convert_file(str(ROOT / "refs/references.bib"), "csljson", format="biblatex")
    )
    bib = load_bibliography(ROOT / "refs/references.bib", ROOT)
    for item in items:  # pandoc does not carry attachments: Zotero users add `file` by hand
        item["file"] = bib[str(item["id"])].fields["file"]
    return items


def test_a_csl_json_bibliography_reads_like_the_bibtex_one(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps(_csl_of_our_bibliography(tmp_path), indent=2), encoding="utf-8")
    shutil.copytree(SEEDS, tmp_path / "seeds")
    csl = load_bibliography(path, tmp_path)
    bib = load_bibliography(ROOT / "refs/references.bib", ROOT)
    assert list(csl) == list(bib)
    for key, entry in csl.items():
        theirs = bib[key]
        assert entry.year == theirs.year and entry.fields.get("doi") == theirs.fields.get("doi")
        assert entry.authors == theirs.authors
        assert entry.file is not None and entry.file.name == theirs.file.name  # type: ignore[union-attr]
        text = path.read_text(encoding="utf-8").split("\n")
        assert f'"id": "{key}"' in "\n".join(text[entry.line - 1 : entry.line + 40])
        assert '"DOI"' in text[entry.field_lines["doi"] - 1] if "doi" in entry.fields else True


def test_the_flagship_checks_clean_with_a_csl_json_bibliography(tmp_path: Path) -> None:
    for folder in ("seeds", "refs", "manuscript"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "refs/library.json").write_text(
        json.dumps(_csl_of_our_bibliography(tmp_path), indent=2), encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT.replace("refs/references.bib", "refs/library.json"), encoding="utf-8"
    )
    r = run_cli(["check", "--no-cache"], tmp_path)
    assert r.code == 0, r.out + r.err


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[\n  {"id": "a", "title": "T"},\n  {"id": "b" "title": "U"}\n]\n', 3, "invalid JSON"),
        ('[\n  {"id": "a"},\n  {"id": "a"}\n]\n', 3, "duplicate key a"),
        ('[\n  {"title": "T"}\n]\n', 2, "without an id"),
        ('{"id": "a"}\n', 1, "an array of items"),
    ],
)
def test_bad_csl_json_names_its_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "library.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_bibliography(path, tmp_path)
    assert err.value.line == line and words in err.value.message


def test_a_jats_attachment_gives_metadata_to_gl501(tmp_path: Path) -> None:
    root = tmp_path / "review"
    root.mkdir()
    shutil.copy(RVF, root / "rvf.nxml")
    one_file_review(root)
    (root / "refs.bib").write_text(
        "@article{fafetine2013,\n  title = {Serological evidence},\n  year = {2013},\n"
        "  doi = {10.1371/journal.pntd.0002056},\n  journal = {PLoS Negl Trop Dis},\n"
        "  file = {Full Text:rvf.nxml:application/xml}\n}\n",
        encoding="utf-8",
    )
    (root / "ms.md").write_text(
        "# Results\n\nIn 2007, serum samples of 377 goats and 277 sheep were tested "
        "[@fafetine2013].\n",
        encoding="utf-8",
    )
    r = run_cli(["check", "--no-cache"], root)
    assert r.code == 1, r.err
    assert r.out.splitlines() == [
        "refs.bib:4:1: GL501 fafetine2013: doi is '10.1371/journal.pntd.0002056' but its "
        "source text says '10.1371/journal.pntd.0002065'"
    ]
