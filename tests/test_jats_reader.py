"""JATS XML sources: real PMC articles (tests/fixtures/jats/SOURCES.md says where each is from)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glutlint.errors import InputError
from glutlint.readers import read, sniff
from glutlint.sources import load_source

JATS = Path(__file__).parent / "fixtures" / "jats"
RVF = JATS / "pntd.0002065.nxml"
PBDE = JATS / "ehp-116-1694.nxml"
ALL = sorted(JATS.glob("*.nxml"))


def _read(path: Path):
    return read(path.read_bytes(), path, path.name)


def _xml_line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, x in enumerate(lines, 1) if needle in x)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_markup_or_entities_reach_the_text(path: Path) -> None:
    r = _read(path)
    assert r.format == "jats" and sniff(path.read_bytes(), path) == "jats"
    text = "\n".join(r.lines)
    assert not re.search(r"</?[a-z][\w-]*[ >/]|&#x?[0-9a-f]+;|xlink:", text, re.I), text[:500]
    assert len(r.lines) > 50  # not one line per file, as the raw XML is
    assert len(r.places) == len(r.lines)


def test_values_with_entities_are_read_as_characters_at_their_xml_line() -> None:
    r = _read(PBDE)
    [i] = [i for i, x in enumerate(r.lines) if "2.38 \u00b1 0.63 \u03bcg" in x]
    assert r.places[i].line == _xml_line(PBDE, "2.38 &#x000b1; 0.63")
    xml = PBDE.read_text(encoding="utf-8").split("\n")[r.places[i].line - 1]
    column = r.places[i].column
    assert r.lines[i][:20] == re.sub(r"<[^>]+>", "", xml[column - 1 :])[:20]


def test_table_rows_are_lines_with_cells() -> None:
    r = _read(RVF)
    assert "Maganja da Costa | 92 | 39.1 | 29.7, 49.5 | 11 | 54.6 | 25.6, 80.7" in r.lines
    caption = next(x for x in r.lines if x.startswith("Table 1 "))
    assert "RVF seroprevalence in 2007" in caption


def test_citation_markers_are_dropped_with_their_brackets() -> None:
    text = "\n".join(_read(RVF).lines)
    assert "[]" not in text and "()" not in text and " \u2013." not in text


def test_reference_list_and_acknowledgements_are_furniture() -> None:
    r = _read(RVF)
    why = {f.why for f in r.furniture}
    assert {"reference list", "declarations"} <= why
    ref = next(f for f in r.furniture if f.why == "reference list")
    assert r.lines[ref.first - 1] == "References" and ref.last == len(r.lines)
    src = load_source("fafetine2013", RVF, None)
    assert "Murphy FA" not in src.text and "Veterinary Virology" not in src.text
    assert "377 goats and 277 sheep" in src.text


def test_metadata_from_the_front_matter() -> None:
    assert _read(RVF).meta == {
        "pmid": "23469300",
        "pmcid": "PMC3585041",
        "doi": "10.1371/journal.pntd.0002065",
        "year": "2013",
        "title": "Serological Evidence of Rift Valley Fever Virus Circulation in Sheep and "
        "Goats in Zamb\u00e9zia Province, Mozambique",
        "journal": "PLoS Neglected Tropical Diseases",
    }


def test_places_point_into_a_one_line_body_by_column() -> None:
    src = load_source("fafetine2013", RVF, None)
    at = src.text.index("377 goats")
    place = src.place_at(at)
    xml = RVF.read_text(encoding="utf-8").split("\n")[place.line - 1]
    line = src.reading.lines[src.line_at(at) - 1]  # the paragraph holding the value
    assert place.column > 1000 and xml[place.column - 1 :].startswith(line[:40])
    assert str(place) == f"{place.line}:{place.column}"


ARTICLE = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group>
<abstract><p>The rate was 12% in 2001.</p></abstract></article-meta></front></article>
"""


def _refused(tmp_path: Path, text: str, name: str = "x.nxml") -> InputError:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(p.read_bytes(), p, name)
    assert err.value.path == name and "\n" not in str(err.value)
    return err.value


def test_a_minimal_article_reads(tmp_path: Path) -> None:
    p = tmp_path / "a.xml"
    p.write_text(ARTICLE, encoding="utf-8")
    r = read(p.read_bytes(), p, "a.xml")
    assert [x for x in r.lines if x] == ["T", "The rate was 12% in 2001."]
    assert r.places[-1].line == 3


def test_entity_bombs_are_refused_at_their_declaration(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">\n' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE article [\n<!ENTITY lol0 "lol">\n{lol}]>\n'
    err = _refused(tmp_path, bomb + "<article><body><p>&lol9;</p></body></article>\n")
    assert err.line == 3 and "entity" in err.message
    external = (
        '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<article><body><p>&x;</p></body></article>\n"
    )
    assert "entity" in _refused(tmp_path, external).message


def test_malformed_xml_names_its_line(tmp_path: Path) -> None:
    err = _refused(tmp_path, ARTICLE.replace("</abstract>", "</abstrakt>"))
    assert err.line == 3 and err.message.startswith("malformed XML")


def test_xml_that_is_not_jats_is_refused(tmp_path: Path) -> None:
    err = _refused(tmp_path, '<?xml version="1.0"?>\n<TEI><text>12%</text></TEI>\n')
    assert "not a JATS article" in err.message and "<TEI>" in err.message


def test_an_article_without_text_is_refused(tmp_path: Path) -> None:
    empty = '<?xml version="1.0"?>\n<article><front><article-meta/></front></article>\n'
    assert "without abstract or body" in _refused(tmp_path, empty).message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = "<article><body>" + "<sec>" * 1000 + "x" + "</sec>" * 1000 + "</body></article>"
    assert "nested deeper" in _refused(tmp_path, deep).message
