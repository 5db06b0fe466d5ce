"""Matching one value of a claim to its cited sources: supported, contradicted, misplaced, or
missing. Conservative on purpose: a value is called contradicted or misplaced only where the
source ties its own number to what the claim says (see README, "How values are matched")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from ..claims import Claim, year_bound, year_satisfies
from ..lexicon import Lexicon, fold
from ..quantities import Quantity, date_parts, numbers, supports
from ..sentences import SENTENCE_END_RE
from ..words import WEAK, content_tokens
from .binding import (
    BOUNDARY_RE,
    Frame,
    Vocabulary,
    _score,
    bind,
    comparable,
    contexts,
    tags_in,
    vocabulary,
)
from .index import (
    CITE_GROUP_RE,
    CLAIM_WINDOW,
    LEAD_SENTENCES,
    Passage,
    SourceIndex,
    SourceQuantity,
)
from .records import Status, ValueCheck


def _claim_words(claim: Claim, q: Quantity) -> dict[str, tuple[int, bool]]:
    """Content words near the claim's number: distance, and whether the number owns them."""
    text = claim.sentence.text
    i = next(i for i, v in enumerate(claim.values) if v is q)
    words: dict[str, tuple[int, bool]] = {}
    for dist, word, owned in contexts(text, 0, len(text), claim.values, CLAIM_WINDOW)[i]:
        if word not in words or (owned, -dist) > (words[word][1], -words[word][0]):
            words[word] = (dist, owned)
    return words


def _owned(words: dict[str, tuple[int, bool]], context: list[tuple[int, str, bool]]) -> set[str]:
    """Claim words that the claim's number owns and the source number owns too."""
    mine = {w for w, (_d, owned) in words.items() if owned}
    return {w for _d, w, owned in context if owned and w in mine}


#: A year the cited sources give in this many sentences is one of their subjects (the year
#: of the study they report), not a detail the claim took from the wrong passage. Not so a
#: count or a share: small numbers recur in a long text by chance.
PERVASIVE = 3

#: A claim restates a source sentence when that share of its content words is in it: then a
#: value the two share is about the same thing, however the numbers nearby bind.
RESTATES = 0.75
#: ... and the claim has at least this many content words (a short claim restates anything).
RESTATES_MIN_WORDS = 6


def _to_the_day(q: Quantity) -> bool:
    """A date written to the day: found in a source, it is no coincidence ("23 August 2010")."""
    return q.kind == "date" and date_parts(q)[2] != 0


def _pervasive(
    claim: Claim,
    q: Quantity,
    best: tuple[float, SourceIndex, SourceQuantity],
    matches: list[tuple[float, SourceIndex, SourceQuantity]],
    others: list[tuple[float, SourceIndex, SourceQuantity]],
) -> bool:
    """A year the sources give in PERVASIVE sentences or more, unless another passage holds
    more of the claim's other numbers than the match does: "In 2011, a further 449 goats and
    313 sheep" is the 2010 survey's passage, however often the sources name 2011."""
    if q.kind not in {"year", "date"}:
        return False
    if len({(m[1].entry.key, m[2].sentence) for m in matches}) < PERVASIVE:
        return False
    if len(claim.values) < 2:
        return True
    held = _companions(claim, q, best[1], best[2].sentence)
    return all(_companions(claim, q, o[1], o[2].sentence) <= held for o in others)


def _restates(claim: str, text: str, sentence: tuple[int, int]) -> bool:
    """Whether the claim says what the source sentence holding its value says."""
    mine = {stem for *_x, stem in content_tokens(claim)}
    if len(mine) < RESTATES_MIN_WORDS:
        return False
    theirs = {stem for *_x, stem in content_tokens(text[sentence[0] : sentence[1]])}
    return len(mine & theirs) >= RESTATES * len(mine)


def _same_frame(mine: Frame, theirs: Frame) -> bool:
    """The source sentence is about what the claim is about: the same agents (its own or its
    lead-in's), and every name and event of the claim among its own."""
    return mine.agents == theirs.agents and mine.tags <= theirs.tags


def _with_other_values(claim: Claim, q: Quantity, idx: SourceIndex, sq: SourceQuantity) -> bool:
    """Whether the source sentence that gives a year also gives another of the claim's values:
    "377 goats ... in 2007" found together is one passage, not two subjects. Only for a year,
    which dates a passage; a share or count beside another can be the wrong one of a range."""
    if q.kind not in {"year", "date"}:
        return False
    here = [o for o in idx.quantities_in(sq.sentence) if o is not sq.q]
    return any(supports(other, o) for other in claim.values if other is not q for o in here)


def _alone_in_sentence(q: Quantity, idx: SourceIndex, sq: SourceQuantity) -> bool:
    """Whether the source sentence gives no other number of the value's kind (two years in
    one sentence can be swapped however much of it a claim restates)."""
    return not any(o is not sq.q and _same_family(q, o) for o in idx.quantities_in(sq.sentence))


