"""Word-level helpers shared by the matchers: tokens, stop words, a light stemmer."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")

STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "our",
        "out",
        "over",
        "own",
        "per",
        "perhaps",
        "rather",
        "same",
        "several",
        "she",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "two",
        "three",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "approximately",
        "nearly",
        "roughly",
        "around",
        "fewer",
        "greater",
        "higher",
        "lower",
        "up",
        "least",
        "percent",
        "per",
        "cent",
        "times",
        "time",
    ]
)

# Words that say little about what a number measures; they count for less when binding.
WEAK_WORDS = frozenset(
    [
        "patient",
        "patients",
        "subject",
        "subjects",
        "participant",
        "participants",
        "individual",
        "individuals",
        "people",
        "adult",
        "adults",
        "study",
        "studies",
        "trial",
        "trials",
        "treatment",
        "treatments",
        "effect",
        "effects",
        "drug",
        "drugs",
        "dose",
        "doses",
        "data",
        "result",
        "results",
        "group",
        "groups",
        "report",
        "reported",
        "found",
        "show",
        "showed",
        "shown",
        "observed",
        "evidence",
        "clinical",
        "review",
    ]
)


@lru_cache(maxsize=1)
def _english() -> Callable[[str], str]:
    import snowballstemmer

    return snowballstemmer.stemmer("english").stemWord  # type: ignore[no-any-return]


#: English derivations the Porter2 stemmer keeps apart but a reader does not: a noun and the
#: verb it is made from ("remission"/"remit", "response"/"respond", "reduction"/"reduce",
#: "treatment"/"treat")
_DERIVED = (
    (re.compile(r"mission$"), "miss", "mit"),
    (re.compile(r"(?:pon|fen|pen)s(?:e|es|ive|ively|iveness)?$"), "s", "d"),
    (re.compile(r"uction$"), "uct", "uc"),
    (re.compile(r"ments?$"), "ment", ""),
)


#: British spellings read as American ones, so that a claim and its source written on two
#: sides of the Atlantic share their words: randomised/randomized, analysed/analyzed,
#: tumour/tumor, oedema/edema, haemoglobin/hemoglobin. Both sides are folded the same way,
#: so a rule can only merge two spellings, never part one word from itself; each applies to
#: words of at least SPELLING_MIN letters ("four", "hour", "does" keep their letters).
SPELLING_MIN = 6
_SPELLINGS = (
    (re.compile(r"(?<=[a-z]{3})is(?=(?:e|ed|es|ing|ation|ations)$)"), "iz"),
    (re.compile(r"(?<=[a-z])ys(?=(?:e|ed|es|ing)$)"), "yz"),
    (re.compile(r"(?<=[a-z]{3})our(?=(?:s|ed|ing|ite|ites|al|able|ably)?$)"), "or"),
    (re.compile(r"(?<=[a-z])[ao]e(?=[a-z])(?!s$)|^[ao]e(?=[b-df-hj-np-tv-z])"), "e"),
)


def _spelling(word: str) -> str:
    if len(word) < SPELLING_MIN:
        return word
    for pattern, repl in _SPELLINGS:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter2) stem of an English word, British spellings read as American,
    with a noun folded onto the verb it is derived from: response/responded/responders,
    remission/remitted, reduction/reduced."""
    w = _spelling(word.lower().strip("'-"))
    out = _english()(w)
    for pattern, tail, verb in _DERIVED:
        if pattern.search(w) and out.endswith(tail) and len(out) - len(tail) + len(verb) >= 4:
            out = out[: len(out) - len(tail)] + verb
            break
    return out


def content_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) for each content word of `text`."""
    return list(_content_tokens(text))


@lru_cache(maxsize=4096)
def _content_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """Cached: a claim's sentence is read once per value and again to bind names to it."""
    out = []
    for m in TOKEN_RE.finditer(text):
        w = m.group().lower()
        if w in STOP or len(w) < 3:
            continue
        # an acronym is a name, not a word to stem: "ENCODE" is no form of "encodes"
        out.append((m.start(), m.end(), m.group() if m.group().isupper() else stem(w)))
    return tuple(out)


WEAK = frozenset(stem(w) for w in WEAK_WORDS)  # compared with stems, so stored as stems


# A word that may be part of a name: capitalised, or holding a capital after its first letter
# (EMA, VLX-12, LDL-C, Halden-Orsini). Apostrophes end it ("Halden's" -> Halden).
NAME_WORD_RE = re.compile(r"[A-Z][A-Za-z0-9]*(?:[-\u2013][A-Za-z0-9]+)*")
# Lower-case words that may stand inside a name: "Department of Health and Social Care".
NAME_JOINERS = frozenset(["of", "and", "for", "de"])


def is_acronym(word: str) -> bool:
    """Two or more capitals: an abbreviation (EMA, LDL-C, VLX-12), a name in any position."""
    return sum(c.isupper() for c in word) >= 2


def _plain_word(word: str) -> bool:
    return word.lower() in STOP and not is_acronym(word)


def names_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each proper name of `text`: a run of capitalised words (joined by
    "of", "and", ...) or an acronym. Names say which scale, disorder or agency a number is
    about, something ordinary words sharing a stem cannot tell apart. A capitalised word that
    merely starts a sentence is no name, and nor are leading function words ("The", "In")."""
    words = [(m.start(), m.end()) for m in NAME_WORD_RE.finditer(text)]
    runs: list[list[tuple[int, int]]] = []
    for a, b in words:
        if runs:
            last = runs[-1][-1]
            gap = text[last[1] : a]
            inner = gap.split()
            joined = (
                len(inner) == 1
                and inner[0] in NAME_JOINERS
                and gap[0].isspace()
                and not is_acronym(text[last[0] : last[1]])
                and not is_acronym(text[a:b])
            )  # "Department of Health and Social Care", but "EMA and HeFH" are two
            if not inner or joined:
                runs[-1].append((a, b))
                continue
        runs.append([(a, b)])
    out = []
    for run in runs:
        while run and _plain_word(text[run[0][0] : run[0][1]]):
            run = run[1:]
        if not run:
            continue
        a, b = run[0][0], run[-1][1]
        first = text[run[0][0] : run[0][1]]
        before = text[:a].rstrip(" \t\n\"'([")
        starts = not before or before[-1] in ".!?:"
        if len(run) == 1 and starts and not is_acronym(first):
            continue  # "Myalgia was ...": a capital that only starts a sentence
        if len(run) == 1 and len(first) < 2:
            continue
        out.append((a, b, text[a:b]))
    return out


def initials(name: str) -> str:
    """The acronym a name would have: "Halden-Orsini Fatigue Scale" -> hofs."""
    parts = re.split(r"[\s\u2013-]+", name)
    return "".join(p[0] for p in parts if p[:1].isupper()).lower()
