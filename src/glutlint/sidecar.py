"""The sources sidecar: what the project knows about each source, kept beside the sources.

Keyed by bibliography key: a source's kind (full text, abstract, ...), the ranges that are
furniture the finder does not see (`exclude`), and the ranges kept although they look like
furniture (`keep`). Every mistake names its YAML line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .readers import Place
from .source_kinds import KINDS, canonical
from .textio import read_text
from .yamlfile import yaml_error

if TYPE_CHECKING:
    import yaml

    from .cache import Store

# --------------------------------------------------------------------------------------------

_ENTRY_KEYS = ("exclude", "keep", "kind")
_RANGE_KEYS = ("lines", "pages", "why")
_RANGE_RE = re.compile(r"\s*(\d+)\s*(?:[-\u2013]\s*(\d+)\s*)?")


@dataclass(frozen=True)
class Span:
    """A range the sidecar names: lines `first`..`last` of the file (for a PDF: pages, when
    `pages`), 1-based and inclusive, and the sidecar line that named it."""

    first: int
    last: int
    pages: bool = False
    at: int = field(default=0, compare=False)
    why: str = field(default="", compare=False)

    def covers(self, place: Place) -> bool:
        if self.pages:
            return self.first <= place.page <= self.last
        return not place.page and self.first <= place.line <= self.last


@dataclass
class SourceSettings:
    """What the sidecar says about one source: its kind, the ranges that are furniture
    (`exclude`) and the ranges kept although they look like furniture (`keep`)."""

    kind: str = ""
    exclude: list[Span] = field(default_factory=list)
    keep: list[Span] = field(default_factory=list)
    #: Where these settings came from, so a range that does not fit the source file can be
    #: reported at the sidecar line that set it.
    origin: Path | None = field(default=None, compare=False, repr=False, metadata={"stored": False})


def _node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _parse_range(value: object) -> tuple[int, int] | None:
    """ "A-B" (or "A", or an int) as a 1-based inclusive range; None when malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, value) if value >= 1 else None
    if not isinstance(value, str):
        return None
    m = _RANGE_RE.fullmatch(value)
    if not m:
        return None
    a = int(m.group(1))
    b = int(m.group(2)) if m.group(2) else a
    return (a, b) if 1 <= a <= b else None


def load_sidecar(path: Path, store: Store | None = None) -> dict[str, SourceSettings]:
    """Read and strictly validate the sources sidecar; every mistake names its YAML line."""
    text = read_text(path, str(path))
    if store is None:
        settings = _sidecar_now(text, path)
    else:
        from .cache import key

        settings = store.memo("sidecar").get(
            key(text), lambda: _sidecar_now(text, path), dict[str, SourceSettings]
        )
    for s in settings.values():
        s.origin = path
    return settings


def _sidecar_now(text: str, path: Path) -> dict[str, SourceSettings]:
    import yaml

    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, str(path), text) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            # A scanner error's context is where the bad token began (an unclosed quote, a
            # key without ':'); for parser errors the problem mark is the offending line.
            scanner = isinstance(exc, yaml.scanner.ScannerError)
            marks = (exc.context_mark, exc.problem_mark) if scanner else (exc.problem_mark,)
            mark = next((m for m in marks if m is not None), None)
            line = mark.line + 1 if mark is not None else None
            raise InputError(path, line, f"invalid YAML: {exc.problem or exc.context}") from None
        except yaml.YAMLError as exc:
            raise yaml_error(exc, str(path), text) from None
        if root is None:
            return {}
        return _sidecar_from_node(root, loader, path)
    finally:
        loader.dispose()


