"""Run glutlint on the labelled claim set and print precision and recall.

Usage:  python tests/claims/evaluate.py [--verbose]

Every case of labelled.yaml becomes its own paragraph (one line) of a single manuscript file in
a temporary copy of the project (the real seeds, bibliography, sidecar, lexicon and ledger).
glutlint runs once on it, in-process, with JSON output; each diagnostic is mapped back to its
case by line. A case is "flagged" when any claim-checking rule fires on it; an unsupported case
is one whose `expect` is not empty. The goal: every unsupported case flagged (recall 1.0) and
no supported case flagged (no false positives).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LABELLED = HERE / "labelled.yaml"

#: The rules that judge a claim; a case is flagged when any of them fires on its line.
CLAIM_CODES = ("GL102", "GL201", "GL202", "GL203", "GL205", "GL301", "GL401", "GL503")
#: Structure rules say nothing about claims; the temporary project ignores them.
IGNORED = ("GL6", "GL103")
#: The first line of the manuscript; cases start after it.
HEADING = "# Labelled claims"
#: The repository's own `[tool.glutlint]` table: the temporary project has our layout.
_OWN = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
PYPROJECT = re.search(r"^\[tool\.glutlint\]\n(?:(?!\[).*\n)*", _OWN, re.M).group()  # type: ignore[union-attr]


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expect: tuple[str, ...]
    note: str = ""
    known_miss: str = ""  # why the engine does not catch this yet (it still counts in recall)
    partial: bool = False  # checked with partial_sources = "unverified" (GL205), not strict

    @property
    def unsupported(self) -> bool:
        return bool(self.expect)


@dataclass
class Outcome:
    """What glutlint said about one case."""

    case: Case
    line: int
    codes: set[str] = field(default_factory=set)  # every code on the case's line
    messages: list[str] = field(default_factory=list)

    @property
    def fired(self) -> set[str]:
        """The claim-checking codes that fired."""
        return self.codes & set(CLAIM_CODES)

    @property
    def flagged(self) -> bool:
        return bool(self.fired)

    @property
    def right_codes(self) -> bool:
        """Every expected code fired (for a supported case: nothing fired)."""
        return set(self.case.expect) <= self.fired if self.case.expect else not self.fired


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Mechanism:
    """Scores for one code: caught = flagged by any claim rule, by_code = this code fired."""

    code: str
    cases: int = 0
    caught: int = 0
    by_code: int = 0
    fired: int = 0  # cases (of the whole set) on which this code fired
    fired_right: int = 0  # ... and whose expect lists it

    @property
    def recall(self) -> float:
        return self.caught / self.cases if self.cases else 1.0

    @property
    def code_recall(self) -> float:
        return self.by_code / self.cases if self.cases else 1.0

    @property
    def precision(self) -> float:
        return self.fired_right / self.fired if self.fired else 1.0


@dataclass
class Report:
    outcomes: list[Outcome]
    overall: Score
    mechanisms: dict[str, Mechanism]

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.unsupported and not o.flagged]

    @property
    def false_positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.case.unsupported and o.flagged]

    @property
    def wrong_codes(self) -> list[Outcome]:
        """Unsupported cases caught, but not (only) by the expected codes."""
        return [
            o
            for o in self.outcomes
            if o.case.unsupported and o.flagged and o.fired != set(o.case.expect)
        ]


def load_cases(path: Path = LABELLED) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            str(c["id"]),
            str(c["text"]),
            tuple(c.get("expect") or ()),
            str(c.get("note", "")),
            str(c.get("known_miss", "")),
            bool(c.get("partial", False)),
        )
        for c in data["cases"]
    ]


def manuscript_of(cases: Iterable[Case]) -> tuple[str, dict[int, Case]]:
    """One paragraph per case, separated by blank lines; returns the text and line -> case."""
    lines = [HEADING, ""]
    where: dict[int, Case] = {}
    for case in cases:
        if "\n" in case.text:
            raise ValueError(f"case {case.id}: text must be one line")
        where[len(lines) + 1] = case
        lines += [case.text, ""]
    return "\n".join(lines), where


def make_project(dest: Path, text: str, partial: bool = False) -> Path:
    """A copy of the project's evidence (seeds, refs) with one manuscript file. With
    `partial`, a value missing from a partial source is unverified (GL205), not GL201."""
    shutil.copytree(ROOT / "seeds", dest / "seeds")
    shutil.copytree(ROOT / "refs", dest / "refs")
    (dest / "manuscript").mkdir()
    (dest / "manuscript" / "cases.md").write_text(text, encoding="utf-8")
    ignore = ", ".join(f'"{c}"' for c in IGNORED)
    table = re.sub(r"(?m)^partial_sources = .*\n", "", PYPROJECT)
    mode = "unverified" if partial else "strict"
    (dest / "pyproject.toml").write_text(
        table + f'ignore = [{ignore}]\npartial_sources = "{mode}"\n', encoding="utf-8"
    )
    return dest


def run_glutlint(project: Path) -> list[dict[str, object]]:
    """`glutlint check --format json` in `project`, in-process; returns the diagnostics."""
    from glutlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--format", "json", "--exit-zero"])
    finally:
        os.chdir(old)
    if code != 0:
        raise RuntimeError(f"glutlint check exited {code}: {err.getvalue().strip()}")
    return json.loads(out.getvalue())


def run_cases(cases: list[Case]) -> list[Outcome]:
    """Check the cases, those marked `partial` in a project that treats partial sources as
    partial (the others hold every claim to the texts kept, as the flagship does)."""
    out: list[Outcome] = []
    for partial in (False, True):
        group = [c for c in cases if c.partial == partial]
        if not group:
            continue
        text, where = manuscript_of(group)
        outcomes = {line: Outcome(case, line) for line, case in where.items()}
        with tempfile.TemporaryDirectory(prefix="glutlint-labelled-") as tmp:
            diags = run_glutlint(make_project(Path(tmp), text, partial))
        for d in diags:
            o = outcomes.get(int(d["line"]))  # type: ignore[arg-type]
            if o is None or d["path"] != "manuscript/cases.md":
                continue
            o.codes.add(str(d["code"]))
            o.messages.append(f"{d['code']} {d['message']}")
        out += [outcomes[line] for line in sorted(outcomes)]
    order = {c.id: i for i, c in enumerate(cases)}
    return sorted(out, key=lambda o: order[o.case.id])


def score(outcomes: list[Outcome]) -> Report:
    overall = Score()
    mechs = {code: Mechanism(code) for code in CLAIM_CODES}
    for o in outcomes:
        if o.case.unsupported and o.flagged:
            overall.tp += 1
        elif o.case.unsupported:
            overall.fn += 1
        elif o.flagged:
            overall.fp += 1
        for code in o.case.expect:
            m = mechs[code]
            m.cases += 1
            m.caught += o.flagged
            m.by_code += code in o.fired
        for code in o.fired:
            mechs[code].fired += 1
            mechs[code].fired_right += code in o.case.expect
    return Report(outcomes, overall, mechs)


def evaluate(path: Path = LABELLED) -> Report:
    return score(run_cases(load_cases(path)))


def _describe(o: Outcome) -> str:
    expected = ", ".join(o.case.expect) or "nothing"
    fired = ", ".join(sorted(o.fired)) or "nothing"
    lines = [f"  {o.case.id} (line {o.line}): expected {expected}, got {fired}"]
    lines.append(f"    text: {o.case.text}")
    if o.case.note:
        lines.append(f"    note: {o.case.note}")
    lines += [f"    > {m}" for m in o.messages]
    return "\n".join(lines)


def format_report(report: Report, verbose: bool = False) -> str:
    o = report.overall
    supported = sum(not x.case.unsupported for x in report.outcomes)
    out = [
        f"cases: {len(report.outcomes)} ({supported} supported, "
        f"{len(report.outcomes) - supported} unsupported)",
        f"overall: precision {o.precision:.3f}  recall {o.recall:.3f}  "
        f"(caught {o.tp}, missed {o.fn}, false positives {o.fp})",
        "",
        f"{'mechanism':<10} {'cases':>5} {'recall':>7} {'by code':>8} {'precision':>10}",
    ]
    for m in report.mechanisms.values():
        out.append(
            f"{m.code:<10} {m.cases:>5} {m.recall:>7.3f} {m.code_recall:>8.3f} {m.precision:>10.3f}"
        )
    out.append("")
    out.append("recall: caught by any claim rule; by code: the expected code fired;")
    out.append("precision: of the cases this code fired on, those that expect it.")
    for title, items in (
        ("misses", report.misses),
        ("false positives", report.false_positives),
        ("caught under other codes", report.wrong_codes),
    ):
        out.append("")
        out.append(f"{title}: {len(items)}")
        out += [_describe(x) for x in items]
    if verbose:
        out.append("")
        out.append("all cases:")
        out += [_describe(x) for x in report.outcomes]
    return "\n".join(out) + "\n"


def goal_met(report: Report) -> bool:
    return report.overall.recall == 1.0 and report.overall.fp == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every case")
    parser.add_argument("--cases", type=Path, default=LABELLED, help="the labelled set (YAML)")
    args = parser.parse_args(argv)
    report = evaluate(args.cases)
    sys.stdout.write(format_report(report, args.verbose))
    return 0 if goal_met(report) else 1


if __name__ == "__main__":
    sys.exit(main())
