"""Refuse Markdown nested deeper than glutlint reads, before pandoc is run on it.

pandoc reads a list nested 1,500 levels deep in minutes (its list parser is quadratic in the
depth), and the AST of anything nested a few hundred levels deep is too deep for Python's
JSON reader and for the walks over it. One linear pass over the lines measures the nesting
pandoc would build: block quotes (`>`), list items (by their indentation), fenced divs
(`:::`), and, within a line, runs of emphasis openers (`*_*_...`). A file deeper than
`MAX_DEPTH` is refused at the line where that depth is reached, naming the file, without
running pandoc. Real manuscripts nest a handful of levels; the limit is far above them and
below where reading fails.
"""

from __future__ import annotations

import re

from .errors import InputError

#: Levels of nesting (quotes + list items + divs on a line, or emphasis openers in a run)
#: beyond which a Markdown file is refused. pandoc's AST of about 300 nested divs is already
#: too deep to read (as are about 330 nested lists, or 800 quotes); 200 is far above anything
#: written by hand.
MAX_DEPTH = 200

_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_ITEM = re.compile(r"([ \t]*)(?:[-+*]|\(?(?:\d{1,9}|[a-zA-Z]|[ivxlcdmIVXLCDM]+|#)[.)])([ \t]+|$)")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
_DIV_OPEN = re.compile(r"[ \t]{0,3}:{3,}[ \t]*[^:\s]")
_DIV_CLOSE = re.compile(r"[ \t]{0,3}:{3,}[ \t]*$")
_OPENERS = re.compile(r"(?<![\w*_~^])[*_~^]{2,}(?=[^\s*_~^])")


def _columns(indent: str) -> int:
    """Width of leading whitespace, a tab to the next multiple of 4 (as pandoc counts)."""
    width = 0
    for ch in indent:
        width = (width // 4 + 1) * 4 if ch == "\t" else width + 1
    return width


def measure(text: str) -> tuple[int, int, int, str]:
    """The deepest nesting of Markdown `text`: (levels, the line where that nesting starts,
    the first line that reaches its depth, what nests). Linear in the length of `text`;
    fenced code is not read."""
    deepest, where, reached, what = 0, 0, 0, ""
    opened = previous = 0  # the line where the current block nesting started; its depth before
    items: list[int] = []  # the column of the marker of each open list item, plus one
    divs = 0
    fence = ""
    for number, line in enumerate(text.splitlines(), 1):
        rest, quotes = line, 0
        while (m := _QUOTE.match(rest)) is not None:
            quotes += 1
            rest = rest[m.end() :]
        if fence:
            if rest.strip().startswith(fence) and not rest.strip().strip(fence[0]):
                fence = ""
            continue
        if not rest.strip():
            continue  # a blank line closes nothing by itself
        if (f := _FENCE.match(rest)) is not None:
            fence = f.group(1)
            continue
        item = _ITEM.match(rest)
        indent = item.group(1) if item else rest[: len(rest) - len(rest.lstrip())]
        start = _columns(indent)
        while items and items[-1] > start:
            items.pop()
        if item:
            items.append(start + 1)
        if _DIV_CLOSE.match(rest):
            divs = max(divs - 1, 0)
        elif _DIV_OPEN.match(rest):
            divs += 1
        depth = quotes + len(items) + divs
        if previous == 0 or depth <= 1:
            opened = number
        previous = depth
        if depth > deepest:
            deepest, where, reached, what = depth, opened, number, BLOCKS
        for run in _OPENERS.finditer(rest):
            if len(run.group()) > deepest:
                deepest, where, reached, what = len(run.group()), number, number, "emphasis"
    return deepest, where, reached, what


BLOCKS = "block quotes, lists and divs"


def depth_error(text: str, shown: str, limit: int = MAX_DEPTH) -> InputError | None:
    """The refusal of `text` (a Markdown file shown as `shown`) if it nests deeper than
    `limit`, else None."""
    levels, line, reached, what = measure(text)
    if levels <= limit:
        return None
    return InputError(shown, line, _message(what, levels, line, reached, f"more than {limit}"))


def _message(what: str, levels: int, line: int, reached: int, how_deep: str) -> str:
    until = f" (to {levels} levels at line {reached})" if reached != line else ""
    return f"{what} nested {how_deep} levels deep{until}; glutlint cannot check it"


def refuse_deep_nesting(text: str, shown: str) -> None:
    """Raise the refusal of `depth_error`, if any."""
    error = depth_error(text, shown)
    if error is not None:
        raise error


def too_deep(items: list[tuple[str, str]]) -> InputError:
    """What to say when reading files (`(text, shown)` pairs) ran out of recursion below the
    limit: the file that nests deepest, at the line where it does."""
    levels, line, reached, what, shown = max((*measure(text), shown) for text, shown in items)
    if not what:
        return InputError(shown, None, "input nested too deeply to check")
    return InputError(shown, line, _message(what, levels, line, reached, str(levels)))
