"""Word alignment: which words of one sequence are the same words of another, in order.

difflib's `SequenceMatcher` finds the longest common run, then recurses on both sides of it.
That is quadratic when a text holds many runs of about the same length that are broken apart,
as a paragraph wrapped over thousands of short lines is (every line start is a word of its own
on one side only): each recursion rescans almost all that is left.

So the alignment is anchored first, as patience diff does: runs of `GRAM` words that occur
exactly once on each side, kept in an order both sides agree on (a longest increasing
subsequence), split the problem into the stretches between them, and difflib aligns each
stretch alone; an anchor's block is the whole run of equal words around it. A stretch long on
both sides has no anchor in it (a text that repeats itself): it is walked instead, both sides
in step. Real prose is aligned in near-linear time either way.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Sequence

GRAM = 4  # words in an anchor run
LONG = 2_000  # words: a stretch longer than this on both sides is walked, not recursed into
WINDOW = 64  # words looked ahead on each side where a walk finds the sides parted
RESYNC = 3  # equal words in a row that say the sides meet again


def matching_blocks(a: Sequence[str], b: Sequence[str], skip: str) -> list[tuple[int, int, int]]:
    """Blocks (i, j, n): a[i:i+n] == b[j:j+n], increasing in i and j, adjacent blocks merged.
    Words equal to `skip` (line starts) neither begin nor break an anchor run; an anchor's
    block is the whole run of equal words around it, as difflib's longest match would be."""
    blocks: list[tuple[int, int, int]] = []
    i0 = j0 = 0
    for i, j in _anchors(a, b, skip):
        if i < i0 or j < j0:  # inside the block of the anchor before
            continue
        s, t = i, j
        while s > i0 and t > j0 and a[s - 1] == b[t - 1]:
            s, t = s - 1, t - 1
        e, f = i, j
        while e < len(a) and f < len(b) and a[e] == b[f]:
            e, f = e + 1, f + 1
        blocks += _stretch(a, b, i0, s, j0, t, skip)
        blocks.append((s, t, e - s))
        i0, j0 = e, f
    blocks += _stretch(a, b, i0, len(a), j0, len(b), skip)
    return _merged(blocks)


def _stretch(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, skip: str
) -> list[tuple[int, int, int]]:
    if alo >= ahi or blo >= bhi:
        return []
    if ahi - alo == bhi - blo and a[alo:ahi] == b[blo:bhi]:
        return [(alo, blo, ahi - alo)]
    if ahi - alo <= LONG or bhi - blo <= LONG:
        return _difflib(a, b, alo, ahi, blo, bhi)
    return _walk(a, b, alo, ahi, blo, bhi, skip)


def _walk(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, skip: str
) -> list[tuple[int, int, int]]:
    """A long stretch without anchors: a text that repeats itself. Both sides are walked
    together, equal words matched, `skip` words stepped over; where they part, the longest
    common run in a window ahead (widened until one of RESYNC words is found, or the
    stretch ends) is where they meet again. Linear in the stretch while they rarely part."""
    out: list[tuple[int, int, int]] = []
    i, j = alo, blo
    while i < ahi and j < bhi:
        if a[i] == b[j]:
            i0, j0 = i, j
            while i < ahi and j < bhi and a[i] == b[j]:
                i, j = i + 1, j + 1
            out.append((i0, j0, i - i0))
        elif a[i] == skip:
            i += 1
        elif b[j] == skip:
            j += 1
        else:
            width = WINDOW
            while True:
                ahead_a, ahead_b = a[i : min(i + width, ahi)], b[j : min(j + width, bhi)]
                sm = difflib.SequenceMatcher(None, ahead_a, ahead_b, autojunk=False)
                m = sm.find_longest_match(0, len(ahead_a), 0, len(ahead_b))
                if m.size >= RESYNC or (i + width >= ahi and j + width >= bhi):
                    break
                width *= 4
            if not m.size:
                break
            i, j = i + m.a, j + m.b
    return out


def _difflib(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int, int]]:
    sm = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=True)
    return [(alo + i, blo + j, n) for i, j, n in sm.get_matching_blocks() if n]


def _grams(s: Sequence[str], skip: str) -> dict[tuple[str, ...], int]:
    """Each run of GRAM words (not counting `skip`) that occurs once in `s`, and where."""
    words = [k for k, w in enumerate(s) if w != skip]
    seen: Counter[tuple[str, ...]] = Counter()
    at: dict[tuple[str, ...], int] = {}
    for n in range(len(words) - GRAM + 1):
        g = tuple(s[k] for k in words[n : n + GRAM])
        seen[g] += 1
        at[g] = words[n]
    return {g: at[g] for g, n in seen.items() if n == 1}


def _anchors(a: Sequence[str], b: Sequence[str], skip: str) -> list[tuple[int, int]]:
    """Where unique runs common to both begin, in an order both agree on."""
    in_a = _grams(a, skip)
    pairs = sorted((j, in_a[g]) for g, j in _grams(b, skip).items() if g in in_a)
    # the longest subsequence of pairs increasing in a (pairs are increasing in b)
    tails: list[int] = []  # a position ending the best chain of each length
    ends: list[int] = []  # the pair index ending it
    before = [-1] * len(pairs)
    for k, (_j, i) in enumerate(pairs):
        n = bisect.bisect_left(tails, i)
        if n == len(tails):
            tails.append(i)
            ends.append(k)
        else:
            tails[n] = i
            ends[n] = k
        before[k] = ends[n - 1] if n else -1
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        j, i = pairs[k]
        chain.append((i, j))
        k = before[k]
    chain.reverse()
    return chain


def _merged(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for i, j, n in blocks:
        if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
            pi, pj, pn = out[-1]
            out[-1] = (pi, pj, pn + n)
        else:
            out.append((i, j, n))
    return out
