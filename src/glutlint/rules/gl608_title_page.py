"""GL608 title-page: the authors' data for the title page is wrong.

What it does
    Reads the front matter's structured authors (`author` as a list of maps, which the
    build turns into the title page) and reports:

    - an author without a `name`;
    - an `affiliation` id (a reference without letters) that `affiliations` does not
      define: the title page would print the bare id as the institution;
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


def orcid_id(value: str) -> str:
    """The bare iD of an ORCID given bare or as its https://orcid.org/ link."""
    m = ORCID_RE.match(value.strip())
    return "-".join(m.groups()) if m else value.strip()


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


def _refs(value: object) -> list[str]:
    """The affiliations an author names, read as the title page reads them: the items of a
    list, or the one value."""
    items = value if isinstance(value, list) else [value]
    return [_text(i) for i in items if _text(i)]


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

        defined: set[str] = set()  # as the title page numbers them: an id, else the place
        for a in doc.metadata.get("affiliations") or []:
            if isinstance(a, dict):
                defined.add(_text(a.get("id")) or str(len(defined) + 1))
        after = 0  # where the next author's name is looked for in `lines`
        for n, author in enumerate(authors, 1):
            if not isinstance(author, dict):
                continue
            name = _text(author.get("name"))
            line = _at(lines, f"name: {name}", after) if name else _at(lines, "author")
            here = max(line - 2, 0)  # this author's fields: from its name line on
            after = here + 1
            who = f"author {n} ({name})" if name else f"author {n}"
            if not name:
                yield Finding(doc.shown, line, 1, f"{who} has no name")
            for ref in _refs(author.get("affiliation")):
                # a reference without letters is an id, never the affiliation's own text
                if ref not in defined and not any(c.isalpha() for c in ref):
                    yield Finding(
                        doc.shown,
                        _at(lines, "affiliation", here),
                        1,
                        f"{who} names affiliation {ref!r}, which `affiliations` does not "
                        "define (several: a list, [1, 2])",
                    )
            orcid = _text(author.get("orcid"))
            if orcid and not orcid_ok(orcid):
                yield Finding(
                    doc.shown,
                    _at(lines, orcid, here),
                    1,
                    f"{who} has ORCID iD {orcid!r}, which is not a valid iD (16 digits in groups "
                    "of four, the last a check digit, ISO 7064 MOD 11-2)",
                )
            email = _text(author.get("email"))
            if email and not EMAIL_RE.match(email):
                yield Finding(
                    doc.shown,
                    _at(lines, email, here),
                    1,
                    f"{who} has e-mail {email!r}, which is not an address",
                )
