"""Records as JSON and back, decoded by their type hints.

`encode` turns a value into JSON data: a dataclass becomes the list of its fields (in field
order), tuples and sets become lists, an Enum its value. `decode(kind, data)` rebuilds a
value of type `kind` (`list[Quantity]`, `tuple[str, int] | None`, a dataclass, ...) and
raises `Invalid` when the data does not have that shape: what the cache reads is checked
against the same type hints the code is written with, not against a validator of its own.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import sys
import types
import typing
from collections.abc import Callable

Decoder = Callable[[object], object]


class Invalid(ValueError):
    """Stored data that does not have the shape of the type it is decoded as."""


class Unstorable(TypeError):
    """A value JSON cannot hold (it is kept in memory only)."""


def encode(value: object) -> object:
    """`value` as JSON data (Unstorable when some part of it is not data)."""
    t = type(value)
    if t in (str, int, float, bool) or value is None:
        return value
    if t is list or t is tuple:
        return [encode(v) for v in value]  # type: ignore[attr-defined]
    if t is dict:
        out = {}
        for k, v in value.items():  # type: ignore[attr-defined]
            if type(k) is not str:
                raise Unstorable(f"key {k!r}")
            out[k] = encode(v)
        return out
    if t is set or t is frozenset:
        return sorted(encode(v) for v in value)  # type: ignore[attr-defined,type-var]
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if dataclasses.is_dataclass(value):
        return [encode(getattr(value, f.name)) for f in _stored_fields(typing.cast(type, t))]
    raise Unstorable(t.__name__)


def decode(kind: object, data: object) -> typing.Any:
    """`data` (as `encode` wrote it) as a value of type `kind`, or Invalid."""
    try:
        return decoder(kind)(data)
    except (TypeError, ValueError, KeyError, RecursionError) as exc:
        raise Invalid(str(exc)) from None


@functools.cache
def _stored_fields(cls: type) -> tuple[dataclasses.Field, ...]:
    """The fields a dataclass is stored with: those its constructor takes, less any marked
    `metadata={"stored": False}` (a reference to the store itself, say)."""
    return tuple(f for f in dataclasses.fields(cls) if f.init and f.metadata.get("stored", True))


def _fail(what: str) -> typing.NoReturn:
    raise Invalid(what)


@functools.cache
def decoder(kind: object) -> Decoder:
    """A function that decodes stored data as `kind` (built once per type)."""
    if kind in (str, bool):
        return lambda x: x if type(x) is kind else _fail(kind.__name__)  # type: ignore[union-attr]
    if kind is int:
        return lambda x: x if type(x) is int else _fail("int")
    if kind is float:  # JSON writes 3.0 as 3.0 but an int-valued float may be stored as 3
        return lambda x: x if type(x) in (float, int) else _fail("float")
    if kind is None or kind is type(None):
        return lambda x: x if x is None else _fail("None")
    if kind is object or kind is typing.Any:
        return lambda x: x
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is list:
        return _sequence(args[0], list)
    if origin in (set, frozenset):
        return _sequence(args[0], origin)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(args[0], tuple)
        return _tuple(args)
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"cannot decode {kind}: JSON keys are strings")
        value_kind = args[1]
        item = decoder(value_kind)

        def mapping(x: object) -> dict:
            if type(x) is not dict:
                _fail("dict")
            if value_kind in (int, str):  # JSON object keys are strings already
                return dict(x) if _all_are(x.values(), value_kind) else _fail("dict values")
            return {k: item(v) for k, v in x.items()}

        return mapping
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass(kind)
    raise TypeError(f"cannot decode {kind!r}")


def _all_are(xs: typing.Iterable[object], kind: type) -> bool:
    return set(map(type, xs)) <= {kind}


def _union(args: tuple[object, ...]) -> Decoder:
    rest = [a for a in args if a is not type(None)]
    if len(rest) == 1 and len(args) == 2:  # X | None
        inner = decoder(rest[0])
        return lambda x: None if x is None else inner(x)
    options = [decoder(a) for a in args]

    def either(x: object) -> object:
        for option in options:
            try:
                return option(x)
            except (Invalid, TypeError, ValueError, KeyError):
                continue
        _fail("no alternative of the union fits")

    return either


def _sequence(item_kind: object, make: type) -> Decoder:
    if item_kind in (int, str):  # the common case, checked at C speed

        def plain(x: object) -> object:
            if type(x) is not list or not _all_are(x, item_kind):  # type: ignore[arg-type]
                _fail(f"list of {item_kind}")
            return make(x)

        return plain
    item = decoder(item_kind)

    def sequence(x: object) -> object:
        if type(x) is not list:
            _fail("list")
        return make(map(item, x))  # type: ignore[call-overload]

    return sequence


def _tuple(args: tuple[object, ...]) -> Decoder:
    items = [decoder(a) for a in args]
    n = len(items)

    def fixed(x: object) -> tuple:
        if type(x) is not list or len(x) != n:
            _fail(f"list of {n}")
        return tuple(f(v) for f, v in zip(items, x, strict=True))

    return fixed


def _hint(cls: type, f: dataclasses.Field) -> object:
    """The type of a field, its annotation evaluated in the class's module (only the stored
    fields: another may name a type imported for type checkers alone)."""
    if not isinstance(f.type, str):
        return f.type
    return eval(f.type, vars(sys.modules[cls.__module__]))


def _dataclass(cls: type) -> Decoder:
    fields = _stored_fields(cls)
    items = [decoder(_hint(cls, f)) for f in fields]
    names = [f.name for f in fields]
    n = len(items)
    init = [f for f in dataclasses.fields(cls) if f.init]
    positional = init[:n] == list(fields)  # stored fields first: no keywords needed

    def record(x: object) -> object:
        if type(x) is not list or len(x) != n:
            _fail(f"{cls.__name__}: list of {n}")
        values = [f(v) for f, v in zip(items, x, strict=True)]
        return cls(*values) if positional else cls(**dict(zip(names, values, strict=True)))

    return record
