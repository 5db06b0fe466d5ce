"""A cache is a speed-up, never a witness: an edited or broken cache costs time, not truth.

Every value the store reads back must carry a MAC made with this installation's key (kept in
the user's cache folder, never in the project), and only regular files in a real folder of
ours are read. Each test builds a real project (the seeds, our bibliography and ledger), runs
the real CLI, damages `.glutlint_cache` the way someone with write access to the project
could, and asserts the check says exactly what a check with `--no-cache` says, with the same
exit code, writing nothing outside the project and never hanging.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import HANG_SECONDS, ROOT, Project, time_limit
from glutlint import cache

CACHE = ".glutlint_cache"
KEY = "key"  # in the user's cache folder: $XDG_CACHE_HOME/glutlint/key
SELECT = ("--select", "GL101,GL102,GL2,GL3,GL4")

#: A wrong year (GL301), an uncited claim (GL102) and a right value: each can be flipped by an
#: edited entry (the sentence's numbers emptied, the block moved to "References").
MANUSCRIPT = """
# The Glutamate Hypothesis

Esketamine nasal spray was approved by the FDA in 2018 [@mcintyre2024].

About 20 glutamate-targeted medicines have been tested in clinical trials [@mcintyre2024].

Remission occurred in 93% of patients in 1999.
"""

SECOND_FILE = """
# Approval

