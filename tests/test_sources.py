"""Source texts: normalisation on the real seeds, line mapping, sidecar validation, caching."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from glutlint import sources
from glutlint.cache import Store
from glutlint.errors import InputError
from glutlint.sidecar import SourceSettings, Span, load_sidecar
from glutlint.sources import (
    DocumentWords,
    SourceText,
    build_vocabulary,
    fold_chars,
    keep_hyphen,
    load_source,
    looks_like_pdf,
    normalise,
    normalise_query,
)

SEEDS = Path(__file__).parent.parent / "seeds"
MCINTYRE = SEEDS / "000_a568ac835381dff8.txt"  # PubMed page
PEDERSEN = SEEDS / "001_f54383fbc94751c3.txt"  # news page
KADRIU = SEEDS / "002_7cbb9b727fab6d7b.txt"  # PubMed page
HENTER = SEEDS / "003_c56acd26e9e85d78.txt"  # PubMed page
SANACORA = SEEDS / "004_f7be47b46469de80.txt"  # PDF extraction
SIDECAR = SEEDS / "sources.yaml"


@pytest.fixture(scope="module")
def sidecar() -> dict[str, SourceSettings]:
    return load_sidecar(SIDECAR)


@pytest.fixture(scope="module")
def sanacora() -> SourceText:
    return load_source("sanacora2008", SANACORA, None)


def raw_line_of(path: Path, needle: str) -> int:
    """The 1-based line of the original file that contains `needle` (like grep -n)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i for i, line in enumerate(lines, 1) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- hyphenation


def test_line_break_hyphens_in_words_are_removed(sanacora: SourceText) -> None:
    t = sanacora.text
    assert "achieved remission with an adequate trial" in t
    assert "residual symptoms between episodes and functional impairment" in t
    assert "effectiveness of pharmacological treatment" in t
    assert "remis-" not in t and "remis sion" not in t
    assert "epi-sodes" not in t


def test_line_break_hyphens_in_compounds_are_kept(sanacora: SourceText) -> None:
    t = sanacora.text
    assert "Seventy-one percent of subjects met response criteria" in t
    assert "22 patients with treatment-resistant MDD found the addition" in t
    assert "double-blind placebo-controlled crossover study" in t
    assert "used as mood-stabilizing agents" in t
    assert "Seventyone" not in t and "treatmentresistant" not in t


def test_keep_hyphen_decides_from_the_documents_own_words() -> None:
    def vocab(*lines: str) -> DocumentWords:
        return build_vocabulary(list(lines))

    # Neither form attested: two known words make a compound, fragments are joined.
    v = vocab("the glutamate system was targeted by several agents")
    assert keep_hyphen("glutamate", "targeted antidepressants", v)
    assert not keep_hyphen("remis", "sion was rare", v)
    # The document's own spelling wins in both directions.
    assert not keep_hyphen("anti", "depressant effects", vocab("an antidepressant was used"))
    assert keep_hyphen("anti", "depressant effects", vocab("an anti-depressant was used"))
    # Number words, codes and single letters keep their hyphen; suffixes never stand alone.
    assert keep_hyphen("Seventy", "one percent", vocab("one percent"))
    assert keep_hyphen("mGluR", "modulating agents", vocab("modulating"))
    assert keep_hyphen("D", "aspartate", vocab(""))
    assert not keep_hyphen("treat", "ment of", vocab("we treat ment"))
    # A capital after the break is never a word continuation.
    assert keep_hyphen("receptor", "NMDA", vocab(""))


def test_halves_of_broken_words_do_not_enter_the_vocabulary() -> None:
    v = build_vocabulary(["between epi-", "sodes and more"])
    assert v.words["epi"] == 0 and v.words["sodes"] == 0
    assert v.words["between"] == 1 and v.words["and"] == 1


# ---------------------------------------------------------------- glued reference numbers


