"""Property-based tests: no input file makes glutlint crash, hang or answer differently twice.

Why: the inputs of a review (Markdown, BibTeX from reference managers, YAML written by hand,
sidecars and ledgers from collaborators) are edited by people and tools we do not control. Each
test generates one kind of file, drops it into a small real project (two real seeds, the real
ledger and lexicon) and runs the real CLI in-process. Whatever the input, glutlint must exit 0,
1 or 2; exit 2 must be one line `file[:line]: message` naming a project-relative file; it must
never print a traceback; diagnostics must point at lines that exist; and the same input must give
the same output every time, including across Python hash seeds.

Examples are derandomized (same examples on every run) and few, so each test stays well under
20 s; the hostile cases that matter most are spelled out one by one in test_hardening.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import HANG_SECONDS, PYPROJECT, Hang, Result, run_cli, time_limit
from glutlint.lexicon import KEYS as LEXICON_KEYS

ROOT = Path(__file__).resolve().parent.parent
KEYS = ["mcintyre2024", "pedersen2017"]
ALL_KEYS = [*KEYS, "kadriu2019", "henter2021", "sanacora2008"]
SOURCES = {"mcintyre2024": "000_a568ac835381dff8.txt", "pedersen2017": "001_f54383fbc94751c3.txt"}
MS = "manuscript/review.md"
#: A check of the mini project takes well under a second; past this it is a hang, not a check.
EXAMPLE_SECONDS = HANG_SECONDS  # a hang guard, not a speed bound

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MANUSCRIPT = """\
---
title: "A Small Review of Glutamatergic Antidepressants"
abstract: |
  Glutamatergic signalling emerged as a target in major depressive disorder [@mcintyre2024].
---

# Key Points

- In 2017 no glutamate modulator had yet been approved for depression [@pedersen2017].
- The FDA approved nasal esketamine in 2019 [@mcintyre2024].
- Development of most investigated agents has been discontinued [@mcintyre2024].

# Introduction

Approved monoamine antidepressants take weeks to work [@mcintyre2024]. In 2017, a news report
stated that no glutamate modulator had yet been approved for depression [@pedersen2017]. The US
Food and Drug Administration approved esketamine (Spravato) in 2019 to treat adults with
treatment-resistant depression [@mcintyre2024], and oral dextromethorphan-bupropion in 2022
[@mcintyre2024].

| Agent | Year |
|:------|-----:|
| esketamine | 2019 |

Table: Approvals in the sources [@mcintyre2024].

# Conclusions

Glutamatergic treatment has moved from hypothesis to clinical use [@mcintyre2024].

# Declarations

None.

# References {-}

