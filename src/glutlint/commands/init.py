"""`glutlint init`: start a review in this folder, or give an existing one glutlint's files.

Writes the `[tool.glutlint]` table (into pyproject.toml, made or appended to), a manuscript
skeleton with the sections the default journal profile requires, an empty facts ledger and
sources sidecar, and a pre-commit configuration. Nothing that exists is overwritten: an
existing file is kept and said so; an existing `[tool.glutlint]` table stops init.

With `--bibliography`, each entry is reported: whether it has a source glutlint can read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError

TABLE = """
[tool.glutlint]
manuscript = "manuscript"
bibliography = "{bibliography}"
sources = "refs/sources.yaml"
facts = "refs/facts.yaml"
# allowed_roots = ["~/Zotero/storage"]   # where attachments may live outside this folder
"""

SECTIONS = {
    "00-front.md": """---
title: "Title of the review"
author:
  - name: Author Name
    affiliation: [1]
    corresponding: true
affiliations:
  - id: 1
    name: Department, Institution, City, Country
abstract: |
  Write the abstract here; every factual sentence cites its source by its key.
---
""",
    "01-key-points.md": "# Key Points {-}\n\n- First key point.\n- Second key point.\n"
    "- Third key point.\n",
    "02-introduction.md": "# Introduction\n\nWrite the introduction here.\n",
    "03-conclusions.md": "# Conclusions\n\nWrite the conclusions here.\n",
    "04-declarations.md": "# Declarations {-}\n\n**Funding.** None.\n\n"
    "**Conflicts of interest.** None.\n",
    "05-references.md": "# References {-}\n\n::: {#refs}\n:::\n",
}

LEDGER = """# The facts ledger: dated facts the review must get right, each anchored by a quote
# from a source (see the README, "The facts ledger"). Empty to begin with.
facts: []
"""

SIDECAR = """# Settings about the sources, keyed by bibliography key: `kind` (full text, abstract,
# excerpt, news) and `exclude`/`keep` ranges (see the README, "Sources"). Empty to begin with.
"""

PRE_COMMIT = """# glutlint on every commit that touches the manuscript, bibliography or settings.
# Uses the glutlint installed in this environment (pip install glutlint from its repository).
repos:
  - repo: local
    hooks:
      - id: glutlint
        name: glutlint
        entry: glutlint check
        language: system
        files: \\.(md|markdown|bib|json|ya?ml)$
        pass_filenames: false
        require_serial: true
"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=Path("."), help="the review's folder (default: .)")
    p.add_argument(
        "--bibliography",
        help="an existing .bib or CSL .json file (relative to the root); default: a new "
        "refs/references.bib",
    )


def run(args: argparse.Namespace) -> int:
    from ..textio import read_text, real_path

    root = real_path(args.root)
    if not root.is_dir():
        raise InputError(str(args.root), None, "not a folder")
    bibliography = args.bibliography or "refs/references.bib"
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        existing = read_text(pyproject, "pyproject.toml")
        from ..config import read_toml

        data = read_toml(pyproject, existing)
        if isinstance(data.get("tool"), dict) and "glutlint" in data["tool"]:
            raise InputError("pyproject.toml", None, "already has [tool.glutlint]: nothing done")
    if args.bibliography and not (root / bibliography).is_file():
        raise InputError(bibliography, None, "bibliography not found")
    table = TABLE.format(bibliography=bibliography)
    if pyproject.exists():
        _write(pyproject, existing.rstrip("\n") + "\n" + table, root, append=True)
    else:
        _write(pyproject, table.lstrip("\n"), root)
    files = {f"manuscript/{n}": t for n, t in SECTIONS.items()}
    files |= {"refs/facts.yaml": LEDGER, "refs/sources.yaml": SIDECAR}
    files[".pre-commit-config.yaml"] = PRE_COMMIT
    if not args.bibliography:
        files[bibliography] = ""
    for rel, text in files.items():
        _write(root / rel, text, root)
    if args.bibliography:
        _report(root)
    print("next: glutlint check")
    return 0


def _write(path: Path, text: str, root: Path, append: bool = False) -> None:
    from .. import atomic

    rel = path.relative_to(root).as_posix()
    if path.exists() and not append:
        print(f"kept     {rel} (exists)")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write(path, text.encode("utf-8"))
    print(f"{'appended' if append else 'wrote':8} {rel}")


def _report(root: Path) -> None:
    """Each bibliography entry: the source glutlint will read, or why there is none."""
    from ..bibliography import load_bibliography
    from ..config import load_config
    from ..readers import read
    from ..sources import MAX_SOURCE_BYTES
    from ..textio import read_bytes

    config = load_config(root)
    entries = load_bibliography(config.bibliography, config.root, roots=config.allowed_roots)
    readable = 0
    for key, entry in entries.items():
        if entry.file is None:
            print(f"no source  {key}: no file field")
            continue
        shown = config.rel(entry.file)
        try:
            reading = read(read_bytes(entry.file, shown, limit=MAX_SOURCE_BYTES), entry.file, shown)
        except InputError as exc:
            print(f"no source  {key}: {exc}")
            continue
        readable += 1
        print(f"source     {key}: {shown} ({reading.format}, {len(reading.lines)} lines)")
    print(f"{readable} of {len(entries)} entries have a source glutlint can read")
