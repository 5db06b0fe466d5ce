"""Word-level helpers shared by the matchers: tokens, stop words, a light stemmer."""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")

STOP = frozenset(
    """a about above after again against all almost also although am among an and any are as at
    be because been before being below between both but by can could did do does doing down
    during each either else even ever every few for from further had has have having he her
    here hers him his how however i if in into is it its itself just least less like many may
    me might more most much must my neither no nor not now of off often on once one only onto
    or other others our out over own per perhaps rather same several she should since so some
    such than that the their them then there these they this those through thus to too two
    three under until up upon us very via was we were what when where whether which while who
    whom whose why will with within without would yet you your approximately nearly roughly
    around fewer greater higher lower up least percent per cent times time""".split()
)

# Words that say little about what a number measures; they count for less when binding.
WEAK = frozenset(
    """patient patients subject subjects participant participants individual individuals people
    adult adults study studies trial trials treatment treatments effect effects drug drugs dose
    doses data result results group groups report reported found show showed shown observed
    evidence clinical review"""
    .split()
)


def stem(word: str) -> str:
    """A crude stem: enough to match response/responded/responders, remission/remitted."""
    w = word.lower().strip("'-")
    for suffix in ("ations", "ation", "ments", "ment", "ities", "ity", "ings", "ing", "ions",
                   "ion", "ers", "er", "ed", "es", "s"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w[:6]


def content_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) for each content word of `text`."""
    out = []
    for m in TOKEN_RE.finditer(text):
        w = m.group().lower()
        if w in STOP or len(w) < 3:
            continue
        out.append((m.start(), m.end(), stem(w)))
    return out
