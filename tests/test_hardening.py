"""Hostile and broken input, one case per test, on a copy of the real project.

Why: a review's files come from collaborators, reference managers and PDF extractors, and CI
checks them unattended. So every input is untrusted: YAML must never run code or expand an
alias bomb, no file may lead glutlint to read outside the project, oversized or pathological
input must be refused or handled quickly with bounded memory, and every refusal is one line
`file[:line]: message` (project-relative, no machine path) with exit 2, no traceback and nothing
written. A build that fails or is refused keeps the last good outputs, byte for byte.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import HANG_SECONDS, ROOT, Hang, Project, Result, run_cli, time_limit

BIB = "refs/references.bib"
FACTS = "refs/facts.yaml"
LEXICON = "refs/lexicon.yaml"
SIDECAR = "seeds/sources.yaml"
SOURCE = "seeds/001_f54383fbc94751c3.txt"  # pedersen2017's text
EXTRA = "manuscript/99-extra.md"  # a manuscript file these tests own (the flagship moves on)
EXTRA_TEXT = """\
# Further Notes

In 2017, a news report stated that no glutamate modulator had yet been approved for the
treatment of depression [@pedersen2017]. The US Food and Drug Administration approved nasal
esketamine in 2019 for adults with treatment-resistant depression [@mcintyre2024].

Development of most investigated agents has been discontinued [@mcintyre2024].
"""
#: A paragraph with known findings (unknown key, placeholder, unsupported value), so that
#: comparisons of two runs compare real diagnostics with real line and column numbers.
FINDINGS = """\

Ketamine was approved by the FDA in 2015 [@nosuch2020]. TODO fix this.

Esketamine works in 80% of patients [@mcintyre2024].
"""
UNUSED_ENTRY = """\

@article{unused2020,
  author = {Nobody, Anne},
  title = {Never Cited},
  journal = {Journal of Nothing},
  year = {2020}
}
"""
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""
MiB = 1024 * 1024


# -------------------------------------------------------------------------------- helpers


@pytest.fixture
def flagship(seeded: Project) -> Project:
    """The seeded project with the flagship manuscript and a file of our own beside it."""
    for md in sorted((ROOT / "manuscript").glob("*.md")):
        shutil.copyfile(md, seeded.root / "manuscript" / md.name)
    (seeded.root / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    for p in seeded.root.rglob("*"):  # the seeds are read-only in the repository
        if p.is_file():
            p.chmod(0o644)
    return seeded


def run(root: Path, *args: str, seconds: float = HANG_SECONDS) -> Result:
    """The CLI in-process; an exception escaping `main` is what a user sees as a traceback."""
    try:
        with time_limit(seconds):
            return run_cli(list(args), root)
    except (Hang, KeyboardInterrupt):
        raise
    except BaseException as exc:
        return Result(-1, "", f"Traceback (in-process): {type(exc).__name__}: {exc}")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (symlinks by target), to prove a command wrote nothing."""
    out: dict[str, bytes] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = b"-> " + os.readlink(p).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


def assert_one_line_error(
    r: Result, root: Path, file: str, line: int | set[int] | None, quoted: str = ""
) -> None:
    """Exit 2 and exactly one line `file[:line]: message` on stderr; nothing on stdout.

    The message may quote what the user wrote (`quoted`), but no other machine path.
    """
    assert "Traceback" not in r.err, r.err
    assert r.code == 2, f"exit {r.code}\nstdout: {r.out}\nstderr: {r.err}"
    lines = r.err.splitlines()
    assert len(lines) == 1, r.err
    message = r.err.replace(quoted, "<quoted>") if quoted else r.err
    for shown in {str(root), str(root.resolve())}:
        assert shown not in message, f"a machine path in the message: {r.err}"
    m = re.match(r"^(?P<file>[^:\s][^:]*?)(?::(?P<line>\d+))?: \S", lines[0])
    assert m, f"not `file[:line]: message`: {lines[0]}"
    assert m["file"] == file, f"names {m['file']!r}, expected {file!r}: {lines[0]}"
    if line is not None:
        wanted = {line} if isinstance(line, int) else line
        assert m["line"] is not None and int(m["line"]) in wanted, f"line {wanted}: {lines[0]}"
    assert r.out == "", r.out


def assert_build_refused(r: Result, root: Path, file: str, line: int | None) -> None:
    """A build prints its steps on stderr; its last line must be the one-line error."""
    assert "Traceback" not in r.err, r.err
    last = r.err.strip().splitlines()[-1] if r.err.strip() else ""
    assert_one_line_error(Result(r.code, "", last), root, file, line)