#: what may stand between a label and its number: words and spaces, not another number or a
#: bracket, comma or colon that would start another item of a list
_LABEL_GAP_RE = re.compile(r"[^\d,;:()\[\]%=<>]*")
LABEL_WORDS = 2
#: how far back a label is looked for: two words and what stands between them and the number
LABEL_REACH = 80


def _label(text: str, lo: int, at: int) -> list[str]:
    """The content words (stems) that name the number at `at`: up to two, right before it,
    with nothing but words between ("DME was 6.81%" -> ["DME"])."""
    out: list[str] = []
    end = at
    lo = max(lo, at - LABEL_REACH)
    for a, b, st in reversed(content_tokens(text[lo:at])):
        if not _LABEL_GAP_RE.fullmatch(text, lo + b, end):
            break
        if any(ch.isdigit() for ch in text[lo + a : lo + b]):
            break
        if a == 0 and lo > 0 and text[lo - 1].isalnum():
            break  # a word cut by the reach
        out.insert(0, st)
        end = lo + a
        if len(out) == LABEL_WORDS:
            break
    return out


def _labelled_alike(q: Quantity, text: str, idx: SourceIndex, sq: SourceQuantity) -> bool:
    """Whether the claim and the source name the number with the same label, in a source
    sentence that lists numbers of its kind under labels of their own, none of them this one:
    "DME was 6.81%" in a claim and "PDR was 6.96%, DME was 6.81%" in the source are the same
    item of a list. A number alone in its sentence is left to the binding of its names."""
    mine = _label(text, 0, q.start)
    src = idx.source.text
    theirs = _label(src, sq.sentence[0], sq.q.start)
    if not mine or not theirs or mine[-1] != theirs[-1] or theirs[-1] in WEAK:
        return False
    if len(mine) == len(theirs) == LABEL_WORDS and mine[0] != theirs[0]:
        return False
    labels = [
        _label(src, sq.sentence[0], o.start)
        for o in idx.quantities_in(sq.sentence)
        if o is not sq.q and _same_family(q, o)
    ]
    return any(labels) and not any(theirs[-1] in other for other in labels)


def _labelled_otherwise(
    q: Quantity, text: str, idx: SourceIndex, sq: SourceQuantity
) -> Quantity | None:
    """The number the source gives under the claim's label, when the claim's value is another
    item of the same source sentence: a claim "neuropathy was 6.96%" against "tendinopathy
    was 6.96%, neuropathy was 6.81%". Only where each of the two numbers has a label of its
    own and the claim's label names exactly one number of the sentence."""
    mine = _label(text, 0, q.start)
    src = idx.source.text
    lo = sq.sentence[0]
    theirs = _label(src, lo, sq.q.start)
    if not mine or mine[-1] in WEAK or not theirs or mine[-1] in theirs:
        return None
    named = [
        o
        for o in idx.quantities_in(sq.sentence)
        if o is not sq.q and _same_family(q, o) and mine[-1] in _label(src, lo, o.start)
    ]
    if len(named) != 1 or supports(q, named[0]):
        return None
    return named[0]


