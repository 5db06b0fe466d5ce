"""Furniture found, not listed: what is never evidence, in any source format.

The seeds are real pages (PubMed records, a news page, a journal article) written by others;
their sidecar ranges were set by hand, so they tell whether the finder drops only furniture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import one_file_review
from glutlint.cache import Store
from glutlint.errors import InputError
from glutlint.readers.furniture import find, heading_key, is_heading
from glutlint.sidecar import SourceSettings, Span, load_sidecar
from glutlint.sources import (
    load_source,
    load_sources,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def _seed_files() -> dict[str, Path]:
    import re

    bib = (ROOT / "refs" / "references.bib").read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"@\w+\{([^,]+),(.*?)\n\}", bib, re.DOTALL):
        f = re.search(r"file\s*=\s*\{([^}]+)\}", m.group(2))
        if f:
            out[m.group(1)] = ROOT / f.group(1)
    return out


SEED_FILES = _seed_files()


def test_found_furniture_is_inside_what_the_seed_authors_excluded_by_hand() -> None:
    sidecar = load_sidecar(SEEDS / "sources.yaml")
    for key, path in SEED_FILES.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        by_hand = {n for s in sidecar[key].exclude for n in range(s.first, s.last + 1)}
        for f in find(lines):
            outside = [n for n in range(f.first, f.last + 1) if n not in by_hand and lines[n - 1]]
            assert not outside, (key, f, [lines[n - 1] for n in outside])


def test_database_lists_affiliations_and_declarations_are_found_in_the_seeds() -> None:
    found = {k: find(p.read_text(encoding="utf-8").split("\n")) for k, p in SEED_FILES.items()}
    whys = {k: {f.why for f in fs} for k, fs in found.items()}
    assert "database list" in whys["kadriu2019"] and "database list" in whys["henter2021"]
    assert {"affiliations", "declarations", "copyright"} <= whys["mcintyre2024"]
    assert not found["sanacora2008"]  # a full article's running text: nothing to drop


def test_without_a_sidecar_database_lists_are_not_evidence() -> None:
    text = load_source("kadriu2019", SEED_FILES["kadriu2019"], None).text
    assert "Similar articles" not in text and "Cited by" not in text
    assert "The underlying neurobiological basis" in text


REFS = """Results

The response rate was 41% in the treated group.

References

1. Smith AB, Jones C. A trial of something. J Clin Res. 2001;12:34-56.
2. Brown D, Green E. Another trial with 77 patients. Lancet. 2005;365:100-9.
3. White F. Long-term follow-up
   of the same cohort. BMJ. 2010;340:c123.

Figure legends

Figure 1. The response rate over 12 weeks in 120 patients.
"""


def test_a_reference_list_ends_at_the_next_heading_of_prose() -> None:
    lines = REFS.split("\n")
    [ref] = [f for f in find(lines) if f.why == "reference list"]
    assert lines[ref.first - 1] == "References"
    assert lines[ref.last - 1].strip() == "of the same cohort. BMJ. 2010;340:c123."
    assert lines[ref.last + 1] == "Figure legends"


def test_numbered_entries_without_a_heading_are_a_reference_list() -> None:
    body = REFS.replace("References\n\n", "")
    lines = body.split("\n")
    [ref] = [f for f in find(lines) if f.why == "reference list"]
    assert lines[ref.first - 1].startswith("1. Smith AB")
    two = "\n".join(body.split("\n")[:5])  # two entries are not yet a list
    assert not [f for f in find(two.split("\n")) if f.why == "reference list"]


def test_a_numbered_list_of_findings_is_not_a_reference_list() -> None:
    lines = [
        "1. Patients improved by 2005 standards in most sites.",
        "2. Response was 41% at week 6.",
        "3. Remission was 20% at week 12.",
    ]
    assert find(lines) == []


@pytest.mark.parametrize(
    "line",
    [
        "Conflict of interest: A.B. has received fees from a company.",
        "Funding: This work was supported by grant 123.",
        "Competing interests. None declared.",
    ],
)
def test_a_declaration_paragraph_is_found_by_its_lead(line: str) -> None:
    lines = ["Results were clear.", "", line, "It continues here.", "", "More results."]
    [f] = find(lines)
    assert (f.first, f.last, f.why) == (3, 4, "declarations")


def test_headings() -> None:
    assert heading_key("7. References:") == "references"
    assert heading_key("## Acknowledgments") == "acknowledgments"
    assert is_heading("Similar articles") and not is_heading("The trial ended.")


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "src.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_the_sidecar_keeps_what_the_finder_drops(tmp_path: Path) -> None:
    p = _write(tmp_path, REFS)
    assert "Smith AB" not in load_source("k", p, None).text
    kept = load_source("k", p, SourceSettings(keep=[Span(7, 10)])).text
    assert "Smith AB" in kept and "Brown D" in kept
    assert "References" not in kept  # the heading line was not kept


def test_pages_name_pdf_ranges_and_lines_text_ranges(tmp_path: Path) -> None:
    p = _write(tmp_path, REFS)
    with pytest.raises(InputError, match="pages are for PDF sources"):
        load_source("k", p, SourceSettings(exclude=[Span(1, 1, pages=True)]))
    with pytest.raises(InputError, match="past the end"):
        load_source("k", p, SourceSettings(exclude=[Span(1, 400)]))


def test_trace_sources_shows_what_is_not_evidence_and_why(tmp_path: Path) -> None:
    one_file_review(tmp_path)
    (tmp_path / "ms.md").write_text("# Results\n\nText.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(
        "@article{k,\n  title = {T},\n  year = {2001},\n  file = {src.txt}\n}\n", encoding="utf-8"
    )
    _write(tmp_path, REFS)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run(
        [sys.executable, "-m", "glutlint", "trace", "--sources", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == f"src.txt: k, text, {len(REFS.split(chr(10))) - 1} lines"
    assert "  not evidence 5-10: reference list" in r.stdout.splitlines()


def test_a_cold_read_in_worker_processes_equals_the_serial_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import glutlint.sources as sources

    items = [(k, p, p.name) for k, p in SEED_FILES.items()]
    settings = load_sidecar(SEEDS / "sources.yaml")
    serial = load_sources(items, settings, None)
    monkeypatch.setattr(sources, "PARALLEL_MIN_BYTES", 0)  # these five are small
    store = Store(tmp_path / "cache")
    parallel = load_sources(items, settings, store, jobs=2)
    assert all(store.has(f"source-{s.digest}") for s in parallel.values())  # done by workers
    for k in SEED_FILES:
        assert parallel[k].text == serial[k].text
        assert parallel[k].line_map == serial[k].line_map
        assert parallel[k].furniture == serial[k].furniture
