"""--format gitlab: GitLab Code Quality issues (docs/formats.md, "gitlab")."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from gitops_lb.cli import main
from gitops_lb.diagnostics import Diagnostic, Location, Result, Severity
from gitops_lb.report import baseline
from tests.report.samples import DC1, POOL, empty, mixed, render

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def issues(result: Result) -> list[dict[str, Any]]:
    doc = json.loads(render("gitlab", result))
    assert isinstance(doc, list)
    return doc


def test_every_issue_has_the_fields_gitlab_reads():
    out = issues(mixed())
    assert len(out) == 5
    for issue in out:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["description"], str) and issue["description"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert set(issue["location"]) == {"path", "lines"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["location"]["lines"]["begin"] >= 1


def test_fields_of_one_finding():
    first = issues(mixed())[0]
    assert first == {
        "description": "10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24",
        "check_name": "pool-overlap",
        "fingerprint": first["fingerprint"],
        "severity": "major",
        "location": {"path": DC1, "lines": {"begin": 12}},
    }


def test_errors_are_major_and_warnings_minor():
    by_rule = {(i["check_name"], i["severity"]) for i in issues(mixed())}
    assert by_rule == {
        ("pool-overlap", "major"),
        ("yaml-syntax", "major"),
        ("schema-unknown-field", "minor"),
    }


def test_fingerprint_is_the_baseline_fingerprint(tmp_path):
    result = mixed()
    root = str(tmp_path)  # the samples' relative files resolve against the current directory
    expected = [baseline.fingerprint(d, root) for d in result.reported()]
    assert [i["fingerprint"] for i in issues(result)] == expected
    assert len(set(expected)) == len(expected)
    sarif = json.loads(render("sarif", result))["runs"][0]["results"]
    assert [r["partialFingerprints"][baseline.FINGERPRINT_KEY] for r in sarif] == expected


def test_fingerprint_survives_a_moved_line():
    moved = Result(
        diagnostics=[
            dataclasses.replace(d, location=Location(d.location.file, d.location.line + 40, 1))
            for d in mixed().diagnostics
        ]
    )
    before = sorted(i["fingerprint"] for i in issues(mixed()))
    after = sorted(i["fingerprint"] for i in issues(moved))
    assert before == after


def test_findings_sharing_a_fingerprint_stay_apart():
    same = Diagnostic("pool-overlap", Severity.ERROR, "overlap", Location(DC1, 3, 1), object=POOL)
    twice = Result(diagnostics=[same, dataclasses.replace(same, location=Location(DC1, 9, 1))])
    out = issues(twice)
    key = out[0]["fingerprint"]
    assert [i["fingerprint"] for i in out] == [key, f"{key}:2"]
    assert [i["location"]["lines"]["begin"] for i in out] == [3, 9]


def test_suppressed_findings_are_left_out():
    result = mixed()
    result.diagnostics[0] = dataclasses.replace(result.diagnostics[0], suppressed=True)
    out = issues(result)
    assert len(out) == 4
    assert "10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24" not in {
        i["description"] for i in out
    }


def test_no_findings_is_an_empty_array():
    assert render("gitlab", empty()) == "[]\n"


def test_same_bytes_every_run():
    assert render("gitlab", mixed()) == render("gitlab", mixed())


def test_paths_are_relative_to_the_ci_checkout(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    (checkout / "sub").mkdir(parents=True)
    monkeypatch.setenv("CI_PROJECT_DIR", str(checkout))
    monkeypatch.chdir(checkout / "sub")  # a job that runs in a subfolder of the checkout
    d = Diagnostic("yaml-syntax", Severity.ERROR, "bad", Location("x.yaml", 2, 1))
    (issue,) = issues(Result(diagnostics=[d]))
    assert issue["location"]["path"] == "sub/x.yaml"
    outside = Diagnostic("yaml-syntax", Severity.ERROR, "bad", Location("/elsewhere/y.yaml", 2, 1))
    assert issues(Result(diagnostics=[outside]))[0]["location"]["path"] == "/elsewhere/y.yaml"


BAD_SITE_EDITS = (
    ("version: v0.15.1", "version: v0.15.1\n  bogusField: 1"),
    ("address: 192.168.20.11}", "address: 192.168.20.300}"),
)


@pytest.fixture
def bad_site(tmp_path: Path) -> Path:
    text = (EXAMPLES / "sites" / "shared-l2.yaml").read_text(encoding="utf-8")
    for old, new in BAD_SITE_EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "sites").mkdir()
    path = tmp_path / "sites" / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "compile"])
def test_site_commands_write_code_quality(command, bad_site, tmp_path, capsys):
    argv = [command, "sites/bad.yaml", "--format", "gitlab"]
    if command == "compile":
        argv += ["-o", str(tmp_path / "out")]
    assert main(argv) == 1
    out = json.loads(capsys.readouterr().out)
    assert {(i["check_name"], i["location"]["path"]) for i in out} == {
        ("schema-unknown-field", "sites/bad.yaml"),
        ("site-invalid-address", "sites/bad.yaml"),
    }
    text = bad_site.read_text(encoding="utf-8").splitlines()
    lines = {i["check_name"]: i["location"]["lines"]["begin"] for i in out}
    assert "bogusField" in text[lines["schema-unknown-field"] - 1]
    assert "192.168.20.300" in text[lines["site-invalid-address"] - 1]


def test_lint_fingerprints_match_the_written_baseline(tmp_path, capsys):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "guide.yaml").write_text(
        (EXAMPLES / "manifests" / "seed-guide.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["lint", "m", "--format", "gitlab"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {i["severity"] for i in out} == {"major", "minor"}
    assert main(["lint", "m", "--write-baseline", "base.json"]) == 0
    capsys.readouterr()
    recorded = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["findings"]
    assert sorted(i["fingerprint"] for i in out) == sorted(e["fingerprint"] for e in recorded)
    assert sum(e["count"] for e in recorded) == len(out)


def test_clean_input_is_an_empty_array_and_exit_0(capsys):
    assert main(["validate", str(EXAMPLES / "sites"), "--format", "gitlab"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_every_severity_has_a_gitlab_word():
    from gitops_lb.report.gitlab_format import SEVERITIES

    assert set(SEVERITIES) == set(Severity)
    assert set(SEVERITIES.values()) <= GITLAB_SEVERITIES
    assert SEVERITIES[Severity.ERROR] != SEVERITIES[Severity.WARNING]