def _check_value(
    claim: Claim,
    q: Quantity,
    cited: list[SourceIndex],
    lexicon: Lexicon,
    frame: Callable[[], Frame],
) -> ValueCheck:
    # "a review from 2008 [@x]": a year that is a cited source's publication year ("from" and
    # "since" read as bounds include it)
    if q.kind == "year" and q.comparator in {"=", "<=", ">="} and q.high is None:
        for idx in cited:
            if idx.entry.year == int(q.value):
                return ValueCheck(q, Status.PUBYEAR)
    words = _claim_words(claim, q)
    matches: list[tuple[float, SourceIndex, SourceQuantity]] = []
    others: list[tuple[float, SourceIndex, SourceQuantity]] = []
    for idx in cited:
        found, rivals = idx.memo(("candidates", *_as_read(q)), partial(_candidates, q, idx))
        matches += [(_score(words, sq.context), idx, sq) for sq in found]
        others += [(_score(words, sq.context), idx, sq) for sq in rivals]
    bound = year_bound(claim.sentence.text, q) if q.kind == "year" else "="
    if not matches and bound != "=":
        # "by YEAR", "before YEAR": any year of the same passage subject that meets the bound
        for o in others:
            if o[0] > 0 and o[2].q.kind in {"year", "date"}:
                actual = int(str(int(o[2].q.value))[:4])
                if year_satisfies(bound, int(q.value), actual):
                    matches.append(o)
    if matches:
        # the passage that holds most of the claim's other numbers is the one it restates;
        # then the one whose number owns most of what the claim's number is about
        best = max(
            matches,
            key=lambda m: (
                _companions(claim, q, m[1], m[2].sentence) if len(claim.values) > 1 else 0,
                len({w for w in _owned(words, m[2].context) if w not in WEAK}),
                m[0],
            ),
        )
        _score_c, idx, sq = best
        passage = idx.passage(sq.q.start, sq.q.end, sq.q.text)
        better = None
        if (
            bound == "="
            and not _to_the_day(q)
            and not _pervasive(claim, q, best, matches, others)
            and _definite(q, claim.sentence.text)
            and not _labelled_alike(q, claim.sentence.text, idx, sq)
            and not (
                _alone_in_sentence(q, idx, sq)
                and (
                    _with_other_values(claim, q, idx, sq)
                    or (
                        _restates(claim.sentence.text, idx.source.text, sq.sentence)
                        and _same_frame(
                            frame(), idx.frame(sq.sentence, lexicon, vocabulary(lexicon))
                        )
                    )
                )
            )
        ):
            better = _better_other(claim, q, words, best, matches, others, lexicon, frame)
        if (
            better is None
            and bound == "="
            and _definite(q, claim.sentence.text)
            and not any(_labelled_alike(q, claim.sentence.text, m[1], m[2]) for m in matches)
        ):
            named = _labelled_otherwise(q, claim.sentence.text, idx, sq)
            if named is not None:
                better = idx.passage(named.start, named.end, named.text)
        if better is not None:
            literal = sq.q.comparator == q.comparator and sq.q.value == q.value
            # "29 of 240 ... about 12%": the claim computed its number from the passage it
            # restates; the same number elsewhere is a coincidence
            computed = _computed(claim, q, cited)
            if computed is not None:
                return computed
            if q.comparator in {"<", "<=", ">", ">="} and not literal:
                # a bound met only by a number about something else is no support at all
                return ValueCheck(q, Status.MISSING, None, better)
            return ValueCheck(q, Status.MISBOUND, passage, None, better)
        return ValueCheck(q, Status.SUPPORTED, passage)
    listed = _listed_range(q, others)
    if listed is not None:
        return ValueCheck(q, Status.SUPPORTED, listed)
    computed = _computed(claim, q, cited)
    if computed is not None:
        return computed
    nearest = None
    if others:
        mine = {name for _a, _b, name in claim.agents}

        def closeness(m: tuple[float, SourceIndex, SourceQuantity]) -> tuple[int, float, float]:
            same_agent = bool(mine & m[1].agents_in_sentence(m[2].sentence, lexicon))
            return (-int(same_agent), -m[0], abs(m[2].q.value - q.value))

        _, idx, sq = min(others, key=closeness)
        nearest = idx.passage(sq.q.start, sq.q.end, sq.q.text)
    against = _contradiction(claim, q, words, others, lexicon, frame)
    return ValueCheck(q, Status.MISSING, None, nearest, None, against)


Candidate = tuple[float, SourceIndex, SourceQuantity]


_COUNTED_RE = re.compile(
    r"-?[a-z][a-z-]*(?<!\bper)(?<!\bof)(?<!\band)(?<!\bor)(?<!\bto)(?<!\bvs)(?<!\bin)"
    r"(?<!\bat)(?<!\bon)(?<!\bfor)(?<!\bwith)(?<!\bfrom)(?<!\bby)(?<!\bthan)(?![a-z])"
)


def _computed(claim: Claim, q: Quantity, cited: list[SourceIndex]) -> ValueCheck | None:
    """The verdict on a number the author computes: from two numbers stated beside it, or
    from two numbers of a source sentence (see `computed_from`, `derive`); else None."""
    if computed_from(claim, q) is not None:
        return ValueCheck(q, Status.COMPUTED)
    derived = _derived(q, cited, stated_nearby(claim))
    return None if derived is None else ValueCheck(q, Status.SUPPORTED, derived)


def _as_read(q: Quantity) -> tuple[object, ...]:
    """What a value is, wherever it stands: its number, kind, unit, comparator, precision
    and how it is written (a sign, a hedge word)."""
    return (q.value, q.high, q.kind, q.unit, q.comparator, q.decimals, q.text.strip())


def _candidates(q: Quantity, idx: SourceIndex) -> tuple[list[SourceQuantity], list[SourceQuantity]]:
    """The source's numbers that support a value, and the other numbers of its kind that
    could contradict it (statistics aside); the same for every claim that states the value."""
    found: list[SourceQuantity] = []
    rivals: list[SourceQuantity] = []
    for sq in idx.quantities:
        if supports(q, sq.q):
            found.append(sq)
        elif _same_family(q, sq.q) and not _statistic(idx.source.text, sq.q):
            rivals.append(sq)
    return found, rivals


