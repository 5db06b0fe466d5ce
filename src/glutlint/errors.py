"""The one error type users see: a file, a line and what is wrong, never a traceback."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad configuration or input; the CLI prints it on one line and exits 2."""

    def __init__(self, path: str | Path | None, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.path or "glutlint"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"