def test_glued_reference_numbers_are_stripped(sanacora: SourceText) -> None:
    t = sanacora.text
    assert "meeting response criteria." in t
    assert not re.search(r"criteria\s*94", t)
    assert "functional impairment. The World" in t  # impairment2–4
    assert "conducted so far (STAR*D) found" in t  # (STAR*D)7
    assert "patients with treatment-resistant MDD. The average reduction" in t  # MDD131
    assert "eight subjects with BPD. Because" in t  # BPD41
    assert "to directly affect NMDA or kainate receptors. Riluzole" in t  # receptors92
    assert "(reviewed in)" in t and "REFS" not in t  # (reviewed in REFS 65,81)
    assert "(see for review)" in t  # (see REF. 13 for review)


def test_codes_with_digits_are_kept(sanacora: SourceText) -> None:
    t = sanacora.text
    for code in [
        "NR2B",
        "mGluR5",
        "mGluR4",  # occurs once, and "mGluR" occurs bare: only the citation numbering tells
        "EAAT4",
        "VGLUT1",
        "EAAT2",
        "5-HT1A",
        "Ca2+",
        "LY392098",
        "S18986",
        "MK-801",
        "CP-101-606",
        "HON0001",
        "PSD95",
        "SAP102",
        "GLUR1",
        "Ser845",
    ]:
        assert re.search(rf"(?<![\w-]){re.escape(code)}(?![\w])", t), code


def test_only_pdf_like_text_loses_glued_digits() -> None:
    for path in (MCINTYRE, PEDERSEN, KADRIU, HENTER):
        lines: list[str | None] = [fold_chars(x) for x in path.read_text().splitlines()]
        assert not looks_like_pdf(build_vocabulary(lines)), path.name
    lines = [fold_chars(x) for x in SANACORA.read_text().splitlines()]
    assert looks_like_pdf(build_vocabulary(lines))
    # A DOI in a PubMed page keeps its digits ("ijnp/pyy094").
    assert "pyy094" in load_source("kadriu2019", KADRIU, None).text


# ---------------------------------------------------------------- character folding


def test_lost_greek_letters_match_claims_written_with_them(sanacora: SourceText) -> None:
    kadriu = load_source("kadriu2019", KADRIU, None)
    ampa = "AMPA (α-amino-3-hydroxy-5-methyl-4-isoxazole propionic acid)"
    assert normalise_query(ampa) in sanacora.text  # source has "AMPA ( -amino-..."
    assert normalise_query(ampa.replace("α", "alpha")) in sanacora.text
    assert normalise_query("α-amino-3-hydroxy-5-methyl-4-isoxazole-propionic acid") in kadriu.text
    assert normalise_query("GABA (γ-aminobutyric acid)") in sanacora.text
    assert normalise_query("gamma-aminobutyric acid") in kadriu.text  # written out in source
    assert normalise_query("the β-lactam antibiotics") in sanacora.text  # "the -lactam"
    assert normalise_query("affinity to α1-adrenoreceptors") in sanacora.text
    assert normalise_query("transamination of α-oxoglutarate") in sanacora.text


def test_exclamation_mark_for_d_is_repaired(sanacora: SourceText) -> None:
    t = sanacora.text
    assert "Partial NMDA receptor agonists. D-Cycloserine" in t
    assert "addition of D-cycloserine at 250 mg per day" in t
    assert "NMDA (N-methyl-D-aspartate)" in t
    assert "!-" not in t
    assert fold_chars("It works!-ish") == "It works!-ish"
    assert fold_chars("Stop! Go") == "Stop! Go"


def test_fold_chars_table() -> None:
    assert fold_chars("6\u201312 weeks") == "6-12 weeks"
    assert fold_chars("disorders \u2014 major") == "disorders - major"
    assert fold_chars("x \u2212 y") == "x - y"
    assert fold_chars("(\u2212)-form") == "(-)-form"
    assert fold_chars("\u201cquoted\u201d it\u2019s") == '"quoted" it\'s'
    assert fold_chars("Spravato\u00ae and X\u2122") == "Spravato and X"
    assert fold_chars("\u2265 50% and \u2264 2") == ">= 50% and <= 2"
    assert fold_chars("e\ufb03cacy \ufb01rst") == "efficacy first"
    assert fold_chars("remis\u00adsion") == "remission"
    assert fold_chars("a\u00a0b\u2009c  \t d") == "a b c d"
    assert fold_chars("5 \u03bcg and 5 \u00b5g") == "5 \u00b5g and 5 \u00b5g"  # units survive
    assert fold_chars("TNF-\u03b1 and TNF-alpha") == "TNF- and TNF-"


