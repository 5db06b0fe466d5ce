"""PDF sources: a real three-column government PDF, PDFs typeset here, and broken PDFs.

tests/fixtures/pdf/SOURCES.md says where each real PDF comes from.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import one_file_review
from glutlint.errors import InputError
from glutlint.readers import read, sniff
from glutlint.sources import load_source

ROOT = Path(__file__).resolve().parents[1]
PDFS = Path(__file__).parent / "fixtures" / "pdf"
REGISTER = PDFS / "federal-register-2020-17221.pdf"
LOCKED = PDFS / "password-example.pdf"


def _read(path: Path):
    return read(path.read_bytes(), path, path.name)


def _refused(data: bytes, tmp_path: Path) -> InputError:
    p = tmp_path / "x.pdf"
    p.write_bytes(data)
    with pytest.raises(InputError) as err:
        read(data, p, "x.pdf")
    assert err.value.path == "x.pdf" and "\n" not in str(err.value)
    return err.value


def test_three_columns_are_read_column_by_column() -> None:
    r = _read(REGISTER)
    assert r.format == "pdf" and sniff(REGISTER.read_bytes(), REGISTER) == "pdf"
    i = r.lines.index("This section of the FEDERAL REGISTER")
    assert r.lines[i + 1] == "contains notices to the public of the proposed"
    j = r.lines.index("SUMMARY : The FAA proposes to")
    assert r.lines[j + 1] == "supersede Airworthiness Directive (AD)"
    assert r.places[j].page == 1 and r.places[j].line == j + 1


def test_running_heads_of_a_real_pdf_are_furniture() -> None:
    r = _read(REGISTER)
    heads = [r.lines[f.first - 1] for f in r.furniture if f.why == "running head"]
    assert sum("Vol. 85, No. 152" in h for h in heads) >= 5
    assert all("FAA proposes" not in h for h in heads)


def test_a_real_pdf_as_evidence_with_pages() -> None:
    src = load_source("faa2020", REGISTER, None)
    at = src.text.index("2018-23-51, which applies to all The Boeing Company Model 737-8")
    assert str(src.place_at(at)) == "p1:24"
    assert "Vol. 85, No. 152 / Thursday" not in src.text  # running heads are not evidence


def test_an_encrypted_real_pdf_is_refused(tmp_path: Path) -> None:
    err = _refused(LOCKED.read_bytes(), tmp_path)
    assert err.message.startswith("encrypted PDF")


def _typeset(tmp_path: Path, body: str, columns: int = 2) -> Path:
    import typst

    src = tmp_path / "doc.typ"
    src.write_text(
        f"""#set page(paper: "a5", columns: {columns}, margin: 1.5cm,
  header: [#set text(7pt); Journal of Tests #h(1fr) Running Head],
  footer: context [#h(1fr) #counter(page).display() #h(1fr)])
#set text(size: 8pt, hyphenate: true, lang: "en")
#set par(justify: true)
{body}
""",
        encoding="utf-8",
    )
    out = tmp_path / "doc.pdf"
    out.write_bytes(typst.compile(str(src)))
    return out


def _name(i: int) -> str:
    return "".join(chr(65 + (i // 26**k) % 26) for k in range(3))


def _paragraphs(n: int) -> str:
    return "\n\n".join(
        f"Paragraph {_name(i)} says that the response rate in cohort {i} was {i + 10}% "
        f"after {i + 2} weeks in trial {_name(i + 7)}, with {i * 7 + 3} participants of "
        f"site {_name(i + 3)} followed up {_name(i + 5)} carefully by {_name(i + 11)}."
        for i in range(n)
    )


def test_a_typeset_two_column_pdf_reads_in_order_with_places(tmp_path: Path) -> None:
    pdf = _typeset(tmp_path, _paragraphs(70))
    r = _read(pdf)
    text = " ".join(r.lines)
    positions = [text.find(f"Paragraph {_name(i)} says") for i in range(70)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    why = {r.lines[f.first - 1]: f.why for f in r.furniture}
    assert why.get("Journal of Tests") == why.get("Running Head") == "running head"
    assert why.get("2") == "page number"
    assert set(why.values()) == {"running head", "page number"}
    assert not [x for x in why if "Paragraph" in x or "cohort" in x]
    pages = [p.page for p in r.places]
    assert pages == sorted(pages) and max(pages) >= 3
    src = load_source("k", pdf, None)
    assert "Running Head" not in src.text
    at = src.text.index("cohort 31 was 41% after 33 weeks")
    place = src.place_at(at)
    assert place.page >= 2 and r.lines[r.places.index(place)].strip()


def test_a_pdf_without_text_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    assert "without a text layer" in _refused(buf.getvalue(), tmp_path).message


def test_a_pdf_encrypted_here_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(_typeset(tmp_path, _paragraphs(2))).pages:
        w.add_page(page)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    assert _refused(buf.getvalue(), tmp_path).message.startswith("encrypted PDF")


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    data = _typeset(tmp_path, _paragraphs(2)).read_bytes()
    assert _refused(data[: len(data) // 3], tmp_path).message.startswith("cannot read PDF")
    assert _refused(b"%PDF-1.7\nnot really a PDF\n", tmp_path).message.startswith("cannot read")


def test_a_500_page_pdf_is_refused_before_reading(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(500):
        w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    assert "500 pages" in _refused(buf.getvalue(), tmp_path).message


def test_check_against_a_pdf_source_points_at_page_and_line(tmp_path: Path) -> None:
    pdf = _typeset(tmp_path, _paragraphs(70))
    one_file_review(tmp_path, 'partial_sources = "strict"\n')
    (tmp_path / "refs.bib").write_text(
        "@article{doe2020,\n  author = {Doe, Jane},\n  title = {Cohorts},\n"
        "  year = {2020},\n  file = {doc.pdf}\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "ms.md").write_text(
        "# Results\n\nIn cohort 31 the response rate was 41% after 33 weeks [@doe2020].\n\n"
        "The response rate was 91% in cohort 12 [@doe2020].\n",
        encoding="utf-8",
    )
    assert pdf.name == "doc.pdf"
    r = subprocess.run(
        [sys.executable, "-m", "glutlint", "check", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )
    assert r.returncode == 1, r.stderr
    lines = [x for x in r.stdout.splitlines() if "GL201" in x]
    assert len(lines) == 1 and lines[0].startswith("ms.md:5:"), r.stdout
    assert "91% not in doe2020" in lines[0] and "(doc.pdf:p1:" in lines[0], lines[0]


def test_a_doi_cut_by_a_line_break_is_read_whole(tmp_path: Path) -> None:
    body = "#block(width: 4.1cm)[doi: 10.1371/journal.pntd.#linebreak()0002065]\n\n"
    r = _read(_typeset(tmp_path, body + _paragraphs(4), columns=1))
    i = r.lines.index("doi: 10.1371/journal.pntd.")
    assert r.lines[i + 1] == "0002065"  # two lines on the page, one DOI
    assert r.meta["doi"] == "10.1371/journal.pntd.0002065"
    from glutlint.readers.pdf import _DOI_RE

    m = _DOI_RE.search("https://doi.org/10.1186/1471-2180-11-174.\nMore text")
    assert m is not None and m.group(1) == "10.1186/1471-2180-11-174."
