"""Find and validate `[tool.glutlint]` in the nearest pyproject.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

DEFAULT_PROFILE: dict[str, object] = {
    "required_sections": [
        "Key Points",
        "Introduction",
        "Conclusions",
        "Declarations",
        "References",
    ],
    "abstract_words": 250,
    "key_points": [3, 4],
    "non_claim_sections": ["Declarations", "References", "Acknowledgements", "Acknowledgments"],
    "evidence_cutoff_in": ["Abstract", "Key Points"],
}

KNOWN_KEYS = {
    "manuscript",
    "bibliography",
    "sources",
    "facts",
    "lexicon",
    "select",
    "ignore",
    "profile",
    "csl",
    "output",
    "cache",
}


@dataclass
class Config:
    """Resolved settings; every path is absolute."""

    root: Path
    pyproject: Path
    manuscript: list[Path]
    bibliography: Path
    sources: Path | None = None
    facts: Path | None = None
    lexicon: Path | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    profile: dict[str, object] = field(default_factory=lambda: dict(DEFAULT_PROFILE))
    csl: str = "american-medical-association"
    output: Path | None = None
    cache: bool = True

    _shown: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def rel(self, path: Path | str) -> str:
        """A path as users should see it: relative to the project root when inside it.
        Remembered per path: resolving walks the file system, and a check asks for
        every source's path several times."""
        shown = self._shown.get(str(path))
        if shown is None:
            p = Path(path)
            try:  # an absolute path already under the (resolved) root needs no file system
                if not p.is_absolute() or ".." in p.parts:
                    raise ValueError
                shown = p.relative_to(self.root).as_posix()
            except ValueError:
                try:
                    shown = p.resolve().relative_to(self.root).as_posix()
                except ValueError:
                    shown = str(path)
            self._shown[str(path)] = shown
        return shown


def find_pyproject(start: Path) -> Path | None:
    """Walk up from `start` to the first pyproject.toml that has [tool.glutlint]."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
                if "glutlint" not in text:  # no need to parse what cannot hold the table
                    continue
                data = read_toml(candidate, text)
            except (ValueError, UnicodeDecodeError):  # TOMLDecodeError is a ValueError
                continue
            tool = data.get("tool", {})
            if isinstance(tool, dict) and "glutlint" in tool:
                return candidate
    return None


def read_toml(path: Path, text: str) -> dict:
    """`tomllib.loads(text)`, kept in the project's cache beside `path`: parsing TOML costs
    more than the rest of a cached check's start-up. Not kept when the table says
    `cache = false`, or holds values JSON cannot (TOML dates)."""
    import json

    from .cache import CACHE_DIR, key, put

    file = path.parent / CACHE_DIR / f"toml-{key(text)}.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    except (OSError, ValueError, RecursionError):
        pass
    import tomllib

    data = tomllib.loads(text)
    tool = data.get("tool")
    conf = tool.get("glutlint") if isinstance(tool, dict) else None
    if isinstance(conf, dict) and conf.get("cache", True) is not False:
        try:
            json.dumps(data)
        except (TypeError, ValueError):
            return data
        put(file, data)
    return data


def _str_list(value: object, key: str, path: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InputError(path, None, f"[tool.glutlint] {key} must be a string or a list of strings")


def _manuscript_files(root: Path, value: object, pyproject: Path) -> list[Path]:
    files: list[Path] = []
    for item in _str_list(value, "manuscript", pyproject):
        p = (root / item).resolve()
        if p.is_dir():
            files.extend(sorted(x for x in p.iterdir() if x.suffix.lower() in {".md", ".markdown"}))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(pyproject, None, f"manuscript path not found: {item}")
    return files


def load_config(start: Path | None = None) -> Config:
    """Load the project configuration, or fail with a one-line error."""
    pyproject = find_pyproject(start or Path.cwd())
    if pyproject is None:
        raise InputError(None, None, "no pyproject.toml with [tool.glutlint] found here or above")
    try:
        data = read_toml(pyproject, pyproject.read_text(encoding="utf-8"))
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise InputError(pyproject, getattr(exc, "lineno", None), f"invalid TOML: {exc}") from None
    conf = data["tool"]["glutlint"]
    if not isinstance(conf, dict):
        raise InputError(pyproject, None, "[tool.glutlint] must be a table")
    unknown = sorted(set(conf) - KNOWN_KEYS)
    if unknown:
        raise InputError(pyproject, None, f"unknown option in [tool.glutlint]: {unknown[0]}")
    root = pyproject.parent.resolve()
    for key in ("manuscript", "bibliography"):
        if key not in conf:
            raise InputError(pyproject, None, f"[tool.glutlint] needs '{key}'")

    def opt_path(key: str) -> Path | None:
        if key not in conf:
            return None
        if not isinstance(conf[key], str):
            raise InputError(pyproject, None, f"[tool.glutlint] {key} must be a path string")
        return (root / conf[key]).resolve()

    profile = dict(DEFAULT_PROFILE)
    if "profile" in conf:
        if not isinstance(conf["profile"], dict):
            raise InputError(pyproject, None, "[tool.glutlint.profile] must be a table")
        bad = sorted(set(conf["profile"]) - set(DEFAULT_PROFILE))
        if bad:
            raise InputError(
                pyproject, None, f"unknown option in [tool.glutlint.profile]: {bad[0]}"
            )
        profile.update(conf["profile"])
    bib = opt_path("bibliography")
    assert bib is not None
    csl = conf.get("csl", "american-medical-association")
    if not isinstance(csl, str):
        raise InputError(pyproject, None, "[tool.glutlint] csl must be a string")
    return Config(
        root=root,
        pyproject=pyproject,
        manuscript=_manuscript_files(root, conf["manuscript"], pyproject),
        bibliography=bib,
        sources=opt_path("sources"),
        facts=opt_path("facts"),
        lexicon=opt_path("lexicon"),
        select=_str_list(conf.get("select", []), "select", pyproject),
        ignore=_str_list(conf.get("ignore", []), "ignore", pyproject),
        profile=profile,
        csl=csl,
        output=opt_path("output"),
        cache=bool(conf.get("cache", True)),
    )