def _clause_words(text: str, q: Quantity) -> set[str]:
    """The content words of the clause that holds a claim's number: a contradiction must be
    about what that clause says, not about the clause after "whereas"."""
    start = max((m.end() for m in BOUNDARY_RE.finditer(text, 0, q.start)), default=0)
    found = BOUNDARY_RE.search(text, q.end)
    end = found.start() if found else len(text)
    return {stem for *_x, stem in content_tokens(text[start:end])}


def _within_bound(q: Quantity, bound: Quantity) -> bool:
    """Whether a source bound ("at least 1%", "< 10 days") allows the claim's value: a
    threshold the value meets says nothing against it."""
    if bound.comparator not in {"<", "<=", ">", ">="} or (bound.kind, bound.unit) != (
        q.kind,
        q.unit,
    ):
        return False
    limit = bound.value if bound.high is None else bound.high
    ends = [q.value] if q.high is None else [q.value, q.high]
    if bound.comparator == "<":
        return all(e < limit for e in ends)
    if bound.comparator == "<=":
        return all(e <= limit for e in ends)
    if bound.comparator == ">":
        return all(e > limit for e in ends)
    return all(e >= limit for e in ends)


def _definite(q: Quantity, text: str) -> bool:
    """A value definite enough for another value to contradict it: a date, a year, a quantity
    with a unit (percent, dose, duration), or a count of four or more of something named
    ("eight subjects", "an 11-item scale"). A bare number, a small count or a ratio ("3",
    "two doses", "1.45") stands for too many things in a passage to be contradicted by its
    neighbour."""
    if q.kind in {"year", "date", "percent", "fraction"} or q.unit:
        return True
    if q.kind != "count" or q.decimals > 0 or q.value < 4 or q.value != int(q.value):
        return False
    after = text[q.end : q.end + 40]
    return bool(_COUNTED_RE.match(after.lstrip() if not after.startswith("-") else after))


def _point(value: float, other: Quantity) -> bool:
    """Whether a source quantity gives `value` (one end of a claim's range), to its precision."""
    ends = [other.value] if other.high is None else [other.value, other.high]
    return any(abs(value - e) <= 0.5 * 10 ** -max(0, other.decimals) for e in ends)


#: what a source number must share with the claim's number, beyond generic words and the
#: agents' own names, for its passage to be about the same thing
SAME_SUBJECT_WORDS = 3
#: a source sentence with more values of the same kind than this is a list: which value is
#: about what is a guess, and a guess contradicts nothing
SENTENCE_VALUES = 1


def _contradiction(
    claim: Claim,
    q: Quantity,
    words: dict[str, tuple[int, bool]],
    others: list[Candidate],
    lexicon: Lexicon,
    frame: Callable[[], Frame],
) -> Passage | None:
    """The passage of a cited source that gives another value for exactly what the claim's
    missing value is about, or None. Absence is not contradiction: a passage counts only when
    its number owns at least SAME_SUBJECT_WORDS of the content words the claim's number owns
    (generic words and agent names aside), it is not where another value of the claim came
    from, and it names none but the claim's agents, or the same name or event is bound to
    both numbers."""
    if not others or not _definite(q, claim.sentence.text):
        return None
    if q.high is not None and any(_point(v, o[2].q) for o in others for v in (q.value, q.high)):
        return None  # a range the source gives one end of is not contradicted by it
    if len(claim.values) > 1:
        others = [o for o in others if not _taken(claim, q, words, o) and not _another(claim, q, o)]
    others = [o for o in others if not _within_bound(q, o[2].q)]
    if q.kind == "count" and not q.unit:
        counted = _counted(claim.sentence.text, q)
        others = [o for o in others if counted and _counted(o[1].source.text, o[2].q) == counted]
    named = {t for a, b, _n in claim.agents for *_x, t in content_tokens(claim.sentence.text[a:b])}
    plain = WEAK | named
    vocab = vocabulary(lexicon)
    mine = frame()
    claimed = mine.bound.get(q.start, frozenset())
    found: list[tuple[int, float, Candidate]] = []
    clause = _clause_words(claim.sentence.text, q)
    for o in others:
        shared = {w for w in _owned(words, o[2].context) if w not in plain and w in clause}
        if _parenthetical(o[1].source.text, o[2]):
            # "(83% were not receiving oxygen at baseline)": an aside is about what it says
            shared &= _bracket_words(o[1].source.text, o[2])
        theirs = o[1].frame(o[2].sentence, lexicon, vocab)
        tied = any(
            not o[1].topical(t) for t in claimed & theirs.bound.get(o[2].q.start, frozenset())
        )
        if len(shared) < SAME_SUBJECT_WORDS and not (tied and shared):
            continue
        if mine.agents and theirs.agents and not mine.agents & theirs.agents:
            continue  # a passage about another agent says nothing against this one
        rivals = [
            x
            for x in o[1].quantities
            if x.sentence == o[2].sentence
            and _same_family(x.q, o[2].q)
            and not _statistic(o[1].source.text, x.q)
        ]
        if len(rivals) > SENTENCE_VALUES:
            continue  # a sentence that lists values: which one is about what is a guess
        found.append((len(shared) + int(tied), o[0], o))
    if not found:
        return None
    _n, _s, (_score_o, idx, sq) = max(found, key=lambda f: (f[0], f[1]))
    return idx.passage(sq.q.start, sq.q.end, sq.q.text)