::: {#refs}
:::
"""


# --------------------------------------------------------------------------- the mini project


def _mini_bib() -> str:
    """The real bibliography, with `file` fields only for the two small seeds we copy."""
    bib = (ROOT / "refs/references.bib").read_text(encoding="utf-8")
    return re.sub(r"^\s*file\s*=\s*\{seeds/00[2-9][^}]*\},?[ \t]*\n", "", bib, flags=re.M)


def _mini_sidecar() -> str:
    data = yaml.safe_load((ROOT / "seeds/sources.yaml").read_text(encoding="utf-8")) or {}
    return yaml.safe_dump({k: v for k, v in data.items() if k in KEYS}, sort_keys=False)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real project: two real seeds, the real ledger and lexicon, a short manuscript."""
    root = tmp_path_factory.mktemp("mini") / "project"
    (root / "seeds").mkdir(parents=True)
    (root / "refs").mkdir()
    (root / "manuscript").mkdir()
    for name in SOURCES.values():
        shutil.copyfile(ROOT / "seeds" / name, root / "seeds" / name)
    (root / "seeds/sources.yaml").write_text(_mini_sidecar(), encoding="utf-8")
    (root / "refs/references.bib").write_text(_mini_bib(), encoding="utf-8")
    for name in ("facts.yaml", "lexicon.yaml"):
        shutil.copyfile(ROOT / "refs" / name, root / "refs" / name)
    (root / MS).write_text(MANUSCRIPT, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return root


def check(root: Path, *args: str) -> Result:
    """`glutlint check` in-process; an escaping exception is a traceback to a user."""
    try:
        with time_limit(EXAMPLE_SECONDS):
            return run_cli(["check", *args], root)
    except (Hang, KeyboardInterrupt):
        raise
    except BaseException as exc:
        return Result(-1, "", f"Traceback (in-process): {type(exc).__name__}: {exc}")


ERROR_LINE = re.compile(r"^(?P<file>[^:\s][^:]*)(?::(?P<line>\d+))?: \S.*$")
DIAG_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>GL\d{3}) \S")


def assert_sane(r: Result, root: Path, texts: dict[str, bytes] | None = None) -> None:
    """The contract every run keeps, whatever the input."""
    assert "Traceback" not in r.err, r.err
    assert r.code in (0, 1, 2), (r.code, r.err)
    for shown in {str(root), str(root.resolve())}:
        assert shown not in r.err and shown not in r.out, "a machine path leaked:\n" + r.err
    if r.code == 2:
        lines = r.err.splitlines()
        assert len(lines) == 1 and ERROR_LINE.match(lines[0]), r.err
        assert r.out == "", r.out
        return
    for line in r.out.splitlines():
        m = DIAG_LINE.match(line)
        assert m, line
        assert int(m["line"]) >= 1 and int(m["col"]) >= 1, line
        data = (texts or {}).get(m["file"])
        if data is not None:  # a diagnostic points at a line that exists
            count = len(re.split(rb"\r\n|\r|\n", data))
            assert int(m["line"]) <= count, (line, count)


def run_twice(base: Path, files: dict[str, bytes], *args: str) -> Result:
    """Write `files` into a fresh copy of the mini project, check twice, demand equal answers."""
    with tempfile.TemporaryDirectory(prefix="glutlint-prop-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(base, root)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        try:
            first = check(root, *args)
            assert_sane(first, root, files)
            second = check(root, *args)
        except Hang as exc:  # not shrunk (each try would take seconds): show the input as is
            shown = "\n".join(f"{rel}: {data[:3000]!r}" for rel, data in files.items())
            raise Hang(f"{exc} on:\n{shown}") from None
        assert (second.code, second.out, second.err) == (first.code, first.out, first.err)
        return first


# --------------------------------------------------------------------------------- text parts

#: Words of the field, so generated prose reaches the claim, ledger and lexicon rules.
WORDS = [
    word
    for line in (
        "ketamine esketamine Spravato glutamate modulator NMDA receptor approved approval FDA",
        "EMA depression treatment-resistant MDD trial patients dose response remission 2017",
        "2019 2022 no not yet still currently had been first study review reported in by until",
    )
    for word in line.split()
]
NUMBERS = st.one_of(
    st.integers(-10, 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: f"{f:g}"),
    st.sampled_from(
        ["0.5", "1,000", "6\u201312", "50%", "2.5 mg/kg", "< 0.05", "\u00b1 3", "n = 12"]
    ),
    st.sampled_from(["1e-3", "10^6^", "~2~", "95% CI 1.2-3.4", "p<0.001", "\u03bcg", "1.2.3"]),
)
CITES = st.one_of(
    st.sampled_from(ALL_KEYS + ["nosuchkey2099", "a", "x_y:z", "-"]).flatmap(
        lambda k: st.sampled_from(
            [f"[@{k}]", f"@{k}", f"[-@{k}]", f"[@{k}, p. 3]", f"[see @{k}; @mcintyre2024]"]
        )
    ),
    st.sampled_from(["[@", "@", "[]", "[@]", "@{", "[@{x}]", "\\@x", "me@x.org"]),
)
#: Any printable text. Control characters and bad bytes come in whole documents at a time, from
#: `as_bytes`, so that most examples get past decoding and reach the validators and rules.
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
CONTROL = st.sampled_from(
    ["\x00", "\x01", "\x1b", "\x0c", "\x0b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\r"]
)
TOKEN = st.one_of(
    st.sampled_from(WORDS),
    NUMBERS,
    CITES,
    JUNK,
    st.sampled_from(
        [
            "*",
            "**",
            "_",
            "`",
            "$",
            "<!--",
            "-->",
            "<b>",
            "[",
            "]",
            "(",
            ")",
            "{",
            "}",
            "|",
            ":",
            "\\",
            "TODO",
            "XXX",
            "??",
            "...",
            "e.g.",
            "Fig. 1",
            "Table 2",
            "@fig:x",
            "{#tbl:y}",
            "\t",
            "\u00a0",
        ]
    ),
)


def sentence() -> st.SearchStrategy[str]:
    return st.lists(TOKEN, min_size=1, max_size=25).map(" ".join).map(lambda s: s + ".")


def paragraph() -> st.SearchStrategy[str]:
    return st.lists(sentence(), min_size=1, max_size=4).map(" ".join)


HEADING = st.tuples(
    st.integers(1, 7),
    st.sampled_from(
        [
            "Key Points",
            "Introduction",
            "Conclusions",
            "Declarations",
            "References",
            "Abstract",
            "Methods {-}",
            "Results {#sec:r}",
            "Limitations",
            "",
        ]
    )
    | JUNK,
).map(lambda t: "#" * t[0] + " " + t[1])
TABLE = st.lists(st.lists(TOKEN, min_size=1, max_size=4), min_size=1, max_size=4).map(
    lambda rows: "\n".join(
        ["| " + " | ".join("h" for _ in rows[0]) + " |", "|" + "---|" * len(rows[0])]
        + ["| " + " | ".join(r) + " |" for r in rows]
    )
) | paragraph().map(lambda p: "Table: " + p)
FIGURE = st.tuples(
    paragraph(),
    st.sampled_from(
        ["figures/timeline.png", "../x.png", "/etc/hostname", "http://x/y.png", "", "a b.png"]
    ),
).map(lambda t: f"![{t[0]}]({t[1]}){{#fig:f width=50%}}")
COMMENT = st.sampled_from(
    [
        "disable-next-line GL201",
        "disable GL101 GL605",
        "enable",
        "disable-line",
        "nonsense",
        "disable-next-line GL9999",
        "disable-next-line gl201,GL605",
        "",
    ]
).map(lambda s: f"<!-- glutlint: {s} -->")
FENCE = st.tuples(st.sampled_from(["```", "~~~", "```{=typst}", "```python"]), JUNK).map(
    lambda t: f"{t[0]}\n{t[1]}\n```"
)
BLOCK = st.one_of(
    paragraph(),
    paragraph(),
    HEADING,
    TABLE,
    FIGURE,
    COMMENT,
    FENCE,
    st.lists(paragraph(), min_size=1, max_size=3).map(lambda xs: "\n".join("- " + x for x in xs)),
    paragraph().map(lambda p: "> " + p),
    st.sampled_from(["::: {#refs}\n:::", ":::", "---", "***", "<div>", "</div>", "[^1]: note"]),
)


# ---------------------------------------------------------------------------------- YAML parts

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.dates(),
    JUNK,
    st.sampled_from(WORDS),
    st.sampled_from(ALL_KEYS),
    st.sampled_from(
        [
            "2019",
            "2019-05",
            "2017-03-18",
            "2019-13-45",
            "abc",
            "1-21",
            "21-1",
            "0-0",
            "85-109",
            "1-100000",
            "negative",
            "positive",
            "",
        ]
    ),
)
OBJECTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(WORDS) | JUNK, inner, max_size=4)
    ),
    max_leaves=12,
)
#: Text-level YAML mutations: anchors, aliases, tags (harmless ones: an unsafe loader would
#: only call len), flow/block markers, indentation and document markers.
YAML_BITS = st.sampled_from(
    [
        "&a ",
        "*a",
        "&b [*a, *a, *a]",
        "<<: *a",
        "!!str ",
        "!!int ",
        "!!binary ",
        "!!set ",
        "!!python/name:builtins.len",
        "!!python/object/apply:builtins.len [[1]]",
        "? ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ": ",
        ",",
        "\n",
        "\n  ",
        "\t",
        "'",
        '"',
        "|",
        ">",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "#",
        "\ufeff",
        "\u2028",
        "\x85",
        "\r",
    ]
)


