"""GL608 title-page: the authors' data for the title page is wrong.

What it does
    Reads the front matter's structured authors (`author` as a list of maps, which the
    build turns into the title page) and reports:

    - an author without a `name`;
    - an `affiliation` id that `affiliations` does not define;
    - an `orcid` that is not an ORCID iD: four groups of four digits (the last may be X),
      bare or as an https://orcid.org/ link, whose check digit (ISO 7064 MOD 11-2) is right;
    - an `email` that is not an address (one @, a dot in the domain, no spaces).

    Authors given as plain text (`author: Jane Doe`) carry none of this and are not read.

Why
    A mistyped ORCID iD links the paper to someone else's record, or to none; an affiliation
    id that points nowhere drops the author's institution from the title page without a word;
    a broken address leaves the corresponding author unreachable. The build prints all of
    them as given, so they are caught here.

Example
    Fails:  orcid: 0000-0002-1825-0098 (the check digit of 0000-0002-1825-009 is 7)
    Fails:  affiliation: [2] with only id 1 under `affiliations`
    Passes: orcid: 0000-0002-1825-0097, affiliation: [1], email: jane.doe@example.org
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import ERROR, Finding

CODE = "GL608"
NAME = "title-page"
SEVERITY = ERROR
CONF: dict[str, object] = {}
DEFAULT: dict[str, object] = {}

ORCID_RE = re.compile(r"^(?:https?://orcid\.org/)?(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def orcid_ok(value: str) -> bool:
    """Is `value` an ORCID iD with the right check digit (ISO 7064 MOD 11-2)?"""
    m = ORCID_RE.match(value.strip())
    if not m:
        return False
    digits = "".join(m.groups())
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def _text(value: object) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _ids(value: object) -> list[str]:
    """The affiliation ids an author names: `[1, 2]`, `1` or `"1, 2"`."""
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(i).strip() for i in items if str(i).strip()]


def _at(lines: list[str], needle: str, after: int = 0) -> int:
    """The file line of the first front matter line from `after` (an index into `lines`)
    that holds `needle`, else of the first one at all, else line 1."""
    for k in [*range(after, len(lines)), *range(after)]:
        if needle in lines[k]:
            return k + 2  # the front matter starts after the `---` of line 1
    return 1


def check(ctx) -> Iterator[Finding]:
    for doc in ctx.documents:
        authors = doc.metadata.get("author")
        if not isinstance(authors, list) or not any(isinstance(a, dict) for a in authors):
            continue
        lines = (doc.front_matter or "").split("\n")

        defined = {
            _text(a.get("id"))
            for a in doc.metadata.get("affiliations") or []
            if isinstance(a, dict) and _text(a.get("id"))
        }
        start = 0
        for n, author in enumerate(authors, 1):
            if not isinstance(author, dict):
                continue
            start += 1 if n > 1 else 0  # the next author's name: after the last one's
            name = _text(author.get("name"))
            line = _at(lines, f"name: {name}", start) if name else _at(lines, "author")
            start = max(start, line - 2)  # this author's fields: from its name line on
            who = f"author {n} ({name})" if name else f"author {n}"
            if not name:
                yield Finding(doc.shown, line, 1, f"{who} has no name")
            aff = author.get("affiliation")
            if aff is not None and defined:
                for i in _ids(aff):
                    if i.isdigit() and i not in defined:
                        yield Finding(
                            doc.shown,
                            _at(lines, "affiliation", start),
                            1,
                            f"{who} names affiliation {i}, which `affiliations` does not define",
                        )
            orcid = _text(author.get("orcid"))
            if orcid and not orcid_ok(orcid):
                yield Finding(
                    doc.shown,
                    _at(lines, orcid, start),
                    1,
                    f"{who} has ORCID iD {orcid!r}, which is not a valid iD (16 digits in groups "
                    "of four, the last a check digit, ISO 7064 MOD 11-2)",
                )
            email = _text(author.get("email"))
            if email and not EMAIL_RE.match(email):
                yield Finding(
                    doc.shown,
                    _at(lines, email, start),
                    1,
                    f"{who} has e-mail {email!r}, which is not an address",
                )
