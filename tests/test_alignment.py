"""The placing of pandoc's text in the file (alignment.py, used by rendered.py).

A paragraph wrapped over thousands of lines once cost minutes (difflib recursing over runs
broken by every line start); the anchored alignment places it line by line. The paragraphs
here are parsed by real pandoc; every sentence must come back at its own line, with its own
words, whether its text is unique or repeats itself (then no run of words is unique and the
alignment walks both sides in step).
"""

from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest

from glutlint.alignment import LONG, matching_blocks
from glutlint.manuscript import parse_now
from glutlint.rendered import BREAK

pytest.importorskip("pypandoc")


def _paragraph(n: int, period: int | None) -> list[str]:
    """n sentences, one per line; with `period`, they repeat every `period` sentences."""
    out = []
    for i in range(n):
        k = i if period is None else i % period
        out.append(f"Ketamine acted within {k % 97} hours in trial {k} of the series.")
    return out


@pytest.mark.parametrize("period", [None, 7], ids=["unique", "repeating"])
def test_a_paragraph_over_many_lines_is_placed_line_by_line(period: int | None) -> None:
    lines = _paragraph(600, period)
    words = sum(len(s.split()) for s in lines)
    assert words > LONG  # the repeating one has no anchors: it is walked
    text = "\n" + "\n".join(lines) + "\n"
    doc = parse_now(Path("x.md"), text, "x.md")
    sentences = doc.sentences
    assert len(sentences) == len(lines)
    for i, s in enumerate(sentences):
        assert (s.line, s.column) == (i + 2, 1)
        assert s.text.strip() == lines[i]


def test_a_wrapped_paragraph_reads_as_the_same_paragraph_on_one_line() -> None:
    lines = _paragraph(300, 11)
    wrapped = parse_now(Path("x.md"), "\n" + "\n".join(lines) + "\n", "x.md")
    one = parse_now(Path("x.md"), "\n" + " ".join(lines) + "\n", "x.md")
    assert [s.text.strip() for s in wrapped.sentences] == [s.text.strip() for s in one.sentences]


def _check(a: list[str], b: list[str]) -> int:
    blocks = matching_blocks(a, b, skip=BREAK)
    last_i = last_j = 0
    for i, j, n in blocks:
        assert n > 0 and i >= last_i and j >= last_j
        assert a[i : i + n] == b[j : j + n]
        last_i, last_j = i + n, j + n
    return sum(n for _i, _j, n in blocks)


@pytest.mark.parametrize("seed", range(40))
def test_blocks_are_in_order_and_match_at_least_as_much_as_difflib_on_edits(seed: int) -> None:
    """Random word texts, one side edited (words dropped, inserted, line starts added):
    the blocks are true matches in order, and cover as many words as difflib's do, or
    nearly (a different but equally valid alignment may keep a word less)."""
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(rng.choice([5, 40, 400]))]
    b = [rng.choice(vocab) for _ in range(rng.randrange(50, 3000))]
    a: list[str] = []
    for w in b:
        r = rng.random()
        if r < 0.05:
            continue
        if r < 0.1:
            a.append(rng.choice(vocab))
        if r < 0.3:
            a.append(BREAK)
        a.append(w)
    got = _check(a, b)
    ref = sum(
        n for _i, _j, n in difflib.SequenceMatcher(None, a, b, autojunk=True).get_matching_blocks()
    )
    assert got >= 0.95 * ref


def test_every_word_is_matched_when_one_side_only_adds_line_starts() -> None:
    b = [w for s in _paragraph(900, 5) for w in s.split()]
    a: list[str] = []
    for k, w in enumerate(b):
        if k % 3 == 0:
            a.append(BREAK)
        a.append(w)
    assert _check(a, b) == len(b)
