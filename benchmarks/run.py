"""Benchmark `glutlint check` as a whole process on synthetic projects grown from the flagship.

Why: glutlint runs on every save (editor, pre-commit) and in CI, so its cost must stay below a
plain prose linter's, grow linearly with the manuscript and barely with the number of sources.
Each project is built from this repository's manuscript/, refs/ and seeds/: the manuscript 1x,
10x and 50x as long (body files repeated), and 5, 50 or 500 sources (extra sources made by
shuffling the real seeds' sentences and numbers, added to the bibliography, some cited).

For every project the same run times, interleaved: `glutlint check`, `python -c "import
glutlint"` (start-up share), proselint on the concatenated manuscript and pandoc
`-f markdown -t json` on that same file. Medians of RUNS runs each (2 to 4 minutes on 2 cores).
Peak memory is each glutlint process's own max RSS (os.wait4). The table goes to stdout and to
benchmarks/results.md, with cProfiles of one 10x check and one 500-source check.

Usage: .venv/bin/python benchmarks/run.py [--runs N] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = REPO / "benchmarks" / "results.md"
RUNS = 5
SCALES = [(1, 5), (10, 5), (50, 5), (1, 50), (1, 500)]
#: Profiled checks: (scale, sources); the first is the engine owner's 10x profile.
PROFILES = [(10, 5), (1, 500)]
CITED_SYNTHETIC = 10  # synthetic sources cited in the manuscript (the same at 50 and 500)
SEED = 20261126

#: The repository's own `[tool.glutlint]` table: every project made here has our layout.
_OWN = (REPO / "pyproject.toml").read_text(encoding="utf-8")
PYPROJECT = re.search(r"^\[tool\.glutlint\]\n(?:(?!\[).*\n)*", _OWN, re.M).group()  # type: ignore[union-attr]


# ------------------------------------------------------------------------ synthetic projects


@dataclass
class Corpus:
    """What the synthetic sources are made of: the real seeds' sentences, numbers and names."""

    sentences: list[str]
    numbers: list[str]
    lengths: list[int]
    authors: list[str]
    journals: list[str]


_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def read_corpus() -> Corpus:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    sentences: list[str] = []
    for text in texts:
        flat = " ".join(text.split())
        sentences += [s for s in _SENTENCE_RE.split(flat) if 40 <= len(s) <= 400]
    bib = (REPO / "refs/references.bib").read_text(encoding="utf-8")
    authors = re.findall(r"author\s*=\s*\{(.+)\},?\s*$", bib, re.M)
    journals = re.findall(r"journal\s*=\s*\{(.+)\},?\s*$", bib, re.M)
    return Corpus(
        sentences=sentences,
        numbers=_NUMBER_RE.findall(" ".join(texts)),
        lengths=[len(t) for t in texts],
        authors=authors or ["Doe, Jane"],
        journals=journals or ["Journal"],
    )


def synthetic_source(rng: random.Random, corpus: Corpus) -> tuple[str, list[str]]:
    """A text as long as a random real seed: shuffled real sentences, numbers swapped around,
    wrapped at about 80 columns in paragraphs, like text extracted from a PDF or web page."""
    target = rng.choice(corpus.lengths)
    out: list[str] = []
    size = 0
    while size < target:
        s = _NUMBER_RE.sub(lambda m: rng.choice(corpus.numbers), rng.choice(corpus.sentences))
        out.append(s)
        size += len(s) + 1
    lines: list[str] = []
    for start in range(0, len(out), 5):
        para = " ".join(out[start : start + 5])
        line = ""
        for word in para.split():
            if len(line) + len(word) >= 80:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines += [line, ""]
    return "\n".join(lines), out


def bib_entry(rng: random.Random, corpus: Corpus, key: str, file: str) -> str:
    title = rng.choice(corpus.sentences).rstrip(".")[:120].replace("{", "").replace("}", "")
    return (
        f"@article{{{key},\n"
        f"  author  = {{{rng.choice(corpus.authors)}}},\n"
        f"  title   = {{{title}}},\n"
        f"  journal = {{{rng.choice(corpus.journals)}}},\n"
        f"  year    = {{{rng.randint(2000, 2024)}}},\n"
        f"  file    = {{{file}}}\n"
        "}\n"
    )


