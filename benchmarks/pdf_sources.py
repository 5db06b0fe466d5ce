"""Benchmark `glutlint check` with 50 real-size PDF sources (10 to 20 pages each).

Why: authors keep PDFs, and a first check (CI, a fresh clone) reads every one of them. The
sources are typeset here with typst from the seeds' real sentences (shuffled, numbers swapped,
as benchmarks/run.py makes its text sources): two columns, hyphenation, running heads and page
numbers, like a journal's PDF. The flagship manuscript cites ten of them.

Timed side by side, interleaved, medians of RUNS whole-process runs:
- cold, workers: no cache, sources read in one worker process per core;
- cold, one process: no cache, GLUTLINT_JOBS=1;
- warm: the cache from the run before, one paragraph of the manuscript rewritten;
- flagship warm: the flagship alone (5 text sources), the same edit, for the ratio.

Usage: .venv/bin/python benchmarks/pdf_sources.py [--runs N] [--sources N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    ENV,
    PYPROJECT,
    REPO,
    SEED,
    bib_entry,
    manuscript_parts,
    read_corpus,
    synthetic_source,
)

BIN = Path(sys.executable).parent
RUNS = 3
SOURCES = 50
CITED = 10
TEMPLATE = """#set page(paper: "a4", margin: (x: 1.8cm, y: 2.2cm), columns: 2,
  header: context {{ if counter(page).get().first() > 1 [
    #set text(8pt)
    {head} #h(1fr) Vol. {vol}
  ] }},
  footer: context [#set text(8pt); #h(1fr) #counter(page).display() #h(1fr)])
#set text(font: "Libertinus Serif", size: 9.5pt, lang: "en", hyphenate: true)
#set par(justify: true)
#place(top + center, scope: "parent", float: true)[
  #text(15pt, weight: "bold")[{title}]
]
{body}
"""


def _typst_escape(s: str) -> str:
    for ch in "\\#$*_`<>@[]~=/":
        s = s.replace(ch, "\\" + ch)
    return s


def make_pdf(path: Path, rng: random.Random, pages: int, title: str) -> str:
    """A typeset article of about `pages` pages; returns its first sentence."""
    import typst

    corpus = read_corpus()
    paragraphs: list[str] = []
    first = ""
    words = 0
    while words < pages * 900:  # two 9.5 pt columns hold about 900 words a page
        text, sentences = synthetic_source(rng, corpus)
        first = first or sentences[0]
        for para in text.split("\n\n"):
            flat = " ".join(para.split())
            if flat:
                paragraphs.append(_typst_escape(flat))
                words += len(flat.split())
    src = path.with_suffix(".typ")
    src.write_text(
        TEMPLATE.format(
            head=_typst_escape(title[:60]),
            vol=rng.randint(1, 60),
            title=_typst_escape(title),
            body="\n\n".join(paragraphs),
        ),
        encoding="utf-8",
    )
    path.write_bytes(typst.compile(str(src)))
    src.unlink()
    return first


def make_project(root: Path, n: int) -> None:
    rng = random.Random(SEED)
    corpus = read_corpus()
    for folder in ("refs", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    ms = root / "manuscript"
    ms.mkdir()
    front, body, refs = manuscript_parts()
    for f in [*front, *body]:
        shutil.copyfile(f, ms / f"a-{f.name}")
    (root / "pdf").mkdir()
    entries, cited = [], []
    for i in range(n):
        key = f"pdf{i:03d}"
        title = rng.choice(corpus.sentences).rstrip(".")[:90]
        first = make_pdf(root / "pdf" / f"{key}.pdf", rng, rng.randint(10, 20), title)
        entries.append(bib_entry(rng, corpus, key, f"pdf/{key}.pdf"))
        if i < CITED:
            cited.append(f"{first.rstrip('.')} [@{key}].")
    with (root / "refs/references.bib").open("a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join(entries))
    (ms / "c-pdf.md").write_text("# Further Sources\n\n" + "\n\n".join(cited) + "\n")
    for f in refs:
        shutil.copyfile(f, ms / f"d-{f.name}")


def flagship(root: Path) -> None:
    for folder in ("refs", "seeds", "manuscript"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")


def edit(root: Path, n: int) -> None:
    """Rewrite one paragraph, as a commit hook sees it."""
    f = sorted((root / "manuscript").glob("*introduction*.md"))[0]
    text = f.read_text(encoding="utf-8").rstrip("\n").rsplit("\n\nEdit ", 1)[0]
    f.write_text(f"{text}\n\nEdit {n} of this paragraph has no claim in it.\n")


def run(root: Path, extra_env: dict[str, str] | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "glutlint"), "check"],
        cwd=root,
        env={**ENV, **(extra_env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 2:
        raise SystemExit(f"glutlint check failed: {proc.stderr.strip()}")
    return time.perf_counter() - start, proc.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--sources", type=int, default=SOURCES)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="glutlint-pdfbench-") as tmp:
        pdfs, flag = Path(tmp) / "pdfs", Path(tmp) / "flagship"
        t0 = time.perf_counter()
        make_project(pdfs, args.sources)
        flagship(flag)
        size = sum(p.stat().st_size for p in (pdfs / "pdf").glob("*.pdf"))
        pages = _pages(pdfs / "pdf")
        print(
            f"{args.sources} PDFs, {pages} pages, {size / 1e6:.1f} MB, "
            f"typeset in {time.perf_counter() - t0:.0f} s",
            flush=True,
        )
        times: dict[str, list[float]] = {k: [] for k in ("cold", "cold1", "warm", "flag")}
        for i in range(args.runs):
            for label, env in (("cold", None), ("cold1", {"GLUTLINT_JOBS": "1"})):
                shutil.rmtree(pdfs / ".glutlint_cache", ignore_errors=True)
                times[label].append(run(pdfs, env)[0])
            edit(pdfs, i)
            times["warm"].append(run(pdfs)[0])
            run(flag)
            edit(flag, i)
            times["flag"].append(run(flag)[0])
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"cold check, one worker per core ({os.cpu_count()}): {med['cold']:.2f} s")
        print(f"cold check, one process:                {med['cold1']:.2f} s")
        print(f"warm check (one paragraph edited):      {med['warm']:.2f} s")
        print(f"flagship warm check (5 text sources):   {med['flag']:.2f} s")
        print(f"ratios: cold workers / one process {med['cold'] / med['cold1']:.2f}; ")
        print(f"        warm with 50 PDFs / flagship warm {med['warm'] / med['flag']:.2f}")
    return 0


def _pages(folder: Path) -> int:
    import pypdfium2 as pdfium

    total = 0
    for p in folder.glob("*.pdf"):
        doc = pdfium.PdfDocument(p)
        total += len(doc)
        doc.close()
    return total


if __name__ == "__main__":
    raise SystemExit(main())
