"""Find the numbers in English scientific prose: digits and number words, with units and hedges.

A review claim such as "fewer than a quarter of participants relapsed within 9 days" is only
checkable if both it and the cited text are reduced to comparable values. `extract` does that
reduction for digits *and* number words, and deliberately ignores the many digit strings in
scientific text that are not quantities (gene and compound codes, reference markers glued to
words in PDF extractions, figure/table labels, citation volume/issue/page runs, DOIs, ...).
What the values mean and how they compare: quantities.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .quantities import _DENOMINATORS, _ONES, _SCALES, _TENS, Quantity

# --------------------------------------------------------------------------------------------
# Number words
# --------------------------------------------------------------------------------------------

#: Cardinal number words and their values ("dozen" counts as 12).
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_ONES)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update(_SCALES)
NUMBER_WORDS["dozen"] = 12


def parse_number_words(phrase: str) -> float | None:
    """Value of a whole phrase such as "seventy-one" or "two hundred and five", else None."""
    phrase = phrase.strip()
    parsed = _parse_cardinal(phrase, 0)
    if parsed is None or parsed[1] != len(phrase):
        return None
    return parsed[0]


_WORD_TOKEN = re.compile(
    r"(?i)\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b(?!['’]s\b)"
)
_WORD_SEP = re.compile(r"[ \t]*[-‐][ \t]*\n?[ \t]*|[ \t]*\n[ \t]*|[ \t]+")
_AND_SEP = re.compile(r"(?i)[ \t\n]+and[ \t\n]+")


def _parse_cardinal(text: str, pos: int) -> tuple[float, int] | None:
    """Parse English cardinal words at pos; returns (value, end) of the longest valid prefix.

    Follows the usual grammar (tens then ones, ones before hundred, decreasing scales, "and"
    only after a scale) so that "one and two" stops after "one".
    """
    total = 0
    current = 0
    last = ""  # 'ones', 'teen', 'tens', 'hundred', 'scale', 'dozen'
    last_scale = math.inf
    end = -1
    p = pos
    while True:
        m = _WORD_TOKEN.match(text, p)
        if not m:
            break
        w = m.group(1).lower()
        v = NUMBER_WORDS[w]
        if w in _SCALES and w != "hundred":
            if last in ("", "scale") or _SCALES[w] >= last_scale:
                break
            total += (current or 1) * _SCALES[w]
            current = 0
            last_scale = _SCALES[w]
            last = "scale"
        elif w == "hundred":
            if last not in ("ones", "teen") or current % 100 >= 20 or current >= 100:
                break
            current *= 100
            last = "hundred"
        elif w == "dozen":
            if last not in ("ones", "teen"):
                break
            current *= 12
            last = "dozen"
        elif v >= 20:
            if last in ("ones", "teen", "tens", "dozen"):
                break
            current += v
            last = "tens"
        else:
            if last in ("ones", "teen", "dozen") or (last == "tens" and v >= 10):
                break
            if last == "tens" and v == 0:
                break
            current += v
            last = "ones" if v < 10 else "teen"
        end = m.end()
        # separators: hyphen/space between words; "and" only after hundred/thousand
        s = _WORD_SEP.match(text, end)
        a = _AND_SEP.match(text, end)
        if a and last in ("hundred", "scale") and _WORD_TOKEN.match(text, a.end()):
            p = a.end()
        elif s:
            p = s.end()
        else:
            break
    if end < 0:
        return None
    return float(total + current), end


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------

_B = r"(?![A-Za-zµμ])"  # end of a unit word; digits may follow ("days31" = days + ref 31)
_B1 = r"(?![A-Za-z0-9µμ\-‐'’])"  # end of a one-letter abbreviation ('h', 'd', 'y')

_TIME_UNITS: list[tuple[str, str, float]] = [  # (pattern, canonical unit, factor)
    (r"(?i:seconds?|secs?)" + _B, "second", 1),
    (r"(?i:minutes?|mins?)" + _B, "minute", 1),
    (r"(?i:hours?|hrs?)" + _B + r"|h" + _B1, "hour", 1),
    (r"(?i:days?)" + _B + r"|d" + _B1, "day", 1),
    (r"(?i:weeks?|wks?)" + _B, "week", 1),
    (r"(?i:months?|mos?)" + _B, "month", 1),
    (r"(?i:years?|yrs?)" + _B + r"|y" + _B1, "year", 1),
    (r"(?i:decades?)" + _B, "year", 10),
    (r"(?i:centur(?:y|ies))" + _B, "year", 100),
]
_TIME_RE = [(re.compile(p), u, f) for p, u, f in _TIME_UNITS]

# base units other than time: (pattern, canonical, kind)
_BASE_UNITS: list[tuple[str, str | None, str]] = [
    (r"(?i:percentage[ \t]+points?)" + _B, "pp", "measure"),
    (r"%", "%", "percent"),
    (r"(?i:per[ \t]*-?[ \t]*cent)" + _B, "%", "percent"),
    (r"(?i:percent)" + _B, "%", "percent"),
    (r"(?:mg|milligrams?)" + _B, "mg", "dose"),
    (r"(?:µg|μg|mcg|ug|micrograms?)" + _B, "µg", "dose"),
    (r"(?:ng|nanograms?)" + _B, "ng", "dose"),
    (r"(?:kg|kilograms?)" + _B, "kg", "measure"),
    (r"(?:g|grams?)" + _B, "g", "dose"),
    (r"(?:mL|ml|millilit(?:er|re)s?)" + _B, "mL", "measure"),
    (r"(?:dL|dl)" + _B, "dL", "measure"),
    (r"(?:L|lit(?:er|re)s?)" + _B1, "L", "measure"),
    (r"(?:mmol|µmol|μmol|nmol|pmol)" + _B, None, "measure"),
    (r"(?:mM|µM|μM|nM|pM)" + _B, None, "measure"),
    (r"(?:kDa|kD)" + _B, "kDa", "measure"),
    (r"(?:kHz|Hz)" + _B, None, "measure"),
    (r"mmHg" + _B, "mmHg", "measure"),
    (r"(?:°|º)[ \t]?C" + _B, "°C", "measure"),
    (r"(?:cm|mm|µm|μm|nm)" + _B, None, "measure"),
    (r"bpm" + _B, "bpm", "measure"),
    (r"IU" + _B, "IU", "measure"),
    (r"(?i:points?|pts?)" + _B, "point", "measure"),
]
_BASE_RE = [(re.compile(p), u, k) for p, u, k in _BASE_UNITS]

_FREQ_TAIL = re.compile(
    r"(?i:[ \t\n]+(?:(?:a|per|each|every)[ \t\n]+(day|week|month|year|hour)"
    r"|(daily|weekly|monthly|yearly|annually|nightly|hourly)))" + _B
)
_FREQ_WORDS = {
    "daily": "day",
    "nightly": "day",
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
    "annually": "year",
    "hourly": "hour",
}
_TIMES = re.compile(r"(?i:times)" + _B)
_FOLD = re.compile(r"(?i:fold)" + _B)
_MULT_SIGN = re.compile(r"×")
_GLUED_X = re.compile(r"x" + _B1)

_DENOM_SEP = re.compile(r"[ \t]*/[ \t]*|[ \t]+per[ \t]+|[ \t]+(?:a|each|every)[ \t]+(?=[a-z])")
_DENOM_UNITS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"kg" + _B), "kg"),
    (re.compile(r"(?:m2|m²)" + _B), "m²"),
    (re.compile(r"(?i:doses?)" + _B), "dose"),
    (re.compile(r"(?:mL|ml)" + _B), "mL"),
    (re.compile(r"(?:dL|dl)" + _B), "dL"),
    (re.compile(r"L" + _B1), "L"),
    (re.compile(r"(?i:minutes?|mins?)" + _B), "minute"),
    (re.compile(r"(?i:hours?|hrs?)" + _B + r"|h" + _B1), "hour"),
    (re.compile(r"(?i:days?)" + _B + r"|d" + _B1), "day"),
    (re.compile(r"(?i:weeks?|wks?)" + _B), "week"),
    (re.compile(r"(?i:months?)" + _B), "month"),
]
_DENOM_WORD = re.compile(r"[ \t]+(daily|weekly|nightly|monthly)" + _B)
_TIME_DENOMS = {"minute", "hour", "day", "week", "month"}

#: Nouns a hyphenated number may qualify without it being a code ("12-item", "3-arm").
_COUNT_NOUNS_HYPHEN = re.compile(
    r"(?i:items?|arms?|sites?|cent(?:er|re)s?|patients?|participants?|subjects?|doses?|"
    r"sessions?|questions?|steps?|studies|study|trials?|members?)" + _B
)
#: A 4-digit number followed by one of these is a count, not a year ("1950 samples").
#: "in 1932 (21%)": a number given a share of the whole is a count, never a year
_SHARE_AFTER = re.compile(r"[ \t]*[(\[][ \t]*\d[\d.,]*[ \t]*%")


def _year_like(text: str, num: _Num) -> bool:
    """A number written as a year: four plain digits from 1900 to 2099, no separator."""
    written = text[num.start : num.end]
    return num.plain_int and written.isdigit() and len(written) == 4 and 1900 <= num.value <= 2099


_COUNT_NOUNS_AFTER = re.compile(
    r"[ \t\n]+(?i:patients|subjects|participants|people|persons|individuals|adults|children|"
    r"adolescents|women|men|cases|samples|cells|mice|rats|animals|respondents|deaths|events|"
    r"trials|studies|doses|times)" + _B
)


@dataclass
class _Unit:
    unit: str
    kind: str
    factor: float
    end: int


def _match_unit(text: str, pos: int, *, hyphen: bool = False) -> _Unit | None:
    """Match a unit starting exactly at pos (no leading whitespace)."""
    for rx, time_unit, factor in _TIME_RE:
        m = rx.match(text, pos)
        if m:
            if time_unit == "year" and text[m.end() : m.end() + 4] in ("-old", "‐old"):
                return _Unit("year", "duration", factor, m.end() + 4)
            return _Unit(time_unit, "duration", factor, m.end())
    m = _TIMES.match(text, pos)
    if m:
        f = _FREQ_TAIL.match(text, m.end())
        if f:
            per = f.group(1) or _FREQ_WORDS[f.group(2).lower()]
            return _Unit("/" + per.lower(), "frequency", 1, f.end())
        return _Unit("×", "ratio", 1, m.end())
    m = _FOLD.match(text, pos)
    if m:
        return _Unit("×", "ratio", 1, m.end())
    if not hyphen:
        m = _MULT_SIGN.match(text, pos)
        if m:
            return _Unit("×", "ratio", 1, m.end())
    for rx, base_unit, kind in _BASE_RE:
        unit = base_unit
        if hyphen and unit == "%":
            continue
        m = rx.match(text, pos)
        if not m:
            continue
        canon = unit or m.group(0).replace("μ", "µ")
        end = m.end()
        if kind in ("dose", "measure") and canon not in ("point", "pp", "°C", "kDa"):
            denoms, end = _denominators(text, end)
            if denoms:
                mass = canon in ("ng", "µg", "mg", "g")
                per_ok = all(d in ("kg", "m²", "dose") or d in _TIME_DENOMS for d in denoms)
                kind = "dose" if mass and per_ok else "measure"
                canon += "".join("/" + d for d in denoms)
        return _Unit(canon, kind, 1, end)
    return None


#: a denominator written as a negative power, as SI style writes it: "µg L-1", "mg L⁻¹",
#: "g m-2 d-1" (a minus, a hyphen or a superscript minus; a space may stand before it)
_NEGATIVE_POWER = re.compile(
    r"[ \t]+(?:(?P<one>kg|mL|ml|dL|dl|L|d|h|min)[ \t]?[-\u2212\u207b](?:1|\u00b9)"
    r"|(?P<two>m)[ \t]?[-\u2212\u207b](?:2|\u00b2))(?![0-9\u00b9\u00b2\u00b3])"
)
_POWER_NAMES = {"ml": "mL", "dl": "dL", "d": "day", "h": "hour", "min": "minute"}


def _denominators(text: str, end: int) -> tuple[list[str], int]:
    """Up to two "per X" parts after a unit: "/kg/day", " per kg", " a day", " daily",
    " L-1" (a negative power)."""
    denoms: list[str] = []
    while len(denoms) < 2:
        power = _NEGATIVE_POWER.match(text, end)
        if power:
            one = power.group("one")
            denoms.append("m²" if one is None else _POWER_NAMES.get(one, one))
            end = power.end()
            continue
        sep = _DENOM_SEP.match(text, end)
        if not sep:
            w = _DENOM_WORD.match(text, end)
            if w:
                denoms.append(_FREQ_WORDS[w.group(1).lower()])
                end = w.end()
            break
        time_only = sep.group(0).strip() in ("a", "each", "every")  # "30 mg a day"
        for drx, dname in _DENOM_UNITS:
            d = drx.match(text, sep.end())
            if d and (dname in _TIME_DENOMS or not time_only):
                denoms.append(dname)
                end = d.end()
                break
        else:
            break
    return denoms, end


# --------------------------------------------------------------------------------------------
# Text that is never a quantity
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?(?![A-Za-z])"
)
_YEAR = r"(?P<y>(?:19|20)[0-9]{2})(?![0-9])"
_DAY = r"(?P<d>[0-3]?[0-9])(?:st|nd|rd|th)?(?![0-9])"
_DATE_PATTERNS = [
    re.compile(r"(?<![0-9\-])" + _YEAR + r"-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])(?![0-9])"),
    re.compile(r"(?<![0-9.,])" + _DAY + r"[ \t]+" + _MONTH + r",?\s+" + _YEAR),
    re.compile(_MONTH + r"[ \t]+" + _DAY + r",?\s+" + _YEAR),
    re.compile(
        r"(?<![0-9])" + _YEAR + r"\s+" + _MONTH + r"[ \t]+" + _DAY + r"(?![0-9:]|[.,][0-9])"
    ),
    re.compile(r"(?<![0-9])" + _YEAR + r"\s+" + _MONTH),
    re.compile(_MONTH + r",?[ \t]+" + _YEAR),
]

_SKIP_PATTERNS = [
    # URLs, DOIs, e-mail addresses, database identifiers
    re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+"),
    re.compile(r"(?i:doi:?\s*)?\b10\.[0-9]{4,9}/[^\s\"<>]+"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(
        r"(?i:\b(?:PMID|PMCID|PMC|ISSN|ISBN|NCT|arXiv|EudraCT|CRD)\b)[ \t]*:?[ \t]*"
        r"[A-Za-z]*[0-9][0-9A-Za-z./-]*"
    ),
    # journal volume(issue):pages, with or without the ';' after the year/month
    re.compile(
        r";\s*[0-9]+(?:\s*\([0-9A-Za-z–-]+\)(?:\s*:\s*[A-Za-z]?[0-9]+)?|\s*:\s*[A-Za-z]?[0-9]+)"
        r"(?:\s*[-–]\s*[A-Za-z]?[0-9]+)?"
    ),
    re.compile(r"(?<![0-9])[0-9]+(?:\([0-9A-Za-z–-]+\))?:[A-Za-z]?[0-9]+(?:[-–][A-Za-z]?[0-9]+)?"),
    re.compile(r"(?<![0-9])[0-9]+\([0-9]+(?:[-–][0-9]+)?\)"),
    # bracketed numeric citations, pandoc superscripts/footnotes, "(1)" enumerators
    re.compile(r"\[\s*[0-9]+(?:\s*[-–,]\s*[0-9]+)*\s*\]"),
    re.compile(r"\^[^\^\s]{1,30}\^|\[\^[^\]]*\]"),
    re.compile(r"\(\s*[0-9]{1,2}\s*\)"),
    # pandoc citation locators: [@key, 33] / [@key, p. 33]
    re.compile(r"@[\w:.#$%&+?<>~/-]+\s*,\s*[0-9]+(?:\s*[-–]\s*[0-9]+)?"),
]
_LABEL = re.compile(
    r"(?P<label>\b(?i:tables?|figures?|figs?\.?|boxes|box|sections?|sect\.|chapters?|"
    r"appendix|appendices|refs?\.?|references?|eqs?\.?|equations?|panels?|"
    r"supplementary[ \t]+(?:tables?|figures?|figs?\.?)|vols?\.|volumes?|issues?)"
    r"|(?<![A-Za-z])(?:pp?\.|§|No\.|no\.|Nos\.))"
    r"[ \t]*(?P<nums>S?[0-9]+[A-Za-z]?(?:(?:[ \t]*[-–—][ \t]*|,[ \t]?)S?[0-9]+[A-Za-z]?)*)"
    r"(?P<more>[ \t]+(?:and|&)[ \t]+S?[0-9]+[A-Za-z]?)?"
)
_ENUM_LINE = re.compile(r"(?m)^[ \t]*(?:[-*•][ \t]+)?(?P<n>\(?[0-9]{1,3}[.)])(?=[ \t])")


def _build_mask(text: str, skip_spans: Iterable[tuple[int, int]]) -> bytearray:
    """1 for every character that must not yield a quantity."""
    mask = bytearray(len(text))

    def mark(a: int, b: int) -> None:
        a, b = max(a, 0), min(b, len(text))
        if a < b:
            mask[a:b] = b"\x01" * (b - a)

    for a, b in skip_spans:
        mark(a, b)
    for rx in _SKIP_PATTERNS:
        for m in rx.finditer(text):
            mark(m.start(), m.end())
    for m in _LABEL.finditer(text):
        end = m.end("nums")
        label = m.group("label").lower().rstrip(".")
        if m.group("more") and (label.endswith("s") or label in ("pp", "nos")):
            end = m.end("more")
        mark(m.start(), end)
    for m in _ENUM_LINE.finditer(text):
        # an enumerator opens the text, follows a blank line, a finished sentence or another
        # list item; otherwise "...enrolled\n48. The" is a wrapped sentence ending in a number
        line_start = text.rfind("\n", 0, m.start()) + 1
        prev_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        prev_line = text[prev_start : max(line_start - 1, 0)].strip()
        if (
            not prev_line
            or prev_line.endswith((".", ":", ";", "!", "?"))
            or _ENUM_LINE.match(prev_line)
        ):
            mark(m.start("n"), m.end("n"))
    return mask


# --------------------------------------------------------------------------------------------
# Hedges
# --------------------------------------------------------------------------------------------

_HEDGES: list[tuple[str, str]] = [
    (
        r"no[ \t\n]+more[ \t\n]+than|not[ \t\n]+more[ \t\n]+than|no[ \t\n]+greater[ \t\n]+than"
        r"|at[ \t\n]+most|up[ \t\n]+to|within|a[ \t\n]+maximum[ \t\n]+of|maximum[ \t\n]+of"
        r"|as[ \t\n]+(?:many|much|high|long)[ \t\n]+as",
        "<=",
    ),
    (
        r"no[ \t\n]+(?:less|fewer)[ \t\n]+than|not[ \t\n]+(?:less|fewer)[ \t\n]+than"
        r"|at[ \t\n]+least|a[ \t\n]+minimum[ \t\n]+of|minimum[ \t\n]+of",
        ">=",
    ),
    (
        r"(?:more|greater|higher|larger|longer|older)[ \t\n]+than|in[ \t\n]+excess[ \t\n]+of"
        r"|exceeding|upwards[ \t\n]+of|over|above|beyond",
        ">",
    ),
    (r"(?:less|fewer|lower|smaller|shorter|younger)[ \t\n]+than|under|below", "<"),
    (
        r"about|approximately|approx\.|around|roughly|nearly|almost|some|circa|ca\."
        r"|close[ \t\n]+to|an[ \t\n]+estimated|estimated",
        "~",
    ),
]
_HEDGE_RE = re.compile(
    r"(?i)(?:(?<![A-Za-z])(?:"
    + "|".join(f"(?P<h{i}>{p})" for i, (p, _) in enumerate(_HEDGES))
    + r")|(?P<sym>[<>≤≥~≈∼]=?))[ \t\n]*$"
)
_SYM = {"<": "<", ">": ">", "≤": "<=", "≥": ">=", "<=": "<=", ">=": ">="}
_SYM.update({"~": "~", "≈": "~", "∼": "~"})
_YEAR_HEDGE_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?P<ge>since|from)|(?P<lt>before|prior[ \t\n]+to)|(?P<gt>after))"
    r"[ \t\n]+$"
)
_BETWEEN_RE = re.compile(r"(?i)(?<![A-Za-z])between[ \t\n]+$")
_POSTFIX = re.compile(
    r"(?i)[ \t\n]+or[ \t\n]+(?:(?P<ge>more|greater|longer|older|above|higher)"
    r"|(?P<le>less|fewer|shorter|younger|below|lower))" + _B
)


def _hedge_before(text: str, start: int) -> tuple[str, int]:
    """Comparator written just before `start` and where its phrase begins."""
    window = text[max(0, start - 40) : start]
    m = _HEDGE_RE.search(window)
    if not m:
        return "=", start
    if m.group("sym"):
        return _SYM[m.group("sym")], start - len(window) + m.start()
    for i, (_, cmp) in enumerate(_HEDGES):
        if m.group(f"h{i}"):
            return cmp, start - len(window) + m.start()
    return "=", start  # pragma: no cover


def _year_hedge_before(text: str, start: int) -> tuple[str, int]:
    window = text[max(0, start - 20) : start]
    m = _YEAR_HEDGE_RE.search(window)
    if not m:
        return "=", start
    cmp = {"ge": ">=", "lt": "<", "gt": ">"}[m.lastgroup or "ge"]
    return cmp, start - len(window) + m.start()


# --------------------------------------------------------------------------------------------
# Scanner
# --------------------------------------------------------------------------------------------

_DIGITS = re.compile(
    r"(?P<sign>[-−])?(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?"
    r"|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
)
#: A decimal number ending where a comma follows: "0.60" in "OR = 0.60,95%CI". A comma is a
#: thousands separator only between groups of three digits before any decimal point, so the
#: comma after a decimal always separates it from what follows, space or none.
_DECIMAL_BEFORE = re.compile(r"(?<![0-9.,])[0-9]+\.[0-9]+$")
#: Digits after "word:" that make an identifier rather than a value: zero-padded ("GO:0008150")
#: or five digits or more with no decimal part ("ISRCTN:12345678"). Anything else glued after a
#: label's colon is the label's value ("CI:0.41–0.86", "P:0.006", "n:45").
_CODE_DIGITS = re.compile(r"0[0-9]|[0-9]{5,}(?![.,]?[0-9])")
#: "age" naming the number after it, with a comparator or "of" between: "age<55", "aged 65
#: to 85", "ages of 18 and over", "age: 43.5". A person's age with no unit is counted in years
#: (a child's in months or weeks is written with its unit), so the number is a duration in
#: years and supports, or contradicts, "under 55 years" as a reader takes it to.
_AGE_BEFORE = re.compile(r"(?i)(?<![A-Za-z])age[sd]?(?:[ \t\n]+(?:of|at))?[ \t\n]*[:=]?[ \t\n]*$")
#: "minus" written as the sign of the number after it ("a change of minus 2.46 points")
_MINUS_WORD = re.compile(r"(?i)(?<![A-Za-z])minus[ \t]+$")
#: "plus or minus", "plus/minus", "plus-minus": "±" spelled out, no sign of the number after it
_PLUS_OR = re.compile(r"(?i)(?<![A-Za-z])plus[ \t]*(?:or|/|-)?[ \t]*$")
_SCALE_AFTER = re.compile(r"(?i)[ \t]+(thousand|million|billion)" + _B)
_CONTINUATION = re.compile(r"(?:[-‐–−,./:+]*[0-9A-Za-zµμ]+)+")
_COMMA_LIST = re.compile(r"(?:,[0-9]+(?:[-–][0-9]+)?)+")
_SLASH_TAIL = re.compile(r"/([0-9]+)(?![0-9A-Za-z/]|[.,][0-9A-Za-z])")  # "2006/2007, the"
_RANGE_DASH = re.compile(r"[ \t]?[-‐–—][ \t]?(?=[0-9])")
_RANGE_SUSPENDED = re.compile(r"[-‐][ \t]+(?:to|and)[ \t]+(?=[0-9])")
_RANGE_WORD = re.compile(r"(?i)[ \t\n]+(?:to|through)[ \t\n]+")
_RANGE_AND = re.compile(r"(?i)[ \t\n]+and[ \t\n]+")
_AND_HALF = re.compile(r"(?i)[ \t\n]+and[ \t\n]+a[ \t\n]+half" + _B)
_UNIT_GAP = re.compile(r"[ \t]*\n?[ \t]*")
_PREFIX_WORD = re.compile(r"([A-Za-z]+)[-‐]$")
_BEFORE_SIGN = "([{=<>≤≥~≈∼:;,/"
_YEAR_PREFIXES = {"mid", "pre", "post", "early", "late", "circa"}
_HYPHEN_WORD = re.compile(r"[-‐][A-Za-z]")
_OVER = re.compile(r"(?i)over\b")
_AS_THE = re.compile(r"(?i)[ \t\n]+(?:as|the|that)\b")
_A_SCALE = re.compile(r"(?i)a[ \t\n]+(hundred|thousand|dozen)\b")
_A_DECADE = re.compile(r"(?i)a[ \t\n]+decade$")
#: what names a bare number as a multiplier: "a factor of 3", "a molar excess of 20"
_MULTIPLIER_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:factor|(?<!in )excess)[ \t\n]+of[ \t\n]+$")

_CAND = re.compile(
    r"[-−]?\.?[0-9]"
    r"|(?P<word>(?i:\b(?:a[ \t\n]+(?:dozen|third|quarter|fifth|half|hundred|thousand|decade)"
    r"|half|twice|once|thrice|(?:two|three|four|five|six|seven|eight|nine|ten)fold|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")\b))"
)
_FRACTION_WORDS = re.compile(
    r"(?i)\b(?P<num>a|one|two|three|four|five|six|seven|eight|nine)(?P<sep>[ \t]*[-‐][ \t]*\n?"
    r"[ \t]*|[ \t\n]+)(?P<den>" + "|".join(sorted(_DENOMINATORS, key=len, reverse=True)) + r")" + _B
)
_OF_AFTER = re.compile(r"(?i)[ \t\n]+(?:of|the|all|their|its|these|those)" + _B)
_ONE_IDIOM_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:no|every|each|this|that|the|which|any)[ \t]+$")
_ONE_IDIOM_AFTER = re.compile(r"(?i)[ \t\n]+another\b")


@dataclass
class _Num:
    value: float
    decimals: int
    start: int
    end: int
    plain_int: bool  # plain digits, no sign/separator/decimals: may be a year
    word: bool


@dataclass
class _Raw:
    value: float
    high: float | None
    kind: str
    unit: str
    comparator: str
    start: int
    end: int
    decimals: int
    factor: float = 1.0  # unit factor applied (10 for decades), for list propagation


class _Scanner:
    """Single left-to-right pass over the text; never re-reads a consumed span."""

    def __init__(self, text: str, mask: bytearray) -> None:
        self.text = text
        self.mask = mask
        self.out: list[_Raw] = []

    # -- low-level readers ----------------------------------------------------------------
    def _skip_cont(self, pos: int) -> int:
        """Position after the code/identifier/reference run that starts at pos."""
        m = _CONTINUATION.match(self.text, pos)
        return max(m.end() if m else pos, pos + 1)

    def _glued_left(self, s: int) -> bool:
        """Digits glued to what precedes them are a code ("AB2C", "XY-123") or a ref marker."""
        t = self.text
        if s == 0:
            return False
        c = t[s - 1]
        b = t[s - 2] if s >= 2 else " "
        if c.isalnum() or c in "µμ^#@)]":
            return True
        if c in "-‐–—":
            if b.isalnum() or b in ")]'\"":
                m = _PREFIX_WORD.search(t, max(0, s - 12), s)
                return not (m and m.group(1).lower() in _YEAR_PREFIXES)
            return False
        if c in ":/" and self._after_unit(s):
            return False  # "16 hr:8 hr"
        if c == "," and _DECIMAL_BEFORE.search(t, max(0, s - 24), s - 1):
            return False  # "0.60,95%CI": a comma after a decimal separates two values
        if c == ":" and b.isalpha() and not _CODE_DIGITS.match(t, s):
            return False  # "95%CI:0.41", "P:0.006": a label and its value
        return c in ",.:/_" and b.isalnum()  # "6,7" lists, "doi:10", "x_2"

    def _after_unit(self, s: int) -> bool:
        """A colon or slash right after the unit of the quantity just read, before a number
        that has a unit of its own, joins two quantities, not the parts of a code: "under a
        16 hr:8 hr light:dark cycle", "12 h/12 h". "doi:10" and "vol:page" have no quantity
        before the colon, and "10 mg/kg" no number after the slash."""
        if not self.out or s < 2:
            return False
        prev = self.out[-1]
        if prev.end != s - 1 or not prev.unit or prev.kind in ("year", "date"):
            return False
        num = self._digits_at(s)
        return num is not None and self._unit_after(num.end, False) is not None

    def _digits_at(self, p: int) -> _Num | None:
        m = _DIGITS.match(self.text, p)
        if not m:
            return None
        raw = m.group("num")
        value = float(raw.replace(",", "")) * (-1.0 if m.group("sign") else 1.0)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        end = m.end()
        sc = _SCALE_AFTER.match(self.text, end)
        if sc:
            scale = _SCALES[sc.group(1).lower()]
            value *= scale
            decimals -= round(math.log10(scale))
            end = sc.end()
        plain = not m.group("sign") and raw.isdigit() and not sc
        return _Num(value, decimals, m.start(), end, plain, False)

    def _words_at(self, p: int) -> _Num | None:
        m = _A_SCALE.match(self.text, p)
        if m:
            return _Num(float(NUMBER_WORDS[m.group(1).lower()]), 0, p, m.end(), False, True)
        parsed = _parse_cardinal(self.text, p)
        if parsed is None:
            return None
        return _Num(parsed[0], 0, p, parsed[1], False, True)

    def _number_at(self, p: int) -> _Num | None:
        c = self.text[p : p + 1]
        if c.isdigit() or (c in ("-", "−", ".") and _DIGITS.match(self.text, p)):
            return self._digits_at(p)
        return self._words_at(p)

    def _bad_right(self, e: int) -> bool:
        """True when what follows a digit run makes it part of a code or identifier."""
        t = self.text
        c = t[e : e + 1]
        nxt = t[e + 1 : e + 2]
        if not c:
            return False
        if c == "." and nxt.isdigit():  # "1.2.3", "v2.0.1"
            return True
        if c == ":" and nxt.isalnum():  # ratios, times, "vol:page"
            return True
        if c == "/" and nxt.isalpha():  # "2/abc"
            return True
        if c in "-‐–—" and nxt in ("(", "["):  # chemical locants "3-(ethyl...)"
            return True
        if c in "-‐" and nxt.isalpha():
            return _hyphen_unit(t, e + 1) is None
        if c.isalpha() or c in "µμ":
            return _match_unit(t, e) is None and not _GLUED_X.match(t, e)
        return False

    # -- main loop ----------------------------------------------------------------------
    def run(self) -> list[_Raw]:
        t = self.text
        pos = 0
        while True:
            m = _CAND.search(t, pos)
            if not m:
                break
            p = m.start()
            digit = not m.group("word")
            first_digit = p + (len(m.group(0)) - 1 if digit else 0)
            if self.mask[p] or self.mask[first_digit]:
                pos = self._skip_cont(p) if digit else m.end()
                continue
            pos = self._digit_quantity(p) if digit else self._word_quantity(p, m.end())
        return self.out

    def _digit_quantity(self, p: int) -> int:
        t = self.text
        if t[p] in "-−" and p > 0 and t[p - 1].isalpha():
            m = _PREFIX_WORD.search(t, max(0, p - 12), p + 1)
            if not (m and m.group(1).lower() in _YEAR_PREFIXES):
                return self._skip_cont(p)
            p += 1  # "mid-1980": a prefix, not a minus sign
        elif t[p] in "-−" and p > 0 and not (t[p - 1].isspace() or t[p - 1] in _BEFORE_SIGN):
            p += 1  # "10%-20": a dash between items, not a minus sign
        if self._glued_left(p):
            return self._skip_cont(p)
        num = self._digits_at(p)
        if num is None:  # pragma: no cover - _CAND guarantees a digit
            return p + 1
        e = num.end
        c, nxt = t[e : e + 1], t[e + 1 : e + 2]
        if c == "," and nxt.isdigit() and num.decimals <= 0:  # "6,7": a glued reference list
            lst = _COMMA_LIST.match(t, e)
            return lst.end() if lst else e + 1
        if c == "/" and nxt.isdigit():
            return self._slash(num)
        if self._bad_right(e):
            return self._skip_cont(p)
        if p > 0 and t[p - 1] == "+" and (p == 1 or t[p - 2].isspace() or t[p - 2] in _BEFORE_SIGN):
            # "+2.46": a written sign, kept in the span so that support can tell it from none
            num = replace(num, start=p - 1, plain_int=False)
        return self._finish(num)

    def _slash(self, num: _Num) -> int:
        """ "2/3" is a fraction; "14/30" two counts; "4/21/1985" nothing; "2006/2007" and
        "2006/07" the span of two calendar years (a season, a fiscal or school year), read as
        the range 2006-2007 like "2006-07"; two years further apart ("1990/2000") are two
        years. A year is never the numerator of a fraction nor a count, unless a count noun
        follows ("1950/2000 samples")."""
        t = self.text
        m = _SLASH_TAIL.match(t, num.end)
        if not m or not num.plain_int:
            return self._skip_cont(num.start)
        a, b = int(num.value), int(m.group(1))
        if len(m.group(1)) == 2 and 1900 <= a <= 2099 and num.end - num.start == 4:
            b = a // 100 * 100 + b  # "2006/07"
        if (
            num.end - num.start == 4
            and 1900 <= a < b <= 2099
            and len(m.group(1)) in (2, 4)
            and not _COUNT_NOUNS_AFTER.match(t, m.end())
        ):
            if b == a + 1:
                self._emit_raw(float(a), float(b), "year", "", 0, num.start, m.end())
            else:
                self._emit_raw(float(a), None, "year", "", 0, num.start, num.end)
                self._emit_raw(float(b), None, "year", "", 0, num.end + 1, m.end())
            return m.end()
        b = int(m.group(1))
        if 0 < a < b <= 10:
            self._emit_raw(a / b, None, "fraction", "", 0, num.start, m.end())
        else:
            self._emit_raw(num.value, None, "count", "", 0, num.start, num.end)
            self.out.append(_Raw(float(b), None, "count", "", "=", num.end + 1, m.end(), 0))
        return m.end()

    def _word_quantity(self, p: int, cand_end: int) -> int:
        t = self.text
        if p > 1 and t[p - 1] in "-‐" and t[p - 2].isalnum():
            return cand_end  # "x-one": part of a compound word
        low = t[p:cand_end].lower()
        f = _FRACTION_WORDS.match(t, p)
        if f:
            word = f.group("num").lower()
            numerator = 1 if word in ("a", "one") else NUMBER_WORDS[word]
            den_word = f.group("den").lower()
            den = _DENOMINATORS[den_word]
            hyphen = f.group("sep").strip(" \t\n") != ""
            plural = den_word.endswith("s")
            hedged = _hedge_before(t, p)[0] != "="
            compound = _HYPHEN_WORD.match(t, f.end())  # "a half-life", "one-third-scale"
            if (hyphen or plural or hedged or _OF_AFTER.match(t, f.end())) and not compound:
                if numerator < den:
                    self._emit_raw(numerator / den, None, "fraction", "", 0, p, f.end())
                return f.end()
            if word == "a":
                return f.end()
        if _A_DECADE.match(low):
            self._emit_raw(10.0, None, "duration", "year", 0, p, cand_end, factor=10.0)
            return cand_end
        if low.startswith("a") and not _A_SCALE.match(t, p):
            return cand_end  # "a third study", "a quarter century"
        if low == "half":
            if _HYPHEN_WORD.match(t, cand_end):  # "half-life", "half-maximal"
                return cand_end
            if _OF_AFTER.match(t, cand_end) or _hedge_before(t, p)[0] != "=":
                self._emit_raw(0.5, None, "fraction", "", 0, p, cand_end)
            return cand_end
        if low in ("twice", "once", "thrice"):
            v = {"once": 1.0, "twice": 2.0, "thrice": 3.0}[low]
            fr = _FREQ_TAIL.match(t, cand_end)
            if fr:
                per = (fr.group(1) or _FREQ_WORDS[fr.group(2).lower()]).lower()
                self._emit_raw(v, None, "frequency", "/" + per, 0, p, fr.end())
                return fr.end()
            if low != "once" and _AS_THE.match(t, cand_end):  # "twice as likely"
                self._emit_raw(v, None, "ratio", "×", 0, p, cand_end)
            return cand_end
        if low.endswith("fold"):
            self._emit_raw(float(NUMBER_WORDS[low[:-4]]), None, "ratio", "×", 0, p, cand_end)
            return cand_end
        num = self._words_at(p)
        if num is None:
            return cand_end
        e = num.end
        if num.value == 1 and (
            _ONE_IDIOM_BEFORE.search(t, max(0, p - 12), p) or _ONE_IDIOM_AFTER.match(t, e)
        ):
            return e
        if (
            t[e : e + 1] in ("-", "‐")
            and t[e + 1 : e + 2].isalpha()
            and not (_hyphen_unit(t, e + 1))
        ):
            return self._skip_cont(e)  # "two-sided", "one-way"
        return self._finish(num)

    def _range_after(self, low: _Num, after: int) -> tuple[_Num | None, bool]:
        """(high end, dash_failed) of a range whose connector starts at `after`."""
        t = self.text
        conns: list[re.Pattern[str]] = [_RANGE_SUSPENDED, _RANGE_WORD]
        if not low.word:
            conns.insert(0, _RANGE_DASH)
        if _BETWEEN_RE.search(t, max(0, low.start - 12), low.start):
            conns.insert(0, _RANGE_AND)
        for rx in conns:
            m = rx.match(t, after)
            if not m:
                continue
            q = m.end()
            if q >= len(t) or self.mask[q]:
                return None, False
            if not (t[q].isdigit() or t[q] in "-−." or _WORD_TOKEN.match(t, q)):
                continue
            high = self._number_at(q)
            if high is None:
                continue
            if rx is _RANGE_DASH and (
                self._bad_right(high.end)
                or (t[high.end : high.end + 1] == "," and t[high.end + 1 : high.end + 2].isdigit())
            ):
                return None, True
            if (
                low.plain_int
                and high.plain_int
                and 1900 <= low.value <= 2099
                and high.end - high.start == 2
            ):
                high = replace(high, value=low.value // 100 * 100 + high.value)  # "1995-96"
            if high.value <= low.value:
                return None, rx is _RANGE_DASH
            if _year_like(t, low) != _year_like(t, high) and "," in t[low.start : high.end]:
                # "from 281,000 in 2000 to 571,000 in 2011": a year and a grouped count are
                # the ends of no range; a range's ends are written alike
                return None, False
            return high, False
        return None, False

    def _finish(self, num: _Num) -> int:
        """Attach "and a half", a range, a unit and hedges to a number, then emit it."""
        t = self.text
        minus = _MINUS_WORD.search(t, max(0, num.start - 24), num.start)
        if (
            minus
            and num.value > 0
            and not _PLUS_OR.search(t, max(0, minus.start() - 12), minus.start())
        ):
            # "minus 2.46" is −2.46, as written with the sign; "plus or minus 2" is a spread
            num = replace(num, value=-num.value, start=minus.start(), plain_int=False)
        e = num.end
        half = _AND_HALF.match(t, e)
        if half:
            num = replace(num, value=num.value + 0.5, decimals=max(num.decimals, 1), end=half.end())
            e = half.end()
        plus = t[e : e + 1] == "+" and not t[e + 1 : e + 2].isalnum()  # "18+"
        if plus:
            e += 1
        high: _Num | None = None
        unit = self._unit_after(e, num.word)
        if unit is not None:
            # a unit on both ends: "15%-25%", "3 days to 5 days"
            h, _ = self._range_after(num, unit.end)
            if h is not None:
                u2 = self._unit_after(h.end, h.word)
                if u2 is not None and (u2.unit, u2.kind) == (unit.unit, unit.kind):
                    high, unit = h, u2
        else:
            h, dash_failed = self._range_after(num, e)
            if dash_failed and t[e : e + 1] in "-‐–—":
                return self._skip_cont(num.start)  # "1985-001", "12-3": not a range
            if h is not None:
                high = h
                unit = self._unit_after(h.end, h.word)
        end = unit.end if unit else (high.end if high else e)
        start = num.start
        if high is not None:
            b = _BETWEEN_RE.search(t, max(0, start - 12), start)
            if b:
                start = b.start()
        factor = unit.factor if unit else 1.0
        if unit is not None and unit.unit:
            kind, canon = unit.kind, unit.unit
        else:
            kind, canon = "count", ""
            if (
                unit is None
                and not plus
                and _year_like(t, num)
                and (high is None or (high.plain_int and 1900 <= high.value <= 2099))
                and not _COUNT_NOUNS_AFTER.match(t, end)
                and not _SHARE_AFTER.match(t, end)
            ):
                kind = "year"
            elif unit is None and high is None and self._multiplier(start, end):
                kind, canon = "ratio", "×"
            elif unit is None and self._age(start):
                kind, canon = "duration", "year"  # "age<55", "aged 65 to 85": years of age
        self._emit_raw(
            num.value * factor,
            high.value * factor if high is not None else None,
            kind,
            canon,
            num.decimals,
            start,
            end,
            factor=factor,
            postfix=">=" if plus else "",
        )
        return max(end, num.start + 1)

    def _age(self, start: int) -> bool:
        """Whether "age" names the number at `start`, past its comparator (`_AGE_BEFORE`)."""
        hedge = _hedge_before(self.text, start)[1]
        return _AGE_BEFORE.search(self.text, max(0, hedge - 64), hedge) is not None

    def _multiplier(self, start: int, end: int) -> bool:
        """A bare number written as a multiplier is a ratio, as "20-fold" is: "by a factor of
        3", "at a molar excess of 20 (x = 20)". Only when it counts nothing: "an excess of 20
        deaths" is a count of deaths."""
        t = self.text
        if not _MULTIPLIER_BEFORE.search(t, max(0, start - 24), start):
            return False
        after = _UNIT_GAP.match(t, end)
        nxt = t[after.end() : after.end() + 1] if after else ""
        return not (nxt.isalpha() or nxt in "%µμ°º")

    def _unit_after(self, e: int, word: bool) -> _Unit | None:
        t = self.text
        c = t[e : e + 1]
        if c in ("-", "‐") and t[e + 1 : e + 2].isalpha():
            return _hyphen_unit(t, e + 1)
        if not word and (c.isalpha() or c in "%µμ×°º"):
            u = _match_unit(t, e)
            if u is None and _GLUED_X.match(t, e):
                return _Unit("×", "ratio", 1, e + 1)
            return u
        g = _UNIT_GAP.match(t, e)
        if g and g.end() > e and g.end() < len(t) and not self.mask[g.end()]:
            return _match_unit(t, g.end())
        return None

    def _emit_raw(
        self,
        value: float,
        high: float | None,
        kind: str,
        unit: str,
        decimals: int,
        start: int,
        end: int,
        *,
        factor: float = 1.0,
        postfix: str = "",
    ) -> None:
        """Record a quantity, reading the hedge before it and "or more" after it."""
        t = self.text
        cmp, hstart = _hedge_before(t, start)
        if cmp == "=" and kind in ("year", "date") and high is None:
            cmp, hstart = _year_hedge_before(t, start)
        if cmp == ">" and kind == "duration" and _OVER.match(t, hstart):
            cmp = "="  # "over 30 minutes": the span of an infusion or treatment period
        if cmp == "=" and postfix:
            cmp = postfix
        pf = _POSTFIX.match(t, end)
        if pf and cmp == "=":
            cmp = ">=" if pf.group("ge") else "<="
            end = pf.end()
        self.out.append(_Raw(value, high, kind, unit, cmp, hstart, end, decimals, factor))