#: how many of the words a claim's number owns its match's sentence must hold, anywhere, to
#: be taken as about the same thing as loosely as one owned word
LOOSELY_SAME = 2


def _better_other(
    claim: Claim,
    q: Quantity,
    words: dict[str, tuple[int, bool]],
    best: Candidate,
    matches: list[Candidate],
    others: list[Candidate],
    lexicon: Lexicon,
    frame: Callable[[], Frame],
) -> Passage | None:
    """Where the sources give a different value for exactly what the claim's number is about.

    Three signals, all conservative: the matching number owns none of the words the claim's
    number owns while another number owns some that are not generic; or the matching number's
    sentence names other agents than the claim while another number's sentence names the
    claim's agent; or names and events, which outweigh words (see `_other_subject`).
    """
    _s, idx, sq = best
    if len(claim.values) > 1:
        others = [o for o in others if not _taken(claim, q, words, o) and not _another(claim, q, o)]
        # "between 1981 and 1983 ... eight of ten provinces ... 2% (28/1163)": a match whose
        # sentence holds more of the claim's other numbers than a rival's is the passage the
        # claim restates, whatever words each shares with it
        held = _companions(claim, q, idx, sq.sentence)
        others = [o for o in others if _companions(claim, q, o[1], o[2].sentence) >= held]
    if _parenthetical(idx.source.text, sq):
        # "from 18.6% to 1.1% (a 94% decrease)": a number in brackets annotates the clause
        # before it, so that clause's words are its subject too
        others = [o for o in others if not (o[1] is idx and o[2].sentence == sq.sentence)]
    # "48% (12.2% annually)": a bracketed number beside the match annotates it; no rival
    others = [
        o
        for o in others
        if not (
            o[1] is idx and o[2].sentence == sq.sentence and _parenthetical(idx.source.text, o[2])
        )
    ]
    # agent names say which drug a passage is about, not what the number measures
    named = {t for a, b, _n in claim.agents for *_x, t in content_tokens(claim.sentence.text[a:b])}
    plain = WEAK | named

    def rank(o: Candidate) -> tuple[int, float]:
        """How much of what the claim's number is about another number owns."""
        return len({w for w in _owned(words, o[2].context) if w not in plain}), o[0]

    have = rank(best)[0]
    a, b = sq.sentence
    said = {stem for *_x, stem in content_tokens(idx.source.text[a:b])}
    mine = {w for w, (_d, owned) in words.items() if owned and w not in plain}
    if _parenthetical(idx.source.text, sq):
        have = max(have, len(mine & said))
    elif len(mine & said) >= LOOSELY_SAME:
        # the match's sentence speaks of what the claim's number is about, if further off
        # than its nearest words ("SD = 3.24 min ... compared with normal lysis"): one shared
        # word is then no reason to send the number elsewhere
        have = max(have, 1)
    # another number owns clearly more of what the claim's number is about, and nothing the
    # claim gives to another of its numbers: "lifetime ... 11 to 15% and 12-month ... 6%"
    # sends a passage on lifetime prevalence to 11 to 15%, not to 6%
    need = {0: 1, 1: 3}.get(have)  # two or more shared words: the match is about the same thing
    if _table_row(idx, sq.sentence):
        need = None  # a table cell's words are its row's and column's, not its neighbours'
    elsewhere = _given_elsewhere(claim, q, words) - plain
    scored = [
        o
        for o in others
        if need is not None
        and not _table_row(o[1], o[2].sentence)
        and rank(o)[0] >= need
        and not elsewhere & {w for _d, w, owned in o[2].context if owned}
    ]
    strong = max(scored, key=rank) if scored else None
    vocab = vocabulary(lexicon)
    mine_frame = frame() if strong is None else None
    if mine_frame is not None and mine_frame.agents:
        mine = set(mine_frame.agents)
        here = idx.frame(sq.sentence, lexicon, vocab).agents
        if here and not here & mine:
            same = [o for o in others if o[1].frame(o[2].sentence, lexicon, vocab).agents & mine]
            if same:
                strong = max(same, key=rank)
    if mine_frame is not None and strong is None:
        strong = _other_subject(q, mine_frame, best, matches, others, lexicon, rank)
    if strong is None:
        return None
    _o, o_idx, o_sq = strong
    return o_idx.passage(o_sq.q.start, o_sq.q.end, o_sq.q.text)


