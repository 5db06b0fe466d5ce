"""What a number in a claim or a source is, and whether a source number backs a claim.

`extraction.extract` reduces prose to `Quantity` values; `supports` then applies the judgement
a careful reader would: rounding, hedges, ranges and unit conversions. The two live apart so a
check whose numbers all come from the cache never compiles the extraction patterns.

Quantity.kind is one of a small closed set, `KINDS`:

===========  =================================================  ==========================
kind         meaning                                            unit
===========  =================================================  ==========================
year         a calendar year standing alone (1900-2099)        '' (value is the year)
date         a calendar date; value = YYYYMMDD, 00 = unknown    ''
percent      "%", "percent", "per cent"                         '%'
fraction     "two-thirds", "half of", "2/3"; value is 0..1      ''
count        a bare number, or a number of things               ''
ratio        "three-times", "3-fold", "3x", "twice as"          '×'
frequency    "twice weekly", "3 times a day"                    '/day', '/week', ...
dose         mass, optionally per kg / per time                 'mg', 'mg/kg', 'mg/day', ...
duration     time spans; decades/centuries become years         'minute' 'hour' 'day' ...
measure      anything else with a unit: points, mL, mM, kDa     'point', 'pp', 'mL', ...
===========  =================================================  ==========================

Comparators (`COMPARATORS`): '=' plain, '~' about/approximately/nearly/almost/roughly/some,
'>' more than/over/exceeding/higher than, '>=' at least/or more/since (years), '<' less/fewer
than/under/below, '<=' up to/within/at most/no more than.  "over" in front of a *duration* is
read as '=' because in clinical text it nearly always names the span of an infusion or a
treatment period ("2 mg per kg over 30 minutes", "improved over 10 days").

A quantity's span (start/end/text) covers its hedge ("more than 8 points", "between 3 and 5
days") so that a diagnostic can underline the whole phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cache import Store

KINDS = frozenset(
    {
        "year",
        "date",
        "percent",
        "fraction",
        "count",
        "ratio",
        "frequency",
        "dose",
        "duration",
        "measure",
    }
)
COMPARATORS = frozenset({"=", "~", "<", "<=", ">", ">="})
#: Relative tolerance used for '~' (about, approximately, nearly, ...).
APPROX_TOLERANCE = 0.10
ROUNDING_LIMIT = 0.10
#: How far below "fewer than N" (or above "more than N") a source value may lie, relative to N.
NEAR_WINDOW = 0.20


@dataclass(frozen=True)
class Quantity:
    """One number found in text, normalised so claims and sources can be compared.

    `value` is the low end of a range; `high` is the high end or None.  For kind 'date' the
    value is YYYYMMDD as a float with 00 for an unknown month/day (see `date_parts`).  For
    'fraction' the value is the exact proportion (1/3 for "one-third").  `decimals` is the
    precision as written (0 for "43%", 1 for "43.2%", -5 for "1.5 million").
    """

    value: float
    high: float | None
    kind: str
    unit: str
    comparator: str
    start: int
    end: int
    text: str
    decimals: int


# --------------------------------------------------------------------------------------------
# Number words (extraction reads them; the pre-check below must know every one)
# --------------------------------------------------------------------------------------------

_ONES = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_DENOMINATORS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}

#: Words that can start a quantity besides digits and the cardinals above.
_OTHER_TRIGGERS = ("dozen", "half", "twice", "once", "thrice", "decade")
_MAYBE_NUMBER = re.compile(
    r"\d|fold|(?i:\b(?:"
    + "|".join(sorted({*_ONES, *_TENS, *_SCALES, *_DENOMINATORS, *_OTHER_TRIGGERS}))
    + r"))"
)


def may_hold_numbers(text: str) -> bool:
    """False only when `text` has no digit (of any script) and no number word: then `extract`
    finds nothing, and a check need not load the extractor for it (tests hold the two to
    agreement)."""
    return _MAYBE_NUMBER.search(text) is not None


# --------------------------------------------------------------------------------------------
# Extraction through the cache
# --------------------------------------------------------------------------------------------


def numbers(
    text: str, skip_spans: Iterable[tuple[int, int]] = (), store: Store | None = None
) -> list[Quantity]:
    """`extraction.extract` of a manuscript sentence, through the project's store: an edit
    re-reads only the sentences it changed."""
    spans = sorted(skip_spans)

    def compute() -> list[Quantity]:
        if not may_hold_numbers(text):
            return []
        from .numerals import read_quantities  # numerals: Unicode digits folded, offsets kept

        return read_quantities(text, spans)

    if store is None:
        return compute()
    from .cache import key

    return store.memo("numbers").get(key(text, repr(spans)), compute, list[Quantity])


def source_numbers(text: str, store: Store | None = None) -> list[Quantity]:
    """`extraction.extract` of a whole source, kept in a cache file of its own: a source's
    numbers are the largest single cost of a check, and sources rarely change."""

    def compute() -> list[Quantity]:
        from .numerals import read_quantities  # numerals: Unicode digits folded, offsets kept

        return read_quantities(text)

    if store is None:
        return compute()
    from .cache import key

    return store.value(f"numbers-{key(text)}", list[Quantity], compute)


def date_parts(q: Quantity) -> tuple[int, int, int]:
    """(year, month, day) of a 'date' quantity; month/day are 0 when not stated."""
    v = int(round(q.value))
    return v // 10000, (v // 100) % 100, v % 100


MASS_UNITS = {"ng": 1e-9, "µg": 1e-6, "mg": 1e-3, "g": 1.0, "kg": 1e3}

# --------------------------------------------------------------------------------------------
# Support
# --------------------------------------------------------------------------------------------

_TIME_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
_CALENDAR_MONTHS = {"month": 1, "year": 12}
_VOLUME = {"mL": 1e-3, "dL": 0.1, "L": 1.0}
_MOLAR = {"mM": 1e-3, "µM": 1e-6, "nM": 1e-9, "pM": 1e-12}
_MOL = {"mmol": 1e-3, "µmol": 1e-6, "nmol": 1e-9, "pmol": 1e-12}
_LENGTH = {"cm": 1e-2, "mm": 1e-3, "µm": 1e-6, "nm": 1e-9}
_FREQ_HZ = {"Hz": 1.0, "kHz": 1e3}


def _part_dim(part: str) -> tuple[str, float]:
    for dim, table in (
        ("time", _TIME_SECONDS),
        ("cal", _CALENDAR_MONTHS),
        ("mass", MASS_UNITS),
        ("vol", _VOLUME),
        ("molar", _MOLAR),
        ("mol", _MOL),
        ("len", _LENGTH),
        ("hz", _FREQ_HZ),
    ):
        if part in table:
            return dim, table[part]
    return part, 1.0


def _dimension(q: Quantity) -> tuple[tuple[str, ...], float]:
    """(dimension signature, scale to base units) of a quantity's unit."""
    if q.kind == "fraction":
        return ("pct",), 100.0
    if q.unit == "%":
        return ("pct",), 1.0
    if not q.unit:
        return (), 1.0
    parts = q.unit.split("/")
    sig: list[str] = []
    scale = 1.0
    for i, part in enumerate(parts):
        if not part:
            continue
        dim, s = _part_dim(part)
        sig.append(dim if i == 0 else "/" + dim)
        scale = scale * s if i == 0 else scale / s
    return tuple(sig), scale


