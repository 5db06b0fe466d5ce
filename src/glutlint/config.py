"""Find and validate `[tool.glutlint]` in the nearest pyproject.toml."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .textio import read_text, real_path

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
    "partial_sources",
    "allowed_roots",
}
PARTIAL_SOURCES = ("unverified", "strict")


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
    #: `[tool.glutlint.profile]` as written: the rules' options (see options.py)
    profile: dict[str, object] = field(default_factory=dict)
    csl: str = "american-medical-association"
    output: Path | None = None
    cache: bool = True
    #: "unverified": a value or agent not found in a partial source (abstract, excerpt, news) is
    #: GL205, a warning; "strict": the project holds claims to the texts it keeps (GL201/GL202).
    partial_sources: str = "unverified"
    #: Folders outside the project that configured paths may lead into (resolved); the
    #: project root itself is always allowed.
    allowed_roots: list[Path] = field(default_factory=list)

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
                    shown = real_path(p).relative_to(self.root).as_posix()
                except ValueError:
                    shown = str(path)
            self._shown[str(path)] = shown
        return shown


def find_pyproject(start: Path) -> Path | None:
    """Walk up from `start` to the first pyproject.toml that has [tool.glutlint].

    A pyproject.toml that names glutlint but is not valid TOML is an error at its line: never
    skipped, or a parent folder's settings would silently check (and build) this project."""
    start = real_path(start)
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if not os.path.lexists(candidate) or candidate.is_dir():
            continue
        text = read_text(candidate, str(candidate))
        if "glutlint" not in text:  # no need to parse what cannot hold the table
            continue
        data = read_toml(candidate, text)
        tool = data.get("tool", {})
        if isinstance(tool, dict) and "glutlint" in tool:
            return candidate
    return None


