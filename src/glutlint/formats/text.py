"""`path:line:col: CODE message`: the line format editors, vim's quickfix and CI parse."""

from __future__ import annotations

from ..diagnostics import Diagnostic


def render(diagnostics: list[Diagnostic], **_: object) -> str:
    return "".join(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n" for d in diagnostics)