def manuscript_parts() -> tuple[list[Path], list[Path], list[Path]]:
    """The flagship's files as (front matter, body, references)."""
    files = sorted((REPO / "manuscript").glob("*.md"))
    front = [f for f in files if f.read_text(encoding="utf-8").startswith("---")]
    refs = [f for f in files if "{#refs}" in f.read_text(encoding="utf-8") and f not in front]
    body = [f for f in files if f not in front and f not in refs]
    return front, body, refs


def make_project(root: Path, scale: int, n_sources: int, corpus: Corpus) -> Path:
    """The flagship with its body repeated `scale` times and `n_sources` sources in all."""
    rng = random.Random(SEED)  # the 50 first of 500 sources are the 50 of the 50 row
    for folder in ("refs", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    ms = root / "manuscript"
    ms.mkdir()
    front, body, refs = manuscript_parts()
    for f in front:
        shutil.copyfile(f, ms / f"a-{f.name}")
    for rep in range(scale):
        for f in body:
            shutil.copyfile(f, ms / f"b{rep:03d}-{f.name}")
    extra = n_sources - len(list((REPO / "seeds").glob("*.txt")))
    if extra > 0:
        (root / "seeds/synthetic").mkdir()
        entries, cited = [], []
        for i in range(extra):
            key = f"synth{i:04d}"
            text, sentences = synthetic_source(rng, corpus)
            (root / f"seeds/synthetic/{key}.txt").write_text(text, encoding="utf-8")
            entries.append(bib_entry(rng, corpus, key, f"seeds/synthetic/{key}.txt"))
            if i < CITED_SYNTHETIC:  # a sentence of its own, so the claim is supported
                cited.append(f"{sentences[0].rstrip('.')} [@{key}].")
        with (root / "refs/references.bib").open("a", encoding="utf-8") as fh:
            fh.write("\n" + "\n".join(entries))
        (ms / "c-synthetic.md").write_text(
            "# Further Sources\n\n" + "\n\n".join(cited) + "\n", encoding="utf-8"
        )
    for f in refs:
        shutil.copyfile(f, ms / f"d-{f.name}")
    combined = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ms.glob("*.md")))
    (root / "combined.md").write_text(combined, encoding="utf-8")
    return root


# ---------------------------------------------------------------------------------- timing


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