def test_unicode_spaces_quotes_and_trademarks_in_seeds(sidecar: dict[str, SourceSettings]) -> None:
    t = load_source("mcintyre2024", MCINTYRE, sidecar["mcintyre2024"]).text
    assert "In the past 2 decades" in t  # a no-break space in the file
    assert "esketamine (Spravato) was approved" in t
    assert "\u00ae" not in t and "\u00a0" not in t
    assert normalise_query("esketamine (Spravato®) was approved") in t
    s = load_source("sanacora2008", SANACORA, None).text
    assert "Organization's (WHO)" in s and "after 6-12 weeks. Overall" in s


def test_case_is_kept_and_text_lower_aligns(sanacora: SourceText) -> None:
    assert "NMDA" in sanacora.text
    assert sanacora.text_lower == sanacora.text.lower()
    assert len(sanacora.text_lower) == len(sanacora.text)
    st = SourceText.from_bytes("k", Path("k.txt"), "\u0130stanbul NMDA".encode())
    assert len(st.text_lower) == len(st.text)


# ---------------------------------------------------------------- blocks and lines


def test_paragraphs_are_kept_but_sentences_span_breaks(sanacora: SourceText) -> None:
    t = sanacora.text
    assert "\n\n" in t and "\n\n\n" not in t
    assert "Physiology of the glutamatergic system\n\nGlutamate can be found" in t
    # Page and column breaks (blank lines) inside a sentence are bridged.
    assert "existing treatments. Mood disorders arise from" in t
    assert "The postsynaptic density (PSD), a large" in t
    assert "Major depressive disorder (MDD). A chronic mood disorder" in t
    for block in t.split("\n\n"):
        assert block and "\n" not in block and block == block.strip()


def test_line_at_maps_back_to_the_original_line(sanacora: SourceText) -> None:
    for phrase, needle in [
        ("Seventy-one percent", "Seventy-"),
        ("remission with an adequate", "remis-"),
        ("D-cycloserine at 250 mg", "!-cycloserine at"),
        ("meeting response criteria.", "response criteria94"),
        ("Mood disorders arise", "treatments. Mood"),
    ]:
        at = sanacora.text.index(phrase)
        assert sanacora.line_at(at) == raw_line_of(SANACORA, needle), phrase
    assert sanacora.line_at(sanacora.text.index("Seventy-one percent")) == 867
    at = sanacora.text.index("one percent of subjects")  # after the line break
    assert sanacora.line_at(at) == 868
    assert sanacora.line_at(0) == 2  # line 1 is blank
    assert sanacora.line_at(len(sanacora.text)) == 1160
    with pytest.raises(ValueError):
        sanacora.line_at(len(sanacora.text) + 1)


def test_line_at_counts_excluded_lines(sidecar: dict[str, SourceSettings]) -> None:
    st = load_source("mcintyre2024", MCINTYRE, sidecar["mcintyre2024"])
    at = st.text.index("Major depressive disorder (MDD) is a chronic")
    assert st.line_at(at) == raw_line_of(MCINTYRE, "Major depressive disorder (MDD) is a chronic")
    at = st.text.index("In 2000, the first small study")
    assert st.line_at(at) == raw_line_of(MCINTYRE, "depression versus people without")


def test_crlf_and_cr_line_endings_count_lines_like_an_editor() -> None:
    for nl in ("\r\n", "\r", "\n"):
        data = nl.join(["Title", "", "first line of", "text here.", "Last"]).encode()
        st = SourceText.from_bytes("k", Path("k.txt"), data)
        assert st.line_at(st.text.index("text here")) == 4
        assert "\r" not in st.text


def test_snippet_is_one_line_cut_between_words(sanacora: SourceText) -> None:
    start = sanacora.text.index("Seventy-one percent")
    end = start + len("Seventy-one percent")
    snip = sanacora.snippet(start, end)
    assert "Seventy-one percent" in snip
    assert "\n" not in snip and len(snip) <= 80 + 6
    assert snip.startswith("...") and snip.endswith("...")
    body = snip.removeprefix("...").removesuffix("...")
    at = sanacora.text.index(body)
    assert sanacora.text[at - 1] == " " and sanacora.text[at + len(body)] == " "
    assert sanacora.snippet(start, end, width=10) == "...Seventy-one percent..."
    # Context never crosses into another block.
    start = sanacora.text.index("Physiology of the glutamatergic system")
    assert sanacora.snippet(start, start + 10) == "Physiology of the glutamatergic system"
    with pytest.raises(ValueError):
        sanacora.snippet(5, 2)