_STATISTIC_BEFORE_RE = re.compile(
    r"(?i)(?:\b[pq]|\bn|\bSE|\bSD|\bOR|\bRR|\bHR)\s*[<=>\u2264\u2265]+\s*$"
)
_STATISTIC_AFTER_RE = re.compile(r"\s*(?:CI\b|CrI\b|confidence\s+interval)")


def _statistic(text: str, q: Quantity) -> bool:
    """A p-value, a sample size or a confidence level in a source ("P = 0.02", "n = 5",
    "95% CI"): never the value a claim's number is about."""
    return bool(
        _STATISTIC_BEFORE_RE.search(text[max(0, q.start - 12) : q.start])
        or (q.kind == "percent" and _STATISTIC_AFTER_RE.match(text, q.end))
    )


#: most numbers of one kind a source sentence may give for its pairs to be tried as the
#: terms of a claim's derived value: beyond that, some quotient matches by chance
DERIVATION_TERMS = 4
#: ... and among the numbers of the claim and its lead-in, of one kind
NEARBY_TERMS = 6
#: units on an interval scale: their quotient means nothing ("48 °C / 25 °C")
_INTERVAL_UNITS = frozenset({"°C", "°F", "C", "F"})
#: how a count of a count is written: "29 of 240", "29 out of 240", "28/1163"
_SHARE_OF_RE = re.compile(r"\s*(?:/|(?:out\s+)?of)\s*")


def stated_nearby(claim: Claim) -> list[Quantity]:
    """The numbers the claim states and those of its lead-in (the one or two sentences before
    it in its paragraph): what the author has put in front of the reader to compute from."""
    out = list(claim.values)
    for sentence in _lead_in(claim):
        out.extend(numbers(sentence, (), claim.sentence.block.store))
    return out


def _lead_in(claim: Claim) -> list[str]:
    """The one or two sentences before the claim in its paragraph, citations blanked."""
    s = claim.sentence
    before = CITE_GROUP_RE.sub(" ", s.block.masked[max(0, s.start - 600) : s.start])
    return [x for x in SENTENCE_END_RE.split(before) if x.strip()][-LEAD_SENTENCES:]


def _ends(o: Quantity) -> list[Quantity]:
    """A number, or each end of a range, as a point."""
    if o.high is None:
        return [o]
    return [replace(o, high=None), replace(o, value=o.high, high=None)]


def _pairs(
    q: Quantity, found: list[Quantity], limit: int, text: str = "", counts: bool = False
) -> list[tuple[Quantity, Quantity]]:
    """The (larger, smaller) pairs of `found` whose quotient may be the claim's number: for a
    ratio, two percentages or two values of one ratio-scale unit (the sizes of two negative
    differences compare as sizes), or two counts when `counts` (numbers the author states);
    for a share, two whole counts. Each kind with more than
    `limit` numbers is left out: among many, some quotient matches by chance."""
    families: dict[tuple[str, str], list[Quantity]] = {}
    for o in found:
        if text and _statistic(text, o):
            continue
        for end in _ends(o):
            if end.value != 0:
                families.setdefault((end.kind, end.unit), []).append(end)
    out: list[tuple[Quantity, Quantity]] = []
    for (kind, unit), family in families.items():
        if not 2 <= len(family) <= limit:
            continue
        if q.kind == "ratio":
            scaled = bool(unit) and kind != "ratio" and unit not in _INTERVAL_UNITS
            # bare decimals (effect sizes, "d of -0.39 against -0.27") are measurements too
            bare = kind == "count" and not unit and (counts or all(o.decimals > 0 for o in family))
            if not (kind == "percent" or scaled or bare):
                continue
        elif kind != "count" or unit or any(o.decimals > 0 or o.value < 0 for o in family):
            continue
        out += [
            (x, y)
            for x in family
            for y in family
            if x is not y and (x.value > 0) == (y.value > 0) and abs(y.value) < abs(x.value)
        ]
    return out


def _quotient(q: Quantity, a: Quantity, b: Quantity) -> bool:
    """Whether `a` over `b` (a ratio) or `b` of `a` (a share) is the claim's number."""
    if q.kind == "ratio":
        made = Quantity(abs(a.value / b.value), None, "ratio", q.unit, "=", 0, 0, "", 9)
    else:
        made = Quantity(100 * b.value / a.value, None, "percent", "%", "=", 0, 0, "", 9)
    return supports(q, made)


def computed_from(claim: Claim, q: Quantity) -> tuple[Quantity, Quantity] | None:
    """Two numbers the author states in the claim, or else in the claim and its lead-in,
    whose quotient is the claim's number ("graminoids (47%) ... nearly three times that among
    shrubs", 17% the sentence before; "6,489 patients, roughly five times as many as the
    1,258"): the author's own arithmetic, on numbers checked where they stand."""
    if q.high is not None or q.kind not in {"ratio", "percent"}:
        return None
    for pool in (claim.values, stated_nearby(claim)):
        # counts the author states compare as well as measurements do
        pairs = _pairs(q, [n for n in pool if n is not q], NEARBY_TERMS, counts=True)
        found = next((p for p in pairs if _quotient(q, *p)), None)
        if found is not None:
            return found
    return None