def _hyphen_unit(text: str, pos: int) -> _Unit | None:
    """Unit or count noun after a hyphen: "4-day", "3-point", "5-fold", "12-item"."""
    u = _match_unit(text, pos, hyphen=True)
    if u is not None:
        return u
    m = _COUNT_NOUNS_HYPHEN.match(text, pos)
    return _Unit("", "count", 1, m.end()) if m else None


def _extract_dates(text: str, mask: bytearray, taken: bytearray) -> list[_Raw]:
    out: list[_Raw] = []
    for rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            a, b = m.start(), m.end()
            if any(taken[a:b]) or mask[m.start("y")]:
                continue
            gd = m.groupdict()
            y = int(gd["y"])
            mon = _MONTHS[gd["mon"][:3].lower()] if gd.get("mon") else int(gd["m"])
            day = int(gd["d"]) if gd.get("d") else 0
            if not (1 <= mon <= 12 and 0 <= day <= 31) or (gd.get("d") and day == 0):
                continue
            taken[a:b] = b"\x01" * (b - a)
            cmp, hstart = _year_hedge_before(text, a)
            out.append(
                _Raw(float(y * 10000 + mon * 100 + day), None, "date", "", cmp, hstart, b, 0)
            )
    return out


_LIST_SEP = re.compile(r"(?i)^[ \t\n]*(?:,[ \t\n]*)?(?:(?:and|or|versus|vs\.?)[ \t\n]+)?$")