TOML_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def read_toml(path: Path, text: str) -> dict:
    """`tomllib.loads(text)`; a syntax error is an InputError at its line and column. Never
    cached: settings decide what a check reports, so they are read from the file every time."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = TOML_WHERE.search(message)
        if m is None:
            raise InputError(path, None, f"invalid TOML: {message}") from None
        if m.group(1):
            line, column = int(m.group(1)), int(m.group(2))
        else:  # tomllib's "end of document": the last line, after its last character
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        detail = message[: m.start()]
        raise InputError(path, line, f"invalid TOML at column {column}: {detail}") from None


def setting_line(text: str, key: str) -> tuple[int | None, int]:
    """The line and column (1-based; the column of the value) of `key = ...` in the
    `[tool.glutlint]` table of a pyproject's `text`: where a bad setting is refused."""
    inside = False
    pattern = re.compile(rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=\s*""")
    for i, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("["):
            inside = re.match(r"\[\s*tool\s*\.\s*glutlint\s*\]", stripped) is not None
            continue
        m = pattern.match(stripped)
        if inside and m:
            return i, len(line) - len(stripped) + m.end() + 1
    return None, 0


class _Settings:
    """The `[tool.glutlint]` table with the pyproject's text: every refusal names the line."""

    def __init__(self, pyproject: Path, text: str, conf: dict) -> None:
        self.pyproject, self.text, self.conf = pyproject, text, conf

    def refuse(self, key: str, message: str) -> InputError:
        line, column = setting_line(self.text, key)
        where = f" (column {column})" if line else ""
        return InputError(self.pyproject, line, f"[tool.glutlint] {key}{where}: {message}")

    def path_string(self, key: str, value: object) -> str:
        """A path as written: a string without a NUL character (no file can be named so)."""
        if not isinstance(value, str):
            raise self.refuse(key, "must be a path string")
        if "\0" in value:
            raise self.refuse(key, "a path cannot contain a NUL character")
        return value

    def str_list(self, key: str, paths: bool = False) -> list[str]:
        value = self.conf.get(key, [])
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise self.refuse(key, "must be a string or a list of strings")
        if paths:
            for item in items:
                self.path_string(key, item)
        return list(items)

    def codes(self, key: str) -> list[str]:
        """`select` or `ignore`: each a rule code or prefix that names a rule, or ALL (an
        unknown code in `select` would silently run nothing, as `--select ZZZ` is refused)."""
        from .rules import REGISTRY

        codes = self.str_list(key)
        for code in codes:
            upper = code.strip().upper()
            if upper != "ALL" and (not upper or not any(c.startswith(upper) for c in REGISTRY)):
                raise self.refuse(key, f"unknown rule code or prefix '{code}'")
        return codes


def _inside(
    path: Path, roots: list[Path], pyproject: Path | _Settings, key: str, value: str, root: Path
) -> Path:
    """`path` with symlinks followed, if it lies under one of `roots`; else a one-line error
    (a configured path or a symlink may not lead a check to read outside the project)."""
    real = real_path(path)
    if any(real.is_relative_to(r) for r in roots):
        return real
    hint = "add its folder to [tool.glutlint] allowed_roots to read it"
    local = Path(os.path.normpath(path))
    if local.is_relative_to(root) and os.path.islink(local):  # a symlink in the project
        named = local.relative_to(root).as_posix()
        raise InputError(named, None, f"symlink leads outside the project ({hint})")
    if isinstance(pyproject, _Settings):
        raise pyproject.refuse(key, f"leads outside the project: {value} ({hint})")
    raise InputError(
        pyproject, None, f"[tool.glutlint] {key} leads outside the project: {value} ({hint})"
    )


def inside_project(path: Path, config: Config, shown: str) -> Path:
    """A file named on the command line, symlinks followed, if it lies in the project or an
    allowed root; else the one-line refusal a symlink to it would get."""
    real = real_path(path)
    if any(real.is_relative_to(r) for r in [config.root, *config.allowed_roots]):
        return real
    what = "symlink leads" if os.path.islink(path) else "file is"
    hint = "add its folder to [tool.glutlint] allowed_roots to read it"
    raise InputError(shown, None, f"{what} outside the project ({hint})")


def _manuscript_files(root: Path, settings: _Settings, roots: list[Path]) -> list[Path]:
    files: list[Path] = []
    for item in settings.str_list("manuscript", paths=True):
        given = root / item
        p = _inside(given, roots, settings, "manuscript", item, root)
        if p.is_dir():
            found = sorted(x for x in given.iterdir() if x.suffix.lower() in {".md", ".markdown"})
            files.extend(_inside(x, roots, settings, "manuscript", item, root) for x in found)
        elif os.path.lexists(given):
            files.append(p)
        else:
            raise settings.refuse("manuscript", f"path not found: {item}")
    if not files:
        raise settings.refuse("manuscript", "has no Markdown files")
    return files


def load_config(start: Path | None = None) -> Config:
    """Load the project configuration, or fail with a one-line error at the setting's line."""
    pyproject = find_pyproject(start or Path.cwd())
    if pyproject is None:
        raise InputError(None, None, "no pyproject.toml with [tool.glutlint] found here or above")
    text = read_text(pyproject, str(pyproject))
    data = read_toml(pyproject, text)
    conf = data["tool"]["glutlint"]
    if not isinstance(conf, dict):
        raise InputError(pyproject, None, "[tool.glutlint] must be a table")
    settings = _Settings(pyproject, text, conf)
    unknown = sorted(set(conf) - KNOWN_KEYS)
    if unknown:
        line, _ = setting_line(text, unknown[0])
        raise InputError(pyproject, line, f"unknown option in [tool.glutlint]: {unknown[0]}")
    root = real_path(pyproject.parent)
    roots = [root]
    for item in settings.str_list("allowed_roots", paths=True):
        try:
            expanded = Path(item).expanduser()
        except RuntimeError:  # "~nosuchuser": no home folder to expand
            raise settings.refuse("allowed_roots", f"cannot expand {item}") from None
        roots.append(real_path(root / expanded))
    for key in ("manuscript", "bibliography"):
        if key not in conf:
            raise InputError(pyproject, None, f"[tool.glutlint] needs '{key}'")

    def opt_path(key: str) -> Path | None:
        if key not in conf:
            return None
        value = settings.path_string(key, conf[key])
        if key == "output":  # written, not read: where the user wants the build
            return real_path(root / value)
        return _inside(root / value, roots, settings, key, value, root)

    profile: dict[str, object] = {}
    if "profile" in conf:
        if not isinstance(conf["profile"], dict):
            raise settings.refuse("profile", "must be a table ([tool.glutlint.profile])")
        profile = dict(conf["profile"])
    bib = opt_path("bibliography")
    assert bib is not None
    csl = conf.get("csl", "american-medical-association")
    if not isinstance(csl, str):
        raise settings.refuse("csl", "must be a string")
    if "\0" in csl:
        raise settings.refuse("csl", "cannot contain a NUL character")
    partial = conf.get("partial_sources", "unverified")
    if not isinstance(partial, str) or partial not in PARTIAL_SOURCES:
        raise settings.refuse("partial_sources", f"must be one of: {', '.join(PARTIAL_SOURCES)}")
    cache = conf.get("cache", True)
    if not isinstance(cache, bool):
        raise settings.refuse("cache", "must be true or false (a TOML boolean, unquoted)")
    return Config(
        root=root,
        pyproject=pyproject,
        manuscript=_manuscript_files(root, settings, roots),
        bibliography=bib,
        sources=opt_path("sources"),
        facts=opt_path("facts"),
        lexicon=opt_path("lexicon"),
        select=settings.codes("select"),
        ignore=settings.codes("ignore"),
        profile=profile,
        csl=csl,
        output=opt_path("output"),
        cache=cache,
        partial_sources=partial,
        allowed_roots=roots[1:],
    )