def derive(
    q: Quantity, text: str, found: list[Quantity], nearby: list[Quantity]
) -> tuple[Quantity, Quantity] | None:
    """Two numbers of one source sentence (`found`, in order) from which the claim's number is
    computed, as authors compute, else None: a ratio ("about 1.7 times as likely") from two
    percentages, or two values of one ratio-scale unit ("20.07 versus 11.43 µg/g"); a share
    ("about 56%") from two counts. The quotient must support the claim's number at its own
    precision or hedge, as a number written in the source would, and the pair must be one the
    author shows: a count of a count written together ("29 of 240", "28/1163"), or a pair one of
    whose numbers the claim or its lead-in states (`nearby`)."""
    if q.high is not None or q.kind not in {"ratio", "percent"}:
        return None
    return _derivation(q, text, _pairs(q, found, DERIVATION_TERMS, text), nearby)


def _derivation(
    q: Quantity, text: str, pairs: list[tuple[Quantity, Quantity]], nearby: list[Quantity]
) -> tuple[Quantity, Quantity] | None:
    """The first of `pairs` whose quotient is the claim's number and that the author shows."""
    for a, b in pairs:
        if not _quotient(q, a, b):
            continue
        if any(supports(n, x) for n in nearby for x in (a, b)) or (
            q.kind == "percent"
            and b.end <= a.start
            and _SHARE_OF_RE.fullmatch(text, b.end, a.start) is not None
        ):
            return a, b
    return None


def _derived(q: Quantity, cited: list[SourceIndex], nearby: list[Quantity]) -> Passage | None:
    """The source passage from which the claim's number is computed (see `derive`): the
    stretch from the first of its two numbers to the second."""
    if q.high is not None or q.kind not in {"ratio", "percent"}:
        return None
    for idx in cited:
        text = idx.source.text
        for sentence, found in idx.sentence_quantities():
            pairs = idx.memo(
                ("pairs", q.kind, sentence), partial(_pairs, q, found, DERIVATION_TERMS, text)
            )
            terms = _derivation(q, text, pairs, nearby) if pairs else None
            if terms is not None:
                first = min(t.start for t in terms)
                last = max(t.end for t in terms)
                return idx.passage(first, last, text[first:last])
    return None


def lists_range(q: Quantity, found: list[Quantity]) -> bool:
    """Whether numbers of one passage give both ends of the claim's range as points."""
    if q.high is None:
        return False
    points = [o for o in found if o.high is None and o.unit == q.unit]
    return any(_point(q.value, o) for o in points) and any(_point(q.high, o) for o in points)


def _listed_range(q: Quantity, others: list[Candidate]) -> Passage | None:
    """A range a source gives as a list: "from 1994 to 1998" by "1994, 1995, 1996, 1997, and
    1998" (both ends in one sentence of one source, each given as a point)."""
    if q.high is None:
        return None
    ends: dict[tuple[str, tuple[int, int]], set[str]] = {}
    for _s, idx, sq in others:
        if sq.q.high is not None:
            continue
        for end, value in (("low", q.value), ("high", q.high)):
            if _point(value, sq.q) and sq.q.unit == q.unit:
                ends.setdefault((idx.entry.key, sq.sentence), set()).add(end)
    for (key, (a, b)), found in ends.items():
        if found == {"low", "high"}:
            idx = next(o[1] for o in others if o[1].entry.key == key)
            return idx.passage(a, b, idx.source.text[a:b])
    return None


#: how many words a bracket may hold before its number stops annotating the clause before it
PARENTHETICAL_WORDS = 6


def _parenthetical(text: str, sq: SourceQuantity) -> bool:
    """Whether a source number stands inside a short bracket within its sentence."""
    a, _b = sq.sentence
    before = text[a : sq.q.start]
    opened = max(before.rfind("("), before.rfind("["))
    if opened < 0 or max(before.rfind(")"), before.rfind("]")) > opened:
        return False
    return len(before[opened + 1 :].split()) < PARENTHETICAL_WORDS


def _bracket_words(text: str, sq: SourceQuantity) -> set[str]:
    """The content words of the bracket a source number stands in."""
    a, b = sq.sentence
    opened = max(text.rfind("(", a, sq.q.start), text.rfind("[", a, sq.q.start))
    closes = [i for i in (text.find(")", sq.q.end, b), text.find("]", sq.q.end, b)) if i >= 0]
    end = min(closes) if closes else b
    return {stem for *_x, stem in content_tokens(text[opened + 1 : end])}