def dumped(obj: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    """YAML text of a generated object, in block or flow style."""
    return st.tuples(obj, st.booleans()).map(
        lambda t: yaml.safe_dump(t[0], default_flow_style=t[1], allow_unicode=True, sort_keys=False)
    )


@st.composite
def mutated(draw: st.DrawFn, text: st.SearchStrategy[str]) -> str:
    """`text` with a few YAML fragments spliced in at random places."""
    s = draw(text)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(s)))
        s = s[:at] + draw(YAML_BITS | JUNK) + s[at:]
    return s


def yaml_text(schema: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    """Mostly schema-shaped YAML (so validation runs deep), some mutated, some free-form."""
    return st.one_of(
        *[dumped(schema)] * 5,
        mutated(dumped(schema)),
        mutated(dumped(OBJECTS)),
        st.lists(YAML_BITS | st.sampled_from(WORDS) | JUNK, max_size=20).map("".join),
    )


def encoded(text: str, newline: str, bom: bool) -> bytes:
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if bom else b"") + data


@st.composite
def as_bytes(draw: st.DrawFn, text: st.SearchStrategy[str]) -> bytes:
    """Text encoded with any line ending and optional BOM; one document in eight gets control
    characters, one in ten a few raw (likely invalid) bytes."""
    s = draw(text)
    if draw(st.integers(0, 7)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(s)))
            s = s[:at] + draw(CONTROL) + s[at:]
    data = encoded(s, draw(st.sampled_from(["\n", "\r\n", "\r"])), draw(st.booleans()))
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


