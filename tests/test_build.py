"""`glutlint build` end to end: real pandoc, real typst, real files; outputs opened and read.

A small fixture project is built once per module; the flagship manuscript in manuscript/ is
built too when it exists. Nothing here is mocked: the point is that the PDF and DOCX a user
submits contain what the manuscript says, with the page setup the journal asks for.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from glutlint.cli import main

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")

REPO = Path(__file__).resolve().parents[1]

BIB = """\
@article{alpha2019,
  author  = {Alphonse, Marie and Berg, Tom},
  title   = {Fast-Acting Treatments for Resistant Depression},
  journal = {Journal of Imaginary Psychiatry},
  year    = {2019},
  volume  = {12},
  pages   = {1--10},
  pmid    = {11111111},
  file    = {sources/alpha.txt}
}

@article{beta2017,
  author  = {Bettany, Clara},
  title   = {No Approved Glutamate Drugs Yet},
  journal = {Example News},
  year    = {2017},
  file    = {sources/beta.txt}
}
"""

FACTS = """\
facts:
  - id: none-approved
    source: beta2017
    quote: "No glutamate drug has been approved."
    subject: glutamate drug
    event: approval
    as_of: 2017-03-18
    superseded_by: [first-approval]
    statement:
      polarity: negative
      subject: glutamate drug
      event: approval
    label: No glutamate drug approved yet
  - id: first-approval
    source: alpha2019
    quote: "The first glutamate drug was approved in 2019."
    subject: glutamate drug
    event: approval
    date: 2019
    label: First glutamate drug approved
"""

MANUSCRIPT = """\
---
title: "Fixture Review of Glutamate Drugs"
running-title: "Fixture review"
author:
  - name: Ada Example
    affiliation: Example University
date: 2019-12-01
keywords: [glutamate, depression]
abstract: |
  Glutamate drugs moved from hypothesis to approval [@alpha2019].
---

# Introduction

In 2017 no glutamate drug had been approved [@beta2017]. Two years later the first one was
approved [@alpha2019]. Table 1 lists both events and Figure 1 draws them.

| Year | Event |
|:-----|:------|
| 2017 | None approved |
| 2019 | First approval |

Table: Events in the fixture field [@alpha2019; @beta2017].

# Outlook