def refused(
    p: Project,
    file: str,
    line: int | set[int] | None,
    *args: str,
    seconds: float = HANG_SECONDS,
    quoted: str = "",
) -> Result:
    """Run `check`; demand a one-line refusal naming `file` (and `line`) and nothing written."""
    before = snapshot(p.root)
    r = run(p.root, *(args or ("check",)), seconds=seconds)
    assert_one_line_error(r, p.root, file, line, quoted)
    assert snapshot(p.root) == before, "a refused command changed files in the project"
    return r


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle` (starting with it, if "^needle")."""
    for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if s.startswith(needle[1:]) if needle.startswith("^") else needle in s:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def insert_after(path: Path, needle: str, new_line: str) -> int:
    """Insert `new_line` after the first line containing `needle`; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = line_of(path, needle)
    lines.insert(at, new_line)
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def splice_bytes(path: Path, line: int, data: bytes) -> None:
    """Append raw bytes to the end of 1-based `line` of `path`."""
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] += data
    path.write_bytes(b"\n".join(lines))


FRONT = "manuscript/00-hostile.md"


def front_matter_file(p: Project, *meta: str) -> tuple[str, int]:
    """A manuscript file whose front matter holds `meta` lines from line 3 on."""
    text = "---\ntitle: A Title\n" + "\n".join(meta) + "\n---\n\n# Introduction\n\nText.\n"
    (p.root / FRONT).write_text(text, encoding="utf-8")
    return FRONT, 3


# ------------------------------------------------------------------ YAML that would run code


PAYLOADS = {
    "apply": '!!python/object/apply:os.system ["touch {marker}"]',
    "new": '!!python/object/new:os.system ["touch {marker}"]',
}


def _tag_in_facts(p: Project, payload: str) -> tuple[str, int]:
    return FACTS, insert_after(
        p.root / FACTS, "id: ketamine-first-human-study", f"    note: {payload}"
    )


def _tag_in_sidecar(p: Project, payload: str) -> tuple[str, int]:
    return SIDECAR, insert_after(p.root / SIDECAR, "^pedersen2017:", f"  kind: {payload}")


def _tag_in_lexicon(p: Project, payload: str) -> tuple[str, int]:
    return LEXICON, insert_after(p.root / LEXICON, "^agents:", f"  evil: {payload}")


def _tag_in_front_matter(p: Project, payload: str) -> tuple[str, int]:
    return front_matter_file(p, f"keywords: {payload}")


PLACES: dict[str, Callable[[Project, str], tuple[str, int]]] = {
    "facts": _tag_in_facts,
    "sidecar": _tag_in_sidecar,
    "lexicon": _tag_in_lexicon,
    "front-matter": _tag_in_front_matter,
}


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_yaml_tag_that_would_run_code_is_refused(
    flagship: Project, tmp_path: Path, place: str, payload: str
) -> None:
    marker = tmp_path / f"ran-{place}-{payload}"
    file, line = PLACES[place](flagship, PAYLOADS[payload].format(marker=marker))
    refused(flagship, file, line)
    assert not marker.exists(), "the YAML payload ran a command"


#: Standard tags with a value they cannot hold: PyYAML's constructors raise IndexError,
#: ValueError, KeyError or AttributeError on these, not a YAMLError.
IMPOSSIBLE = {
    "int": "!!int ''",
    "float": "!!float ''",
    "bool": "!!bool ''",
    "date": "!!timestamp x",
}


@pytest.mark.parametrize("value", sorted(IMPOSSIBLE))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_yaml_tag_with_an_impossible_value_is_refused(
    flagship: Project, place: str, value: str
) -> None:
    file, line = PLACES[place](flagship, IMPOSSIBLE[value])
    refused(flagship, file, line)


# ------------------------------------------------------------------------------ alias bombs


def _bomb_file(p: Project, rel: str) -> str:
    (p.root / rel).write_text(BOMB, encoding="utf-8")
    return rel


BOMBS: dict[str, Callable[[Project], str]] = {
    "facts": lambda p: _bomb_file(p, FACTS),
    "sidecar": lambda p: _bomb_file(p, SIDECAR),
    "lexicon": lambda p: _bomb_file(p, LEXICON),
    "front-matter": lambda p: front_matter_file(p, *BOMB.splitlines(), "subtitle: *i")[0],
}


@pytest.mark.parametrize("place", sorted(BOMBS))
def test_yaml_alias_bomb_is_refused_quickly(flagship: Project, place: str) -> None:
    """Billion laughs: expanding it would take gigabytes (pandoc runs out of memory on it)."""
    file = BOMBS[place](flagship)
    refused(flagship, file, None)


# ------------------------------------------------------------------------------ huge input


def _fill(path: Path, head: str, filler: str, size: int = 50 * MiB) -> None:
    """Write `head` and then `filler` repeated past `size` bytes, without holding it all."""
    unit = filler.encode()
    with path.open("wb") as fh:
        fh.write(head.encode())
        for _ in range(size // len(unit) + 1):
            fh.write(unit)


#: kind -> (file made 50 MB, whether its real content comes first, filler, files it may name)
HUGE: dict[str, tuple[str, bool, str, tuple[str, ...]]] = {
    "manuscript": (EXTRA, False, EXTRA_TEXT + "\n", (EXTRA,)),
    "bibliography": (BIB, True, "% " + "x" * 78 + "\n", (BIB,)),
    "facts": (FACTS, True, "# " + "x" * 78 + "\n", (FACTS,)),
    "lexicon": (LEXICON, True, "# " + "x" * 78 + "\n", (LEXICON,)),
    "sidecar": (SIDECAR, True, "# " + "x" * 78 + "\n", (SIDECAR,)),
    "source-text": (SOURCE, False, (ROOT / SOURCE).read_text(encoding="utf-8"), (SOURCE, BIB)),
}


#: Runs argv[2:] and writes its peak RSS to argv[1]. Linux carries the forking process's peak
#: into the child's ru_maxrss, so this small process stands between pytest (hundreds of MB by
#: now) and the glutlint being measured.
_MEASURE = (
    "import os, sys\n"
    "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_measured(root: Path, args: list[str], timeout: float) -> tuple[int, str, str, float, int]:
    """Run `python -m glutlint ARGS` as a process: (exit, stdout, stderr, seconds, max RSS KiB)."""
    with tempfile.TemporaryDirectory(prefix="glutlint-measure-") as tmp:
        files = {name: Path(tmp) / name for name in ("out", "err", "rss")}
        with files["out"].open("wb") as out, files["err"].open("wb") as err:
            start = time.perf_counter()
            cmd = [sys.executable, "-m", "glutlint", *args]
            proc = subprocess.Popen(
                [sys.executable, "-c", _MEASURE, str(files["rss"]), *cmd],
                cwd=root,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
            try:
                code = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                pytest.fail(f"glutlint {' '.join(args)} still running after {timeout} s")
            seconds = time.perf_counter() - start
        return (
            code,
            files["out"].read_text(encoding="utf-8", errors="replace"),
            files["err"].read_text(encoding="utf-8", errors="replace"),
            seconds,
            int(files["rss"].read_text() or 0),
        )


@pytest.mark.parametrize("kind", sorted(HUGE))
def test_50_mb_input_is_refused_quickly_in_bounded_memory(flagship: Project, kind: str) -> None:
    """A 50 MB file (a pasted data dump, a runaway export) must not take minutes or gigabytes."""
    rel, keep, filler, names = HUGE[kind]
    path = flagship.root / rel
    _fill(path, path.read_text(encoding="utf-8") if keep else "", filler)
    try:
        code, out, err, seconds, rss_kib = run_measured(
            flagship.root, ["check"], timeout=HANG_SECONDS
        )
    finally:
        path.unlink()  # pytest keeps the last runs' temporary folders: do not keep 50 MB
    assert "Traceback" not in err, err
    named = "|".join(re.escape(n) for n in names)
    assert code == 2 and len(err.splitlines()) == 1, (code, err)
    assert re.match(rf"^({named})(:\d+)?: \S", err), err
    assert str(flagship.root) not in err, err
    assert rss_kib < 200 * 1024, f"peak memory {rss_kib // 1024} MiB"


# ------------------------------------------------------------------ encodings and bad bytes

TEXT_FILES = {
    "manuscript": EXTRA,
    "bibliography": BIB,
    "facts": FACTS,
    "lexicon": LEXICON,
    "sidecar": SIDECAR,
    "source-text": SOURCE,
}


@pytest.mark.parametrize("kind", sorted(TEXT_FILES))
def test_invalid_utf8_is_refused_at_its_line(flagship: Project, kind: str) -> None:
    rel = TEXT_FILES[kind]
    splice_bytes(flagship.root / rel, 5, b" caf\xe9 \xff\xfe")
    r = refused(flagship, rel, 5)
    assert "UTF-8" in r.err


@pytest.mark.parametrize("kind", sorted(TEXT_FILES))
def test_nul_byte_is_refused_at_its_line(flagship: Project, kind: str) -> None:
    rel = TEXT_FILES[kind]
    splice_bytes(flagship.root / rel, 5, b"\x00")
    refused(flagship, rel, 5)


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\ufffe"])
@pytest.mark.parametrize("kind", ["facts", "lexicon", "sidecar", "front-matter"])
def test_control_character_in_yaml_is_refused_at_its_line(
    flagship: Project, kind: str, char: str
) -> None:
    """YAML forbids most control characters; PyYAML's reader error is no traceback excuse."""
    if kind == "front-matter":
        rel, _ = front_matter_file(flagship, "subtitle: one", "keywords: [a, b]")
        line = 4
    else:
        rel, line = TEXT_FILES[kind], 5
    splice_bytes(flagship.root / rel, line, f" # {char}".encode())
    r = run(flagship.root, "check")
    assert "Traceback" not in r.err, r.err
    if char in "\x85":  # NEL is printable YAML: accepting it is fine too
        assert r.code in (0, 1, 2)
        if r.code != 2:
            return
    assert_one_line_error(r, flagship.root, rel, line)


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x0c", "\x0b", "\x85", "\u2028"])
@pytest.mark.parametrize("kind", ["manuscript", "bibliography"])
def test_control_character_in_text_is_no_crash(flagship: Project, kind: str, char: str) -> None:
    rel = TEXT_FILES[kind]
    splice_bytes(flagship.root / rel, 5, f" a{char}b".encode())
    r = run(flagship.root, "check")
    assert "Traceback" not in r.err, r.err
    if r.code == 2:
        assert_one_line_error(r, flagship.root, rel, None)
    else:
        assert r.code in (0, 1)


@pytest.mark.parametrize("space", ["\x0c", "\x0b", "\x1c", "\x85", "\u2028"])
def test_unusual_whitespace_after_a_dollar_does_not_hang(flagship: Project, space: str) -> None:
    """`$5<form feed>` once sent the inline-math scanner into an endless loop."""
    with (flagship.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write(f"\nThe dose cost $5{space} and more [@mcintyre2024].\n")
    r = run(flagship.root, "check")
    assert "Traceback" not in r.err and r.code in (0, 1), r.err


def _project_files(root: Path) -> list[Path]:
    return [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in {".md", ".bib", ".yaml", ".txt"}
    ]


def _with_findings(p: Project) -> None:
    with (p.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write(FINDINGS)
    with (p.root / BIB).open("a", encoding="utf-8") as fh:
        fh.write(UNUSED_ENTRY)


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_line_endings_give_the_same_diagnostics_as_lf(flagship: Project, newline: str) -> None:
    """Every input file (manuscript, bibliography, YAML, sources) saved with other endings."""
    _with_findings(flagship)
    lf = run(flagship.root, "check")
    assert lf.code == 1 and "GL101" in lf.out and "GL103" in lf.out, lf.out + lf.err
    for p in _project_files(flagship.root):
        p.write_bytes(p.read_bytes().replace(b"\n", newline.encode()))
    other = run(flagship.root, "check")
    assert (other.code, other.out, other.err) == (lf.code, lf.out, lf.err)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_bad_byte_line_is_counted_like_an_editor(flagship: Project, newline: str) -> None:
    """The line in `file:line` is the one an editor shows, whatever the line endings."""
    path = flagship.root / EXTRA
    path.write_bytes(path.read_bytes().replace(b"\n", newline.encode()))
    lines = path.read_bytes().split(newline.encode())
    lines[4] += b"\x00"
    path.write_bytes(newline.encode().join(lines))
    refused(flagship, EXTRA, 5)


def test_byte_order_mark_gives_the_same_diagnostics(flagship: Project) -> None:
    _with_findings(flagship)
    plain = run(flagship.root, "check")
    assert plain.code == 1, plain.err
    for p in _project_files(flagship.root):
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    bom = run(flagship.root, "check")
    assert (bom.code, bom.out, bom.err) == (plain.code, plain.out, plain.err)


# ------------------------------------------------------------------- pathological Markdown

#: Each is 20 to 30 KB on one line: checked to the end, with no traceback (how fast is measured
#: by `make bench`, not here: a busy machine must not fail a test).
PATHOLOGICAL = {
    "nested-citations": "[@a" * 25,
    "deep-nesting": "[@a" * 700,
    "dotted-numbers": "1." * 15_000,
    "open-images": "![x](" * 4_000,
    "open-brackets": "[" * 20_000,
    "digit-run": "1" * 20_000,
    "dashed-numbers": "1-2-" * 5_000,
    "real-prose": "",  # filled in below: the control case
}


@pytest.mark.parametrize("kind", sorted(PATHOLOGICAL))
def test_pathological_paragraph_is_checked(flagship: Project, kind: str) -> None:
    text = PATHOLOGICAL[kind] or (" ".join(EXTRA_TEXT.split()[3:]) + " ") * 40
    with (flagship.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write("\n" + text + "\n")
    r = run(flagship.root, "check")
    if r.code == 2:  # refusing it ("nested too deeply") on one line is fine too
        assert_one_line_error(r, flagship.root, EXTRA, None)
    else:
        assert "Traceback" not in r.err and r.code in (0, 1), r.err[-500:]


# ----------------------------------------------------------- the bibliography's file fields


def _set_file_field(p: Project, value: str) -> int:
    """Point pedersen2017's `file` field at `value`; return the field's line."""
    bib = p.root / BIB
    line = line_of(bib, SOURCE)
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace(SOURCE, value), encoding="utf-8")
    return line


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file next to (not inside) the project."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("TOP-SECRET-CONTENT\n", encoding="utf-8")
    return folder


FILE_ESCAPES = [
    "../../etc/passwd",
    "/etc/passwd",
    "desc:../../etc/passwd:text/plain",
    ":/etc/passwd:text/plain",
    "seeds/../../etc/passwd",
    "OUTSIDE",
    "LINK-FILE",
    "LINK-DIR",
]


@pytest.mark.parametrize("value", FILE_ESCAPES)
def test_file_field_outside_the_project_is_refused(
    flagship: Project, outside: Path, value: str
) -> None:
    secret = outside / "secret.txt"
    if value == "OUTSIDE":
        value = str(secret)
    elif value == "LINK-FILE":
        (flagship.root / "seeds/link.txt").symlink_to(secret)
        value = "seeds/link.txt"
    elif value == "LINK-DIR":
        (flagship.root / "seeds/shared").symlink_to(outside, target_is_directory=True)
        value = "seeds/shared/secret.txt"
    line = _set_file_field(flagship, value)
    r = refused(flagship, BIB, line, quoted=value)
    assert "TOP-SECRET" not in r.err and "root:" not in r.err


@pytest.mark.parametrize("value", ["seeds/missing.txt", "seeds", ""])
def test_missing_source_file_is_refused(flagship: Project, value: str) -> None:
    if not value:
        (flagship.root / SOURCE).unlink()
        line = line_of(flagship.root / BIB, SOURCE)
    else:
        line = _set_file_field(flagship, value)
    r = refused(flagship, BIB, line)
    assert "pedersen2017" in r.err


@pytest.mark.parametrize("rel", [BIB, FACTS, LEXICON, SIDECAR])
def test_missing_configured_file_is_refused(flagship: Project, rel: str) -> None:
    (flagship.root / rel).unlink()
    refused(flagship, rel, None)


# --------------------------------------------------------------------------------- BibTeX


def _edit_bib(p: Project, old: str, new: str) -> Path:
    bib = p.root / BIB
    text = bib.read_text(encoding="utf-8")
    assert old in text
    bib.write_text(text.replace(old, new, 1), encoding="utf-8")
    return bib


PEDERSEN_TITLE = "title        = {Review Finds"


def test_unbalanced_opening_brace_is_refused(flagship: Project) -> None:
    bib = _edit_bib(flagship, PEDERSEN_TITLE, "title        = {{Review Finds")
    refused(flagship, BIB, {line_of(bib, "@online{pedersen2017"), line_of(bib, "{{Review")})


def test_unbalanced_closing_brace_is_refused(flagship: Project) -> None:
    """An extra `}` ends the entry early: its other fields (its `file`!) silently vanish."""
    bib = _edit_bib(flagship, PEDERSEN_TITLE, "title        = {Review}} Finds")
    refused(flagship, BIB, {line_of(bib, "@online{pedersen2017"), line_of(bib, "Review}}")})


def test_unclosed_last_entry_is_refused(flagship: Project) -> None:
    bib = flagship.root / BIB
    with bib.open("a", encoding="utf-8") as fh:
        fh.write("\n@article{open2020,\n  title = {Never closed},\n  year = {2020}\n")
    refused(flagship, BIB, line_of(bib, "@article{open2020"))


def test_entry_without_a_key_is_refused(flagship: Project) -> None:
    bib = flagship.root / BIB
    with bib.open("a", encoding="utf-8") as fh:
        fh.write("\n@article{,\n  title = {No key},\n  year = {2020}\n}\n")
    refused(flagship, BIB, line_of(bib, "@article{,"))


def test_duplicate_bibliography_key_is_refused(flagship: Project) -> None:
    bib = flagship.root / BIB
    with bib.open("a", encoding="utf-8") as fh:
        fh.write("\n@misc{pedersen2017,\n  title = {Again},\n  year = {2018}\n}\n")
    r = refused(flagship, BIB, line_of(bib, "@misc{pedersen2017"))
    assert "pedersen2017" in r.err


def test_duplicate_bibliography_field_is_refused(flagship: Project) -> None:
    bib = _edit_bib(
        flagship, "  journal      = {Psych Central},", "  journal = {A},\n  journal = {B},"
    )
    refused(flagship, BIB, {line_of(bib, "@online{pedersen2017"), line_of(bib, "journal = {B}")})


# ------------------------------------------------------------------------- duplicate YAML keys


def test_duplicate_fact_id_is_refused(flagship: Project) -> None:
    facts = flagship.root / FACTS
    with facts.open("a", encoding="utf-8") as fh:
        fh.write(
            "\n  - id: ketamine-first-human-study\n    source: mcintyre2024\n"
            '    quote: "In 2000"\n    subject: ketamine\n    event: first human study\n'
        )
    lines = facts.read_text(encoding="utf-8").splitlines()
    second = [i for i, s in enumerate(lines, 1) if "id: ketamine-first-human-study" in s][1]
    refused(flagship, FACTS, second)


DUPLICATE_KEYS: dict[str, Callable[[Project], tuple[str, int]]] = {
    "facts": lambda p: (
        FACTS,
        insert_after(p.root / FACTS, "label: First small human study", "    label: again"),
    ),
    "lexicon": lambda p: (
        LEXICON,
        insert_after(p.root / LEXICON, "^agent_suffixes:", "agent_suffixes: [etamine]"),
    ),
    "sidecar": lambda p: (
        SIDECAR,
        insert_after(p.root / SIDECAR, "kind: full text", "pedersen2017:\n  kind: news"),
    ),
    "front-matter": lambda p: front_matter_file(p, "title: Another Title"),
}


@pytest.mark.parametrize("kind", sorted(DUPLICATE_KEYS))
def test_duplicate_yaml_key_is_refused(flagship: Project, kind: str) -> None:
    """A repeated key silently drops one value: the checked text would not be the built one."""
    rel, line = DUPLICATE_KEYS[kind](flagship)
    refused(flagship, rel, line)


# ------------------------------------------------------------------------------------ build


@pytest.fixture
def built(flagship: Project) -> tuple[Project, dict[str, bytes]]:
    """The flagship built to DOCX once: the last good outputs that must survive what follows."""
    r = run(flagship.root, "build", "--to", "docx")
    if r.code == 1:  # the flagship is edited by others; these tests are about the outputs
        r = run(flagship.root, "build", "--to", "docx", "--force")
    assert r.code == 0, r.err
    outputs = snapshot(flagship.root / "build")
    assert "review.docx" in outputs
    return flagship, outputs


def leftovers(root: Path) -> list[str]:
    """Temporary files a build may have left anywhere in the project."""
    return [
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.name.endswith(".tmp")
        or p.name.startswith((".review", ".timeline", ".tmp", ".glutlint-staging"))
    ]


def _cite_unknown_key(p: Project) -> None:
    with (p.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write("\nAs shown elsewhere [@nosuchkey2099].\n")


def _bad_front_matter(p: Project) -> None:
    front_matter_file(p, "keywords: [oops")


#: kind -> (what breaks the manuscript, extra build options, expected exit code)
BREAKAGES: dict[str, tuple[Callable[[Project], None], tuple[str, ...], int]] = {
    "unknown-citation": (_cite_unknown_key, (), 1),
    "invalid-utf8": (lambda p: splice_bytes(p.root / EXTRA, 3, b"\xff"), (), 2),
    "bad-front-matter": (_bad_front_matter, (), 2),
    "forced-pandoc-failure": (_bad_front_matter, ("--force",), 2),
}


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_refused_or_failed_build_keeps_the_last_good_outputs(
    built: tuple[Project, dict[str, bytes]], kind: str
) -> None:
    p, before = built
    breakage, args, code = BREAKAGES[kind]
    breakage(p)
    r = run(p.root, "build", "--to", "docx", *args)
    assert "Traceback" not in r.err, r.err
    assert r.code == code, r.err
    assert snapshot(p.root / "build") == before, "build/ changed"
    assert leftovers(p.root) == []


def test_interrupted_build_keeps_the_last_good_outputs(
    built: tuple[Project, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after the DOCX was staged, while the HTML is being made: nothing half-written."""
    from glutlint.build import html

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(html, "make_html", interrupted)
    p, before = built
    r = run(p.root, "build", "--to", "docx,html")
    assert r.code == 130, r.err
    assert snapshot(p.root / "build") == before
    assert leftovers(p.root) == []


def test_forced_build_does_not_typeset_unreadable_input(
    built: tuple[Project, dict[str, bytes]],
) -> None:
    """--force overrides the checker's findings, not input that cannot be read as UTF-8."""
    p, before = built
    splice_bytes(p.root / EXTRA, 3, b"\xff")
    r = run(p.root, "build", "--to", "docx", "--force")
    assert_build_refused(r, p.root, EXTRA, 3)
    assert snapshot(p.root / "build") == before


def test_build_errors_name_project_relative_paths(
    built: tuple[Project, dict[str, bytes]],
) -> None:
    """pandoc's own messages name the files it was given: they must not be machine paths."""
    p, _ = built
    front_matter_file(p, "keywords: [oops")
    r = run(p.root, "build", "--to", "docx", "--force")
    assert r.code == 2 and "Traceback" not in r.err, r.err
    last = r.err.strip().splitlines()[-1]
    assert str(p.root) not in last and str(p.root.resolve()) not in last, last


def test_output_folder_that_cannot_be_made_is_a_one_line_error(flagship: Project) -> None:
    """`build` is a file here (a stray download, a broken checkout): refuse, do not crash."""
    (flagship.root / "build").write_text("not a folder\n", encoding="utf-8")
    r = run(flagship.root, "build", "--to", "docx", "--force")
    assert "Traceback" not in r.err and r.code == 2, r.err
    last = r.err.strip().splitlines()[-1]
    assert re.match(r"^build(/\S*)?(:\d+)?: \S", last), last
    assert (flagship.root / "build").read_text(encoding="utf-8") == "not a folder\n"


def _image_paragraph(p: Project, target: str) -> int:
    path = p.root / EXTRA
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n![A figure from elsewhere.]({target})\n")
    return line_of(path, f"]({target})")


IMAGE_ESCAPES = ["RELATIVE", "OUTSIDE", "LINK", "/etc/hostname"]


def _image_target(p: Project, outside: Path, kind: str) -> str:
    secret = outside / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\nTOP-SECRET-IMAGE")
    if kind == "RELATIVE":
        return f"../{outside.name}/secret.png"
    if kind == "OUTSIDE":
        return str(secret)
    if kind == "LINK":
        (p.root / "figures").mkdir(exist_ok=True)
        (p.root / "figures/evil.png").symlink_to(secret)
        return "figures/evil.png"
    return kind


@pytest.mark.parametrize("kind", IMAGE_ESCAPES)
def test_image_outside_the_project_never_reaches_an_output(
    built: tuple[Project, dict[str, bytes]], outside: Path, kind: str
) -> None:
    p, _ = built
    _image_paragraph(p, _image_target(p, outside, kind))
    r = run(p.root, "build", "--to", "docx,html", "--force")
    assert "Traceback" not in r.err, r.err
    for name, data in snapshot(p.root / "build").items():
        assert b"TOP-SECRET-IMAGE" not in data, name
        assert b"VE9QLVNFQ1JFVC1JTUFHRQ" not in data, name  # its base64


@pytest.mark.parametrize("kind", IMAGE_ESCAPES)
def test_image_outside_the_project_is_refused_at_its_line(
    built: tuple[Project, dict[str, bytes]], outside: Path, kind: str
) -> None:
    """The issue asks for a refusal naming file and line, not a silent alt-text substitute."""
    p, before = built
    line = _image_paragraph(p, _image_target(p, outside, kind))
    r = run(p.root, "build", "--to", "docx")
    assert_build_refused(r, p.root, EXTRA, line)
    assert snapshot(p.root / "build") == before


def test_a_paragraph_wrapped_over_thousands_of_lines_finds_each_wrong_claim_on_its_line(
    flagship: Project,
) -> None:
    """2,400 lines of one paragraph, the same two correct sentences again and again (no run of
    words is unique, the worst case of the placing) with a wrong one every 300 lines: each
    wrong claim is reported on its own line, and nothing else is."""
    right = EXTRA_TEXT.split("\n\n")[1].replace("\n", " ").split(". ")
    lines, wrong = [], []
    for k in range(2400):
        if k % 300 == 150:
            lines.append(f"Esketamine works in {k // 300 + 81}% of patients [@mcintyre2024].")
            wrong.append(k)
        else:
            lines.append(right[k % 2].rstrip(".") + ".")
    with (flagship.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join(lines) + "\n")
    first = (flagship.root / EXTRA).read_text(encoding="utf-8").count("\n") - len(lines) + 1
    r = run(flagship.root, "check", "--select", "GL102,GL201,GL301,GL401")
    assert r.code == 1, r.err[-500:]
    found = sorted(
        int(m.group(1)) for m in re.finditer(rf"^{re.escape(EXTRA)}:(\d+):\d+: GL", r.out, re.M)
    )
    assert found == [first + k for k in wrong], r.out[-2000:]


def test_a_line_of_megabytes_is_refused_at_its_line(flagship: Project) -> None:
    """A 1.2 MB paragraph on one line (an export gone wrong) is refused on one line, never
    read for minutes and never passed over."""
    with (flagship.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write("\n\n" + "word 12 and [link](x) *em* " * 45_000 + "\n")
    line = (flagship.root / EXTRA).read_text(encoding="utf-8").count("\n")
    r = run(flagship.root, "check")
    assert_one_line_error(r, flagship.root, EXTRA, line)
    assert "one line of 1.2 million characters" in r.err  # refused before pandoc reads it
    assert "split it into paragraphs" in r.err


# ------------------------------------------- files that are not files: FIFOs, devices, loops


def _cli(root: Path, *args: str) -> Result:
    """The CLI in a child process: a read that blocked would hang it, not the suite. The
    timeout only guards against a hang; it is no claim about speed."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "glutlint", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"glutlint {' '.join(args)} hung (a blocking read)")
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _configure(p: Project, key: str, value: str, *extra: str) -> None:
    """Set `key = value` in [tool.glutlint] (replacing the key if present), plus `extra` lines."""
    path = p.root / "pyproject.toml"
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith(f"{key} =")
    ]
    at = lines.index("[tool.glutlint]") + 1
    lines[at:at] = [f"{key} = {value}", *extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CONFIGURED = {"bibliography": BIB, "facts": FACTS, "lexicon": LEXICON, "sources": SIDECAR}


@pytest.mark.parametrize("key", sorted(CONFIGURED))
def test_fifo_as_a_configured_file_is_refused_without_blocking(flagship: Project, key: str) -> None:
    """A FIFO with no writer: a blocking open would wait for ever."""
    rel = CONFIGURED[key]
    (flagship.root / rel).unlink()
    os.mkfifo(flagship.root / rel)
    r = _cli(flagship.root, "check")
    assert_one_line_error(r, flagship.root, rel, None)
    assert "FIFO" in r.err


@pytest.mark.parametrize("key", ["facts", "sources"])
def test_device_as_a_configured_file_is_refused(flagship: Project, key: str) -> None:
    """`sources = "/dev/zero"` read until killed; even with /dev allowed, a device is no file."""
    _configure(flagship, key, '"/dev/zero"', 'allowed_roots = ["/dev"]')
    r = _cli(flagship.root, "check")
    assert_one_line_error(r, flagship.root, "/dev/zero", None)
    assert "device" in r.err


def test_fifo_in_the_manuscript_folder_is_refused_without_blocking(flagship: Project) -> None:
    os.mkfifo(flagship.root / "manuscript/zz-pipe.md")
    r = _cli(flagship.root, "check")
    assert_one_line_error(r, flagship.root, "manuscript/zz-pipe.md", None)


def test_fifo_as_a_source_text_is_refused_without_blocking(flagship: Project) -> None:
    (flagship.root / SOURCE).unlink()
    os.mkfifo(flagship.root / SOURCE)
    r = _cli(flagship.root, "check")
    assert_one_line_error(r, flagship.root, SOURCE, None)


def _loop(root: Path, rel: str) -> None:
    """Make `rel` one end of a two-link symlink loop."""
    path = root / rel
    if path.exists():
        path.unlink()
    other = path.with_name(path.name + ".other")
    path.symlink_to(other.name)
    other.symlink_to(path.name)


@pytest.mark.parametrize("key", sorted(CONFIGURED))
def test_symlink_loop_as_a_configured_file_is_one_line(flagship: Project, key: str) -> None:
    rel = CONFIGURED[key]
    _loop(flagship.root, rel)
    r = refused(flagship, rel, None)
    assert "symlink loop" in r.err


def test_symlink_loop_as_a_manuscript_file_is_one_line(flagship: Project) -> None:
    _loop(flagship.root, "manuscript/zz-loop.md")
    r = refused(flagship, "manuscript/zz-loop.md", None)
    assert "symlink loop" in r.err


def test_symlink_loop_as_a_source_text_is_one_line(flagship: Project) -> None:
    _loop(flagship.root, SOURCE)
    r = refused(flagship, SOURCE, None)
    assert "symlink loop" in r.err


def test_symlink_loop_as_an_image_is_refused_at_its_line(
    built: tuple[Project, dict[str, bytes]],
) -> None:
    p, before = built
    (p.root / "figures").mkdir(exist_ok=True)
    _loop(p.root, "figures/loop.png")
    line = _image_paragraph(p, "figures/loop.png")
    r = run(p.root, "build", "--to", "docx")
    assert_build_refused(r, p.root, EXTRA, line)
    assert snapshot(p.root / "build") == before


# ----------------------------------------------------- configured paths stay in the project


@pytest.mark.parametrize("key", ["facts", "lexicon", "sources", "bibliography"])
def test_configured_path_outside_the_project_is_refused(
    flagship: Project, outside: Path, key: str
) -> None:
    _configure(flagship, key, '"/etc/passwd"')
    r = refused(flagship, "pyproject.toml", None, quoted="/etc/passwd")
    assert "outside the project" in r.err and "root:" not in r.err
    _configure(flagship, key, f'"../{outside.name}/secret.txt"')
    r = refused(flagship, "pyproject.toml", None, quoted=f"../{outside.name}/secret.txt")
    assert "TOP-SECRET" not in r.err


def test_manuscript_symlink_to_a_file_outside_is_refused(flagship: Project, outside: Path) -> None:
    """The file was read, built and quoted in a diagnostic."""
    (outside / "secret.md").write_text(
        "The FDA approved TOP-SECRET esketamine in 2031 [@mcintyre2024].\n", encoding="utf-8"
    )
    (flagship.root / "manuscript/zz-elsewhere.md").symlink_to(outside / "secret.md")
    r = refused(flagship, "manuscript/zz-elsewhere.md", None)
    assert "outside the project" in r.err and "TOP-SECRET" not in r.err
    r = run(flagship.root, "build", "--to", "docx", "--force")
    assert_build_refused(r, flagship.root, "manuscript/zz-elsewhere.md", None)
    assert not (flagship.root / "build").exists()


def test_allowed_roots_lets_a_named_folder_be_read(flagship: Project, outside: Path) -> None:
    """Outside files are read only when the configuration names their folder."""
    shutil.copyfile(flagship.root / FACTS, outside / "facts.yaml")
    _configure(flagship, "facts", f'"../{outside.name}/facts.yaml"')
    refused(flagship, "pyproject.toml", None, quoted=f"../{outside.name}/facts.yaml")
    _configure(flagship, "allowed_roots", f'["../{outside.name}"]')
    r = run(flagship.root, "check")
    assert r.code in (0, 1) and "Traceback" not in r.err, r.err


# ------------------------------------------------------------ the configuration file itself


BROKEN_TOML = 'manuscript = "manuscript"\nbibliography = "refs/references.bib\n'


def test_broken_pyproject_is_an_error_at_its_line_and_column(flagship: Project) -> None:
    path = flagship.root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + 'select = ["GL1"\n', encoding="utf-8")
    lines = path.read_text(encoding="utf-8").count("\n")
    r = refused(flagship, "pyproject.toml", {lines, lines + 1})
    assert "invalid TOML" in r.err and "column" in r.err


def test_broken_pyproject_never_falls_through_to_a_parent_config(flagship: Project) -> None:
    """Before, the parent's settings checked (and built) the nested project."""
    sub = flagship.root / "nested"
    (sub / "manuscript").mkdir(parents=True)
    (sub / "manuscript/a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    (sub / "pyproject.toml").write_text(f"[tool.glutlint]\n{BROKEN_TOML}", encoding="utf-8")
    for command in ("check", "build"):
        r = run(sub, command, "--force") if command == "build" else run(sub, command)
        last = r.err.strip().splitlines()[-1]
        assert_one_line_error(Result(r.code, r.out, last), sub, "pyproject.toml", 3)
        assert "column" in last
    assert not (flagship.root / "build").exists() and not (sub / "build").exists()


@pytest.mark.parametrize("value", ['"empty"', "[]"])
def test_empty_manuscript_is_an_error_for_check_as_for_build(flagship: Project, value: str) -> None:
    (flagship.root / "empty").mkdir()
    _configure(flagship, "manuscript", value)
    r = refused(flagship, "pyproject.toml", None)
    assert "no Markdown files" in r.err
    r = run(flagship.root, "build", "--to", "docx", "--force")
    assert_build_refused(r, flagship.root, "pyproject.toml", None)


# ------------------------------------------------------------- builds are all or nothing


def test_blocked_target_fails_the_build_before_any_output_is_replaced(
    built: tuple[Project, dict[str, bytes]],
) -> None:
    """build/review.pdf is a folder: before, review.docx was replaced and the error named a
    temporary file."""
    p, before = built
    (p.root / "build/review.pdf").mkdir()
    (p.root / "build/review.pdf/keep.txt").write_text("mine\n", encoding="utf-8")
    with (p.root / EXTRA).open("a", encoding="utf-8") as fh:  # a build would change the DOCX
        fh.write("\nA further remark on glutamate [@mcintyre2024].\n")
    before["review.pdf/keep.txt"] = b"mine\n"
    r = run(p.root, "build", "--to", "pdf,docx", "--force")
    assert_build_refused(r, p.root, "build/review.pdf", None)
    assert ".tmp" not in r.err and "staging" not in r.err, r.err
    assert snapshot(p.root / "build") == before
    assert leftovers(p.root) == []


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


def test_next_build_removes_what_a_killed_build_left(
    built: tuple[Project, dict[str, bytes]],
) -> None:
    """A build killed outright (SIGKILL) runs no clean-up: the next build does it."""
    p, _ = built
    proc = subprocess.Popen(
        [sys.executable, "-m", "glutlint", "build", "--to", "docx,pdf,html", "--force"],
        cwd=p.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(30_000):  # a hang guard, not a speed claim
            if proc.poll() is not None or list((p.root / "build").glob(".glutlint-staging-*")):
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert leftovers(p.root), "the killed build left nothing to clean up (it finished first?)"
    pid = _dead_pid()  # and the files of the older writer, named by a dead process's id
    (p.root / f"build/.review.docx.{pid}-0a1b2c3d.tmp").write_bytes(b"half")
    (p.root / "build/figures").mkdir(exist_ok=True)
    (p.root / f"build/figures/.timeline.png.{pid}-0a1b2c3d.tmp").write_bytes(b"half")
    r = run(p.root, "build", "--to", "docx", "--force")
    assert r.code == 0, r.err
    assert leftovers(p.root) == []


def test_build_writes_nothing_in_the_system_temporary_folder(
    flagship: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Scratch folders live in the build folder's staging folder, not in /tmp."""
    private = tmp_path_factory.mktemp("private-tmp")
    env = {**os.environ, "TMPDIR": str(private), "TEMP": str(private), "TMP": str(private)}
    proc = subprocess.run(
        [sys.executable, "-m", "glutlint", "build", "--to", "docx,pdf,html", "--force"],
        cwd=flagship.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(x.name for x in private.iterdir()) == []
    assert leftovers(flagship.root) == []


# ------------------------------------------------ every setting checked at its line (08, 07)


def _setting_line(p: Project, key: str) -> int:
    return line_of(p.root / "pyproject.toml", f"^{key} =")


@pytest.mark.parametrize("key", ["manuscript", "bibliography", "facts", "output", "allowed_roots"])
def test_nul_in_a_configured_path_is_refused_at_its_line(flagship: Project, key: str) -> None:
    """Before, a 27-line traceback ending in "ValueError: embedded null byte", exit 1."""
    value = '["a\\u0000b"]' if key == "allowed_roots" else '"manu\\u0000script"'
    _configure(flagship, key, value)
    r = refused(flagship, "pyproject.toml", _setting_line(flagship, key))
    assert key in r.err and "NUL" in r.err


WRONG_SETTINGS = {
    "select-unknown-code": ("select", '["GL120"]', "unknown rule code"),
    "select-unknown-string": ("select", '"ZZZ"', "unknown rule code"),
    "ignore-unknown-code": ("ignore", '["GL1", "XX9"]', "unknown rule code"),
    "select-not-strings": ("select", "[102]", "list of strings"),
    "cache-a-string": ("cache", '"false"', "true or false"),
    "cache-a-number": ("cache", "0", "true or false"),
    "partial-sources-a-list": ("partial_sources", '["strict"]', "must be one of"),
    "csl-a-number": ("csl", "3", "must be a string"),
    "output-a-list": ("output", '["build"]', "path string"),
    "allowed-roots-a-number": ("allowed_roots", "5", "list of strings"),
    "manuscript-a-table": ("manuscript", '{ a = "b" }', "list of strings"),
    "unknown-key": ("selct", '["GL1"]', "unknown option"),
}


@pytest.mark.parametrize("kind", sorted(WRONG_SETTINGS))
def test_setting_of_the_wrong_kind_is_refused_at_its_line(flagship: Project, kind: str) -> None:
    """Before, select = ["GL120"] ran no rule and exited 0; cache = "false" wrote the cache."""
    key, value, said = WRONG_SETTINGS[kind]
    _configure(flagship, key, value)
    r = refused(flagship, "pyproject.toml", _setting_line(flagship, key))
    assert said in r.err, r.err
    assert not (flagship.root / ".glutlint_cache").exists()


def test_known_codes_and_prefixes_in_settings_still_run(flagship: Project) -> None:
    _configure(flagship, "select", '["GL1", "gl201", "ALL"]', 'ignore = "GL5"', "cache = false")
    r = run(flagship.root, "check")
    assert r.code in (0, 1) and "Traceback" not in r.err, r.err
    assert not (flagship.root / ".glutlint_cache").exists()


# ------------------------------------------- nesting refused at its file and line (10, 11)


def _nested_list(n: int) -> str:
    items = "".join(" " * (2 * i) + "- a\n" for i in range(n))
    return items + " " * (2 * n) + "- Remission occurred in 93% of patients.\n"


NESTED = {
    "divs": ":::: x\n" * 400 + "Remission occurred in 93% of patients.\n" + "::::\n" * 400,
    "emphasis": "*_" * 400 + "Remission 93%" + "_*" * 400 + "\n",
    "quotes": "> " * 800 + "Remission occurred in 93% of patients.\n",
    # 2.3 MB: pandoc took two minutes to give up on it (its list reader is quadratic)
    "lists-1500": _nested_list(1500),
}


@pytest.mark.parametrize("kind", sorted(NESTED))
def test_deep_nesting_is_refused_at_its_file_and_line(flagship: Project, kind: str) -> None:
    """Before: "glutlint: input nested too deeply to check", no file, no line (or, for the
    list, pandoc's time limit after minutes). Now refused before pandoc runs."""
    path = flagship.root / EXTRA
    text = path.read_text(encoding="utf-8")
    start = text.count("\n") + 2
    path.write_text(text + "\n" + NESTED[kind], encoding="utf-8")
    r = refused(flagship, EXTRA, start)
    assert "nested" in r.err
    for command in ("trace", "report", "stats"):
        assert_one_line_error(run(flagship.root, command), flagship.root, EXTRA, start)


def test_nesting_up_to_the_limit_is_checked(flagship: Project) -> None:
    """Deep but within what the reader supports: checked as before, the claim found."""
    from glutlint.nesting import MAX_DEPTH

    with (flagship.root / EXTRA).open("a", encoding="utf-8") as fh:
        fh.write(
            "\n" + "> " * MAX_DEPTH + "Remission occurred in 93% of patients [@mcintyre2024].\n"
        )
    r = run(flagship.root, "check", "--no-cache")
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert f"{EXTRA}:" in r.out and "nested" not in r.err


# --------------------------------------------- outputs never replace a FIFO or a device (12)


def test_report_onto_a_fifo_or_a_device_is_refused(flagship: Project, tmp_path: Path) -> None:
    """Before, the FIFO (or the device node) was replaced by a regular file, exit 0."""
    targets = [flagship.root / "fifo.html"]
    os.mkfifo(targets[0])
    device = flagship.root / "null.html"
    try:  # the null device's numbers, made inside the temporary project only
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        targets.append(device)
    except (PermissionError, AttributeError):
        pass
    for target in targets:
        r = refused(flagship, target.name, None, "report", "-o", target.name)
        assert "cannot replace" in r.err
        assert not stat.S_ISREG(os.lstat(target).st_mode)
    assert leftovers(flagship.root) == []


def test_build_refuses_a_fifo_where_an_output_goes(flagship: Project) -> None:
    (flagship.root / "build").mkdir()
    os.mkfifo(flagship.root / "build/review.html")
    r = run(flagship.root, "build", "--to", "html", "--force")
    assert_build_refused(r, flagship.root, "build/review.html", None)
    assert "FIFO" in r.err
    assert stat.S_ISFIFO(os.lstat(flagship.root / "build/review.html").st_mode)
    assert leftovers(flagship.root) == []


# ------------------------------------------ files named on the command line stay inside


def test_file_outside_the_project_on_the_command_line_is_refused(
    flagship: Project, outside: Path
) -> None:
    """Before, `check /elsewhere/secret.md` read it, while a symlink to it was refused."""
    secret = outside / "secret.md"
    secret.write_text("The FDA approved TOP-SECRET esketamine in 2031 [@mcintyre2024].\n")
    for command in ("check", "trace"):
        r = refused(flagship, str(secret), None, command, str(secret), quoted=str(secret))
        assert "outside the project" in r.err and "TOP-SECRET" not in r.err
    (flagship.root / "manuscript/link.md").symlink_to(secret)
    r = refused(flagship, "manuscript/link.md", None, "check", "manuscript/link.md")
    assert "outside the project" in r.err
    (flagship.root / "manuscript/link.md").unlink()
    _configure(flagship, "allowed_roots", f'["../{outside.name}"]')
    r = run(flagship.root, "check", str(secret))
    assert r.code == 1 and "2031" in r.out, r.err
