"""GL203's binding of numbers to names, events and agents, on small made-up texts.

Each mechanism gets a pair: a claim that takes its number from a passage about a rival name,
event or agent (flagged, with the passage on the claim's own subject), and the accurate claim
that shares as much with the rival passage (not flagged).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Project, run_cli
from glutlint.bibliography import Entry
from glutlint.claims import Claim, claims_of
from glutlint.evidence import (
    SourceIndex,
    Tag,
    ValueCheck,
    bind,
    check_claim,
    comparable,
    tags_in,
    vocabulary,
)
from glutlint.extraction import extract
from glutlint.lexicon import Lexicon
from glutlint.manuscript import parse
from glutlint.sources import SourceText
from glutlint.words import initials, names_in


def lexicon() -> Lexicon:
    lex = Lexicon(
        events={
            "approval": ["approved", "authorised"],
            "tested in clinical trials": ["tested", "trials"],
        },
        agencies={"EMA": ["European Medicines Agency"]},
    )
    for name in ("velostatin", "tessamide"):
        lex.add_group([name])
    return lex


def index(text: str) -> SourceIndex:
    source = SourceText.from_bytes("src", Path("src.txt"), text.encode())
    return SourceIndex(Entry("src", "article", 1, {"year": "2015"}), source, "src.txt")


def claim_of(sentence: str, lex: Lexicon) -> Claim:
    doc = parse(Path("ms.md"), f"# Review\n\n{sentence} [@src].\n", "ms.md")
    [claim] = claims_of(doc, lex, set())
    return claim


def verdict(sentence: str, source: str) -> list[ValueCheck]:
    lex = lexicon()
    idx = index(source)
    return check_claim(claim_of(sentence, lex), {"src": idx}, lex, {"src": idx.entry}).values


def flagged(sentence: str, source: str) -> str | None:
    """The value the sources give for the claim's subject when GL203 fires, else None."""
    [v] = verdict(sentence, source)
    if v.status == "misbound":
        assert v.better is not None
        return v.better.value
    assert v.status == "supported", v
    return None


# ------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The Halden Fatigue Scale has 10 items.", ["Halden Fatigue Scale"]),
        ("Myalgia was rare in HeFH.", ["HeFH"]),  # a capital that only starts a sentence
        ("EMA approved it.", ["EMA"]),  # an acronym is a name even first
        ("It was the European Medicines Agency.", ["European Medicines Agency"]),
        (
            "A Department of Health and Social Care report.",
            ["Department of Health and Social Care"],
        ),
        ("In Halden-Orsini scores and in VLX-12.", ["Halden-Orsini", "VLX-12"]),
        ("Both EMA and HeFH files.", ["EMA", "HeFH"]),  # "and" joins no abbreviations
        ("Scores rose. Halden's scale did not.", []),  # "Halden" starts a sentence
    ],
)
def test_names_are_capitalised_runs_and_acronyms(text: str, names: list[str]) -> None:
    assert [n for *_x, n in names_in(text)] == names


def test_initials_of_a_name() -> None:
    assert initials("Halden-Orsini Fatigue Scale") == "hofs"
    assert initials("European Medicines Agency") == "ema"


def test_a_tag_belongs_to_the_number_it_is_nearest_to() -> None:
    text = "Halden Fatigue Scale scores fell by 6 points; Orsini Fatigue Scale scores by 9 points."
    lex = lexicon()
    tags = tags_in(text, vocabulary(lex), [])
    qs = extract(text)
    owned = bind(text, 0, len(text), qs, tags, 8)
    assert [sorted(t.key for t in o) for o in owned] == [
        ["n:halden fatigue scale"],
        ["n:orsini fatigue scale"],
    ]


def test_rival_names_share_a_head_or_a_lexicon_section() -> None:
    vocab = vocabulary(lexicon())
    halden, orsini = Tag("n:halden fatigue scale"), Tag("n:orsini fatigue scale")
    assert comparable(halden, orsini, vocab)
    assert not comparable(halden, Tag("n:hefh"), vocab)
    assert not comparable(halden, Tag("e:approval"), vocab)
    assert comparable(Tag("e:approval"), Tag("e:tested in clinical trials"), vocab)