# ---------------------------------------------------------------- furniture


def test_excluded_lines_never_reach_the_text(sidecar: dict[str, SourceSettings]) -> None:
    kept = SourceSettings(keep=[Span(1, 34)])  # the sidecar keeps what the finder drops
    plain = load_source("kadriu2019", KADRIU, kept).text
    cleaned = load_source("kadriu2019", KADRIU, sidecar["kadriu2019"]).text
    assert "Similar articles" in plain and "2014" in plain and "PMID" in plain
    assert "Similar articles" not in cleaned and "2014" not in cleaned and "PMID" not in cleaned
    assert "The underlying neurobiological basis" in cleaned
    news = load_source("pedersen2017", PEDERSEN, sidecar["pedersen2017"]).text
    assert "Home" not in news and "APA Reference" not in news and "Traci Pedersen" not in news
    assert "Targeting glutamate receptors could transform care" in news


def test_normalise_drops_given_lines() -> None:
    raw = "keep one\nfurniture 2014\nkeep two\n"
    text, line_map = normalise(raw, {2})
    assert "2014" not in text and "keep one" in text and "keep two" in text
    assert line_map.line_at(text.index("keep two")) == 3


# ---------------------------------------------------------------- decoding


def test_bom_is_stripped(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfFirst line.\nSecond line.\n")
    st = load_source("k", p, None)
    assert not st.raw.startswith("\ufeff") and st.raw.startswith("First")
    assert st.text.startswith("First line.")
    assert st.line_at(st.text.index("Second")) == 2


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"ok\nstill ok\nbad \xff byte\n")
    with pytest.raises(InputError) as err:
        load_source("k", p, None)
    assert err.value.line == 3 and "invalid UTF-8" in err.value.message
    assert err.value.path == str(p)


# ---------------------------------------------------------------- sidecar


def test_sidecar_of_the_seeds(sidecar: dict[str, SourceSettings]) -> None:
    assert set(sidecar) == {"mcintyre2024", "pedersen2017", "kadriu2019", "henter2021",
                            "sanacora2008"}  # fmt: skip
    assert sidecar["kadriu2019"] == SourceSettings("abstract", [Span(2, 4), Span(8, 34)])
    assert sidecar["sanacora2008"] == SourceSettings("full text", [])
    assert sidecar["pedersen2017"].kind == "news"
    assert load_source("k", PEDERSEN, sidecar["pedersen2017"]).kind == "news"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a:\n  kind: abstract\n  colour: red\n", 3, "unknown setting 'colour'"),
        ("a:\n  exclude:\n    - lines: 12-5\n", 3, "bad line range '12-5'"),
        ("a:\n  exclude:\n    - lines: x\n      why: y\n", 3, "bad line range 'x'"),
        ("a:\n  exclude:\n    - lines: 0-2\n", 3, "bad line range"),
        ("a:\n  exclude:\n    - lines: 1-2\n      because: y\n", 4, "unknown field 'because'"),
        ("a:\n  exclude:\n    - why: no lines\n", 3, "without 'lines'"),
        ("a:\n  exclude: 1-3\n", 2, "must be a list"),
        ("a:\n  kind: [x]\n", 2, "single value"),
        ("# settings\n- a\n- b\n", 2, "must map bibliography keys"),
        ("a:\n  kind: abstract\nb: {}\na:\n  kind: news\n", 4, "duplicate key 'a'"),
        ("a:\n  kind: abstract\n  kind: news\n", 3, "duplicate setting 'kind'"),
        ("a: [1]\n", 1, "must be a mapping"),
        ("a:\n  kind: 'open\n", 2, "invalid YAML"),
        ("a:\n b: c\n d\n", 3, "invalid YAML"),
    ],
)
def test_sidecar_errors_name_the_yaml_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    p = write(tmp_path, "sources.yaml", text)
    with pytest.raises(InputError) as err:
        load_sidecar(p)
    assert err.value.path == str(p)
    assert err.value.line == line, err.value
    assert words in err.value.message


