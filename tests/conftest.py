"""Shared helpers: build a small real project on disk and run the real CLI on it."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from glutlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(args: list[str], cwd: Path) -> Result:
    """Run `glutlint ARGS` in-process from `cwd`, capturing stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


#: The repository's own `[tool.glutlint]` table: every project made here has our layout.
_OWN = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
PYPROJECT = re.search(r"^\[tool\.glutlint\]\n(?:(?!\[).*\n)*", _OWN, re.M).group()  # type: ignore[union-attr]


#: How long a command may run before a test calls it hung. A guard against hangs only, never a
#: speed requirement: timings belong in `make bench` (a slow, busy machine must not fail tests).
HANG_SECONDS = 600


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail a test that runs longer than `seconds` instead of letting it hang the suite."""

    def fire(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(autouse=True, scope="session")
def _user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """glutlint keeps the key of its cache's MACs in the user's cache folder: for the whole
    session that is a temp folder of pytest's (inherited by every process a test starts), so
    that no test writes outside its temp folders."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old


SEED_BIB = (ROOT / "refs" / "references.bib").read_text(encoding="utf-8")


def one_file_review(root: Path, settings: str = "") -> None:
    """The pyproject.toml of a review in one file (ms.md, refs.bib), no sections required;
    `settings` adds lines to its [tool.glutlint] table."""
    (root / "pyproject.toml").write_text(
        '[tool.glutlint]\nmanuscript = "ms.md"\nbibliography = "refs.bib"\n'
        f"{settings}[tool.glutlint.profile]\nrequired_sections = []\n",
        encoding="utf-8",
    )


@dataclass
class Project:
    root: Path

    def write(self, rel: str, text: str) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    def check(self, *args: str) -> Result:
        return run_cli(["check", *args], self.root)

    def codes(self, *args: str) -> list[str]:
        import json

        r = run_cli(["check", "--format", "json", *args], self.root)
        assert r.code in (0, 1), r.err
        return [d["code"] for d in json.loads(r.out)]


@pytest.fixture
def seeded(tmp_path: Path) -> Project:
    """A project with the five real seeds, our bibliography, sidecar, lexicon and ledger,
    and a manuscript folder the test fills in."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(ROOT / "refs", tmp_path / "refs")
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return Project(tmp_path)