def _propagate_units(text: str, raws: list[_Raw]) -> None:
    """A unit after a list applies to its bare members: "at 2 or 5 days", "10, 20 and 30 mg",
    "20.07 versus 11.43 µg/g"."""
    for i in range(len(raws) - 1, 0, -1):
        cur, prev = raws[i], raws[i - 1]
        if not cur.unit or cur.kind in ("year", "date", "fraction"):
            continue
        if prev.kind != "count" or prev.unit or prev.end > cur.start:
            continue
        gap = text[prev.end : cur.start]
        if not gap.strip() or not _LIST_SEP.match(gap):
            continue
        f = cur.factor
        cmp = prev.comparator
        if cmp == ">" and cur.kind == "duration" and re.match(r"(?i)over\b", text[prev.start :]):
            cmp = "="
        raws[i - 1] = replace(
            prev,
            value=prev.value * f,
            high=prev.high * f if prev.high is not None else None,
            kind=cur.kind,
            unit=cur.unit,
            comparator=cmp,
            factor=f,
        )


#: "±" between a mean and its spread, in print or ASCII, with the spread's label before it:
#: "64.62 ± 6.10", "12 +/- 3", "5.1 ± SD 0.4"
_PLUS_MINUS = re.compile(
    r"[ \t\n]*(?:±|\+/-|\+/−|\+-|∓)[ \t\n]*(?:(?:SD|SEM|SE|s\.d\.|s\.e\.(?:m\.)?)[ \t\n]*)?"
)
#: the spread's label between the spread and the unit: "6.1 SD mg", "6.1 (SEM) mg"
_SPREAD_LABEL = re.compile(r"[ \t]*\(?(?:SD|SEM|SE|s\.d\.|s\.e\.(?:m\.)?)\)?[ \t]*")


