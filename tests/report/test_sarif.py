import dataclasses
import json
from typing import Any

import jsonschema
import pytest

from gitops_lb.diagnostics import Diagnostic, Location, Result, Severity
from gitops_lb.rules import all_rules
from tests.reference import reference
from tests.report.samples import DC1, ODD, POOL, empty, mixed, render


def sarif(result: Result) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render("sarif", result))
    return doc


def nonempty_text(obj: dict[str, Any], key: str) -> str:
    text = obj[key]["text"]
    assert isinstance(text, str) and text.strip(), key
    return text


@pytest.fixture(scope="module")
def sarif_schema() -> Any:
    """The SARIF 2.1.0 JSON schema from the shared reference files (skips when absent)."""
    path = reference("sarif-schema-2.1.0.json", "the SARIF 2.1.0 schema")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("make", [mixed, empty])
def test_validates_against_the_sarif_schema(sarif_schema, make):
    schema = sarif_schema
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = list(cls(schema).iter_errors(sarif(make())))
    assert errors == []


@pytest.mark.parametrize("make", [mixed, empty])
def test_has_what_github_code_scanning_requires(make):
    doc = sarif(make())
    assert doc["$schema"].startswith("https://")
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gitops-lb"
    assert driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    # every registered rule is described, in id order, so ruleIndex is stable between runs
    assert [r["id"] for r in rules] == sorted(all_rules())
    for r in rules:
        nonempty_text(r, "shortDescription")
        nonempty_text(r, "fullDescription")
        nonempty_text(r, "help")
        assert r["help"]["markdown"].strip()
        assert r["defaultConfiguration"]["level"] in ("error", "warning")
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        nonempty_text(res, "message")
        assert 1 <= len(res["locations"]) <= 10
        phys = res["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uri"]
        assert phys["region"]["startLine"] >= 1 and phys["region"]["startColumn"] >= 1
        assert res["partialFingerprints"]["primaryLocationLineHash"]
    assert len(run["results"]) == len(make().diagnostics)


def test_rule_descriptor_comes_from_the_docstring():
    doc = sarif(empty())
    rule = next(r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "pool-overlap")
    registered = all_rules()["pool-overlap"]
    assert rule["shortDescription"]["text"] == registered.summary == "Two pool addresses overlap."
    assert rule["fullDescription"]["text"].startswith("MetalLB refuses a configuration")
    assert "\n" not in rule["fullDescription"]["text"]  # the docstring's line wrapping is undone
    assert rule["help"]["text"].startswith("Two pool addresses overlap.\n\nMetalLB refuses")
    assert "- enforced by MetalLB: yes" in rule["help"]["markdown"]
    assert rule["defaultConfiguration"]["level"] == "error"


def test_results_levels_locations_and_objects():
    results = sarif(mixed())["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("pool-overlap", "error"),
        ("pool-overlap", "error"),
        ("schema-unknown-field", "warning"),
        ("schema-unknown-field", "warning"),
        ("yaml-syntax", "error"),
    ]
    first = results[0]
    loc = first["locations"][0]
    assert loc["physicalLocation"] == {
        "artifactLocation": {"uri": DC1, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 9},
    }
    assert loc["logicalLocations"] == [{"name": "a", "fullyQualifiedName": POOL, "kind": "object"}]
    assert first["properties"] == {"path": "spec.addresses[1]"}
    odd = results[3]["locations"][0]
    assert odd["physicalLocation"]["artifactLocation"]["uri"] == "sites/odd%2Cname%3A1.yaml"
    assert "logicalLocations" not in odd


def test_related_locations_are_linked_from_the_message():
    results = sarif(mixed())["runs"][0]["results"]
    first, second = results[0], results[1]
    assert first["message"]["text"] == (
        "10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24"
        r" (see [10.0.0.0/24 \[first\] defined here](1))"
    )
    assert first["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": DC1, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 7, "startColumn": 9},
            },
            "message": {"text": "10.0.0.0/24 [first] defined here"},
        }
    ]
    assert [r["id"] for r in second["relatedLocations"]] == [1, 2]
    assert second["message"]["text"].endswith("(see [10.0.0.0/24 defined here](1); [also here](2))")
    assert "relatedLocations" not in results[4]


def fingerprints(result: Result) -> list[str]:
    return [
        r["partialFingerprints"]["primaryLocationLineHash"]
        for r in sarif(result)["runs"][0]["results"]
    ]


def test_fingerprints_ignore_line_numbers_but_not_content():
    base = mixed()
    moved = Result(
        files=base.files,
        diagnostics=[
            dataclasses.replace(
                d, location=dataclasses.replace(d.location, line=d.location.line + 40)
            )
            for d in base.diagnostics
        ],
    )
    assert fingerprints(moved) == fingerprints(base)
    assert len(set(fingerprints(base))) == len(base.diagnostics)
    reworded = Result(
        diagnostics=[dataclasses.replace(base.diagnostics[0], message="something else")]
    )
    assert fingerprints(reworded)[0] != fingerprints(base)[0]


def test_identical_findings_get_distinct_fingerprints():
    d = Diagnostic("yaml-syntax", Severity.ERROR, "same", Location(DC1, 1, 1))
    twice = Result(diagnostics=[d, dataclasses.replace(d, location=Location(DC1, 9, 1))])
    first, second = fingerprints(twice)
    assert first.endswith(":1") and second.endswith(":2")
    assert first.split(":")[0] == second.split(":")[0]


def test_output_is_deterministic():
    assert render("sarif", mixed()) == render("sarif", mixed())
    shuffled = mixed()
    shuffled.diagnostics.reverse()
    assert render("sarif", shuffled) == render("sarif", mixed())


def test_empty_result():
    run = sarif(empty())["runs"][0]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_paths_relative_to_the_checkout(tmp_path, monkeypatch):
    inside = tmp_path / "repo" / "sites" / "x.yaml"
    outside = tmp_path / "elsewhere.yaml"
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    (tmp_path / "repo").mkdir()
    result = Result(
        diagnostics=[
            Diagnostic("yaml-syntax", Severity.ERROR, "a", Location(str(inside), 1, 1)),
            Diagnostic("yaml-syntax", Severity.ERROR, "b", Location(str(outside), 2, 1)),
            Diagnostic("yaml-syntax", Severity.ERROR, "c", Location("<stdin>", 3, 1)),
        ]
    )
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in sarif(result)["runs"][0]["results"]
    ]
    assert uris == [  # in the order of the file names
        {"uri": outside.as_uri()},
        {"uri": "sites/x.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "%3Cstdin%3E"},
    ]


def test_rule_outside_the_registry_is_described():
    result = Result(diagnostics=[Diagnostic("zz-other", Severity.WARNING, "m", Location(ODD))])
    run = sarif(result)["runs"][0]
    rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert rule["id"] == "zz-other" and rule["shortDescription"]["text"] == "zz-other"