def _unitless(q: Quantity) -> bool:
    return q.kind == "count" and not q.unit


MEASURED_KINDS = frozenset({"duration", "dose", "frequency", "ratio", "measure"})


def _conversion(claim: Quantity, source: Quantity) -> float | None:
    """Factor that expresses source values in the claim's unit, or None if incomparable."""
    kinds = {claim.kind, source.kind}
    if "count" in kinds and kinds & MEASURED_KINDS:
        # "40 patients" is not "40 minutes", "22 patients" not "20 points"; but a bare decimal
        # counts nothing, and an exact claim of it at its precision is that measurement with
        # its unit left to the words around it ("b = -1.02" for "lowered it by 1.02 points")
        counts = [q for q in (claim, source) if q.kind == "count"]
        if claim.comparator != "=" or any(q.decimals <= 0 for q in counts):
            return None
        return 1.0
    if _unitless(claim) or _unitless(source):
        return 1.0
    csig, cscale = _dimension(claim)
    ssig, sscale = _dimension(source)
    if csig != ssig:
        return None
    if claim.kind == "ratio" or source.kind == "ratio":
        return 1.0 if claim.kind == source.kind else None
    return sscale / cscale


def _near(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol + 1e-9 * max(1.0, abs(a), abs(b))


def _supports_calendar(claim: Quantity, source: Quantity) -> bool:
    if claim.kind == "year":
        if source.kind == "year":
            if claim.high is not None:
                return source.high is not None and (claim.value, claim.high) == (
                    source.value,
                    source.high,
                )
            return claim.value in (source.value, source.high)
        if source.kind == "date" and claim.high is None:
            return date_parts(source)[0] == int(claim.value)
        return False
    if claim.kind == "date":
        if source.kind != "date":
            return False
        cy, cm, cd = date_parts(claim)
        sy, sm, sd = date_parts(source)
        return cy == sy and (cm == 0 or cm == sm) and (cd == 0 or cd == sd)
    return False


#: A plus sign written before the digits of a quantity ("+2.46"): extraction keeps it in the
#: quantity's text, so a claim that writes its sign can be told from one that writes none.
_PLUS_SIGN = re.compile(r"\+\.?[0-9]")
#: How a bound reads once the values it bounds change sign: "< −2" is "more than 2" down.
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def written_sign(q: Quantity) -> bool:
    """Whether the author wrote a sign on `q`: a minus ("−2.46", "minus 2.46", which
    extraction reads as negative values) or a plus ("+2.46", kept in the text)."""
    return q.value < 0 or (q.high is not None and q.high < 0) or bool(_PLUS_SIGN.search(q.text))


def _sign_dropped(claim: Quantity, source: Quantity) -> bool:
    """Whether `claim` may be the magnitude of the negative `source`.

    Authors drop the sign of a difference whose direction their words give: "reduced scores
    by 2.46 points" reports a source's "a reduction of −2.46 points", "lowered EQ-VAS by 1.02"
    its "b = −1.02". So a claim written with no sign is read as a magnitude, and a source
    value all below zero supports it at the same magnitude. A claim that writes its sign
    ("−2.46", "+2.46", "minus 2.46") means that sign and is held to it; a temperature is a
    point on a scale, not a difference, and keeps its sign ("−20 °C" is no "20 °C").
    The price: an unsigned claim whose words give the wrong direction ("increased by 2.46"
    against "−2.46"), or a correlation whose sign was lost ("r = 0.45" against "r = −0.45"),
    is not caught here; glutlint checks the numbers, and their direction is left to the words.
    """
    if written_sign(claim) or claim.unit == "°C" or source.value >= 0:
        return False
    return source.high is None or source.high <= 0


def supports(claim: Quantity, source: Quantity) -> bool:
    """Would a careful reader accept `source` as evidence for the number in `claim`?

    * Years and dates match exactly; a year matches a date in that year; comparators on years
      ("since 1985") are ignored.
    * Units must be convertible: a bare number matches a percentage or a fraction, never a
      dimension (minutes, mg, points) nor a ratio: "-fold" says the number is a multiplier,
      which a bare "three subgroups" is not (extraction reads "a factor of 3" and "a molar
      excess of 20" as ratios); percent and fractions are one family; week = 7 days,
      day = 24 hours, year = 12 months, g = 1000 mg, mg/week vs mg/day.
      Conversions between different units must be exact (1 week = 7 days, not 6).
    * The claim is compared at its own written precision: claim 43 accepts 43.2, claim 43.2
      rejects 43.  Fractions are exact, so "two-thirds" and "67%" support each other.
    * An exact claim must be a value the source allows: it accepts "about N" (authors often
      drop the hedge), the bound of "up to N"/"at least N", and either end of a range, but not
      the bound of a strict "more/less than N".
    * A '~' claim accepts anything within `APPROX_TOLERANCE` (10%) or inside a source range.
    * An inequality claim ("fewer than 5%") accepts an exact source value that satisfies it and
      lies near the bound (within `NEAR_WINDOW` = 20% or one unit of the last written digit):
      4.2% supports "fewer than 5%", 0.3% does not.  Against a source inequality in the same
      direction the bounds must agree ("up to 5 days" does not support "up to 6 days").
    * A range claim needs a source range with the same ends.
    * A claim written without a sign is a magnitude: a negative source value supports it at
      the same magnitude ("reduced by 2.46 points" by "−2.46 points", see `_sign_dropped`);
      a claim with a written sign ("−2.46", "+2.46", "minus 2.46") keeps it.
    """
    if claim.kind in ("year", "date") or source.kind in ("year", "date"):
        return _supports_calendar(claim, source)
    conv = _conversion(claim, source)
    if conv is None:
        return False
    s_lo = source.value * conv
    s_hi = source.high * conv if source.high is not None else None
    c, ch = claim.value, claim.high
    if claim.kind == "fraction" and source.kind == "fraction":
        tol = 0.0
    elif claim.kind == "fraction":
        tol = 0.5 * 10.0 ** (-source.decimals) * conv  # the claim is exact: source precision
    elif source.kind == "fraction" or conv == 1.0 or _unitless(claim) or _unitless(source):
        tol = 0.5 * 10.0 ** (-claim.decimals)
    else:
        tol = 0.0  # different units: the conversion itself must be exact
    # Rounding is read at the claim's precision, but never further than a careful reader
    # would round: "1 mg/kg" is not "0.5 mg/kg", though "43%" is "43.2%".
    if claim.kind != "fraction" and c:
        tol = min(tol, ROUNDING_LIMIT * abs(c))
    approx = max(tol, APPROX_TOLERANCE * abs(c))
    cmp, scmp = claim.comparator, source.comparator
    if _sign_dropped(claim, source):
        s_lo, s_hi = (-s_lo, None) if s_hi is None else (-s_hi, -s_lo)
        scmp = _MIRRORED.get(scmp, scmp)
    points = [s_lo] if s_hi is None else [s_lo, s_hi]

    if ch is not None:  # claim range: the source must give the same range
        if s_hi is None:
            return False
        t = approx if cmp == "~" else tol
        return _near(c, s_lo, t) and _near(ch, s_hi, t)
    if cmp == "=":
        if scmp in ("<", ">"):
            return False
        return any(_near(c, v, tol) for v in points)
    if cmp == "~":
        if any(_near(c, v, approx) for v in points):
            return True
        return s_hi is not None and s_lo <= c <= s_hi
    below = cmp in ("<", "<=")
    if scmp in ("<", "<=", ">", ">="):
        same_direction = (scmp in ("<", "<=")) == below
        return same_direction and _near(c, s_lo, tol)
    bound = (s_hi if s_hi is not None else s_lo) if below else s_lo
    claim_scale = tol if claim.kind != "fraction" else 0.0
    window = max(2 * claim_scale, NEAR_WINDOW * abs(c))
    if cmp == "<" and not (bound < c and not _near(bound, c, 0.0)):
        return False
    if cmp == ">" and not (bound > c and not _near(bound, c, 0.0)):
        return False
    if cmp == "<=" and not (bound <= c or _near(bound, c, tol)):
        return False
    if cmp == ">=" and not (bound >= c or _near(bound, c, tol)):
        return False
    return abs(bound - c) <= window + 1e-9


def supported_by_any(claim: Quantity, sources: Iterable[Quantity]) -> bool:
    """True if any of `sources` supports `claim` (the usual question a rule asks)."""
    return any(supports(claim, s) for s in sources)