def _scalar(node: yaml.Node, loader: yaml.SafeLoader, path: Path) -> object:
    """The Python value of a scalar node (str, int, None, ...); collections are rejected."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise InputError(path, _node_line(node), "expected a single value here")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise InputError(path, _node_line(node), f"invalid value: {exc}") from None
    except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
        raise InputError(
            path, _node_line(node), "invalid value: a tagged value cannot be read"
        ) from None


def _sidecar_from_node(
    root: yaml.Node, loader: yaml.SafeLoader, path: Path
) -> dict[str, SourceSettings]:
    import yaml

    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            path, _node_line(root), "the sources sidecar must map bibliography keys to settings"
        )
    out: dict[str, SourceSettings] = {}
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        key = _scalar(key_node, loader, path)
        line = _node_line(key_node)
        if not isinstance(key, str) or not key.strip():
            raise InputError(
                path, line, f"a bibliography key must be a non-empty name, not {key!r}"
            )
        if key in seen:
            raise InputError(path, line, f"duplicate key '{key}' (first at line {seen[key]})")
        seen[key] = line
        out[key] = _settings_from_node(key, value_node, loader, path)
    return out


def _settings_from_node(
    key: str, node: yaml.Node, loader: yaml.SafeLoader, path: Path
) -> SourceSettings:
    import yaml

    settings = SourceSettings(origin=path)
    if isinstance(node, yaml.ScalarNode) and _scalar(node, loader, path) is None:
        return settings  # `key:` with nothing under it: defaults
    if not isinstance(node, yaml.MappingNode):
        raise InputError(path, _node_line(node), f"settings of '{key}' must be a mapping")
    seen: set[str] = set()
    for k_node, v_node in node.value:
        name = _scalar(k_node, loader, path)
        line = _node_line(k_node)
        if name not in _ENTRY_KEYS:
            raise InputError(
                path, line, f"unknown setting {name!r} for '{key}' (expected: kind, exclude)"
            )
        if name in seen:
            raise InputError(path, line, f"duplicate setting '{name}' for '{key}'")
        seen.add(name)
        if name == "kind":
            kind = _scalar(v_node, loader, path)
            if not isinstance(kind, str):
                raise InputError(path, _node_line(v_node), f"kind of '{key}' must be text")
            known = canonical(kind)
            if known is None:
                raise InputError(
                    path,
                    _node_line(v_node),
                    f"unknown kind {kind.strip()!r} for '{key}' (expected: {', '.join(KINDS)})",
                )
            settings.kind = known
        else:
            target = settings.exclude if name == "exclude" else settings.keep
            _read_ranges(key, str(name), v_node, loader, path, target)
    return settings


def _read_ranges(
    key: str, what: str, node: yaml.Node, loader: yaml.SafeLoader, path: Path, out: list[Span]
) -> None:
    import yaml

    if isinstance(node, yaml.ScalarNode) and _scalar(node, loader, path) is None:
        return
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(path, _node_line(node), f"{what} of '{key}' must be a list")
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise InputError(
                path, _node_line(item), f'each {what} entry must be {{lines: "A-B", why: "..."}}'
            )
        found: dict[str, yaml.Node] = {}
        for k_node, v_node in item.value:
            name = _scalar(k_node, loader, path)
            if name not in _RANGE_KEYS:
                raise InputError(
                    path,
                    _node_line(k_node),
                    f"unknown field {name!r} in an {what} entry (expected: lines or pages, why)",
                )
            if name in found:
                raise InputError(path, _node_line(k_node), f"duplicate field '{name}'")
            found[str(name)] = v_node
        unit = [u for u in ("lines", "pages") if u in found]
        if len(unit) != 1:
            raise InputError(
                path, _node_line(item), f"an {what} entry without 'lines' (or 'pages' for a PDF)"
            )
        raw = _scalar(found[unit[0]], loader, path)
        rng = _parse_range(raw)
        if rng is None:
            raise InputError(
                path,
                _node_line(found[unit[0]]),
                f'bad {unit[0][:-1]} range {raw!r}: expected "A-B" with 1 <= A <= B',
            )
        why = _scalar(found["why"], loader, path) if "why" in found else ""
        if not isinstance(why, str):
            raise InputError(path, _node_line(found["why"]), "'why' must be text")
        out.append(Span(rng[0], rng[1], unit[0] == "pages", _node_line(found[unit[0]]), why))