def _another(claim: Claim, q: Quantity, other: Candidate) -> bool:
    """The source value is another value the same claim gives ("34% ... and 48%,
    respectively"): a list of values, not one value misplaced."""
    return any(v is not q and supports(v, other[2].q) for v in claim.values)


def _counted(text: str, q: Quantity) -> str:
    """What a count counts: the stem of the first content word after it ("22 sites")."""
    after = text[q.end : q.end + 60]
    for _a, _b, stem in content_tokens(after)[:1]:
        return stem
    return ""


def _table_row(idx: SourceIndex, sentence: tuple[int, int]) -> bool:
    """Whether a source sentence is a row of a table as the readers write it (cells joined
    by " | "): which words a cell is about is its row's and column's, not nearness."""
    return " | " in idx.source.text[sentence[0] : sentence[1]]


def _companions(claim: Claim, q: Quantity, idx: SourceIndex, sentence: tuple[int, int]) -> int:
    """How many of the claim's other numbers one source sentence gives."""
    return sum(1 for v in claim.values if v is not q and idx.gives(v, sentence))


def _given_elsewhere(claim: Claim, q: Quantity, words: dict[str, tuple[int, bool]]) -> set[str]:
    """The words the claim gives to its other numbers of the same kind and not to this one
    (a duration's words, "remission ... at 24 hours", say what a share is about too)."""
    mine = {w for w, (_d, owned) in words.items() if owned}
    out: set[str] = set()
    for v in claim.values:
        if v is not q and _same_family(q, v):
            out |= {w for w, (_d, owned) in _claim_words(claim, v).items() if owned}
    return out - mine


def _taken(claim: Claim, q: Quantity, words: dict[str, tuple[int, bool]], other: Candidate) -> bool:
    """A passage that gives another value of the claim is where that value came from, unless
    it shares words with this number that the other does not own: in "3 of the 12 drugs tested
    were approved", "12 drugs were tested" is about 12, not 3."""
    shared = _owned(words, other[2].context)
    for v in claim.values:
        if v is not q and supports(v, other[2].q):
            theirs = {w for w, (_d, owned) in _claim_words(claim, v).items() if owned}
            if shared <= theirs:
                return True
    return False


def _other_subject(
    q: Quantity,
    mine: Frame,
    best: Candidate,
    matches: list[Candidate],
    others: list[Candidate],
    lexicon: Lexicon,
    rank: Callable[[Candidate], tuple[int, float]],
) -> Candidate | None:
    """Names and events weigh above words. The claim binds its number to a name or event X
    ("Halden ... Scale", "approved"); no passage with the value mentions X, the matching
    number is bound to a rival Y of the same kind ("Orsini ... Scale", "tested") that the
    claim never mentions, and another number of the sources is bound to X: that number is
    the one about the claim's subject. Shared ordinary words do not outvote this."""
    vocab = vocabulary(lexicon)

    def frame(c: Candidate) -> Frame:
        return c[1].frame(c[2].sentence, lexicon, vocab)

    claimed = mine.bound.get(q.start, frozenset())
    lost = {x for x in claimed if not any(frame(m).has(x) for m in matches)}
    if not lost:
        return None
    theirs = frame(best).bound.get(best[2].q.start, frozenset())
    wanted = {x for x in lost for y in theirs if not mine.has(y) and comparable(x, y, vocab)}
    about = [o for o in others if wanted & frame(o).bound.get(o[2].q.start, set())]
    return max(about, key=rank) if about else None


def _claim_frame(claim: Claim, lexicon: Lexicon, vocab: Vocabulary) -> Frame:
    """The claim sentence's Frame. Its lead-in, the one or two sentences before it in its
    paragraph, gives the agents of a sentence that names none ("It was approved in ...") and
    always counts for what the claim mentions: a rival the paragraph names is no rival."""
    s = claim.sentence
    text = s.text
    tags = tags_in(text, vocab, claim.agents)
    bound = bind(text, 0, len(text), claim.values, tags, CLAIM_WINDOW) if tags else []
    lead = _lead_in(claim)
    agents = {n for _a, _b, n in claim.agents}
    around = {t for *_x, t in tags}
    for sentence in reversed(lead):
        found = lexicon.agents_in(sentence)
        if not agents:
            agents = {n for *_x, n in found}
        around |= {t for *_x, t in tags_in(sentence, vocab, found)}
    return Frame(
        frozenset(agents),
        {v.start: frozenset(b) for v, b in zip(claim.values, bound, strict=False)},
        frozenset(around),
        fold(" ".join(lead) + " " + text),
    )


def _same_family(a: Quantity, b: Quantity) -> bool:
    if a.kind in {"year", "date"} or b.kind in {"year", "date"}:
        return a.kind in {"year", "date"} and b.kind in {"year", "date"}
    if a.unit and b.unit:
        return a.unit == b.unit
    return a.kind == b.kind
