"""Suppression comments, rule selection and the exit-status options, through the real CLI.

Each suppression form must hide exactly the diagnostics it names on exactly the lines it
covers, and nothing else; a comment that hides nothing is GL001. The comments must also never
reach what pandoc makes of the manuscript.
"""

from __future__ import annotations

import json
import textwrap
import zipfile
from pathlib import Path

import pytest

WRONG = (
    "Esketamine was approved by the FDA in 2018 for treatment-resistant depression [@mcintyre2024]."
)
AGENT = "Riluzole improved mood [@mcintyre2024]."  # GL202 only: not named in that source
CLEAN = "Ketamine is an NMDA receptor antagonist [@sanacora2008]."
# Only the rules these tests are about: no structure rules on a one-file manuscript.
SELECT = ("--select", "GL0,GL2,GL3")


def found(project, *args: str) -> list[tuple[str, int, str]]:
    """(file name, line, code) of every diagnostic, via --format json."""
    r = project.check("--format", "json", *args)
    assert r.code in (0, 1), r.err
    return [(Path(d["path"]).name, d["line"], d["code"]) for d in json.loads(r.out)]


def write(project, text: str, name: str = "01-intro.md") -> None:
    project.write(f"manuscript/{name}", "# Introduction\n\n" + textwrap.dedent(text).lstrip("\n"))


# ------------------------------------------------------------------- what each form covers


def test_unsuppressed_baseline(seeded) -> None:
    write(seeded, f"{WRONG}\n")
    assert found(seeded, *SELECT) == [("01-intro.md", 3, "GL201"), ("01-intro.md", 3, "GL301")]


def test_disable_next_line_covers_its_codes_on_the_next_line_only(seeded) -> None:
    write(
        seeded,
        f"""
        <!-- glutlint: disable-next-line GL201 -->
        {WRONG}

        {WRONG}
        """,
    )
    assert found(seeded, *SELECT) == [
        ("01-intro.md", 4, "GL301"),  # not named: still reported on the covered line
        ("01-intro.md", 6, "GL201"),  # the line after the next: not covered
        ("01-intro.md", 6, "GL301"),
    ]


def test_disable_next_line_skips_blank_lines(seeded) -> None:
    write(seeded, f"<!-- glutlint: disable-next-line GL201 GL301 -->\n\n\n{WRONG}\n")
    assert found(seeded, *SELECT) == []


def test_disable_next_line_without_codes_covers_every_code(seeded) -> None:
    write(seeded, f"<!-- glutlint: disable-next-line -->\n{WRONG}\n{AGENT}\n")
    assert found(seeded, *SELECT) == [("01-intro.md", 5, "GL202")]


def test_disable_line_covers_its_own_line(seeded) -> None:
    write(
        seeded,
        f"""
        {WRONG} <!-- glutlint: disable-line GL201 GL301 -->
        {WRONG}
        """,
    )
    assert found(seeded, *SELECT) == [("01-intro.md", 4, "GL201"), ("01-intro.md", 4, "GL301")]


def test_disable_enable_block(seeded) -> None:
    write(
        seeded,
        f"""
        {WRONG}

        <!-- glutlint: disable GL201 -->

        {WRONG}

        {AGENT}

        <!-- glutlint: enable -->

        {WRONG}
        """,
    )
    assert found(seeded, *SELECT) == [
        ("01-intro.md", 3, "GL201"),
        ("01-intro.md", 3, "GL301"),
        ("01-intro.md", 7, "GL301"),
        ("01-intro.md", 9, "GL202"),
        ("01-intro.md", 13, "GL201"),
        ("01-intro.md", 13, "GL301"),
    ]


def test_enable_with_codes_ends_only_those(seeded) -> None:
    write(
        seeded,
        f"""
        <!-- glutlint: disable GL201 GL301 -->
        {WRONG}
        <!-- glutlint: enable GL301 -->

        {WRONG}
        """,
    )
    assert found(seeded, *SELECT) == [("01-intro.md", 7, "GL301")]


def test_bare_disable_runs_to_the_end_of_its_file_only(seeded) -> None:
    write(seeded, f"<!-- glutlint: disable -->\n\n{WRONG}\n\n{AGENT}\n")
    seeded.write("manuscript/02-more.md", f"# More\n\n{WRONG}\n")
    assert found(seeded, *SELECT) == [("02-more.md", 3, "GL201"), ("02-more.md", 3, "GL301")]


def test_multiline_comment_covers_the_line_after_it(seeded) -> None:
    write(
        seeded,
        f"""
        <!--
        glutlint: disable-next-line GL201 GL301
        -->
        {WRONG}
        """,
    )
    assert found(seeded, *SELECT) == []


# ------------------------------------------------------------------------ unused and bad


def test_unused_suppression_is_a_gl001_warning(seeded) -> None:
    write(seeded, f"<!-- glutlint: disable-next-line GL201 -->\n{CLEAN}\n")
    r = seeded.check(*SELECT)
    assert r.code == 0, r.out + r.err  # a warning only
    assert r.out == ("manuscript/01-intro.md:3:1: GL001 suppression of GL201 suppresses nothing\n")
    assert found(seeded, "--select", "GL2,GL3") == []  # GL001 is a rule like the others
    assert found(seeded, *SELECT, "--ignore", "GL001") == []