#: Children may write .pyc files (some shells set PYTHONDONTWRITEBYTECODE), so every tool runs
#: from compiled bytecode after the warm-up, as it does for a user after the first run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path, into: Timing) -> None:
    """Run `cmd` once as a process; record wall time, its own max RSS and its exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    into.seconds.append(time.perf_counter() - start)
    proc.returncode = os.waitstatus_to_exitcode(status)
    into.rss_kib.append(usage.ru_maxrss)
    into.codes.add(proc.returncode)


def pandoc_path() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


@dataclass
class Row:
    scale: int
    sources: int
    words: int
    runs: int
    check: Timing  # one paragraph edited before each run: what a commit hook sees
    start: Timing
    proselint: Timing
    pandoc: Timing
    cold: Timing  # .glutlint_cache removed before each run: a fresh clone, a CI job
    unchanged: Timing  # nothing changed since the last check


def _letters(n: int) -> str:
    """A word made of letters only, different for every n: edits that add no number."""
    out = ""
    while True:
        out = chr(ord("a") + n % 26) + out
        n //= 26
        if not n:
            return out


class Editor:
    """Rewrites one paragraph of a body file before each edited run, never the same twice,
    so the check must read it afresh while the cache still holds the rest."""

    def __init__(self, root: Path) -> None:
        self.file = max((root / "manuscript").glob("b000-*.md"), key=lambda p: p.stat().st_size)
        self.text = self.file.read_text(encoding="utf-8")
        self.n = 0

    def __call__(self) -> None:
        self.n += 1
        note = f"\n\nThe authors revised this passage, draft {_letters(self.n)}.\n"
        self.file.write_text(self.text.rstrip("\n") + note, encoding="utf-8")


def measure(root: Path, scale: int, n_sources: int, runs: int) -> Row:
    combined = root / "combined.md"
    words = len(combined.read_text(encoding="utf-8").split())
    check = [str(BIN / "glutlint"), "check"]
    edit = Editor(root)
    cmds = {
        "check": (check, edit),
        "start": ([sys.executable, "-c", "import glutlint"], None),
        "proselint": ([str(BIN / "proselint"), "check", combined.name], None),
        "pandoc": (
            [pandoc_path(), "-f", "markdown", "-t", "json", "-o", os.devnull, combined.name],
            None,
        ),
        "cold": (check, lambda: shutil.rmtree(root / ".glutlint_cache", ignore_errors=True)),
        "unchanged": (check, None),
    }
    out = {k: Timing() for k in cmds}
    for cmd, prepare in cmds.values():  # warm-up: page cache, .pyc files, the cache
        if prepare:
            prepare()
        timed(cmd, root, Timing())
    for _ in range(runs):  # interleaved, so drift hits every tool alike
        for name, (cmd, prepare) in cmds.items():
            if prepare:
                prepare()
            timed(cmd, root, out[name])
    return Row(scale, n_sources, words, runs, *(out[k] for k in cmds))


# --------------------------------------------------------------------------------- profile


def _shorten(text: str) -> str:
    """Paths in profiler output, relative: no machine paths in the results file."""
    prefixes = {
        str(REPO / "src") + os.sep: "",
        str(REPO) + os.sep: "",
        sysconfig.get_paths()["purelib"] + os.sep: "<site-packages>/",
        sysconfig.get_paths()["stdlib"] + os.sep: "<stdlib>/",
    }
    for prefix, short in sorted(prefixes.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(prefix, short)
    return text


def profile(root: Path, top: int = 15) -> str:
    """cProfile of one whole `glutlint check`: glutlint's own functions by cumulative time (where
    the time goes), then every function by internal time (the hot spots)."""
    out = root / "check.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "glutlint", "check"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    parts = []
    for order, restrict, title in (
        ("cumulative", "glutlint/(?!__main__|cli)", "glutlint functions by cumulative time"),
        ("tottime", "", "all functions by internal time"),
    ):
        buf = io.StringIO()
        stats = pstats.Stats(str(out), stream=buf)
        stats.sort_stats(order)
        stats.print_stats(*([restrict] if restrict else []), top)
        lines = buf.getvalue().splitlines()
        head = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        if not parts:
            parts.append(next((ln.strip() for ln in lines if "function calls" in ln), ""))
        parts += ["", f"Top {top}, {title}:", *lines[head : head + top + 1]]
    return _shorten("\n".join(parts))


# --------------------------------------------------------------------------------- report


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def versions() -> str:
    def first_line(cmd: list[str]) -> str:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        except OSError:
            return "?"
        return (proc.stdout or proc.stderr).strip().splitlines()[0] if proc.stdout else "?"

    from importlib.metadata import version

    return (
        f"glutlint {version('glutlint')}, proselint {version('proselint')}, "
        f"{first_line([pandoc_path(), '--version'])}"
    )


def table(rows: list[Row]) -> str:
    head = (
        "| manuscript | sources | words | runs | check s | exit | ms/1k words | peak MB "
        "| import share | check / proselint | check / pandoc | first run s | unchanged s |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    body = []
    for r in rows:
        c, p = r.check.median, r.proselint.median
        mib = max(r.check.rss_kib + r.cold.rss_kib) / 1024
        body.append(
            f"| {r.scale}x | {r.sources} | {r.words:,} | {r.runs} | {c:.2f} "
            f"| {','.join(map(str, sorted(r.check.codes)))} "
            f"| {1000 * c / r.words * 1000:.1f} | {mib:.0f} "
            f"| {r.start.median / c:.0%} | {c / p:.2f}x | {c / r.pandoc.median:.2f}x "
            f"| {r.cold.median:.2f} ({r.cold.median / p:.2f}x) "
            f"| {r.unchanged.median:.2f} ({r.unchanged.median / p:.2f}x) |"
        )
    tools = (
        "| manuscript | sources | import glutlint s | proselint s | pandoc s |\n"
        "|---|---:|---:|---:|---:|\n"
        + "\n".join(
            f"| {r.scale}x | {r.sources} | {r.start.median:.3f} | {r.proselint.median:.2f} "
            f"| {r.pandoc.median:.2f} |"
            for r in rows
        )
    )
    return head + "\n" + "\n".join(body) + "\n\nThe other processes, same runs:\n\n" + tools


def goals(rows: list[Row]) -> list[tuple[str, bool, str]]:
    by = {(r.scale, r.sources): r for r in rows}
    out = []
    if (1, 5) in by:
        r = by[(1, 5)]
        ratio = r.check.median / r.proselint.median
        out.append(("flagship check <= 0.75x proselint", ratio <= 0.75, f"{ratio:.2f}x"))
    if (10, 5) in by and (50, 5) in by:
        a, b = by[(10, 5)], by[(50, 5)]
        per10, per50 = a.check.median / a.words, b.check.median / b.words
        ratio = per50 / per10
        out.append(("time per word flat 10x -> 50x (within 20%)", ratio <= 1.2, f"{ratio:.2f}"))
        mib = max(b.check.rss_kib + b.cold.rss_kib) / 1024
        out.append(("peak memory < 200 MB at 50x", mib < 200, f"{mib:.0f} MB"))
    if (1, 5) in by and (1, 500) in by:
        ratio = by[(1, 500)].check.median / by[(1, 5)].check.median
        out.append(("500 sources < 2x the time of 5", ratio < 2, f"{ratio:.2f}x"))
    return out


def report(rows: list[Row], profiles: dict[tuple[int, int], str], elapsed: float) -> str:
    lines = [
        "# glutlint check: benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()} by `make bench` "
        f"(benchmarks/run.py) in {elapsed / 60:.1f} min.",
        f"Tools: {versions()}.",
        "",
        "Each time is the median wall time of whole processes, started as a user would; the "
        "runs of all commands are interleaved. `check s` (and every ratio and goal) is a check "
        "after one paragraph was rewritten, as a commit hook or an editor save sees it: the "
        "content-keyed cache (`.glutlint_cache/`) still holds the sources and the untouched "
        "blocks. `first run` is a check with that cache deleted (a fresh clone, a CI job); "
        "`unchanged` is a check of the same files again. proselint and pandoc read the same "
        'concatenated manuscript (`combined.md`). `import share` is `python -c "import '
        'glutlint"` over `glutlint check`. Peak MB is the largest max RSS of the check '
        "processes. The 50 and 500 source rows cite 10 of the generated sources; their other "
        "entries are uncited (GL103 warnings), as in a bibliography that grew ahead of the text.",
        "",
        table(rows),
        "",
        "## Goals",
        "",
        "| goal | met | measured |",
        "|---|---|---|",
        *[f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in goals(rows)],
        "",
    ]
    for (scale, n_sources), prof in profiles.items():
        lines += [
            f"## Profile of one check, {scale}x manuscript, {n_sources} sources",
            "",
            "cProfile (`python -m cProfile -m glutlint check`, one run).",
            "",
            "```",
            prof,
            "```",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per row (default {RUNS})")
    parser.add_argument("--quick", action="store_true", help="1x rows only, 3 runs, no file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = read_corpus()
    scales = [s for s in SCALES if s[0] == 1] if args.quick else SCALES
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="glutlint-bench-") as tmp:
        for scale, n_sources in scales:
            root = make_project(Path(tmp) / f"x{scale}-s{n_sources}", scale, n_sources, corpus)
            runs = 3 if args.quick else args.runs
            row = measure(root, scale, n_sources, runs)
            rows.append(row)
            print(
                f"{scale:>3}x {n_sources:>3} sources: check {row.check.median:.2f} s "
                f"(exit {sorted(row.check.codes)}), proselint {row.proselint.median:.2f} s, "
                f"pandoc {row.pandoc.median:.2f} s",
                file=sys.stderr,
                flush=True,
            )
        profiles = {
            (scale, n): profile(Path(tmp) / f"x{scale}-s{n}")
            for scale, n in PROFILES
            if (Path(tmp) / f"x{scale}-s{n}").exists()
        }
    text = report(rows, profiles, time.perf_counter() - started)
    print(text)
    if not args.quick:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