![Timeline of the fixture field.](figures/timeline.png){#fig:timeline width=100%}

The field keeps moving [@alpha2019].

# References {-}

::: {#refs}
:::
"""

SOURCES = {
    "alpha.txt": "Glutamate drugs moved from hypothesis to approval. The first glutamate drug "
    "was approved in 2019. Two years after 2017 the first one was approved, and the field "
    "keeps moving.\n",
    "beta.txt": "In 2017 no glutamate drug had been approved. No glutamate drug has been "
    "approved.\n",
}

PYPROJECT = """\
[tool.glutlint]
manuscript = "manuscript"
bibliography = "refs/references.bib"
facts = "refs/facts.yaml"

[tool.glutlint.profile]
required_sections = ["Introduction", "References"]
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


def glutlint(project: Path, *args: str) -> Result:
    """Run the CLI in-process from `project`, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(cwd)
    return Result(code, out.getvalue(), err.getvalue())


def make_project(folder: Path, manuscript: str = MANUSCRIPT, **extra: str) -> Path:
    (folder / "manuscript").mkdir(parents=True)
    (folder / "refs").mkdir()
    (folder / "pyproject.toml").write_text(PYPROJECT + "".join(extra.values()), encoding="utf-8")
    (folder / "refs/references.bib").write_text(BIB, encoding="utf-8")
    (folder / "refs/facts.yaml").write_text(FACTS, encoding="utf-8")
    (folder / "sources").mkdir()
    for name, text in SOURCES.items():
        (folder / "sources" / name).write_text(text, encoding="utf-8")
    (folder / "manuscript/review.md").write_text(manuscript, encoding="utf-8")
    return folder


def squash(text: str) -> str:
    """Letters and digits only, lower case: immune to line breaks, hyphenation and ligatures."""
    return re.sub(r"[\W_]+", "", text.lower())


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_image_count(path: Path) -> int:
    """Image XObjects on all pages (the timeline is one)."""
    count = 0
    for page in pypdf.PdfReader(path).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                count += 1
    return count


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def style_block(styles_xml: str, style_id: str) -> str:
    m = re.search(rf'<w:style\b[^>]*w:styleId="{style_id}".*?</w:style>', styles_xml, re.S)
    assert m, style_id
    return m.group(0)


def assert_submission_docx(path: Path) -> None:
    """Line numbers, margins, page numbers and double spacing reach the output DOCX."""
    document = docx_part(path, "word/document.xml")
    sect = re.findall(r"<w:sectPr>.*?</w:sectPr>", document, re.S)[-1]
    assert re.search(r'<w:lnNumType [^>]*w:countBy="1"', sect)
    assert 'w:restart="continuous"' in sect
    assert re.search(r'<w:pgMar [^>]*w:top="1417"', sect) and 'w:left="1417"' in sect
    rid = re.search(r'<w:footerReference [^>]*r:id="([^"]+)"', sect)
    assert rid, "no footer reference in the output sectPr"
    rels = docx_part(path, "word/_rels/document.xml.rels")
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target, "footer relationship missing"
    footer = docx_part(path, f"word/{target.group(1)}")
    assert "PAGE" in footer
    styles = docx_part(path, "word/styles.xml")
    for sid in ("Normal", "BodyText", "FirstParagraph", "Compact", "Bibliography"):
        assert 'w:line="480" w:lineRule="auto"' in style_block(styles, sid), sid
    assert 'w:ascii="Times New Roman"' in styles


# ----------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Result]]:
    project = make_project(tmp_path_factory.mktemp("fixture"))
    result = glutlint(project, "build", "--force", "--to", "pdf,docx,html")
    yield project, result


def test_build_writes_the_outputs_and_reports_each_step(built: tuple[Path, Result]) -> None:
    project, result = built
    assert result.code == 0, result.err
    for name in ("review.pdf", "review.docx", "review.html", "figures/timeline.png"):
        assert (project / "build" / name).is_file(), name
    steps = [line.split()[0] for line in result.err.splitlines() if re.search(r"\d s\b", line)]
    assert {"figure", "citations", "docx", "pdf", "html", "total"} <= set(steps)
    assert not list((project / "build").rglob("*.tmp")), "temporary files left behind"


def test_pdf_has_title_sections_citations_references_and_figure(
    built: tuple[Path, Result],
) -> None:
    project, _ = built
    pdf = project / "build/review.pdf"
    text = pdf_text(pdf)
    flat = squash(text)
    for needle in (
        "Fixture Review of Glutamate Drugs",
        "Ada Example",
        "Abstract",
        "Keywords",
        "1 Introduction",
        "2 Outlook",
        "References",
        "Table 1",
        "Figure 1",
    ):
        assert squash(needle) in flat, needle
    assert "[@" not in text and "alpha2019" not in text
    refs = flat[flat.rindex("references") :]
    assert squash("Alphonse M, Berg T. Fast-acting treatments for resistant depression") in refs
    assert squash("Bettany C. No approved glutamate drugs yet") in refs
    assert not re.search(r"\b\d References", text), "References must stay unnumbered"
    figures = pdf.parent / "figures"  # the PDF embeds the vector (SVG) figure
    assert (figures / "timeline.svg").read_bytes().startswith(b"<svg")
    assert (figures / "timeline.pdf").read_bytes().startswith(b"%PDF")
    width = int.from_bytes((figures / "timeline.png").read_bytes()[16:20], "big")
    assert width >= 3779, "the PNG figure is under 600 dpi at 16 cm"
    meta = pypdf.PdfReader(pdf).metadata
    assert meta.title == "Fixture Review of Glutamate Drugs"


def test_docx_is_ready_for_submission(built: tuple[Path, Result]) -> None:
    project, _ = built
    path = project / "build/review.docx"
    assert_submission_docx(path)
    paragraphs = docx_paragraphs(path)
    styles = {style for style, _ in paragraphs}
    assert {"Title", "Heading 1", "Abstract", "Bibliography"} <= styles
    text = "\n".join(t for _, t in paragraphs)
    assert "Fixture Review of Glutamate Drugs" in text and "Ada Example" in text
    assert "Keywords: glutamate; depression" in text
    assert "[@" not in text and "alpha2019" not in text
    bib = " ".join(t for s, t in paragraphs if s == "Bibliography")
    assert "Alphonse M" in bib and "Bettany C" in bib
    document = docx_part(path, "word/document.xml")
    assert "<wp:inline" in document and "<a:blip" in document, "figure not an inline drawing"
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        timeline = (project / "build/figures/timeline.png").read_bytes()
        assert any(z.read(n) == timeline for n in media), "the DOCX lacks the built timeline"
    assert "Fixture review" in docx_part(path, "word/header1.xml")
    tables = docx.Document(str(path)).tables
    assert tables and tables[0].cell(2, 1).text == "First approval"


def test_html_is_self_contained(built: tuple[Path, Result]) -> None:
    project, _ = built
    html = (project / "build/review.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml;base64," in html
    assert "Fixture Review of Glutamate Drugs" in html and "[@" not in html


def test_crossreferences_become_figure_and_table_numbers(tmp_path: Path) -> None:
    text = MANUSCRIPT.replace("Table 1 lists", "@tbl:events lists").replace(
        "and Figure 1 draws", "and [@fig:timeline] draws"
    )
    text = text.replace("[@alpha2019; @beta2017].", "[@alpha2019; @beta2017]. {#tbl:events}")
    project = make_project(tmp_path / "p", text)
    result = glutlint(project, "build", "--force", "--to", "docx,pdf")
    assert result.code == 0, result.err
    assert "fig:timeline" not in result.err  # citeproc never saw it as a citation
    body = " ".join(t for _, t in docx_paragraphs(project / "build/review.docx"))
    assert "Table 1 lists both events and Figure 1 draws them" in body
    assert squash("Table 1 lists both events and Figure 1 draws them") in squash(
        pdf_text(project / "build/review.pdf")
    )


def test_timeline_follows_the_ledger(built: tuple[Path, Result]) -> None:
    from glutlint.build.timeline import load_events, timeline_json

    project, _ = built
    png = (project / "build/figures/timeline.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    events = load_events(project / "refs/facts.yaml", "refs/facts.yaml")
    assert [e.id for e in events] == ["none-approved", "first-approval"]  # chronological
    rows = __import__("json").loads(timeline_json(events))["rows"]
    assert rows[0]["superseded"] and rows[0]["as_of"]
    assert rows[0]["superseded_by"] == ["First glutamate drug approved (2019)"]
    assert not rows[1]["superseded"]


# ----------------------------------------------------------------------------- failures


def test_failed_build_leaves_previous_outputs_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert glutlint(project, "build", "--force").code == 0
    before = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}

    # Fails before anything is written: an unknown CSL style in the configuration.
    bad_csl = PYPROJECT.replace("[tool.glutlint]\n", '[tool.glutlint]\ncsl = "no-such-style"\n')
    (project / "pyproject.toml").write_text(bad_csl, encoding="utf-8")
    result = glutlint(project, "build", "--force")
    assert result.code == 2
    assert "unknown CSL style 'no-such-style'" in result.err
    assert "Traceback" not in result.err

    # Fails after the figure and the DOCX were produced: broken raw Typst breaks the PDF.
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    broken = MANUSCRIPT.replace("# Outlook", "```{=typst}\n#let broken = (\n```\n\n# Outlook")
    (project / "manuscript/review.md").write_text(broken, encoding="utf-8")
    result = glutlint(project, "build", "--force")
    assert result.code == 2 and "typst failed" in result.err
    assert len(result.err.strip().splitlines()[-1].split("\n")) == 1

    after = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    assert after == before, "a failed build changed or left files in build/"


def test_bad_facts_yaml_is_a_one_line_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "refs/facts.yaml").write_text("facts:\n  - id: a\n    label: [oops\n")
    result = glutlint(project, "build", "--force", "--to", "docx")
    assert result.code == 2
    assert re.search(r"facts\.yaml:\d+: invalid YAML", result.err), result.err
    assert not (project / "build/review.docx").exists()


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = glutlint(project, "build", "--force", "--to", "pdf,odt")
    assert result.code == 2 and "unknown format 'odt'" in result.err


def test_images_outside_the_project_are_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    secret = b"\x89PNG\r\n\x1a\nTOP-SECRET-BYTES-" + os.urandom(16).hex().encode()
    (tmp_path / "secret.png").write_bytes(secret)
    targets = ["/etc/hostname", "../secret.png", str(tmp_path / "secret.png"),
               "figures/link.png", "pyproject.toml"]  # fmt: skip
    for target in targets:
        project = make_project(
            tmp_path / f"p{targets.index(target)}",
            MANUSCRIPT.replace(
                "The field keeps moving", f"![x]({target})\n\nThe field keeps moving"
            ),
        )
        (project / "figures").mkdir(exist_ok=True)
        (project / "figures/link.png").symlink_to(tmp_path / "secret.png")
        result = glutlint(project, "build", "--force", "--to", "docx,pdf,html")
        assert result.code == 2, (target, result.err)
        last = result.err.strip().splitlines()[-1]
        assert last.startswith("manuscript/") and "not an image file inside the project" in last
        assert str(tmp_path) not in last, "no machine path in the message"
        assert not (project / "build" / "review.docx").exists(), "nothing is written"
        assert not (project / "build" / "review.pdf").exists()


def test_refuses_to_build_while_the_checker_reports_errors(tmp_path: Path) -> None:
    try:
        from glutlint.engine import run_check  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the checker (glutlint.engine.run_check) is not importable yet: {exc}")
    clean = make_project(tmp_path / "clean")
    result = glutlint(clean, "build", "--to", "docx")
    assert result.code == 0, result.out + result.err  # the fixture itself passes the checker
    assert re.search(r"^check +\d+\.\d\d s +0 error", result.err, re.M), result.err

    bad = MANUSCRIPT.replace("[@beta2017]", "[@nosuchkey2099]")
    project = make_project(tmp_path / "p", bad)
    result = glutlint(project, "build")
    assert result.code == 1, result.err
    assert "nosuchkey2099" in result.out
    assert re.search(r"^\S+:\d+:\d+: [A-Z]+\d+ ", result.out, re.M), result.out
    assert "refused" in result.err
    assert not (project / "build").exists()
    forced = glutlint(project, "build", "--force", "--to", "docx")
    assert forced.code == 0 and "--force" in forced.err
    assert (project / "build/review.docx").is_file()


def test_output_folder_option(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = glutlint(project, "build", "--force", "--to", "pdf", "-o", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert (tmp_path / "out/review.pdf").is_file()
    assert (tmp_path / "out/figures/timeline.png").is_file()
    assert not (project / "build").exists()


def test_reference_docx_is_reproducible() -> None:
    from glutlint.build.docx import reference_docx

    first, second = reference_docx("Running"), reference_docx("Running")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert '<w:lnNumType w:countBy="1" w:restart="continuous" />' in z.read(
            "word/document.xml"
        ).decode("utf-8")


@pytest.mark.skipif(
    shutil.which("xelatex") is not None or shutil.which("tectonic") is not None,
    reason="a LaTeX engine is installed here",
)
def test_latex_engine_missing_is_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    result = glutlint(project, "build", "--force", "--to", "pdf", "--pdf-engine", "xelatex")
    assert result.code == 2 and "xelatex is not on PATH" in result.err


# ----------------------------------------------------------------------------- flagship


def _flagship_files() -> list[Path]:
    folder = REPO / "manuscript"
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


@pytest.mark.skipif(not _flagship_files(), reason="manuscript/ is empty: no flagship to build")
def test_flagship_manuscript_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = glutlint(REPO, "build", "--force", "--no-cache", "-o", str(out))
    assert result.code == 0, result.err
    files = _flagship_files()
    source = "\n".join(p.read_text(encoding="utf-8") for p in files)
    body = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
    title = re.search(r'^title:\s*"?(.+?)"?\s*$', source, re.M)
    headings = re.findall(r"^#{1,3} (.+?)\s*(?:\{[^}]*\})?\s*$", body, re.M)
    cited = set(re.findall(r"@([A-Za-z][\w:.-]*\w)", body)) - {
        k for k in re.findall(r"@((?:fig|tbl|sec):[\w-]+)", body)
    }

    text = pdf_text(out / "review.pdf")
    flat = squash(text)
    assert title and squash(title.group(1)) in flat
    for heading in headings:
        assert squash(heading) in flat, heading
    assert "[@" not in text
    for key in cited:
        assert key not in text, f"unresolved citation {key}"
    references = flat[flat.rindex("references") :]
    bib = (REPO / "refs/references.bib").read_text(encoding="utf-8")
    for key in cited:
        entry = re.search(rf"@\w+\{{{re.escape(key)},(.*?)\n\}}", bib, re.S)
        assert entry, f"{key} cited but not in the bibliography"
        surname = re.search(r"author\s*=\s*\{([^,}]+)", entry.group(1)).group(1)
        assert squash(surname) in references, f"{key} missing from the PDF references"
    # AMA: abbreviated journal names from the bibliography, "Jr" without a period, a complete
    # web citation (update date kept in its capitals, access date, URL)
    for part in (
        "Nat Rev Drug Discov. 2008;7(5):426-437.",
        "Int J Neuropsychopharmacol. 2019;22(2):119-135.",
        "Zarate CA Jr,",
        "Updated August 8, 2018.",
        "Accessed November 26, 2020.",
        "https://psychcentral.com/news/2017/03/18/",
    ):
        assert squash(part) in references, part
    assert "Updated August 8, 2018" in " ".join(text.split())  # not sentence-cased
    assert (out / "figures" / "timeline.svg").is_file()

    path = out / "review.docx"
    assert_submission_docx(path)
    assert "<wp:inline" in docx_part(path, "word/document.xml")
    bib_paragraphs = [t for s, t in docx_paragraphs(path) if s == "Bibliography"]
    assert len(bib_paragraphs) == len(cited)


def test_citation_marks_follow_punctuation_for_superscript_styles() -> None:
    from glutlint.build.citemarks import is_superscript_style, punctuation_first
    from glutlint.build.csl import styles_dir

    ama = styles_dir() / "american-medical-association.csl"  # type: ignore[operator]
    assert is_superscript_style(ama)
    cite = {"t": "Cite", "c": [[], [{"t": "Str", "c": "1"}]]}
    para = {
        "t": "Para",
        "c": [{"t": "Str", "c": "text"}, {"t": "Space"}, cite, {"t": "Str", "c": ".x"}],
    }
    out = punctuation_first({"meta": {}, "blocks": [para]})["blocks"][0]["c"]
    assert [n["t"] for n in out] == ["Str", "Str", "Cite", "Str"]
    assert out[1]["c"] == "." and out[3]["c"] == "x"


def test_title_page_from_front_matter_with_word_counts() -> None:
    from glutlint.build.titlepage import WordCounts, title_page

    def s(text: str) -> dict:
        return {"t": "MetaInlines", "c": [{"t": "Str", "c": text}]}

    author = {
        "name": s("Doe"),
        "affiliation": {"t": "MetaList", "c": [s("1")]},
        "orcid": s("0000-0002-1825-0097"),
        "email": s("doe@example.org"),
        "corresponding": {"t": "MetaBool", "c": True},
    }
    meta = {
        "author": {"t": "MetaList", "c": [{"t": "MetaMap", "c": author}]},
        "affiliations": {
            "t": "MetaList",
            "c": [{"t": "MetaMap", "c": {"id": s("1"), "name": s("Institute")}}],
        },
    }
    text = json.dumps(title_page(meta, WordCounts(201, 3456)))
    for needle in (
        "Institute",
        "orcid.org/0000-0002-1825-0097",
        "mailto:doe@example.org",
        '"3456"',
        '"201"',
        "Corresponding",
    ):
        assert needle in text, needle
    assert title_page({"author": s("Plain")}, WordCounts(1, 1)) is None
    # an iD given as its link is linked once, not as orcid.org/https://orcid.org/...
    author["orcid"] = s("https://orcid.org/0000-0002-1825-0097")
    text = json.dumps(title_page(meta, WordCounts(201, 3456)))
    assert '"https://orcid.org/0000-0002-1825-0097"' in text and "org/https" not in text


def test_docx_headings_are_numbered_by_style_not_typed(built: tuple[Path, Result]) -> None:
    """Word numbers Heading 1-3 through their style (a multilevel list in numbering.xml); the
    digits are never typed into the heading text, and `{-}` headings stay unnumbered."""
    project, _ = built
    path = project / "build/review.docx"
    styles = docx_part(path, "word/styles.xml")
    for level in (1, 2, 3):
        assert "<w:numId w:val=" in style_block(styles, f"Heading{level}")
        assert '<w:numId w:val="0"' in style_block(styles, f"UnnumberedHeading{level}")
    numbering = docx_part(path, "word/numbering.xml")
    assert '<w:lvlText w:val="%1.%2" />' in numbering
    headings = [(s, t) for s, t in docx_paragraphs(path) if "Heading" in s]
    assert headings and all(not re.match(r"\d", t) for _, t in headings), headings
    assert any(s.startswith("Heading") for s, _ in headings)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not on PATH")
def test_flagship_docx_in_libreoffice_title_page_first_headings_numbered(tmp_path: Path) -> None:
    """The journal office's view: LibreOffice opens the DOCX, page 1 holds the title page (no
    abstract), and the numbered headings read "1 Introduction", "1.1 ..."."""
    out = tmp_path / "out"
    assert glutlint(REPO, "build", "--no-cache", "--to", "docx", "-o", str(out)).code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out / "review.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    pdf = tmp_path / "review.pdf"
    pages = [p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages]
    title = re.search(r'^title:\s*"?(.+?)"?\s*$', _flagship_files()[0].read_text(), re.M)
    assert title and squash(title.group(1)) in squash(pages[0])
    assert "Word count" in pages[0] and "Background" not in pages[0]
    text = "\n".join(pages)
    assert re.search(r"(?m)^\s*1\s+Introduction", text), text[:3000]
    assert re.search(r"(?m)^\s*1\.1\s+\S", text)
    assert not re.search(r"(?m)^\s*\d+\s+Key Points", text)
