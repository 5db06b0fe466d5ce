"""SARIF 2.1.0, the format GitHub code scanning and other result viewers import.

One run whose driver lists every rule (its documentation is the rule module's docstring), and
one result per diagnostic. Locations are relative, percent-encoded URIs under the `SRCROOT`
base (the git checkout when there is one, else the project root), so the log holds no machine
paths. Columns
count Unicode code points, as glutlint's do, and `endColumn` is the column after the region.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic
from .github import repo_relative

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@cache
def information_uri() -> str:
    """The documentation URL from the package metadata (`[project.urls]`), else "" (no link
    is better than a link to a page that does not exist).

    One place to change: the SARIF driver's informationUri and the language server's default
    rule links (`<url>#gl201`, the README's rule anchors) both come from here.
    """
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("glutlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    labelled = dict(u.split(", ", 1) for u in urls if ", " in u)
    for label in ("Documentation", "Homepage", "Repository", "Source"):
        if labelled.get(label, "").startswith(("https://", "http://")):
            return labelled[label]
    return ""


def _summary(doc: str) -> str:
    """The docstring's first line without its `GL201 name:` prefix."""
    first = doc.strip().splitlines()[0]
    return first.split(": ", 1)[-1].strip()


def rule_descriptors() -> list[dict[str, object]]:
    from ..rules import REGISTRY

    out: list[dict[str, object]] = []
    for code, rule in REGISTRY.items():
        doc = (rule.__doc__ or code).strip()
        level = "error" if rule.SEVERITY == "error" else "warning"
        out.append(
            {
                "id": code,
                "name": rule.NAME,
                "shortDescription": {"text": _summary(doc)},
                "fullDescription": {"text": doc},
                "help": {"text": doc},
                "defaultConfiguration": {"level": level},
            }
        )
    return out


def region(d: Diagnostic) -> dict[str, int]:
    """The diagnostic's span; a zero-width one is widened to one character, never inverted."""
    end_line, end_column = d.end_line, d.end_column
    if (end_line, end_column) <= (d.line, d.column):
        end_line, end_column = d.line, d.column + 1
    return {
        "startLine": d.line,
        "startColumn": d.column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def render(diagnostics: list[Diagnostic], root: Path | None = None, **_: object) -> str:
    rules = rule_descriptors()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": "error" if d.severity == "error" else "warning",
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": quote(repo_relative(d.path, root), safe="/"),
                            "uriBaseId": "SRCROOT",
                        },
                        "region": region(d),
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "glutlint",
                        "version": __version__,
                        **({"informationUri": information_uri()} if information_uri() else {}),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
