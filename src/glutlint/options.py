"""Rule options, declared by each rule and checked in one place (yamllint's CONF/DEFAULT).

A rule module that takes options declares `CONF` (option name -> one of the kinds below) and
`DEFAULT` (option name -> value). Users set them in `[tool.glutlint.profile]`. `resolve` merges
every rule's defaults with what the user wrote and refuses, at the pyproject line, an option no
rule declares or a value of the wrong kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from .errors import InputError

#: an integer of at least 1
POSITIVE_INT = "a positive integer"
#: a list of strings
STRINGS = "a list of strings"
#: two integers, low and high, 0 <= low <= high
INT_RANGE = "a list of two integers [low, high]"


def _valid(kind: str, value: object) -> bool:
    if kind == POSITIVE_INT:
        return type(value) is int and value >= 1
    if kind == STRINGS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == INT_RANGE:
        return (
            isinstance(value, list)
            and len(value) == 2
            and all(type(v) is int for v in value)
            and 0 <= value[0] <= value[1]
        )
    raise ValueError(f"unknown option kind {kind!r}")


def _line(pyproject: Path, table: str, name: str) -> int | None:
    """The line of `name = ...` inside `[table]` of the pyproject, for the error message."""
    try:
        lines = pyproject.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    inside = False
    for i, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f"[{table}]"
        elif inside and re.match(rf"{re.escape(name)}\s*=", stripped):
            return i
    return None


def resolve(
    rules: Iterable[ModuleType], given: dict[str, object], pyproject: Path
) -> dict[str, object]:
    """Every rule's DEFAULT overridden by `given` (the profile table), each value checked."""
    table = "tool.glutlint.profile"
    kinds: dict[str, str] = {}
    merged: dict[str, object] = {}
    for rule in rules:
        for name, kind in getattr(rule, "CONF", {}).items():
            kinds[name] = kind
            merged[name] = rule.DEFAULT[name]
    for name, value in given.items():
        if name not in kinds:
            raise InputError(
                pyproject,
                _line(pyproject, table, name),
                f"unknown option in [{table}]: {name} (known: {', '.join(sorted(kinds))})",
            )
        if not _valid(kinds[name], value):
            raise InputError(
                pyproject, _line(pyproject, table, name), f"{name} must be {kinds[name]}"
            )
        merged[name] = value
    return merged