# ----------------------------------------------------------------------------------- Markdown


@st.composite
def markdown(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(BLOCK, min_size=1, max_size=10))
    seps = draw(
        st.lists(
            st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=len(blocks), max_size=len(blocks)
        )
    )
    body = "".join(b + s for b, s in zip(blocks, seps, strict=True))
    if draw(st.booleans()):
        meta = draw(yaml_text(FRONT_MATTER))
        body = f"---\n{meta}\n---\n\n{body}"
    return body


FRONT_MATTER = st.fixed_dictionaries(
    {},
    optional={
        "title": SCALARS,
        "abstract": paragraph() | SCALARS,
        "author": OBJECTS,
        "keywords": st.lists(SCALARS, max_size=3),
        "date": SCALARS,
        "running-title": SCALARS,
    },
)


@SETTINGS
@given(doc=as_bytes(markdown()), second=st.none() | as_bytes(markdown()))
def test_any_markdown(base: Path, doc: bytes, second: bytes | None) -> None:
    files = {MS: doc}
    if second is not None:
        files["manuscript/zz-more.md"] = second
    run_twice(base, files)


@settings(SETTINGS, max_examples=40, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(text=markdown())
def test_line_endings_and_bom_do_not_change_diagnostics(base: Path, text: str) -> None:
    """CRLF, CR and a BOM are encodings of the same text: same exit code, same output.

    Not shrunk: each example costs four checks, and a failing one is small enough to read.
    """
    answers = []
    for newline, bom in (("\n", False), ("\r\n", False), ("\r", False), ("\r\n", True)):
        with tempfile.TemporaryDirectory(prefix="glutlint-prop-") as tmp:
            root = Path(tmp) / "project"
            shutil.copytree(base, root)
            (root / MS).write_bytes(encoded(text, newline, bom))
            r = check(root)
            assert_sane(r, root)
            answers.append((newline, bom, r.code, r.out, r.err))
    lf = answers[0][2:]
    for newline, bom, *rest in answers[1:]:
        assert tuple(rest) == lf, f"{newline!r} bom={bom} differs from LF"


@SETTINGS
@given(meta=as_bytes(yaml_text(FRONT_MATTER)))
def test_any_front_matter(base: Path, meta: bytes) -> None:
    body = MANUSCRIPT.split("---\n", 2)[2].encode()
    run_twice(base, {MS: b"---\n" + meta + b"\n---\n" + body})


# ------------------------------------------------------------------------------------ BibTeX

FIELD_NAMES = [
    "author",
    "title",
    "year",
    "date",
    "journal",
    "file",
    "doi",
    "note",
    "pages",
    "month",
    "volume",
    "pmid",
    "Title",
    "FILE",
    "x-y",
    "",
    "a b",
]
FILE_VALUES = [
    f"seeds/{SOURCES['mcintyre2024']}",
    f"seeds/{SOURCES['pedersen2017']}",
    "seeds/missing.txt",
    "seeds",
    "../../etc/passwd",
    "/etc/passwd",
    "desc:../x.txt:text/plain",
    f":seeds/{SOURCES['pedersen2017']}:text/plain",
    "~/x.txt",
    "seeds/../seeds/missing.txt",
    f"seeds/{SOURCES['pedersen2017']};/etc/passwd",
    "C:\\x.txt",
    "",
]
BRACED = st.one_of(
    st.sampled_from(WORDS + FILE_VALUES).map(lambda v: "{" + v + "}"),
    JUNK.map(lambda v: "{" + v + "}"),
    st.sampled_from(WORDS).map(lambda v: f'"{v}"'),
    st.sampled_from(
        [
            "nov",
            "2019",
            "{{Nested} Title}",
            "{unbalanced",
            "close}",
            '"x',
            "a # b",
            "{x} # {y}",
            "{\\'e}",
            "{}",
            "{{{{}}}}",
            "{\\}",
        ]
    ),
)


@st.composite
def good_entry(draw: st.DrawFn) -> str:
    """A well-formed entry, so most bibliographies parse and reach the rules."""
    kind = draw(st.sampled_from(["article", "book", "misc", "online"]))
    key = draw(st.from_regex(r"[a-z]{3,8}(19|20)[0-9]{2}[a-z]?", fullmatch=True))
    names = draw(st.lists(st.sampled_from(FIELD_NAMES[:12]), unique_by=str.lower, max_size=6))
    values = [draw(BRACED if n.lower() != "file" else st.sampled_from(FILE_VALUES)) for n in names]
    values = [v if v[:1] in '{"' or v.isdigit() else "{" + v + "}" for v in values]
    body = ",\n  ".join(f"{n} = {v}" for n, v in zip(names, values, strict=True))
    return f"@{kind}{{{key},\n  {body}\n}}"


@st.composite
def bib_entry(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["article", "book", "misc", "online", "ARTICLE", "x", ""]))
    key = draw(st.sampled_from([*ALL_KEYS, "new2020", "", "a b", "k,", "dup"]) | JUNK)
    fields = draw(st.lists(st.tuples(st.sampled_from(FIELD_NAMES), BRACED), max_size=6))
    sep = draw(st.sampled_from([",\n  ", ", ", ",", "\n"]))
    body = sep.join(f"{k} = {v}" for k, v in fields)
    opener, closer = draw(st.sampled_from([("{", "}"), ("(", ")"), ("{", ""), ("{", "}}")]))
    return f"@{kind}{opener}{key}{sep}{body}{closer}"