Esketamine nasal spray was approved by the FDA in 2019 [@mcintyre2024].
"""


def _run(p: Project, *extra: str) -> tuple[int, list[dict]]:
    """The exit code and findings of a check (under the hang guard: a hang fails the test)."""
    with time_limit(HANG_SECONDS):
        r = p.check("--format", "json", *SELECT, *extra)
    assert r.code in (0, 1) and "Traceback" not in r.err, r.err
    return r.code, json.loads(r.out)


@pytest.fixture
def project(seeded: Project) -> tuple[Project, tuple[int, list[dict]]]:
    """The project with a warm cache, and what a check without cache says."""
    seeded.write("manuscript/a.md", MANUSCRIPT)
    seeded.write("manuscript/b.md", SECOND_FILE)
    expected = _run(seeded, "--no-cache")
    assert expected[0] == 1
    assert {"GL102", "GL301"} <= {d["code"] for d in expected[1]}
    assert _run(seeded) == expected  # cold: the cache is written
    return seeded, expected


def _files(root: Path) -> list[Path]:
    return sorted((root / CACHE).glob("*.json"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir()) if f.is_file()}


# ---------------------------------------------------------------- editing what the files hold


def _is_memo(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("entries"), dict)


def _edit_values(f: Path, edit: Callable[[object], object]) -> None:
    """Apply `edit` to every value `f` holds: each memo entry, or the file's one value. The
    MACs beside them are left as they are, as anyone editing the file by hand would."""
    data = json.loads(f.read_text(encoding="utf-8"))
    if _is_memo(data):
        data["entries"] = {k: edit(v) for k, v in data["entries"].items()}
    elif isinstance(data, dict) and "mac" in data and "value" in data:
        data["value"] = edit(data["value"])
    else:  # a value file of a layout without MACs
        data = edit(data)
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _empty_lists(v: object) -> object:
    if isinstance(v, list):
        return []
    if isinstance(v, dict):
        return {k: _empty_lists(x) for k, x in v.items()}
    return v


def _deep(leaf: Callable[[object], object]) -> Callable[[object], object]:
    def walk(v: object) -> object:
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return leaf(v)

    return walk


def _cut(v: object) -> object:
    """The value cut short: a list to its first half, a string to its first half."""
    if isinstance(v, list):
        return [_cut(x) for x in v[: len(v) // 2]]
    if isinstance(v, dict):
        return {k: _cut(x) for k, x in v.items()}
    if isinstance(v, str):
        return v[: len(v) // 2]
    return v


def _randomize(rng: random.Random) -> Callable[[object], object]:
    def leaf(v: object) -> object:
        if isinstance(v, bool):
            return rng.random() < 0.5
        if isinstance(v, int | float):
            return type(v)(rng.randint(0, 3000))
        if isinstance(v, str):
            return rng.randbytes(max(1, len(v))).decode("latin-1")
        return v

    return _deep(leaf)


def _rotate(root: Path) -> None:
    """Each memo entry gets the next entry's value (and its MAC: a whole stored item moved to
    another key); each value file gets the bytes of the next file of its kind."""
    files = _files(root)
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        if _is_memo(data):
            for name in ("entries", "macs"):
                table = data.get(name)
                if isinstance(table, dict) and len(table) > 1:
                    keys = list(table)
                    nexts = keys[1:] + keys[:1]
                    data[name] = {k: table[n] for k, n in zip(keys, nexts, strict=True)}
            f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _swap_by_kind(files, {f.name: f.read_bytes() for f in files})


def _kind(name: str) -> str:
    return name.split("-")[0]


def _swap_by_kind(ours: list[Path], theirs: dict[str, bytes]) -> None:
    """Overwrite each value file of ours with another of the same kind from `theirs` (the
    next one by name), and each memo file with theirs of the same name."""
    by_kind: dict[str, list[str]] = {}
    for name in sorted(theirs):
        by_kind.setdefault(_kind(name), []).append(name)
    for f in ours:
        if "-" not in f.name:
            if f.name in theirs:
                f.write_bytes(theirs[f.name])
            continue
        names = [n for n in by_kind.get(_kind(f.name), []) if n != f.name]
        if names:
            f.write_bytes(theirs[names[0]])


OTHER_ENTRY = "\n@article{other2020,\n  title = {Another},\n  year = {2020}\n}\n"


def _other_project(tmp: Path, key_folder: Path | None) -> dict[str, bytes]:
    """The cache files of another project (its manuscript and one source say other things),
    made with this installation's key or, given `key_folder`, with another user's."""
    other = Project(tmp)
    for name in ("seeds", "refs"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    (tmp / "manuscript").mkdir()
    other.write("manuscript/a.md", MANUSCRIPT.replace("93%", "25%").replace("2018", "2019"))
    other.write("manuscript/b.md", SECOND_FILE.replace("Approval", "Licensing"))
    bib = tmp / "refs" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + OTHER_ENTRY, encoding="utf-8")
    seed = next((tmp / "seeds").glob("000_*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8").replace("2019", "2017"), encoding="utf-8")
    old = os.environ.get("XDG_CACHE_HOME")
    try:
        if key_folder is not None:
            os.environ["XDG_CACHE_HOME"] = str(key_folder)
            _forget_key()
        _run(other)
    finally:
        if old is not None:
            os.environ["XDG_CACHE_HOME"] = old
        _forget_key()
    return {f.name: f.read_bytes() for f in _files(tmp)}


def _forget_key() -> None:
    cache.secret.cache_clear()
    cache._mac_base.cache_clear()


def _whole_files(edit: Callable[[bytes], bytes]) -> Callable[[Path, Path], None]:
    """Memo files get their values cut (the JSON stays well-formed); value files' bytes are
    replaced by `edit(bytes)`."""

    def damage(root: Path, tmp: Path) -> None:
        for f in _files(root):
            if "-" in f.name:
                f.write_bytes(edit(f.read_bytes()))
            else:
                _edit_values(f, _cut)

    return damage


def _each_value(edit: Callable[[object], object]) -> Callable[[Path, Path], None]:
    def damage(root: Path, tmp: Path) -> None:
        for f in _files(root):
            _edit_values(f, edit)

    return damage


def _random_bytes(root: Path, tmp: Path) -> None:
    rng = random.Random(20261204)
    for f in _files(root):
        if "-" in f.name:
            f.write_bytes(rng.randbytes(f.stat().st_size))
        else:
            _edit_values(f, _randomize(rng))


def _from_another(other_user: bool) -> Callable[[Path, Path], None]:
    def damage(root: Path, tmp: Path) -> None:
        theirs = _other_project(tmp / "other", tmp / "other-user" if other_user else None)
        _swap_by_kind(_files(root), theirs)

    return damage


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "every list emptied": _each_value(_empty_lists),
    "every string changed": _each_value(_deep(lambda v: "References" if isinstance(v, str) else v)),
    "every number changed": _each_value(
        _deep(lambda v: v + 1 if isinstance(v, int | float) and not isinstance(v, bool) else v)
    ),
    "values swapped between entries and files": lambda root, tmp: _rotate(root),
    "files of another project": _from_another(other_user=False),
    "files of another user's installation": _from_another(other_user=True),
    "values truncated, value files cut in half": _whole_files(lambda b: b[: len(b) // 2]),
    "random values, value files random bytes": _random_bytes,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_an_edited_cache_changes_no_finding(
    project: tuple[Project, tuple[int, list[dict]]], damage: str, tmp_path_factory
) -> None:
    p, expected = project
    before = _snapshot(p.root / CACHE)
    DAMAGE[damage](p.root, tmp_path_factory.mktemp("damage"))
    after = _snapshot(p.root / CACHE)
    changed = {n for n in before if after.get(n) != before[n]}
    assert {"documents.json", "numbers.json", "verdicts.json"} <= changed
    assert "source" in {_kind(n) for n in changed}
    assert _run(p) == expected
    assert _run(p) == expected  # what was recomputed was rewritten, and reads back


@pytest.mark.parametrize("which", ["numbers", "documents"])
def test_the_red_team_edits_are_misses(
    project: tuple[Project, tuple[int, list[dict]]], which: str
) -> None:
    """The two edits that once turned a failing check into a passing one: the uncited
    sentence's numbers emptied, or its block moved to the References section."""
    p, expected = project
    f = p.root / CACHE / f"{which}.json"
    data = json.loads(f.read_text(encoding="utf-8"))
    n = 0
    for k, v in data["entries"].items():
        text = json.dumps(v, ensure_ascii=False)
        if which == "numbers" and "93%" in text:
            data["entries"][k], n = [], n + 1
        elif which == "documents" and "Remission occurred in 93%" in text:
            data["entries"][k] = json.loads(
                text.replace('"The Glutamate Hypothesis"', '"References"')
            )
            n += text.count('"The Glutamate Hypothesis"')
    assert n >= 1
    f.write_text(json.dumps(data), encoding="utf-8")
    assert _run(p) == expected


