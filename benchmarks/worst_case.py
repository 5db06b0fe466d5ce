"""Worst-case growth of `glutlint check`: is its cost linear in what it reads?

Why: a check that is fast on the flagship can still be quadratic somewhere, and a hostile or
unlucky input (a paragraph of thousands of sentences, a multi-megabyte line) then hangs an
editor or a commit hook. Each case is a project made from this repository's manuscript, refs/
and seeds/, checked as a whole process, cold (no cache) and warm (the same files again):

- the manuscript 10x and 50x as long, every copy with its own numbers, so no two paragraphs
  are the same (distinct claims: nothing is answered from the cache of another copy);
- one paragraph of 2,000 and one of 8,000 sentences, on one line and one sentence per line
  (a paragraph wrapped over thousands of lines: every line start is a word the alignment of
  pandoc's text with the file must step over; the 8,000 repeat themselves, as no real text
  does, so the alignment has few unique runs to anchor on);
- one line of 5 MB.

Goals (issue: linear in the worst case): 50x / 10x <= 6x cold and warm; 8,000 / 2,000
sentences <= 6x, on one line and one per line; a 5 MB line finishes, or is refused with one
clear line, within 30 s.
Prints a table and writes it to benchmarks/worst_case.md.

Usage: .venv/bin/python benchmarks/worst_case.py [--runs N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "worst_case.md"
LIMIT_5MB = 30.0
SENTENCE = "Ketamine reduced depressive symptoms by {n}% within {h} hours [@sanacora2008]. "


def _base(root: Path) -> None:
    for name in ("seeds", "refs", "manuscript"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")


def scaled(root: Path, times: int) -> Path:
    """The manuscript `times` as long; every copy's numbers shifted so paragraphs differ."""
    _base(root)
    body = sorted((root / "manuscript").glob("*.md"))[1:]  # the front matter file once
    for copy in range(1, times):

        def shift(m: re.Match[str], copy: int = copy) -> str:
            return str(int(m.group()) + copy)

        for path in body:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?<![\w.@-])\d{1,3}(?![\w.%-])", shift, text)
            (path.parent / f"{path.stem}-{copy:03d}.md").write_text(text, encoding="utf-8")
    return root


def one_paragraph(root: Path, sentences: int, per_line: bool = False) -> Path:
    _base(root)
    each = SENTENCE.rstrip() + "\n" if per_line else SENTENCE
    text = "".join(each.format(n=i % 97, h=i % 23) for i in range(sentences))
    (root / "manuscript" / "99-long.md").write_text("\n" + text + "\n", encoding="utf-8")
    return root


def one_line(root: Path, size: int) -> Path:
    _base(root)
    unit = "word 12 and [link](x) *em* "
    (root / "manuscript" / "99-line.md").write_text(
        "\n" + unit * (size // len(unit)) + "\n", encoding="utf-8"
    )
    return root


def check(root: Path, cold: bool, timeout: float) -> tuple[float, int, str]:
    args = [sys.executable, "-m", "glutlint", "check", "--exit-zero"]
    if cold:
        shutil.rmtree(root / ".glutlint_cache", ignore_errors=True)
    start = time.perf_counter()
    try:
        r = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, -1, "timed out"
    return time.perf_counter() - start, r.returncode, r.stderr.strip()[-200:]


def median(root: Path, cold: bool, runs: int, timeout: float = 900) -> float:
    times = []
    for _ in range(runs):
        seconds, code, err = check(root, cold, timeout)
        if code not in (0, 1):
            raise SystemExit(f"check failed in {root.name}: {code} {err}")
        times.append(seconds)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args(argv)
    rows: list[str] = []
    goals: list[str] = []
    with tempfile.TemporaryDirectory(prefix="glutlint-worst-") as tmp:
        t = Path(tmp)
        x10, x50 = scaled(t / "x10", 10), scaled(t / "x50", 50)
        cold = {n: median(p, True, a.runs) for n, p in (("10x", x10), ("50x", x50))}
        warm = {n: median(p, False, a.runs) for n, p in (("10x", x10), ("50x", x50))}
        for n in ("10x", "50x"):
            rows.append(f"| manuscript {n} | {cold[n]:.2f} s | {warm[n]:.2f} s |")
        for kind, times in (("cold", cold), ("warm", warm)):
            ratio = times["50x"] / times["10x"]
            goals.append(
                f"- 50x / 10x {kind}: {ratio:.2f}x (goal <= 6x) "
                f"{'met' if ratio <= 6 else 'NOT met'}"
            )
        for per_line, how in ((False, "one line"), (True, "one sentence per line")):
            tag = "lines" if per_line else "line"
            p2 = one_paragraph(t / f"p2000-{tag}", 2000, per_line)
            p8 = one_paragraph(t / f"p8000-{tag}", 8000, per_line)
            c2, c8 = median(p2, True, a.runs), median(p8, True, a.runs)
            rows.append(f"| one paragraph, 2,000 sentences, {how} | {c2:.2f} s | |")
            rows.append(f"| one paragraph, 8,000 sentences, {how} | {c8:.2f} s | |")
            goals.append(
                f"- 8,000 / 2,000 sentences, {how}: {c8 / c2:.2f}x (goal <= 6x) "
                f"{'met' if c8 / c2 <= 6 else 'NOT met'}"
            )
        line = one_line(t / "line", 5 * 1024 * 1024)
        seconds, code, err = check(line, True, timeout=300)
        said = "finished" if code in (0, 1) else f"exit {code}: {err}"
        rows.append(f"| one line of 5 MB | {seconds:.2f} s ({said}) | |")
        goals.append(
            f"- 5 MB line: {seconds:.1f} s, {said} (goal <= {LIMIT_5MB:.0f} s) "
            f"{'met' if seconds <= LIMIT_5MB and code in (0, 1, 2) else 'NOT met'}"
        )
    out = "\n".join(
        [
            "# Worst-case growth of `glutlint check`",
            "",
            f"Medians of {a.runs} whole-process runs; written by benchmarks/worst_case.py.",
            "",
            "| input | cold | warm |",
            "|---|---:|---:|",
            *rows,
            "",
            *goals,
            "",
        ]
    )
    print(out)
    RESULTS.write_text(out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