def test_suppressing_the_wrong_code_is_unused_and_hides_nothing(seeded) -> None:
    write(seeded, f"<!-- glutlint: disable-next-line GL202 -->\n{WRONG}\n")
    r = seeded.check(*SELECT)
    assert r.code == 1
    assert found(seeded, *SELECT) == [
        ("01-intro.md", 3, "GL001"),
        ("01-intro.md", 4, "GL201"),
        ("01-intro.md", 4, "GL301"),
    ]


def test_every_unused_form_is_reported_but_enable_never_is(seeded) -> None:
    write(
        seeded,
        f"""
        {CLEAN} <!-- glutlint: disable-line GL201 -->

        <!-- glutlint: disable -->

        {CLEAN}

        <!-- glutlint: enable -->
        """,
    )
    assert found(seeded, *SELECT) == [("01-intro.md", 3, "GL001"), ("01-intro.md", 5, "GL001")]


def test_malformed_comment_is_an_input_error(seeded) -> None:
    write(seeded, f"<!-- glutlint: disable-next-lines GL201 -->\n{WRONG}\n")
    r = seeded.check()
    assert r.code == 2
    assert r.out == ""
    assert r.err.startswith("manuscript/01-intro.md:3: malformed suppression comment")
    write(seeded, f"<!-- glutlint: disable GL2 -->\n{WRONG}\n")  # a prefix is not a code
    assert seeded.check().code == 2


# --------------------------------------------------------------- selection and exit status


def test_select_and_ignore_on_the_command_line(seeded) -> None:
    write(seeded, f"{WRONG}\n\n{AGENT}\n")
    assert {c for *_, c in found(seeded, "--select", "GL2")} == {"GL201", "GL202"}
    assert {c for *_, c in found(seeded, "--select", "gl201,GL301")} == {"GL201", "GL301"}
    assert {c for *_, c in found(seeded, *SELECT, "--ignore", "GL20")} == {"GL301"}
    assert found(seeded, "--select", "GL201", "--ignore", "GL201") == []
    assert "GL601" in {c for *_, c in found(seeded, "--select", "ALL")}
    r = seeded.check("--select", "GL999")
    assert r.code == 2 and "unknown rule code or prefix 'GL999'" in r.err


def test_select_and_ignore_in_the_configuration(seeded) -> None:
    write(seeded, f"{WRONG}\n\n{AGENT}\n")
    pyproject = seeded.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'select = ["GL2", "GL3"]\nignore = ["GL301"]\n',
        encoding="utf-8",
    )
    assert {c for *_, c in found(seeded)} == {"GL201", "GL202"}
    # Each command-line option replaces its own configured list, and only that one.
    assert {c for *_, c in found(seeded, "--ignore", "GL202")} == {"GL201", "GL301"}
    assert {c for *_, c in found(seeded, "--select", "GL3")} == set()  # GL301 still ignored
    assert {c for *_, c in found(seeded, "--select", "GL3", "--ignore", "")} == {"GL301"}


def test_exit_zero_keeps_the_report(seeded) -> None:
    write(seeded, f"{WRONG}\n")
    failing = seeded.check(*SELECT)
    r = seeded.check(*SELECT, "--exit-zero")
    assert (failing.code, r.code) == (1, 0)
    assert r.out == failing.out and "GL201" in r.out


def test_statistics_counts_what_survives_suppression(seeded) -> None:
    write(
        seeded,
        f"""
        {WRONG}

        <!-- glutlint: disable-next-line GL301 -->
        {WRONG}

        {AGENT}
        """,
    )
    r = seeded.check(*SELECT, "--statistics")
    assert r.code == 1
    assert r.out.splitlines() == [
        "    2  GL201  value-not-in-source  (error)",
        "    1  GL202  agent-not-in-source  (error)",
        "    1  GL301  contradicts-ledger  (error)",
    ]
    assert seeded.check(*SELECT, "--statistics", "--exit-zero").code == 0


# ------------------------------------------------------------------------ pandoc's output

MARKDOWN = f"""\
# Introduction

<!-- glutlint: disable-next-line GL201 -->
{WRONG} <!-- glutlint: disable-line GL301 -->

<!-- glutlint: disable GL202 -->

{AGENT}

<!-- glutlint: enable -->
"""


@pytest.mark.parametrize("to", ["plain", "typst", "latex", "docx"])
def test_comments_never_reach_pandoc_output(tmp_path: Path, to: str) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    if to == "docx":
        out = tmp_path / "out.docx"
        pypandoc.convert_text(MARKDOWN, "docx", format="markdown", outputfile=str(out))
        with zipfile.ZipFile(out) as z:
            text = z.read("word/document.xml").decode("utf-8")
    else:
        text = pypandoc.convert_text(MARKDOWN, to, format="markdown")
    assert "Esketamine was approved" in text
    assert "glutlint" not in text and "<!--" not in text


def test_comments_stay_comments_in_html(tmp_path: Path) -> None:
    """pandoc passes raw HTML through to HTML, where a comment is still never displayed."""
    import re

    pypandoc = pytest.importorskip("pypandoc")
    html = pypandoc.convert_text(MARKDOWN, "html", format="markdown")
    assert "glutlint" not in re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
