"""The project's store cannot vouch: code changes, damaged or edited entries, failed commands.

Real projects on disk, the real CLI (in-process, or as a process where the code itself is
changed), and always the same comparison: what a check says with the cache is what it says
without one.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Project, run_cli
from glutlint import atomic
from glutlint.cache import CACHE_DIR, Store, code_digest, folder_digest
from glutlint.codec import Invalid, decode, encode
from glutlint.quantities import Quantity

SELECT = ("--select", "GL101,GL102,GL2,GL3,GL4")
WRONG_YEAR = """
# Introduction

Esketamine nasal spray was approved by the FDA in 2018 [@mcintyre2024].

About 20 glutamate-targeted medicines have been tested in clinical trials [@mcintyre2024].
"""


def _json(p: Project, *extra: str) -> list[dict]:
    r = p.check("--format", "json", *SELECT, *extra)
    assert r.code in (0, 1) and "Traceback" not in r.err, r.err
    return json.loads(r.out)


def _cold(p: Project) -> list[dict]:
    shutil.rmtree(p.root / CACHE_DIR, ignore_errors=True)
    return _json(p)


# ------------------------------------------------------------------------------ code changes


def _process_check(root: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "glutlint", "check", "--format", "json", *SELECT]
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_any_code_change_invalidates_every_entry(seeded: Project, tmp_path: Path) -> None:
    """A copy of the package, then a one-line change to extraction in the copy: the warm check
    equals the cold check of the changed code (and the change does change the result)."""
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "glutlint", src / "glutlint", ignore=shutil.ignore_patterns("__pycache__")
    )
    seeded.write("manuscript/a.md", WRONG_YEAR)
    before = _process_check(seeded.root, src)
    assert before.returncode == 1, before.stderr
    assert "mcintyre2024" in before.stdout and "2018" in before.stdout
    assert (seeded.root / CACHE_DIR / "verdicts.json").is_file()

    extraction = src / "glutlint" / "extraction.py"
    extraction.write_text(
        extraction.read_text(encoding="utf-8")
        + "\n\n_extract = extract\n\n\ndef extract(text, **kw):  # the value 2018 is not read\n"
        + "    return [q for q in _extract(text, **kw) if q.text != '2018']\n",
        encoding="utf-8",
    )
    warm = _process_check(seeded.root, src)
    shutil.rmtree(seeded.root / CACHE_DIR)
    cold = _process_check(seeded.root, src)
    assert warm.returncode == cold.returncode and "Traceback" not in warm.stderr
    assert json.loads(warm.stdout) == json.loads(cold.stdout)
    assert json.loads(cold.stdout) != json.loads(before.stdout)  # the edit changed the result


def test_the_code_digest_covers_modules_and_data_files(tmp_path: Path) -> None:
    package = tmp_path / "glutlint"
    shutil.copytree(ROOT / "src" / "glutlint", package)
    first = folder_digest(package)
    assert first == code_digest()  # the installed package is this one
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert folder_digest(package) == first  # compiled files are not code
    css = package / "data" / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert folder_digest(package) != first


# --------------------------------------------------------------------- settings and damage


def test_settings_are_never_cached(seeded: Project) -> None:
    seeded.write("manuscript/a.md", WRONG_YEAR)
    expected = _cold(seeded)
    assert expected
    for f in (seeded.root / CACHE_DIR).iterdir():
        assert '"ignore"' not in f.read_text(encoding="utf-8"), f.name
    # a settings file as older versions kept it changes nothing
    (seeded.root / CACHE_DIR / "toml-0.json").write_text(
        json.dumps({"tool": {"glutlint": {"ignore": ["GL"]}}}), encoding="utf-8"
    )
    assert _json(seeded) == expected


DAMAGE = {
    "empty": lambda text: "",
    "deeply nested": lambda text: "[" * 200_000 + "]" * 200_000,
    "not JSON": lambda text: "\x00\xff{not json",
    "wrong types": lambda text: json.dumps(_retype(json.loads(text))),
}


def _retype(x: object) -> object:
    """The same structure with every leaf of another type (strings become numbers and back)."""
    if isinstance(x, dict):
        return {k: (v if k == "version" else _retype(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [_retype(v) for v in x]
    if isinstance(x, str):
        return 7
    if isinstance(x, bool | int | float):
        return "7"
    return x


@pytest.mark.parametrize("damage", DAMAGE)
def test_an_entry_that_does_not_decode_is_a_miss(seeded: Project, damage: str) -> None:
    seeded.write("manuscript/a.md", WRONG_YEAR)
    expected = _cold(seeded)
    files = sorted((seeded.root / CACHE_DIR).glob("*.json"))
    assert len(files) >= 10
    for f in files:
        f.write_text(DAMAGE[damage](f.read_text(encoding="utf-8")), encoding="utf-8")
    assert _json(seeded) == expected
    # the run rewrote what it recomputed
    assert all(json.loads(f.read_text(encoding="utf-8")) for f in files)
    assert _json(seeded) == expected


def test_the_codec_decodes_by_type_hints() -> None:
    q = Quantity(2019.0, None, "year", "", "=", 3, 7, "2019", 0)
    assert decode(list[Quantity], encode([q])) == [q]
    assert decode(tuple[str | None, list[tuple[int, int]]], [None, [[1, 2]]]) == (None, [(1, 2)])
    for bad in ([[2019.0, None, "year", "", "=", 3, 7, "2019"]], [[True] * 9], {"a": 1}, None):
        with pytest.raises(Invalid):
            decode(list[Quantity], bad)
    with pytest.raises(Invalid):
        decode(dict[str, int], {"a": "1"})


# ------------------------------------------------------------------------- forged verdicts


def _forge(verdicts: Path) -> int:
    """Turn every "missing" value into "supported", with a real passage of another claim."""
    data = json.loads(verdicts.read_text(encoding="utf-8"))
    passages = [
        v[2] for e in data["entries"].values() for v in e[1] if v[1] == "supported" and v[2]
    ]
    n = 0
    for entry in data["entries"].values():
        for v in entry[1]:
            if v[1] == "missing":
                v[1], v[2] = "supported", passages[0] if passages else None
                n += 1
    verdicts.write_text(json.dumps(data), encoding="utf-8")
    return n


@pytest.mark.parametrize("how", ["status only", "status and a real passage"])
def test_a_forged_supported_verdict_is_not_believed(seeded: Project, how: str) -> None:
    seeded.write("manuscript/a.md", WRONG_YEAR)
    expected = _cold(seeded)
    assert any("2018" in d["message"] for d in expected)
    verdicts = seeded.root / CACHE_DIR / "verdicts.json"
    if how == "status only":
        text = verdicts.read_text(encoding="utf-8")
        assert '"missing"' in text
        verdicts.write_text(text.replace('"missing"', '"supported"'), encoding="utf-8")
    else:
        assert _forge(verdicts) >= 1
    r = seeded.check(*SELECT)
    assert r.code == 1 and "2018" in r.out
    assert _json(seeded) == expected
    if how == "status only":
        verdicts.write_text(
            verdicts.read_text(encoding="utf-8").replace('"missing"', '"supported"'),
            encoding="utf-8",
        )
    else:
        _forge(verdicts)
    trace = run_cli(["trace"], seeded.root)
    assert trace.code == 0, trace.err
    line = next(x for x in trace.out.splitlines() if "'2018'" in x)
    assert "supported" not in line.split("'2018':", 1)[1].split()[0]


# ----------------------------------------------------------------------- the cache folder


def test_the_cache_folder_ignores_itself_in_a_git_repository(seeded: Project) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run([git, "init", "-q"], cwd=seeded.root, check=True, env=env)
    seeded.write("manuscript/a.md", WRONG_YEAR)
    assert seeded.check(*SELECT).code == 1
    folder = seeded.root / CACHE_DIR
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    tag = (folder / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    status = subprocess.run(
        [git, "status", "--porcelain", "--untracked-files=all"],
        cwd=seeded.root,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    assert "manuscript/a.md" in status and CACHE_DIR not in status


def test_no_cache_neither_reads_nor_writes(seeded: Project) -> None:
    seeded.write("manuscript/a.md", WRONG_YEAR)
    assert seeded.check("--no-cache", *SELECT).code == 1
    assert not (seeded.root / CACHE_DIR).exists()
    expected = _cold(seeded)
    verdicts = seeded.root / CACHE_DIR / "verdicts.json"
    verdicts.write_text("{}", encoding="utf-8")
    before = verdicts.read_text()
    assert _json(seeded, "--no-cache") == expected
    assert verdicts.read_text() == before
    for command in (["trace", "--no-cache"], ["report", "--no-cache", "-o", "out.html"]):
        assert run_cli(command, seeded.root).code == 0
    assert verdicts.read_text() == before


# ------------------------------------------------------------------------ failed commands


def test_a_failed_command_writes_nothing_and_nothing_reaches_another_project(
    seeded: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seeded.write("manuscript/a.md", WRONG_YEAR + "\n<!-- glutlint: nonsense GL2 -->\n")
    r = seeded.check(*SELECT)
    assert r.code == 2 and "malformed suppression" in r.err
    assert not (seeded.root / CACHE_DIR).exists()
    other = Project(tmp_path_factory.mktemp("other"))
    for name in ("seeds", "refs"):
        shutil.copytree(seeded.root / name, other.root / name)
    shutil.copy(seeded.root / "pyproject.toml", other.root / "pyproject.toml")
    other.write("manuscript/a.md", WRONG_YEAR)
    assert other.check(*SELECT).code == 1
    assert not (seeded.root / CACHE_DIR).exists()
    assert (other.root / CACHE_DIR / "verdicts.json").is_file()


# --------------------------------------------------------------------------- one writer


def test_one_writer_gives_cache_files_and_outputs_the_same_mode(seeded: Project) -> None:
    old = os.umask(0o022)
    try:
        seeded.write("manuscript/a.md", WRONG_YEAR)
        assert seeded.check(*SELECT).code == 1
        assert run_cli(["report", "-o", "out.html"], seeded.root).code == 0
        written = [*(seeded.root / CACHE_DIR).iterdir(), seeded.root / "out.html"]
        target = seeded.root / "plain.txt"
        atomic.write(target, b"x")
        written.append(target)
    finally:
        os.umask(old)
    assert {stat.S_IMODE(f.stat().st_mode) for f in written} == {0o644}
    assert not list(seeded.root.rglob("*.tmp"))


def test_a_store_without_a_folder_writes_nothing(tmp_path: Path) -> None:
    store = Store(None)
    assert store.value("x", int, lambda: 3) == 3
    assert store.memo("m").get("k", lambda: [1], list[int]) == [1]
    store.flush()
    assert list(tmp_path.iterdir()) == []