SCALES = (
    "In the first trial, Halden Fatigue Scale scores fell by 6 points with velostatin. "
    "In the second trial, Orsini Fatigue Scale scores fell by 9 points with velostatin.\n"
)


def test_a_number_taken_from_a_rival_scale_is_flagged() -> None:
    claim = "Orsini Fatigue Scale scores fell by 6 points with velostatin"
    assert flagged(claim, SCALES) == "9 points"


@pytest.mark.parametrize(
    "claim",
    [
        "Halden Fatigue Scale scores fell by 6 points with velostatin",
        "HFS scores fell by 6 points with velostatin",  # initials of the scale's name
        "Orsini Fatigue Scale scores fell by 9 points with velostatin",
    ],
)
def test_the_number_of_the_named_scale_passes(claim: str) -> None:
    assert flagged(claim, SCALES) is None


GLOSSARY = (
    "Box 1. Scales of fatigue.\n\n"
    "Halden Fatigue\n\nScale\n\nA 10-item questionnaire that rates fatigue.\n\n"
    "Orsini Fatigue\n\nScale\n\nA 14-item questionnaire that rates fatigue.\n"
)


def test_a_glossary_entry_is_read_with_its_title_lines() -> None:
    idx = index(GLOSSARY)
    lex = lexicon()
    [sq] = [sq for sq in idx.quantities if sq.q.value == 10]
    frame = idx.frame(sq.sentence, lex, vocabulary(lex))
    assert {t.key for t in frame.bound[sq.q.start]} == {"n:halden fatigue scale"}
    assert flagged("The Orsini Fatigue Scale is a 10-item questionnaire", GLOSSARY) == "14-item"
    assert flagged("The Halden Fatigue Scale is a 10-item questionnaire", GLOSSARY) is None


# ------------------------------------------------------------------------- events

TRIALS = (
    "By 2015, 12 lipid-lowering medicines had been tested in trials. "
    "Three of these are approved for adults.\n"
)


def test_a_number_bound_to_a_rival_event_is_flagged() -> None:
    assert flagged("12 lipid-lowering medicines have been approved", TRIALS) == "Three"


@pytest.mark.parametrize(
    "claim",
    [
        "12 lipid-lowering medicines have been tested in trials",
        "Three lipid-lowering medicines are approved for adults",
    ],
)
def test_the_number_of_the_claimed_event_passes(claim: str) -> None:
    assert flagged(claim, TRIALS) is None


@pytest.mark.parametrize(
    "source", [TRIALS, TRIALS.replace("\n", " Another 5 are being tested in small trials.\n")]
)
def test_an_event_shared_with_another_number_of_the_claim_is_that_numbers(source: str) -> None:
    claim = "Three of the 12 lipid-lowering medicines tested in trials are approved for adults"
    assert [v.status for v in verdict(claim, source)] == ["supported", "supported"]


# ------------------------------------------------------------------------- agents: lead-in

LEAD = (
    "A trial gave tessamide to 40 adults. Myalgia resolved within 3 days. "
    "A second trial gave velostatin to 50 adults. Its lipid effect was large. "
    "Myalgia resolved within 8 days.\n"
)


def test_a_sentence_naming_no_agent_takes_the_agent_before_it() -> None:
    idx = index(LEAD)
    lex = lexicon()
    vocab = vocabulary(lex)
    agents = {
        sq.q.text: idx.frame(sq.sentence, lex, vocab).agents
        for sq in idx.quantities
        if sq.q.kind == "duration"
    }
    assert agents == {"within 3 days": {"tessamide"}, "within 8 days": {"velostatin"}}


def test_a_number_of_another_agent_found_through_the_lead_in_is_flagged() -> None:
    assert flagged("Myalgia with tessamide resolved within 8 days", LEAD) == "within 3 days"
    assert flagged("Myalgia with velostatin resolved within 8 days", LEAD) is None


def test_the_lead_in_stops_at_a_paragraph_break() -> None:
    apart = LEAD.replace("Its lipid effect was large. ", "Its lipid effect was large.\n\n")
    idx = index(apart)
    lex = lexicon()
    [sq] = [sq for sq in idx.quantities if sq.q.text == "within 8 days"]
    assert idx.frame(sq.sentence, lex, vocabulary(lex)).agents == frozenset()
    assert flagged("Myalgia with tessamide resolved within 8 days", apart) is None


