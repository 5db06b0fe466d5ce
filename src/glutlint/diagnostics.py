"""The record every rule yields and every formatter reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Field names are the JSON output's field names: keep them stable."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    """Path and position first; code and message make the order total, hence reproducible."""
    return (d.path, d.line, d.column, d.code, d.message)


@dataclass(frozen=True)
class Finding:
    """What a rule reports; the engine stamps the rule's code and severity on it."""

    path: str
    line: int
    column: int
    message: str
    end_line: int = 0
    end_column: int = 0
