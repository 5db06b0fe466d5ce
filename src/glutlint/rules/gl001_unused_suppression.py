"""GL001 unused-suppression: a suppression comment that suppresses nothing.

What it does
    Reports a `<!-- glutlint: disable... -->` comment that covers no diagnostic.

Why
    Suppressions outlive the problems they hid. A stale one hides the next real problem on
    that line, so it should be removed (ruff's RUF100 does the same for `# noqa`).

Forms
    <!-- glutlint: disable-next-line GL201 -->   the next non-blank line
    <!-- glutlint: disable-line GL201 -->        the comment's own line
    <!-- glutlint: disable GL201 GL202 -->       from here ...
    <!-- glutlint: enable -->                    ... to here (or the end of the file)
    Without codes, a comment covers every code. HTML comments never appear in pandoc output.

Example (fails: nothing on the next line is wrong)
    <!-- glutlint: disable-next-line GL201 -->
    Velostatin is an oral statin [@orsini2022].
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import WARNING, Finding

CODE = "GL001"
NAME = "unused-suppression"
SEVERITY = WARNING


def check(ctx: object) -> Iterator[Finding]:
    """Computed by the engine, which alone knows what each comment suppressed."""
    return iter(())
