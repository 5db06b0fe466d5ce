"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the pull request.

`::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=CODE::message`, with `warning` for
warnings. Values are escaped as the Actions toolkit does (`%`, CR and LF everywhere; `:` and
`,` too inside properties), so a message can never end a command early or forge another one.
Paths are made relative to the enclosing git repository, because GitHub resolves annotation
paths against the checkout, which may be above the glutlint project root.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def repo_relative(path: str, root: Path | None) -> str:
    """`path` (relative to the project `root`) made relative to the git checkout holding it."""
    if root is None or Path(path).is_absolute():
        return path
    root = Path(root).resolve()
    for folder in [root, *root.parents]:
        if (folder / ".git").exists():
            return (root / path).relative_to(folder).as_posix()
    return path


def render(diagnostics: list[Diagnostic], root: Path | None = None, **_: object) -> str:
    out = []
    for d in diagnostics:
        props = {
            "file": repo_relative(d.path, root),
            "line": d.line,
            "col": d.column,
            "endLine": d.end_line,
            "endColumn": d.end_column,
            "title": d.code,
        }
        prop_text = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
        level = "error" if d.severity == "error" else "warning"
        out.append(f"::{level} {prop_text}::{escape_data(d.message)}\n")
    return "".join(out)