def test_sidecar_edge_cases(tmp_path: Path) -> None:
    assert load_sidecar(write(tmp_path, "empty.yaml", "")) == {}
    assert load_sidecar(write(tmp_path, "comments.yaml", "# nothing yet\n")) == {}
    got = load_sidecar(write(tmp_path, "ok.yaml", "a:\nb:\n  exclude:\n    - lines: 7\n"))
    assert got == {"a": SourceSettings(), "b": SourceSettings("", [Span(7, 7)])}
    with pytest.raises(InputError) as err:
        load_sidecar(tmp_path / "missing.yaml")
    assert "not found" in err.value.message and err.value.path.endswith("missing.yaml")


def test_sidecar_never_runs_yaml_tags(tmp_path: Path) -> None:
    p = write(tmp_path, "evil.yaml", "a: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(InputError) as err:
        load_sidecar(p)
    assert err.value.line == 1


def test_exclude_past_the_end_points_at_the_sidecar(tmp_path: Path) -> None:
    side = write(tmp_path, "sources.yaml", "k:\n  exclude:\n    - lines: 2-3\n    - lines: 5-9\n")
    src = write(tmp_path, "k.txt", "one\ntwo\nthree\nfour\n")
    settings = load_sidecar(side)["k"]
    with pytest.raises(InputError) as err:
        load_source("k", src, settings)
    assert err.value.path == str(side) and err.value.line == 4
    assert "5-9" in err.value.message and "4 lines" in err.value.message


# ---------------------------------------------------------------- index and cache


def load_index(
    entries: dict[str, Path], sidecar: dict[str, SourceSettings], store: Store | None = None
) -> dict[str, SourceText]:
    return {k: load_source(k, p, sidecar.get(k), store) for k, p in entries.items()}


def test_load_sources_and_missing_files(tmp_path: Path, sidecar: dict[str, SourceSettings]) -> None:
    index = load_index({"kadriu2019": KADRIU, "henter2021": HENTER}, sidecar)
    assert index["henter2021"].kind == "abstract"
    assert "MeSH terms" not in index["henter2021"].text
    missing = tmp_path / "gone.txt"
    with pytest.raises(InputError) as err:
        load_index({"gone": missing}, {})
    assert err.value.path == str(missing) and "not found" in err.value.message


def test_cache_round_trip(
    tmp_path: Path, sidecar: dict[str, SourceSettings], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    entries = {"sanacora2008": SANACORA, "mcintyre2024": MCINTYRE}
    store = Store(cache)
    first = load_index(entries, sidecar, store)
    store.flush()
    assert not cache.exists()  # nothing normalised yet: a source's text is read when needed
    assert all(first[k].text for k in entries)
    store.flush()  # written only when the command succeeds
    files = sorted(cache.glob("source-*.json"))
    assert len(files) == 2
    assert all(isinstance(json.loads(f.read_text())["value"][0], str) for f in files)

    def no_normalise(*args: object, **kwargs: object) -> None:
        raise AssertionError("normalised again despite the cache")

    monkeypatch.setattr(sources, "normalise", no_normalise)
    second = load_index(entries, sidecar, Store(cache))
    for key in entries:
        assert second[key].text == first[key].text
        assert second[key].line_map == first[key].line_map
        assert second[key].raw == first[key].raw and second[key].kind == first[key].kind
    monkeypatch.undo()

    # Other settings are another cache entry; a damaged entry is recomputed, not trusted.
    store = Store(cache)
    other = load_index(
        {"sanacora2008": SANACORA}, {"sanacora2008": SourceSettings("", [Span(1, 5)])}, store
    )
    assert other["sanacora2008"].text
    store.flush()
    assert len(list(cache.glob("source-*.json"))) == 3
    for f in files:
        f.write_text('{"version": "1", "text": 3}', encoding="utf-8")
    again = load_index(entries, sidecar, Store(cache))
    assert again["sanacora2008"].text == first["sanacora2008"].text