def _share_spread_units(text: str, raws: list[_Raw]) -> None:
    """ "mean ± SD unit" gives the unit to the mean as well as to the spread: a reader of
    "64.62 ± 6.10 µg/g" reads 64.62 µg/g, and a claim of 64.62 µg/g is that value, not a
    bare 64.62 beside a 6.10 µg/g. The unit may also follow the spread's label ("5.1 ± 0.4
    SD mg", "5.1 ± 0.4 (SEM) mg"), and a unit written after the mean alone ("12 mg ± 3")
    is the spread's too. Only a mean and a spread joined by "±" share a unit: "64.62 in
    males, 6.10 µg/g in females" are two values."""
    for i in range(len(raws) - 1):
        mean, spread = raws[i], raws[i + 1]
        if mean.high is not None or spread.high is not None or mean.end > spread.start:
            continue
        if not _PLUS_MINUS.fullmatch(text, mean.end, spread.start):
            continue
        if mean.kind == "count" and not mean.unit:
            if spread.unit and spread.kind not in ("year", "date", "fraction"):
                kind, unit, f = spread.kind, spread.unit, spread.factor
            elif spread.kind == "count" and not spread.unit:
                label = _SPREAD_LABEL.match(text, spread.end)
                u = _match_unit(text, label.end()) if label and label.end() > spread.end else None
                if u is None or not u.unit:
                    continue
                kind, unit, f = u.kind, u.unit, u.factor
                raws[i + 1] = replace(
                    spread, value=spread.value * f, kind=kind, unit=unit, factor=f
                )
            else:
                continue
            raws[i] = replace(mean, value=mean.value * f, kind=kind, unit=unit, factor=f)
        elif mean.unit and spread.kind == "count" and not spread.unit:
            if mean.kind in ("year", "date", "fraction"):
                continue
            f = mean.factor
            raws[i + 1] = replace(
                spread, value=spread.value * f, kind=mean.kind, unit=mean.unit, factor=f
            )


