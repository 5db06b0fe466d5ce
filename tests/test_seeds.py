"""The sources are evidence: byte-identical to their recorded checksums, never edited."""

from __future__ import annotations

import hashlib

from conftest import ROOT, SEEDS


def test_seed_texts_match_their_checksums() -> None:
    lines = (SEEDS / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    recorded = dict(reversed(line.split("  ", 1)) for line in lines if line.strip())
    texts = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert texts == sorted(recorded), "every seed text has a checksum and no checksum is stale"
    for name, digest in recorded.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name


def test_every_bibliography_entry_names_an_existing_source() -> None:
    from glutlint.bibliography import load_bibliography

    entries = load_bibliography(ROOT / "refs" / "references.bib", ROOT)
    assert set(entries) == {
        "mcintyre2024",
        "pedersen2017",
        "kadriu2019",
        "henter2021",
        "sanacora2008",
    }
    for key, entry in entries.items():
        assert entry.file is not None and entry.file.is_file(), key
        assert entry.file.parent == SEEDS, key
