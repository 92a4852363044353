"""Inline suppressions through the real CLI, in a Git repository of real-looking inputs.

`# gitops-lb: disable=RULE` at the end of a finding's line or alone on the line before it,
`# gitops-lb: disable-file=RULE` anywhere in the file; what does not silence anything is an
unused-suppression warning (docs/suppressions.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gitops_lb.cli import main
from tests.cli._repo_inputs import EDGES, MANIFESTS, OVERLAP, RESERVED, SITE
from tests.gitrepo import GitRepo
from tests.reference import reference


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(var, raising=False)
    r = GitRepo(tmp_path / "edge")
    monkeypatch.chdir(r.root)
    return r


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    done = capsys.readouterr()
    return status, done.out, done.err


def manifests(repo: GitRepo, text: str) -> None:
    repo.write("clusters/edge/metallb.yaml", text)
    repo.commit("edge pools")


def test_an_end_of_line_suppression_silences_the_finding_and_the_exit_status(repo, capsys):
    # the user sees only the warning left; the overlap they accepted is counted as suppressed,
    # and `lint` exits 0 because no error is left
    manifests(
        repo, MANIFESTS.replace(OVERLAP, OVERLAP[:-1] + "  # gitops-lb: disable=pool-overlap\n")
    )
    status, out, _ = cli(capsys, "lint", "clusters/edge")
    assert "[pool-overlap]" not in out
    assert "[pool-subnet-edges]" in out
    assert out.endswith("0 errors, 1 warning in 1 file (1 suppressed)\n")
    assert status == 0


def test_a_suppression_alone_on_the_line_before_silences_the_next_line(repo, capsys):
    # a comment above the address, with an explanation of its own in between
    before = (
        "    # gitops-lb: disable=pool-overlap,pool-subnet-edges\n"
        "    # the canary takes the upper half of web on purpose\n"
    )
    manifests(repo, MANIFESTS.replace(OVERLAP, before + OVERLAP))
    status, out, _ = cli(capsys, "lint", "clusters/edge")
    assert "[pool-overlap]" not in out
    # pool-subnet-edges is on another line: still reported, and the part of the comment that
    # names it silences nothing there
    assert "metallb.yaml:9:7: warning: pool 'web'" in out
    assert (
        "metallb.yaml:18:5: warning: suppression of pool-subnet-edges silences nothing: "
        "no pool-subnet-edges finding on line 20 [unused-suppression]"
    ) in out
    assert status == 0


def test_disable_file_silences_a_rule_anywhere_in_the_file(repo, capsys):
    text = "# gitops-lb: disable-file=pool-subnet-edges,pool-overlap\n" + MANIFESTS
    manifests(repo, text)
    status, out, _ = cli(capsys, "lint", "clusters/edge")
    # nothing is shown but the count of what was silenced
    assert out == "0 errors, 0 warnings in 1 file (2 suppressed)\n"
    assert status == 0


def test_a_suppression_that_silences_nothing_is_a_warning(repo, capsys):
    # the mistake was fixed but the comment stayed; a typo in a rule id gets a did-you-mean
    fixed = MANIFESTS.replace(OVERLAP, "    - 10.20.1.0/25  # gitops-lb: disable=pool-overlap\n")
    fixed = fixed.replace(EDGES, EDGES[:-1] + "  # gitops-lb: disable=pool-subnet-edge\n")
    manifests(repo, fixed)
    status, out, _ = cli(capsys, "lint", "clusters/edge")
    assert (
        "metallb.yaml:18:21: warning: suppression of pool-overlap silences nothing: no "
        "pool-overlap finding on line 18 [unused-suppression]"
    ) in out
    assert (
        "metallb.yaml:9:21: warning: suppression names 'pool-subnet-edge', which is not a "
        "gitops-lb rule (did you mean pool-subnet-edges?) [unused-suppression]"
    ) in out
    assert status == 0  # warnings only


def test_unused_suppressions_of_disabled_rules_are_not_reported(repo, capsys):
    manifests(
        repo, MANIFESTS.replace(OVERLAP, OVERLAP[:-1] + "  # gitops-lb: disable=pool-overlap\n")
    )
    _, out, _ = cli(capsys, "lint", "clusters/edge", "--disable", "pool-overlap")
    assert "[unused-suppression]" not in out


def test_json_marks_suppressed_findings(repo, capsys):
    # a script reading the JSON still gets the suppressed finding, marked, and the summary
    # counts it apart from the errors
    manifests(
        repo, MANIFESTS.replace(OVERLAP, OVERLAP[:-1] + "  # gitops-lb: disable=pool-overlap\n")
    )
    status, out, _ = cli(capsys, "lint", "clusters/edge", "--format", "json")
    doc = json.loads(out)
    by_rule = {d["rule"]: d for d in doc["diagnostics"]}
    assert by_rule["pool-overlap"]["suppressed"] is True
    assert by_rule["pool-subnet-edges"]["suppressed"] is False
    assert doc["summary"] == {"errors": 0, "warnings": 1, "suppressed": 1, "files": 1}
    assert status == 0


def sarif_of(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    _, out, _ = cli(capsys, *args, "--format", "sarif")
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_sarif_reports_suppressed_findings_as_in_source(repo, capsys):
    # code scanning shows the overlap as dismissed in the source, not as an open alert
    manifests(
        repo, MANIFESTS.replace(OVERLAP, OVERLAP[:-1] + "  # gitops-lb: disable=pool-overlap\n")
    )
    doc = sarif_of(capsys, "lint", "clusters/edge")
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    assert results["pool-overlap"]["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    assert "suppressions" not in results["pool-subnet-edges"]
    loc = results["pool-overlap"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "clusters/edge/metallb.yaml"


def test_sarif_with_suppressions_validates_against_the_schema(repo, capsys):
    schema = json.loads(reference("sarif-schema-2.1.0.json", "the SARIF 2.1.0 schema").read_text())
    manifests(
        repo, MANIFESTS.replace(OVERLAP, OVERLAP[:-1] + "  # gitops-lb: disable=pool-overlap\n")
    )
    doc = sarif_of(capsys, "lint", "clusters/edge")
    cls = jsonschema.validators.validator_for(schema)
    assert list(cls(schema).iter_errors(doc)) == []


def test_a_site_spec_suppression_in_validate(repo, capsys):
    # the same comments work in site specs: the reserved-range error is silenced, validate
    # exits 0, and the JSON says what was silenced
    repo.write(
        "sites/lab.yaml",
        SITE.replace(RESERVED, RESERVED[:-1] + "  # gitops-lb: disable=site-pool-reserved\n"),
    )
    repo.commit("lab site")
    status, out, _ = cli(capsys, "validate", "sites")
    assert out == "0 errors, 0 warnings in 1 file (1 suppressed)\n"
    assert status == 0
    status, out, _ = cli(capsys, "validate", "sites", "--format", "json")
    (d,) = json.loads(out)["diagnostics"]
    assert (d["rule"], d["suppressed"], d["line"]) == ("site-pool-reserved", True, 30)


def test_an_unsuppressed_site_finding_still_fails_validate(repo, capsys):
    # a comment for another rule does not silence the error on its line
    repo.write(
        "sites/lab.yaml",
        SITE.replace(RESERVED, RESERVED[:-1] + "  # gitops-lb: disable=site-pool-overlap\n"),
    )
    repo.commit("lab site")
    status, out, _ = cli(capsys, "validate", "sites")
    assert "[site-pool-reserved]" in out
    assert "suppression of site-pool-overlap silences nothing" in out
    assert status == 1


def test_validate_staged_reads_the_suppressions_of_the_index(repo, capsys):
    # the pre-commit hook (validate --staged) sees the comment that is staged, not the one
    # only in the working tree
    suppressed = SITE.replace(
        RESERVED, RESERVED[:-1] + "  # gitops-lb: disable=site-pool-reserved\n"
    )
    repo.write("sites/lab.yaml", suppressed)
    repo.git("add", "sites/lab.yaml")
    repo.write("sites/lab.yaml", SITE)  # the comment is removed, but not staged
    status, out, _ = cli(capsys, "validate", "--staged", "sites")
    assert (status, out) == (0, "0 errors, 0 warnings in 1 file (1 suppressed)\n")
    status, out, _ = cli(capsys, "validate", "sites")
    assert status == 1 and "[site-pool-reserved]" in out
