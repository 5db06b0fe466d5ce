"""The labelled claim set (tests/claims/labelled.yaml) under pytest.

Goal: every unsupported case caught (recall 1.0) and no supported case flagged. The same
evaluation prints its full report with `python tests/claims/evaluate.py`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def _load_evaluate() -> ModuleType:
    path = HERE / "claims" / "evaluate.py"
    spec = importlib.util.spec_from_file_location("labelled_evaluate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


evaluate = _load_evaluate()
MECHANISMS = evaluate.CLAIM_CODES


@pytest.fixture(scope="module")
def report():
    return evaluate.evaluate()


def _listing(outcomes: list) -> str:
    return "\n".join(evaluate._describe(o) for o in outcomes)


def test_the_set_is_large_balanced_and_well_formed() -> None:
    cases = evaluate.load_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(cases) >= 80
    supported = [c for c in cases if not c.unsupported]
    share = len(supported) / len(cases)
    assert 0.5 <= share <= 0.7, f"supported share {share:.2f}; aim for about 60%"
    for c in cases:
        assert c.text.strip() and "\n" not in c.text, c.id
        assert set(c.expect) <= set(MECHANISMS), c.id
        assert c.note, f"{c.id}: say why in a note"
    for code in MECHANISMS:
        n = sum(code in c.expect for c in cases)
        assert n >= 5, f"only {n} unsupported cases for {code}"


def test_every_unsupported_case_is_caught(report) -> None:
    """Recall is 1.0 but for the cases marked `known_miss` (each says why); a known miss
    that starts being caught must lose its mark, so the list only ever shrinks."""
    missed = {o.case.id for o in report.misses}
    known = {c.id for c in evaluate.load_cases() if c.known_miss}
    assert missed <= known, (
        f"recall {report.overall.recall:.3f}; missed:\n{_listing(report.misses)}"
    )
    assert known <= missed, f"caught now, remove known_miss: {sorted(known - missed)}"


def test_no_supported_case_is_flagged(report) -> None:
    assert report.overall.fp == 0, f"false positives:\n{_listing(report.false_positives)}"


def test_the_expected_code_fires(report) -> None:
    wrong = [
        o
        for o in report.outcomes
        if o.case.unsupported and not o.right_codes and not o.case.known_miss
    ]
    assert not wrong, f"expected codes that did not fire:\n{_listing(wrong)}"


@pytest.mark.parametrize("code", MECHANISMS)
def test_recall_per_mechanism(report, code: str) -> None:
    m = report.mechanisms[code]
    missed = [
        o
        for o in report.outcomes
        if code in o.case.expect and code not in o.fired and not o.case.known_miss
    ]
    assert not missed, f"{code}: {m.by_code}/{m.cases}\n{_listing(missed)}"


def test_report_prints_precision_and_recall(report) -> None:
    text = evaluate.format_report(report)
    assert "precision" in text and "recall" in text
    for code in MECHANISMS:
        assert code in text
