"""Numerals as pandoc prints them: every digit a reader sees is the number glutlint reads.

Why: pandoc renders fullwidth and Arabic-Indic digits, hides soft hyphens and zero-width
characters, and typesets thin and no-break spaces between digit groups as thousands separators.
A wrong year written "２０１８" used to pass into the PDF, and a right "2\\u200b019" was flagged
"019 not in ...". Each reproduction below runs the real CLI on the real seeds; the property tests
insert these characters into the numbers of the labelled claims (accurate and wrong) and require
the verdict of the plain ASCII claim, with columns that point at the characters as written.
Attribute blocks (`{width=10%}`) are read by pandoc as attributes, never printed: not claims.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PYPROJECT, ROOT, Project, run_cli
from glutlint.manuscript import parse_now
from glutlint.numerals import GROUP_SPACES, INVISIBLE, fold, read_quantities
from test_labelled_claims import evaluate

MS = "manuscript/review.md"
CASES = "manuscript/cases.md"  # where evaluate.make_project puts the labelled claims
FDA = (
    "The FDA approved nasal esketamine in {} for adults with treatment-resistant depression "
    "[@mcintyre2024]."
)
ZERO_DIGITS = (0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1D7CE, 0x1D7EC)
MCINTYRE = "seeds/000_a568ac835381dff8.txt"
TRIAL_BIB = """
@article{trial2020,
  author  = {Doe, Jane},
  title   = {A Trial of Esketamine},
  journal = {Journal of Tests},
  year    = {2020},
  file    = {sources/trial2020.txt}
}
"""
TRIAL_TEXT = (
    "Esketamine trial.\n\n"
    "The esketamine trial enrolled {a} adults with depression. For it, {b} people were screened.\n"
)


def diagnostics(p: Project) -> list[dict]:
    r = run_cli(["check", "--format", "json"], p.root)
    assert r.code in (0, 1), r.err
    return [d for d in json.loads(r.out) if d["path"] == MS]


def value_findings(p: Project, text: str) -> list[dict]:
    p.write(MS, text + "\n")
    return [d for d in diagnostics(p) if d["code"] in {"GL201", "GL203", "GL301"}]


def in_other_script(digits: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in digits)


def add_trial(p: Project, a: str = "1,250", b: str = "12,400") -> None:
    """A small extra source (beside the real seeds) that states numbers of thousands."""
    p.write("sources/trial2020.txt", TRIAL_TEXT.format(a=a, b=b))
    bib = p.root / "refs/references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + TRIAL_BIB, encoding="utf-8")


# ------------------------------------------------------------------ the reproductions, one each


@pytest.mark.parametrize(
    "year",
    ["２０１８", "٢٠١٨", "20\u00ad18", "2\u200b018", "201\u2060\ufeff8", "۲۰۱۸"],
    ids=["fullwidth", "arabic-indic", "soft-hyphen", "zero-width-space", "word-joiner", "persian"],
)
def test_a_wrong_year_in_any_digits_is_flagged_like_ascii(seeded: Project, year: str) -> None:
    plain = value_findings(seeded, FDA.format("2018"))
    assert sorted(d["code"] for d in plain) == ["GL201", "GL301"]
    found = value_findings(seeded, FDA.format(year))
    col = FDA.index("{}") + 1
    assert [(d["code"], d["message"]) for d in found] == [(d["code"], d["message"]) for d in plain]
    for d in found:  # the span covers the characters as written, invisible ones included
        assert (d["line"], d["column"], d["end_column"]) == (1, col, col + len(year))


@pytest.mark.parametrize(
    "year",
    ["2\u200b019", "２０１９", "٢٠١٩", "20\u00ad19", "2\u200c0\u200d19", "𝟐𝟎𝟏𝟗"],
    ids=["zero-width-space", "fullwidth", "arabic-indic", "soft-hyphen", "zwnj-zwj", "math-bold"],
)
def test_a_right_year_in_any_digits_passes_like_ascii(seeded: Project, year: str) -> None:
    assert value_findings(seeded, FDA.format("2019")) == []
    assert value_findings(seeded, FDA.format(year)) == []


@pytest.mark.parametrize("sep", ["\u2009", "\u00a0", "\u202f"], ids=["thin", "nbsp", "narrow"])
def test_thin_and_no_break_spaces_group_thousands(seeded: Project, sep: str) -> None:
    add_trial(seeded)
    right = f"The esketamine trial enrolled 1{sep}250 adults [@trial2020]."
    assert value_findings(seeded, right) == []
    found = value_findings(seeded, f"The esketamine trial enrolled 1{sep}350 adults [@trial2020].")
    col = right.index("1") + 1
    assert [(d["code"], d["column"], d["end_column"]) for d in found] == [("GL201", col, col + 5)]
    assert found[0]["message"].startswith("1,350 not in trial2020")
    # a space that is not between proper groups of three separates two numbers, as before
    two = value_findings(seeded, f"The esketamine trial enrolled 12{sep}1234 adults [@trial2020].")
    assert [d["message"].split()[0] for d in two] == ["12", "1234"]


def test_a_fullwidth_year_in_a_source_supports_an_ascii_claim(seeded: Project) -> None:
    src = seeded.root / MCINTYRE
    text = src.read_text(encoding="utf-8")
    assert "(FDA) in 2019 to treat" in text
    src.write_text(text.replace("(FDA) in 2019 to treat", "(FDA) in ２０\u00ad１９ to treat"))
    assert value_findings(seeded, FDA.format("2019")) == []
    codes = [d["code"] for d in diagnostics(seeded)]
    assert "GL502" not in codes  # the ledger's quote still verifies against the folded source
    wrong = value_findings(seeded, FDA.format("2018"))
    assert sorted(d["code"] for d in wrong) == ["GL201", "GL301"]


@pytest.mark.parametrize("sep", ["\u2009", "\u00a0"], ids=["thin", "nbsp"])
def test_grouped_thousands_in_a_source_support_an_ascii_claim(seeded: Project, sep: str) -> None:
    add_trial(seeded, a=f"1{sep}250", b=f"12{sep}400")
    for number in ("1,250", "1250", "1\u2009250"):
        claim = f"The esketamine trial enrolled {number} adults [@trial2020]."
        assert value_findings(seeded, claim) == [], number
    screened = "For the esketamine trial, 12,400 people were screened [@trial2020]."
    assert value_findings(seeded, screened) == []
    assert (
        len(value_findings(seeded, "The esketamine trial enrolled 1,350 adults [@trial2020].")) == 1
    )


# ------------------------------------------------------------------ attributes are not claims

ATTRIBUTED = [
    "The FDA approved nasal esketamine ![chart](fig.png){width=10%} in 2019 for adults with "
    "treatment-resistant depression [@mcintyre2024].",
    'The FDA approved [nasal esketamine]{.drug key="5"} in 2019 for adults with '
    "treatment-resistant depression [@mcintyre2024].",
    "The FDA approved [nasal esketamine](https://example.org){#lnk n=7} in 2019 for adults with "
    "treatment-resistant depression [@mcintyre2024].",
    "The FDA approved nasal esketamine [in 2019][ref]{n=8} for adults with "
    "treatment-resistant depression [@mcintyre2024].",
    "The FDA approved nasal esketamine <https://example.org>{n=6} in 2019 for adults with "
    "treatment-resistant depression [@mcintyre2024].",
]


@pytest.mark.parametrize("para", ATTRIBUTED, ids=["image", "span", "link", "reference", "auto"])
def test_attribute_values_are_never_read(seeded: Project, para: str) -> None:
    (attrs,) = re.findall(r"\{[^{}@]*\}", para)
    (number,) = re.findall(r"\d+%?", attrs)
    rendered = pypandoc.convert_text(para, "plain", format="markdown", extra_args=["--wrap=none"])
    assert "2019" in rendered and number not in rendered  # pandoc reads, never prints, them
    assert value_findings(seeded, para) == []
    messages = [d["message"] for d in diagnostics(seeded)]
    assert not any(m.startswith(f"{number} ") for m in messages), messages


def test_text_after_a_space_is_not_an_attribute_and_is_read(seeded: Project) -> None:
    """Pandoc prints `{width=11%}` after a space: it is text, and glutlint reads it."""
    para = "Esketamine ![chart](fig.png) {width=11%} of adults remitted [@mcintyre2024]."
    assert "11%" in pypandoc.convert_text(para, "plain", format="markdown")
    assert [d["message"].split()[0] for d in value_findings(seeded, para)] == ["11%"]


def test_heading_attributes_hold_no_values(tmp_path: Path) -> None:
    text = "# Approval in 2019 {#sec-2018 n=5}\n\nSetext in 2020 {#sec-2017}\n-----\n"
    doc = parse_now(tmp_path / "a.md", text, "a.md")
    read = [[q.text for q in read_quantities(b.masked)] for b in doc.headings]
    assert read == [["2019"], ["2020"]]


# ------------------------------------------------------------------ the reader itself


def test_fold_maps_back_to_the_characters_as_written() -> None:
    text = "in ２０\u00ad１\u200b\u200b8, 1\u2009000 and ٢٫٥٪ of 3\u00a0months"
    f = fold(text)
    assert f.text == "in 2018, 1,000 and 2.5% of 3\u00a0months"
    got = [(q.text, text[q.start : q.end]) for q in read_quantities(text)]
    assert got == [
        ("2018", "２０\u00ad１\u200b\u200b8"),
        ("1,000", "1\u2009000"),
        ("2.5%", "٢٫٥٪"),
        ("3\u00a0months", "3\u00a0months"),
    ]
    for i in range(len(f.text) + 1):
        assert f.in_folded(f.start_in_original(i)) == i
    assert fold(f.text).text == f.text  # idempotent
    assert fold("plain ASCII 2019").text == "plain ASCII 2019"


def test_only_digits_and_number_punctuation_are_folded() -> None:
    for text in ("cm²", "x\u200by", "A\u00a0000", "0.123\u2009456", "％ alone", "a，b"):
        assert fold(text).text == text, text


# ------------------------------------------------------------------ properties

PROPERTY = settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: A number written by the author: not glued to a letter, a citation key or a code's hyphen.
NUMBER_RE = re.compile(r"(?<![\w@\-‐/.,])\d+(?:[.,]\d+)*(?![\w\-‐])")


@dataclass(frozen=True)
class Mutation:
    """How one number is rewritten: thousands grouped by a space, invisibles inside, other
    digits (a plain ASCII number is always put in fullwidth digits: a copy proves nothing)."""

    zero: int | None  # the zero of the digits to use (None: keep)
    invisible: str  # inserted between two digits
    where: int  # between which two
    group: str  # replaces "," in 1,250

    def __call__(self, number: str) -> str:
        if self.group and re.fullmatch(r"\d{1,3}(?:,\d{3})+", number):
            number = number.replace(",", self.group)
        pairs = [i for i in range(1, len(number)) if number[i - 1 : i + 1].isdigit()]
        if pairs and self.invisible:
            at = pairs[self.where % len(pairs)]
            number = number[:at] + self.invisible + number[at:]
        zero = self.zero
        if zero is None and number.isascii():
            zero = ZERO_DIGITS[0]
        return in_other_script(number, zero) if zero else number


def mutations() -> st.SearchStrategy[Mutation]:
    return st.builds(
        Mutation,
        st.sampled_from((None, *ZERO_DIGITS)),
        st.lists(st.sampled_from(INVISIBLE), max_size=2).map("".join),
        st.integers(0, 100),
        st.sampled_from(("", *GROUP_SPACES)),
    )


def rewrite(text: str, muts: list[Mutation]) -> str:
    i = iter(muts * (1 + len(NUMBER_RE.findall(text)) // max(len(muts), 1)))
    return NUMBER_RE.sub(lambda m: next(i)(m.group()), text)


def verdicts(
    root: Path, lines: list[str], path: str = MS
) -> dict[int, list[tuple[str, int, int, str]]]:
    """Per manuscript line: each finding's code, folded start and end, and message; and the
    check that each column points at a character as written (never inside a dropped one)."""
    r = run_cli(["check", "--format", "json"], root)
    assert r.code in (0, 1), r.err
    out: dict[int, list[tuple[str, int, int, str]]] = {}
    for d in json.loads(r.out):
        if d["path"] != path or d["code"].startswith("GL6"):  # structure: not about claims
            continue
        line = lines[d["line"] - 1]
        f = fold(line)
        a, b = d["column"] - 1, d["end_column"] - 1
        assert 0 <= a <= len(line) and d["end_line"] == d["line"] and a <= b <= len(line)
        fa, fb = f.in_folded(a), f.in_folded(b)
        assert (f.start_in_original(fa), f.end_in_original(fb)) == (a, b) or a == b, d
        out.setdefault(d["line"], []).append((d["code"], fa, fb, d["message"]))
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict]:
    """The labelled claims that hold a number (accurate and wrong alike) in one manuscript of
    a copy of the project, and what glutlint says about them as written (ASCII)."""
    root = tmp_path_factory.mktemp("numerals") / "project"
    cases = [c for c in evaluate.load_cases() if NUMBER_RE.search(c.text)]
    text, _ = evaluate.manuscript_of(cases)
    evaluate.make_project(root, text)
    lines = text.split("\n")
    base = verdicts(root, lines, CASES)
    assert sum(bool(v) for v in base.values()) >= 30  # enough wrong claims to judge
    assert len(cases) - len(base) >= 40  # and enough accurate ones
    return root, lines, base


@PROPERTY
@given(st.lists(mutations(), min_size=1, max_size=7))
def test_rewritten_numbers_keep_the_verdict_of_plain_ascii(labelled, muts: list) -> None:
    root, lines, base = labelled
    new = [rewrite(ln, muts) if ln and not ln.startswith("#") else ln for ln in lines]
    (root / CASES).write_text("\n".join(new), encoding="utf-8")
    assert [fold(ln).text for ln in new] == lines
    assert verdicts(root, new, CASES) == base


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("trial") / "project"
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "refs", root / "refs")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    p = Project(root)
    add_trial(p)
    return p


TRIAL_CLAIMS = [
    "The esketamine trial enrolled 1,250 adults [@trial2020].",
    "For the esketamine trial, 12,400 people were screened [@trial2020].",
    "The esketamine trial enrolled 1,350 adults [@trial2020].",
    "For the esketamine trial, 12,500 people were screened [@trial2020].",
    "The esketamine trial enrolled 1250 adults in 2019 [@trial2020].",
]


@PROPERTY
@given(st.lists(mutations(), min_size=1, max_size=5), st.lists(mutations(), min_size=2))
def test_numbers_of_thousands_keep_their_verdict(
    trial: Project, claim_m: list, source_m: list
) -> None:
    plain = "\n\n".join(TRIAL_CLAIMS)
    lines = plain.split("\n")
    trial.write(MS, plain)
    trial.write("sources/trial2020.txt", TRIAL_TEXT.format(a="1,250", b="12,400"))
    base = verdicts(trial.root, lines)
    assert sorted(base) == [5, 7, 9]  # 1,350, 12,500 and 2019 are wrong; the others right
    new = [rewrite(ln, claim_m) for ln in lines]
    trial.write(MS, "\n".join(new))
    a, b = (rewrite(n, source_m) for n in ("1,250", "12,400"))
    trial.write("sources/trial2020.txt", TRIAL_TEXT.format(a=a, b=b))
    assert verdicts(trial.root, new) == base


def test_the_evidence_report_marks_values_where_they_are_written() -> None:
    from glutlint.report import sentence_marks
    from glutlint.trail import Item

    sentence = "Approved in ２０\u00ad１８ for 1\u2009000 adults."
    items = [Item("2018", "value", "missing", 12, 17), Item("1,000", "value", "missing", 22, 27)]
    marks = [sentence[a:b] for a, b, _ in sentence_marks(sentence, items)]
    assert marks == ["２０\u00ad１８", "1\u2009000"]


# ------------------------------------------------------------------ middle-dot decimals

# Real strings from a CC BY article fetched from the allofplos/allofplos repository on GitHub
# (starter_corpus): MacPherson et al. 2013, PLoS Med 10(9): e1001518. PLoS Medicine, like The
# Lancet, prints the decimal point as a middle dot (U+00B7), in its tables and in its text.
MIDDLE_DOT_AGE = "43·5 (13·37)"
MIDDLE_DOT_SHARE = "554 (73·4%)"
MIDDLE_DOT_RESULT = (
    "Compared to usual care, patients in the acupuncture arm experienced an average additional "
    "reduction in depression of −2·46 points on the PHQ-9 (p<0·001, 95% CI −3·72 to −1·21)"
)


def test_a_middle_dot_between_digits_is_a_decimal_point() -> None:
    from glutlint.quantities import supported_by_any

    def read(text: str) -> list[tuple[float, str, str]]:
        return [(q.value, q.text, text[q.start : q.end]) for q in read_quantities(text)]

    assert read(MIDDLE_DOT_AGE) == [(43.5, "43.5", "43·5"), (13.37, "13.37", "13·37")]
    assert read(MIDDLE_DOT_SHARE) == [(554, "554", "554"), (73.4, "73.4%", "73·4%")]
    assert fold(MIDDLE_DOT_RESULT).text.count("·") == 0
    # the true claims of the review are supported, as by the same numbers printed with "."
    claim = read_quantities("Mean baseline age was 43.5 years")
    assert supported_by_any(claim[0], read_quantities(MIDDLE_DOT_AGE))
    claim = read_quantities("73.4% of participants were women")
    assert supported_by_any(claim[0], read_quantities(MIDDLE_DOT_SHARE))
    # ... and the digits after the dot are no number of their own, nor is a wrong value backed
    for wrong in ("5 years", "43.6 years", "4% of participants", "73.5% of participants"):
        claim = read_quantities(wrong)
        assert not supported_by_any(claim[0], read_quantities(MIDDLE_DOT_AGE + MIDDLE_DOT_SHARE))
    # a middle dot that is not between two digits stays what it is: a product of units, a
    # separator between spaced numbers
    for text in ("2 mg·kg−1", "Na·K", "3 · 4", "·5"):
        assert fold(text).text == text, text


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Ketamine cured \u2079\u00b3% of patients.", [93.0]),  # prints as 93%
        ("Remission in \u00b2\u2077 % of them.", [27.0]),
        ("as shown before\u00b9\u00b2% of", []),  # a note mark after a word stays a mark
        ("A density of 10\u2076 per mL.", [10.0]),  # an exponent after a digit is no percent
    ],
)
def test_superscript_digits_before_a_percent_sign_are_the_number(
    text: str, values: list[float]
) -> None:
    from glutlint.numerals import read_quantities

    assert [q.value for q in read_quantities(text)] == values