BIB_JUNK = st.sampled_from(
    [
        "@comment{ anything { } }",
        '@string{j = "Journal"}',
        "@preamble{ {x} }",
        "% a comment",
        "@",
        "@@",
        "}",
        "{",
        "text between entries",
        "@string{x = j # {y}}",
        "@comment{",
    ]
)


@st.composite
def bibliography(draw: st.DrawFn) -> str:
    real = draw(st.integers(0, 3)) > 0  # mostly: the sidecar and ledger name its keys
    parts = [_mini_bib()] if real else []
    parts += draw(st.lists(st.one_of(*[good_entry()] * 4, bib_entry(), BIB_JUNK), max_size=6))
    return "\n\n".join(draw(st.permutations(parts)))


@SETTINGS
@given(bib=as_bytes(bibliography()))
def test_any_bibliography(base: Path, bib: bytes) -> None:
    run_twice(base, {"refs/references.bib": bib})


# --------------------------------------------------------------------- sidecar, ledger, lexicon

RANGES = st.one_of(
    st.tuples(st.integers(-2, 200), st.integers(-2, 200)).map(lambda t: f"{t[0]}-{t[1]}"),
    st.integers(-2, 10**6),
    SCALARS,
    st.sampled_from(["1\u20133", " 2 - 4 ", "3-", "-3", "1-2-3"]),
)
#: Settings the sidecar accepts: a kind and exclude ranges that fit the small seeds.
GOOD_SETTINGS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["abstract", "news", "full text", ""]),
        "exclude": st.lists(
            st.tuples(st.integers(1, 60), st.integers(0, 20)).map(
                lambda t: {"lines": f"{t[0]}-{t[0] + t[1]}", "why": "furniture"}
            ),
            max_size=4,
        ),
    },
)
ANY_SETTINGS = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["abstract", "news", "full text"]) | SCALARS,
            "exclude": st.none()
            | st.lists(
                st.fixed_dictionaries(
                    {}, optional={"lines": RANGES, "why": SCALARS, "extra": SCALARS}
                ),
                max_size=4,
            ),
            "other": SCALARS,
        },
    ),
    OBJECTS,
)
SIDECAR = st.one_of(
    *[st.dictionaries(st.sampled_from(KEYS), GOOD_SETTINGS, max_size=2)] * 3,
    st.dictionaries(
        st.sampled_from(ALL_KEYS + ["nosuchkey2099", ""]) | SCALARS.map(str),
        ANY_SETTINGS,
        max_size=4,
    ),
)