# ------------------------------------------------------------ what is not a regular file


def _planted(root: Path) -> list[Path]:
    """The files to replace: two memos and one file of each kind of value."""
    files = _files(root)
    kinds = {_kind(f.name): f for f in files if "-" in f.name}
    return [root / CACHE / "documents.json", root / CACHE / "numbers.json", *kinds.values()]


def test_a_fifo_in_place_of_cache_files_is_passed_over(
    project: tuple[Project, tuple[int, list[dict]]],
) -> None:
    p, expected = project
    targets = _planted(p.root)
    for f in targets:
        f.unlink()
        os.mkfifo(f)
    assert _run(p) == expected  # no hang: a FIFO is never opened to wait for a writer
    assert _run(p) == expected


def test_a_cache_file_linked_to_an_endless_device_is_passed_over(
    project: tuple[Project, tuple[int, list[dict]]],
) -> None:
    p, expected = project
    for f in _planted(p.root):
        f.unlink()
        f.symlink_to("/dev/zero")
    assert _run(p) == expected
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)


def test_a_cache_file_linked_outside_or_a_folder_is_passed_over(
    project: tuple[Project, tuple[int, list[dict]]], tmp_path_factory
) -> None:
    """A link to a file outside the project is neither read nor written through (the file
    there holds an edited copy); a folder in place of a file is a miss."""
    p, expected = project
    outside = tmp_path_factory.mktemp("outside")
    for f in _planted(p.root):
        copy = outside / f.name
        shutil.copy(f, copy)
        _edit_values(copy, _empty_lists)
        f.unlink()
        f.symlink_to(copy)
    (p.root / CACHE / "sentences.json").unlink()
    (p.root / CACHE / "sentences.json").mkdir()
    before = _snapshot(outside)
    assert _run(p) == expected
    assert _run(p) == expected
    assert _snapshot(outside) == before


def test_a_cache_folder_linked_outside_the_project_is_not_used(
    project: tuple[Project, tuple[int, list[dict]]], tmp_path_factory
) -> None:
    """`.glutlint_cache` a link to a folder outside (holding an edited copy of the cache):
    nothing there is read, nothing is written there, and the check answers cold."""
    p, expected = project
    outside = tmp_path_factory.mktemp("outside") / "cache"
    shutil.copytree(p.root / CACHE, outside)
    for f in sorted(outside.glob("*.json")):
        _edit_values(f, _empty_lists)
    shutil.rmtree(p.root / CACHE)
    (p.root / CACHE).symlink_to(outside, target_is_directory=True)
    before = _snapshot(outside)
    assert _run(p) == expected
    assert _run(p) == expected
    assert _snapshot(outside) == before
    assert sorted(os.listdir(outside)) == sorted(before)


