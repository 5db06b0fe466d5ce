"""The real pre-commit, in a scratch git repository, blocks a commit that adds a wrong claim.

The scratch repository holds the five seeds, our refs, a two-file manuscript and a
pyproject.toml. Its hook is local (`language: system`) and runs the glutlint console script
installed next to this Python, with the other settings taken from our .pre-commit-hooks.yaml,
so nothing is fetched. Our hook manifest and our own config are validated by pre-commit's own
schema too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import PYPROJECT as BASE_PYPROJECT

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WRONG = (
    "Esketamine was approved by the FDA in 2017 for treatment-resistant depression [@mcintyre2024]."
)
RIGHT = WRONG.replace("2017", "2019")

INTRO = """\
# Introduction

Major depressive disorder (MDD) is common, chronic and burdensome, and its core features are
depressed mood and anhedonia [@mcintyre2024].
"""

REFERENCES = """\
# References {-}

::: {#refs}
:::
"""

# a two-file manuscript: no journal structure, most entries uncited
PYPROJECT = BASE_PYPROJECT + 'ignore = ["GL6", "GL103"]\n'


def tool(name: str) -> Path:
    """A console script installed beside the running Python (the project's venv)."""
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed beside {sys.executable}")
    return path


def manifest_hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "glutlint")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git repository with a clean review and the glutlint hook installed."""
    work = tmp_path / "review"
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copytree(ROOT / "refs", work / "refs")
    (work / "manuscript").mkdir()
    (work / "manuscript" / "01-introduction.md").write_text(INTRO, encoding="utf-8")
    (work / "manuscript" / "02-references.md").write_text(REFERENCES, encoding="utf-8")
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")

    hook = dict(manifest_hook())
    hook.pop("minimum_pre_commit_version", None)
    hook["language"] = "system"
    # The manifest's `glutlint check`, run with this venv's glutlint.
    hook["entry"] = hook["entry"].replace("glutlint", shlex_quote(tool("glutlint")), 1)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": str(gitconfig),  # no user's signing or hooksPath settings
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    git(work, env, "init", "-q")
    git(work, env, "config", "user.name", "Test Author")
    git(work, env, "config", "user.email", "author@example.org")
    git(work, env, "add", "-A")
    git(work, env, "commit", "-q", "-m", "A clean review")
    run([str(tool("pre-commit")), "install"], work, env)
    return work, env


def shlex_quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run(["git", *args], cwd, env)


def commit_sentence(work: Path, env: dict[str, str], sentence: str) -> subprocess.CompletedProcess:
    intro = work / "manuscript" / "01-introduction.md"
    intro.write_text(INTRO + "\n" + sentence + "\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=work, env=env, check=True)
    return subprocess.run(
        ["git", "commit", "-m", "Add the approval"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_wrong_year_blocks_the_commit(repo: tuple[Path, dict[str, str]]) -> None:
    work, env = repo
    proc = commit_sentence(work, env, WRONG)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "glutlint" in out and "Failed" in out
    assert "GL201" in out or "GL301" in out
    assert "manuscript/01-introduction.md:" in out
    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=work, env=env, capture_output=True, text=True
    )
    assert len(log.stdout.splitlines()) == 1  # nothing was committed


def test_right_year_commits(repo: tuple[Path, dict[str, str]]) -> None:
    work, env = repo
    proc = commit_sentence(work, env, RIGHT)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "glutlint" in out and "Passed" in out


def test_unrelated_file_skips_the_hook(repo: tuple[Path, dict[str, str]]) -> None:
    """`files:` limits the hook to Markdown, BibTeX and YAML changes."""
    work, env = repo
    (work / "notes.txt").write_text("not part of the review\n", encoding="utf-8")
    git(work, env, "add", "notes.txt")
    proc = git(work, env, "commit", "-m", "notes")
    assert "(no files to check)Skipped" in proc.stdout + proc.stderr


def test_manifest_and_config_are_valid() -> None:
    pre_commit = str(tool("pre-commit"))
    env = dict(os.environ)
    run([pre_commit, "validate-manifest", ".pre-commit-hooks.yaml"], ROOT, env)
    run([pre_commit, "validate-config", ".pre-commit-config.yaml"], ROOT, env)
    hook = manifest_hook()
    assert hook["entry"] == "glutlint check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert all(r["repo"] == "local" for r in config["repos"])  # nothing is fetched
    assert textwrap.dedent(hook["files"]) == r"\.(md|markdown|bib|json|ya?ml)$"
