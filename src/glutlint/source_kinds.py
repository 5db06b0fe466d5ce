"""What a source text is, and whether it can show that something is absent from the work.

A complete text (the full text of an article, a report, a web page kept whole) can show that a
value or a name is not in the work. A partial text cannot: an abstract, an excerpt or a news
report of a work leaves out most of what the work says, so a value missing from it is
unverified, not wrong. A value the partial text contradicts (the passage on the same subject
gives another value) is wrong whatever the kind.
"""

from __future__ import annotations

#: kind -> (complete?, what the report calls it). The first spelling of each is canonical.
KINDS: dict[str, tuple[bool, str]] = {
    "full text": (True, "full text"),
    "abstract": (False, "abstract"),
    "excerpt": (False, "excerpt"),
    "news": (False, "news report"),
}
ALIASES = {"full-text": "full text", "fulltext": "full text", "full": "full text", "": "full text"}


def canonical(kind: str) -> str | None:
    """The canonical spelling of a kind, or None when it is not one we know."""
    k = " ".join(kind.lower().split())
    k = ALIASES.get(k, k)
    return k if k in KINDS else None


def is_complete(kind: str) -> bool:
    """Whether a text of this kind can show that a value is absent (unknown kinds: yes)."""
    k = canonical(kind)
    return True if k is None else KINDS[k][0]


def describe(kind: str) -> str:
    k = canonical(kind)
    return KINDS[k][1] if k is not None else kind