# ------------------------------------------------------------------------ the installation key


def test_the_key_lives_in_the_user_cache_folder_and_never_in_the_project(
    project: tuple[Project, tuple[int, list[dict]]],
) -> None:
    p, _ = project
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "glutlint"  # the tests' user cache folder
    key = folder / KEY
    st = key.lstat()
    assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_size == 32
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    secret = key.read_bytes()
    for f in (p.root / CACHE).iterdir():
        data = f.read_bytes()
        assert secret not in data and secret.hex().encode() not in data


RACE = """
import sys
from pathlib import Path
from glutlint.cache import secret_in
key = secret_in(Path(sys.argv[1]))
print(key.hex() if key else "none")
"""


def test_processes_racing_to_make_the_key_agree_on_one(tmp_path: Path) -> None:
    folder = tmp_path / "user-cache" / "glutlint"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-c", RACE, str(folder)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) for _ in range(8)]
    keys = {proc.communicate(timeout=HANG_SECONDS)[0].strip() for proc in procs}
    assert len(keys) == 1 and "none" not in keys
    assert bytes.fromhex(keys.pop()) == (folder / KEY).read_bytes()
    assert [f.name for f in folder.iterdir()] == [KEY]  # no staged file left


def _unusable(kind: str, base: Path) -> dict[str, str | None]:
    """A user cache folder that cannot hold the key: the environment that points at it."""
    folder = base / "glutlint"
    if kind == "no HOME":
        return {"XDG_CACHE_HOME": None, "HOME": None}
    if kind == "a file":
        folder.write_text("not a folder")
    elif kind == "a linked folder":
        (base / "elsewhere").mkdir()
        folder.symlink_to(base / "elsewhere", target_is_directory=True)
    elif kind == "a folder others can write":
        folder.mkdir()
        folder.chmod(0o777)
    else:
        folder.mkdir(mode=0o700)
        key = folder / KEY
        if kind == "a FIFO as the key":
            os.mkfifo(key)
        elif kind == "a key linked elsewhere":
            (base / "key").write_bytes(os.urandom(32))
            (base / "key").chmod(0o600)
            key.symlink_to(base / "key")
        elif kind == "a key others can read":
            key.write_bytes(os.urandom(32))
            key.chmod(0o644)
        elif kind == "a key of the wrong size":
            key.write_bytes(b"short")
            key.chmod(0o600)
        elif kind == "a folder as the key":
            key.mkdir()
    return {"XDG_CACHE_HOME": str(base)}


UNUSABLE = [
    "no HOME",
    "a file",
    "a linked folder",
    "a folder others can write",
    "a FIFO as the key",
    "a key linked elsewhere",
    "a key others can read",
    "a key of the wrong size",
    "a folder as the key",
]


def _tree(base: Path) -> list[str]:
    """Every name under `base`, links not followed."""
    return sorted(
        os.path.relpath(os.path.join(folder, n), base)
        for folder, dirs, names in os.walk(base)
        for n in dirs + names
    )


@pytest.fixture
def fresh_key() -> Iterator[None]:
    _forget_key()
    yield
    _forget_key()


@pytest.mark.parametrize("kind", UNUSABLE)
def test_an_unusable_user_cache_folder_costs_time_not_truth(
    project: tuple[Project, tuple[int, list[dict]]],
    kind: str,
    tmp_path_factory,
    monkeypatch: pytest.MonkeyPatch,
    fresh_key: None,
) -> None:
    """No lasting key: the store neither trusts nor writes the project's cache (an edited one
    here), and the check answers as without cache. Never an error, never a hang."""
    p, expected = project
    for f in _files(p.root):  # every list in the cache emptied, as the first red-team edit
        _edit_values(f, _empty_lists)
    before = _snapshot(p.root / CACHE)
    base = tmp_path_factory.mktemp("user")
    for name, value in _unusable(kind, base).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    listing = _tree(base)
    assert _run(p) == expected
    assert _snapshot(p.root / CACHE) == before  # nothing written: no key to seal it with
    assert _tree(base) == listing
    if kind == "a FIFO as the key":
        assert stat.S_ISFIFO((base / "glutlint" / KEY).lstat().st_mode)
