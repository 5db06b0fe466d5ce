"""The content-keyed cache: an edit is seen, a damaged cache is recomputed, never trusted.

Every test runs the real CLI on a real project (the seeds, our bibliography and ledger) and
compares a check that used the cache with one that started from nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import Project

CACHE = ".glutlint_cache"
SELECT = ("--select", "GL101,GL102,GL2,GL3,GL4")  # the claim rules: a two-claim file has no
# required sections, and most bibliography entries are uncited

TWO_CLAIMS = """
# Introduction

Esketamine nasal spray was approved by the FDA in 2019 [@mcintyre2024].

About 20 glutamate-targeted medicines have been tested in clinical trials [@mcintyre2024].
"""


def _json(p: Project) -> list[dict]:
    r = p.check("--format", "json", *SELECT)
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def _cold(p: Project) -> list[dict]:
    shutil.rmtree(p.root / CACHE, ignore_errors=True)
    return _json(p)


def test_an_edit_is_seen_and_matches_a_check_without_cache(seeded: Project) -> None:
    seeded.write("manuscript/a.md", TWO_CLAIMS)
    first = _cold(seeded)
    assert first == []
    names = {f.name.split("-")[0].removesuffix(".json") for f in (seeded.root / CACHE).iterdir()}
    assert {"inline", "sentences", "numbers", "bib", "source", "scan"} <= names

    seeded.write("manuscript/a.md", TWO_CLAIMS.replace("2019", "2018"))
    edited = _json(seeded)  # every other block comes from the cache
    assert "GL301" in {d["code"] for d in edited}
    assert edited == _cold(seeded)


def _damage(folder: Path) -> int:
    """Overwrite every cache file with well-formed JSON of the wrong shape, or with garbage."""
    n = 0
    for i, f in enumerate(sorted(folder.glob("*.json"))):
        data = json.loads(f.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "entries" in data:  # a memo: keep keys, break values
            bad = {k: [[["x", "y"]], 7] for k in data["entries"]}
            f.write_text(json.dumps({"version": data.get("version"), "entries": bad}))
        elif i % 2:
            f.write_text("{not json", encoding="utf-8")
        else:
            f.write_text(json.dumps([["not", "a", "quantity"], {"key": 1}]), encoding="utf-8")
        n += 1
    return n


def test_a_damaged_cache_is_recomputed_not_trusted(seeded: Project) -> None:
    seeded.write("manuscript/a.md", TWO_CLAIMS.replace("2019", "2018"))
    expected = _cold(seeded)
    assert expected, "the 2018 claim must be flagged"
    assert _damage(seeded.root / CACHE) >= 6
    r = seeded.check("--format", "json", *SELECT)
    assert "Traceback" not in r.err
    assert json.loads(r.out) == expected
    # the run rewrote what it recomputed: a third check reads good entries again
    assert _json(seeded) == expected


def test_cache_off_writes_nothing(seeded: Project) -> None:
    pyproject = seeded.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "cache = false\n", encoding="utf-8")
    seeded.write("manuscript/a.md", TWO_CLAIMS)
    assert seeded.check(*SELECT).code == 0
    assert not (seeded.root / CACHE).exists()


def test_a_cached_bibliography_still_checks_where_file_fields_lead(
    seeded: Project, tmp_path_factory
) -> None:
    seeded.write("manuscript/a.md", TWO_CLAIMS)
    assert seeded.check(*SELECT).code == 0  # the parse of references.bib is now cached
    outside = tmp_path_factory.mktemp("outside") / "copy.txt"
    seed = next(p for p in (seeded.root / "seeds").glob("000_*.txt"))
    shutil.copyfile(seed, outside)
    seed.unlink()
    os.symlink(outside, seed)  # same bytes, but now outside the project
    r = seeded.check()
    assert r.code == 2
    assert "outside the project" in r.err and "references.bib:" in r.err


def test_a_warm_check_does_not_load_the_number_extractor(seeded: Project) -> None:
    """Start-up stays lean: when nothing changed, the check reads the cache and never imports
    the number extractor, bibtexparser, markdown-it or PyYAML (settings are read every time,
    never cached: the TOML parser is loaded by every run)."""
    seeded.write("manuscript/a.md", TWO_CLAIMS)
    cmd = [sys.executable, "-X", "importtime", "-m", "glutlint", "check", *SELECT]
    cold = subprocess.run(cmd, cwd=seeded.root, capture_output=True, text=True, timeout=120)
    warm = subprocess.run(cmd, cwd=seeded.root, capture_output=True, text=True, timeout=120)
    assert cold.returncode == warm.returncode == 0, cold.stderr[-500:]
    assert "glutlint.extraction" in cold.stderr and "bibtexparser" in cold.stderr
    for module in ("glutlint.extraction", "bibtexparser", "markdown_it", "yaml"):
        assert f" {module}\n" not in warm.stderr, module


def test_a_changed_source_is_seen_and_matches_a_check_without_cache(seeded: Project) -> None:
    """Verdicts, numbers and the learned lexicon are keyed by the sources' content: a source
    that now says something else changes the verdict, exactly as a check from nothing."""
    seeded.write("manuscript/a.md", TWO_CLAIMS)
    assert _cold(seeded) == []
    seed = next((seeded.root / "seeds").glob("000_*.txt"))
    text = seed.read_text(encoding="utf-8")
    assert text.count("2019") >= 1
    seed.write_text(text.replace("2019", "2017"), encoding="utf-8")
    changed = _json(seeded)
    assert "GL201" in {d["code"] for d in changed}
    assert changed == _cold(seeded)
