"""A JSON array of diagnostic objects with exactly the Diagnostic field names."""

from __future__ import annotations

import json

from ..diagnostics import Diagnostic


def render(diagnostics: list[Diagnostic], **_: object) -> str:
    return json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