def _real_facts() -> list[dict]:
    data = yaml.safe_load((ROOT / "refs/facts.yaml").read_text(encoding="utf-8")) or {}
    return list(data.get("facts") or [])


REAL_FACTS = _real_facts()
FACT_IDS = [f.get("id", "") for f in REAL_FACTS] + ["nosuch", ""]
FACT_FIELD = {
    "id": st.sampled_from(FACT_IDS),
    "source": st.sampled_from(ALL_KEYS + ["nosuchkey2099"]),
    "quote": st.sampled_from([f.get("quote", "") for f in REAL_FACTS]) | JUNK,
    "subject": st.sampled_from(["ketamine", "esketamine", "glutamate modulator", "nobody"]),
    "event": st.sampled_from(["approval", "first human study", "unknown event"]),
    "agency": st.sampled_from(["FDA", "EMA", ""]) | SCALARS,
    "date": SCALARS,
    "as_of": SCALARS,
    "superseded_by": st.lists(st.sampled_from(FACT_IDS), max_size=3) | SCALARS,
    "statement": st.fixed_dictionaries(
        {},
        optional={
            "polarity": st.sampled_from(["negative", "positive", "maybe"]) | SCALARS,
            "subject": st.sampled_from(["glutamate modulator", "ketamine"]) | SCALARS,
            "event": st.sampled_from(["approval"]) | SCALARS,
        },
    )
    | SCALARS,
    "label": SCALARS,
    "note": SCALARS,
    "bogus": SCALARS,
}


