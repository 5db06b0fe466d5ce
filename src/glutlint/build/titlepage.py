"""The title page, made from the front matter at build time, with word counts computed then.

Front matter it reads (pandoc metadata):

    author:
      - name: Jane Doe
        affiliation: [1]           # ids from `affiliations` (or the affiliation as text)
        email: jane.doe@example.org
        orcid: 0000-0002-1825-0097
        corresponding: true
    affiliations:
      - id: 1
        name: Department, Institution, City, Country

The page lists the authors with numbered affiliations, the corresponding author and e-mail,
each ORCID iD as a link, the running title, and the word counts of the abstract and of the
main text. The counts are taken with the checker's own word count (the one GL602 and
`glutlint stats` use) from the manuscript as written: the main text leaves out the abstract,
Key Points, tables, figure and table captions, and the sections the profile exempts from
claims (Declarations, References).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..textio import read_text
from .metadata import _as_list, _inlines, _plain, _words

UNCOUNTED_KINDS = {"abstract", "heading", "cell", "caption", "figure"}


@dataclass
class WordCounts:
    abstract: int
    body: int


def word_counts(config: Config) -> WordCounts:
    """Abstract and main-text words of the manuscript, counted as the checker counts them."""
    from ..manuscript import parse
    from ..rules.gl602_abstract_length import count_words

    names = config.profile.get("non_claim_sections", [])
    exempt = {str(s).lower() for s in names} if isinstance(names, list | tuple) else set()
    exempt |= {"key points", ""}
    abstract = body = 0
    for path in config.manuscript:
        shown = config.rel(path)
        doc = parse(path, read_text(path, shown), shown)
        for s in doc.sentences:
            if s.block.kind == "abstract":
                abstract += count_words([s])
            elif s.block.kind not in UNCOUNTED_KINDS and s.block.section.lower() not in exempt:
                body += count_words([s])
    return WordCounts(abstract, body)


def _sup(text: str) -> dict:
    return {"t": "Superscript", "c": [{"t": "Str", "c": text}]}


def _para(inlines: list[dict]) -> dict:
    return {"t": "Para", "c": inlines}


def _text(meta_value: dict | None) -> str:
    return " ".join(_plain(_inlines(meta_value)).split())


def title_page(meta: dict, counts: WordCounts) -> list[dict] | None:
    """The title-page blocks (without the title), or None when the authors are not structured."""
    from ..rules.gl608_title_page import orcid_id  # the iD as GL608 reads it

    authors = [a["c"] for a in _as_list(meta.get("author")) if a.get("t") == "MetaMap"]
    if not authors:
        return None
    affs: dict[str, str] = {}
    for a in _as_list(meta.get("affiliations")):
        if a.get("t") == "MetaMap":
            affs[_text(a["c"].get("id")) or str(len(affs) + 1)] = _text(a["c"].get("name"))
    numbers: dict[str, str] = {}  # affiliation id or text -> its number on the page
    names: list[dict] = []
    for i, a in enumerate(authors):
        refs = []
        for item in _as_list(a.get("affiliation")):
            ref = _text(item)
            if ref:
                numbers.setdefault(ref, str(len(numbers) + 1))
                refs.append(numbers[ref])
        marks = ",".join(refs) + ("*" if _corresponding(a) else "")
        names += ([{"t": "Str", "c": ","}, {"t": "Space"}] if i else []) + _inlines(a.get("name"))
        if marks:
            names.append(_sup(marks))
    blocks = [_para(names)]
    for ref, n in numbers.items():
        blocks.append(_para([_sup(n), {"t": "Space"}, *_words(affs.get(ref, ref))]))
    for a in authors:
        if _corresponding(a):
            line = [*_words("*Corresponding author:"), {"t": "Space"}, *_inlines(a.get("name"))]
            email = _text(a.get("email"))
            if email:
                line += [{"t": "Str", "c": ","}, {"t": "Space"}, _link(email, f"mailto:{email}")]
            blocks.append(_para(line))
    orcids = [(a, orcid_id(_text(a.get("orcid")))) for a in authors if _text(a.get("orcid"))]
    if orcids:
        line = _words("ORCID iDs:")
        for i, (a, orcid) in enumerate(orcids):
            line += [{"t": "Str", "c": ";"}] if i else []
            line += [{"t": "Space"}, *_inlines(a.get("name")), {"t": "Space"}]
            line.append(_link(f"https://orcid.org/{orcid}", f"https://orcid.org/{orcid}"))
        blocks.append(_para(line))
    running = _text(meta.get("running-title"))
    if running:
        blocks.append(_para([*_words("Running title:"), {"t": "Space"}, *_words(running)]))
    blocks.append(
        _para(
            _words(
                f"Word count: abstract {counts.abstract} words; main text {counts.body} words "
                "(without abstract, Key Points, tables, figure and table legends, "
                "declarations and references)."
            )
        )
    )
    return blocks


def _corresponding(author: dict) -> bool:
    value = author.get("corresponding")
    if value is None:
        return False
    if value.get("t") == "MetaBool":
        return bool(value["c"])
    return _text(value).lower() in {"true", "yes"}


def _link(text: str, url: str) -> dict:
    return {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": text}], [url, ""]]}