#: Between two items of a list that one hedge governs: the first item's noun (at most two
#: words, "goats", "water buffaloes") and a comma, "and" or "or", and nothing after these.
_HEDGED_LIST_GAP = re.compile(
    r"(?i)(?:[ \t\n]+(?!(?:and|or)\b)[A-Za-z][A-Za-z'’-]*){0,2}"
    r"(?:[ \t\n]*,[ \t\n]*(?:(?:and|or)[ \t\n]+)?|[ \t\n]+(?:and|or)[ \t\n]+)"
)


def _distribute_hedges(text: str, raws: list[_Raw]) -> None:
    """A hedge before a list governs every item of it, as a reader reads "about 5 and 10 mg"
    or "roughly 194,000 goats and 47,600 sheep": both numbers are approximate. Only items
    joined by a comma, "and" or "or", each at most a number and a two-word noun; an item with
    a comparator of its own keeps it, and a longer stretch of words is a clause, which the
    hedge does not reach ("about 20 were treated and 30 withdrew": 30 is exact)."""
    for i in range(1, len(raws)):
        prev, cur = raws[i - 1], raws[i]
        if prev.comparator != "~" or cur.comparator != "=" or prev.end > cur.start:
            continue
        if {prev.kind, cur.kind} & {"year", "date"}:
            continue
        if _HEDGED_LIST_GAP.fullmatch(text, prev.end, cur.start):
            raws[i] = replace(cur, comparator="~")


# Same-length normalisation so every offset found in the copy is valid in the original.
_NORMALISE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space ("3\u00a0months")
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200a": " ",
        "\r": " ",
        "\u00ad": "-",  # soft hyphen left by PDF extraction
        "\u2011": "-",  # non-breaking hyphen
    }
)


def extract(text: str, *, skip_spans: Iterable[tuple[int, int]] = ()) -> list[Quantity]:
    """All quantities in `text`, in order; characters inside `skip_spans` yield nothing."""
    work = text.translate(_NORMALISE)
    mask = _build_mask(work, skip_spans)
    taken = bytearray(len(work))
    raws = _extract_dates(work, mask, taken)
    combined = bytearray(a | b for a, b in zip(mask, taken, strict=True))
    raws.extend(_Scanner(work, combined).run())
    raws.sort(key=lambda r: (r.start, r.end))
    _share_spread_units(work, raws)
    _propagate_units(work, raws)
    _distribute_hedges(work, raws)
    return [
        Quantity(
            value=r.value,
            high=r.high,
            kind=r.kind,
            unit=r.unit,
            comparator=r.comparator,
            start=r.start,
            end=r.end,
            text=text[r.start : r.end],
            decimals=r.decimals,
        )
        for r in raws
    ]