@st.composite
def fact(draw: st.DrawFn) -> dict:
    """A real fact with a few fields replaced, added or removed."""
    out = dict(draw(st.sampled_from(REAL_FACTS))) if REAL_FACTS else {}
    changes = draw(st.sampled_from([0, 0, 0, 1, 2, 3]))  # often none: the ledger must load
    for name in draw(st.lists(st.sampled_from(sorted(FACT_FIELD)), max_size=changes)):
        if draw(st.integers(0, 3)) == 0:
            out.pop(name, None)
        else:
            out[name] = draw(FACT_FIELD[name])
    return out


LEDGER = st.one_of(
    *[st.lists(fact(), max_size=6).map(lambda fs: {"facts": fs})] * 4,
    st.lists(fact(), max_size=2).map(lambda fs: {"facts": fs, "other": 1}),
    OBJECTS,
)
LEXICON_SECTIONS = sorted(LEXICON_KEYS)
LEXICON = st.dictionaries(
    st.sampled_from(LEXICON_SECTIONS + ["unknown"]),
    st.one_of(
        st.dictionaries(
            st.sampled_from(WORDS) | JUNK, st.lists(SCALARS, max_size=3) | SCALARS, max_size=4
        ),
        st.dictionaries(
            st.sampled_from(["glutamate modulator", "x"]),
            st.fixed_dictionaries(
                {},
                optional={
                    "terms": st.lists(SCALARS, max_size=3),
                    "modifiers": st.lists(SCALARS, max_size=3),
                    "heads": st.lists(SCALARS, max_size=3),
                    "bad": SCALARS,
                },
            )
            | SCALARS,
            max_size=2,
        ),
        st.lists(SCALARS, max_size=4),
        SCALARS,
    ),
    max_size=5,
)


@st.composite
def lexicon(draw: st.DrawFn) -> dict:
    """The real lexicon with a few sections replaced, or a lexicon made up from scratch."""
    real = yaml.safe_load((ROOT / "refs/lexicon.yaml").read_text(encoding="utf-8")) or {}
    if not draw(st.booleans()):
        return draw(LEXICON)
    return {**real, **draw(LEXICON)}


@SETTINGS
@given(text=as_bytes(yaml_text(SIDECAR)))
def test_any_sidecar(base: Path, text: bytes) -> None:
    run_twice(base, {"seeds/sources.yaml": text})


@SETTINGS
@given(text=as_bytes(yaml_text(LEDGER)))
def test_any_ledger(base: Path, text: bytes) -> None:
    run_twice(base, {"refs/facts.yaml": text})


@SETTINGS
@given(text=as_bytes(yaml_text(lexicon())))
def test_any_lexicon(base: Path, text: bytes) -> None:
    run_twice(base, {"refs/lexicon.yaml": text})


@SETTINGS
@given(
    text=as_bytes(
        st.lists(TOKEN | st.sampled_from(["\n", "\n\n", "-\n"]), max_size=60).map(" ".join)
    )
)
def test_any_source_text(base: Path, text: bytes) -> None:
    """A source text (extracted from a PDF or a web page) can hold anything."""
    run_twice(base, {f"seeds/{SOURCES['pedersen2017']}": text})


# ------------------------------------------------------------------- across processes and seeds


def test_same_output_under_every_hash_seed(base: Path, tmp_path: Path) -> None:
    """Set and dict order must never leak into the output: three hash seeds, one answer.

    The manuscript lacks every required section, so several diagnostics share a position and
    only a total order keeps them stable.
    """
    root = tmp_path / "project"
    shutil.copytree(base, root)
    (root / MS).write_text("Hello [@nosuchkey2099] and [@other2099], TODO.\n", encoding="utf-8")
    outs = set()
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "glutlint", "check"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode in (0, 1), proc.stderr
        outs.add(proc.stdout)
    assert len(outs) == 1, "output order depends on PYTHONHASHSEED:\n" + "\n---\n".join(outs)