def test_a_claim_naming_no_agent_takes_the_agent_before_it() -> None:
    lex = lexicon()
    idx = index(LEAD)
    text = "# Review\n\nTessamide was well tolerated. Myalgia resolved within 8 days [@src].\n"
    doc = parse(Path("ms.md"), text, "ms.md")
    [claim] = [c for c in claims_of(doc, lex, set()) if c.values]
    [v] = check_claim(claim, {"src": idx}, lex, {"src": idx.entry}).values
    assert v.status == "misbound" and v.better is not None and v.better.value == "within 3 days"


# ------------------------------------------- binding that reads like a person (own words)

_MDA = """\
Mass drug administration with diethylcarbamazine and albendazole in a coastal district
Three rounds of MDA decreased microfilaremia prevalence in the community from 18.6% to 1.1%
(a 94% decrease).
Antigenemia prevalence fell by 38% over the same period.
Surveys were carried out in 1994, 1995, 1996, 1997, and 1998.
"""
_REVIEW = """\
A review of factors that influence compliance with mass drug administration
We included 79 publications from 2000 to 2012 in the review.
"""


@pytest.mark.parametrize(
    ("claim", "codes"),
    [
        ("Three rounds of mass drug administration reduced microfilaremia by 94% [@weil2008].", []),
        (
            "Three rounds of diethylcarbamazine and albendazole reduced microfilaremia by 94% "
            "[@weil2008].",
            [],
        ),
        (
            "Weil and Kastens [@weil2008] found that three rounds of MDA reduced microfilaremia "
            "prevalence by 94%.",
            [],
        ),
        ("Krentel and colleagues included 79 publications from 2000 to 2012 [@krentel2013].", []),
        ("Surveys were repeated every year from 1994 to 1998 [@weil2008].", []),
        ("Antigenemia prevalence fell by 48% over the same period [@weil2008].", ["GL201"]),
        (
            "Krentel and colleagues included 97 publications from 2000 to 2012 [@krentel2013].",
            ["GL201"],
        ),
        ("Surveys were repeated every year from 1994 to 1999 [@weil2008].", ["GL201"]),
    ],
)
def test_binding_reads_like_a_person(tmp_path: Path, claim: str, codes: list[str]) -> None:
    """A number in brackets annotates the clause before it; naming the authors or the drugs
    does not break a binding; a range is supported by the list of its points."""
    p = Project(tmp_path)
    p.write(
        "pyproject.toml",
        '[tool.glutlint]\nmanuscript = "ms"\nbibliography = "refs.bib"\n'
        "[tool.glutlint.profile]\nrequired_sections = []\n",
    )
    p.write(
        "refs.bib",
        "@article{weil2008, author = {Weil, Gary and Kastens, Wadi}, year = {2008},\n"
        "  title = {MDA}, file = {src/weil2008.txt}}\n"
        "@article{krentel2013, author = {Krentel, Alison}, year = {2013},\n"
        "  title = {Compliance}, file = {src/krentel2013.txt}}\n",
    )
    p.write("src/weil2008.txt", _MDA)
    p.write("src/krentel2013.txt", _REVIEW)
    p.write("ms/a.md", claim + "\n")
    r = run_cli(["check", "--format", "json", "--ignore", "GL103"], tmp_path)
    assert [d["code"] for d in json.loads(r.out)] == codes, r.out


def test_source_sentences_keep_abbreviations_and_initials() -> None:
    """Sources are split with the manuscript's knowledge of abbreviations: "vs." and "Fig."
    do not cut "12% on placebo (Fig. 2)" off from its subject."""
    from glutlint.sentences import source_sentences

    text = (
        "Response was 46% vs. 12% on placebo (Fig. 2). Remission was 29% at 24 hours, as "
        "J. W. Orsini et al. noted, e.g. in week 1. Next.\n\nHalden Fatigue\nRating Scale"
    )
    assert [text[a:b] for a, b in source_sentences(text)] == [
        "Response was 46% vs. 12% on placebo (Fig. 2).",
        "Remission was 29% at 24 hours, as J. W. Orsini et al. noted, e.g. in week 1.",
        "Next.",
        "Halden Fatigue\nRating Scale",
    ]
