"""Regular expressions compiled on first use.

A module-level `re.compile` runs at import, on every start of the program. Patterns that only
the slow paths need (parsing a block or normalising a source that is not in the cache yet) are
declared with `lazy`, so a check served from the cache never compiles them.
"""

from __future__ import annotations

import re


class _Lazy:
    """Stands in for a compiled pattern; compiles it when a method is first asked for."""

    __slots__ = ("_args", "_rx")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._rx: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> object:
        if self._rx is None:
            self._rx = re.compile(*self._args)
        return getattr(self._rx, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, deferred until the pattern is used."""
    return _Lazy(pattern, flags)  # type: ignore[return-value]
