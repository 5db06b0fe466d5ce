"""Output formats: one small module each, a single `render(diagnostics) -> str` function."""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "github", "sarif")


def render(name: str, diagnostics: list, **kw: object) -> str:
    return importlib.import_module(f"glutlint.formats.{name}").render(diagnostics, **kw)
