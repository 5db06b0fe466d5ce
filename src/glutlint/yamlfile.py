"""Safe YAML loading that remembers lines, so schema errors can say `file:line`."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .textio import read_text

if TYPE_CHECKING:
    import yaml

    from .cache import Store


class LineDict(dict):
    """A mapping from YAML that knows its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0


@functools.cache
def _loader_class() -> type:
    """SafeLoader (no tags that run code) whose mappings and lists carry line numbers.

    Built on first use: a check whose YAML all comes from the cache never imports PyYAML."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's scanner is ~10x faster

    class Loader(base):  # type: ignore[valid-type,misc]
        def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
            """Name the line of a value its tag cannot hold (`!!int ""`), not the document's."""
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
                tag = str(node.tag).rsplit(":", 1)[-1]
                raise yaml.constructor.ConstructorError(
                    None, None, f"cannot read {node.value!r} as {tag}", node.start_mark
                ) from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
    return Loader


def _mapping(loader: yaml.Loader, node: yaml.MappingNode) -> LineDict:
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise InputError(None, key_node.start_mark.line + 1, "mapping keys must be scalars")
        if key in d:
            raise InputError(None, key_node.start_mark.line + 1, f"duplicate key '{key}'")
        d[str(key) if not isinstance(key, str) else key] = loader.construct_object(
            value_node, deep=True
        )
        d.key_lines[str(key)] = key_node.start_mark.line + 1
    return d


def _sequence(loader: yaml.Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    return out


MAX_NODES = 100_000


def load_yaml(path: Path, shown: str, store: Store | None = None) -> object:
    """Load one YAML document safely; errors become one-line InputErrors with the line."""
    text = read_text(path, shown)
    return loads_yaml(text, shown, store=store)


def yaml_error(exc: yaml.YAMLError, shown: str, text: str, first_line: int = 1) -> InputError:
    """One line for any PyYAML error, with the line it happened on when it can be known."""
    import yaml

    line = None
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + first_line
        problem = f"character {exc.character!r} is not allowed in YAML"
    elif isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        problem = (exc.problem or exc.context or "").strip() or str(exc).splitlines()[0]
    else:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return InputError(shown, line, f"invalid YAML: {problem}")


def loads_yaml(text: str, shown: str, first_line: int = 1, store: Store | None = None) -> object:
    """Load YAML `text` safely; `first_line` is the file line the text starts on.

    Through the project's store: ledger, lexicon and front matter change far less often than
    they are read. Errors are never stored, so a bad file fails the same way every time."""
    if store is None:
        return _loads_now(text, shown, first_line)
    from .cache import key

    tree = store.memo("yaml").get(
        key(str(first_line), text),
        lambda: _loads_now(text, shown, first_line),
        object,
        _encode_tree,
        _decode_tree,
    )
    return None if tree is _NULL else tree


class _NotJSON(Exception):
    pass


def _encode_tree(value: object) -> object:
    """The loaded tree with its lines as JSON; None when a value JSON cannot hold (a date)."""

    def enc(x: object) -> object:
        if isinstance(x, LineDict):
            return {"d": [[k, enc(v)] for k, v in x.items()], "l": x.line, "k": x.key_lines}
        if isinstance(x, LineList):
            return {"a": [enc(v) for v in x], "l": x.line}
        if x is None or type(x) in (str, bool, int, float):
            return {"v": x}
        kind = type(x).__name__  # YAML timestamps: dates in a ledger, a front matter date
        if kind in ("date", "datetime") and type(x).__module__ == "datetime":
            return {kind: x.isoformat()}  # type: ignore[attr-defined]
        raise _NotJSON

    try:
        return {"tree": enc(value)}
    except (_NotJSON, RecursionError):
        return None


def _decode_tree(raw: object) -> object:
    """A stored tree, or None (the memo's "absent") when it is malformed. A stored document
    that is itself null decodes to the _NULL marker."""

    def dec(x: object) -> object:
        if not isinstance(x, dict):
            raise ValueError
        if "date" in x or "datetime" in x:
            import datetime as dt

            kind = "date" if "date" in x else "datetime"
            if not isinstance(x[kind], str):
                raise ValueError
            return getattr(dt, kind).fromisoformat(x[kind])
        if "v" in x:
            v = x["v"]
            if v is not None and type(v) not in (str, bool, int, float):
                raise ValueError
            return v
        line = x.get("l")
        if type(line) is not int:
            raise ValueError
        if "a" in x:
            out = LineList(dec(v) for v in x["a"])
            out.line = line
            return out
        d = LineDict()
        d.line = line
        kl = x["k"]
        if not isinstance(kl, dict) or not all(type(n) is int for n in kl.values()):
            raise ValueError
        d.key_lines = dict(kl)
        for k, v in x["d"]:
            if not isinstance(k, str):
                raise ValueError
            d[k] = dec(v)
        return d

    try:
        tree = dec(raw["tree"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError, RecursionError):
        return None
    return _NULL if tree is None else tree


_NULL = LineDict()  # never returned: see loads_yaml


def _loads_now(text: str, shown: str, first_line: int) -> object:
    import yaml

    loader = None
    try:
        loader = _loader_class()(text)
        node = loader.get_single_node()
        if node is None:
            return None
        _guard(node, shown)
        return loader.construct_document(node)
    except InputError as exc:
        line = exc.line + first_line - 1 if exc.line else exc.line
        raise InputError(shown, line, exc.message) from None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, shown, text, first_line) from None
    except RecursionError:
        raise InputError(shown, first_line, "YAML nested too deeply") from None
    except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
        # PyYAML's own constructors fail this way on values such as `!!int ""`
        raise InputError(shown, first_line, "invalid YAML: a tagged value cannot be read") from None
    finally:
        if loader is not None:
            loader.dispose()


def _guard(root: yaml.Node, shown: str) -> None:
    """Refuse alias bombs: count nodes as expanded, through aliases, before constructing."""
    import yaml

    seen = 0
    stack = [root]
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise InputError(shown, root.start_mark.line + 1, "YAML too large or too many aliases")
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
