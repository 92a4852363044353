"""Baselines through the real CLI, in a Git repository of real-looking inputs.

`--write-baseline FILE` records today's findings; `--baseline FILE` reports only the new ones,
whatever was moved or reformatted meanwhile (docs/suppressions.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_lb.cli import main
from gitops_lb.diagnostics import Diagnostic, Location, Result, Severity
from gitops_lb.report import baseline
from tests.cli._repo_inputs import MANIFESTS, RESERVED, SITE
from tests.gitrepo import GitRepo

PATH = "clusters/edge/metallb.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(var, raising=False)
    r = GitRepo(tmp_path / "edge")
    monkeypatch.chdir(r.root)
    r.write(PATH, MANIFESTS)
    r.commit("edge pools")
    return r


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    done = capsys.readouterr()
    return status, done.out, done.err


def documents(text: str) -> list[str]:
    return [d if d.endswith("\n") else d + "\n" for d in text.split("---\n")]


def moved_and_reformatted(text: str) -> str:
    """The same objects after a tidy-up: a header added, the documents reordered (the
    advertisement and the Service first) and the lists re-indented in flow style."""
    pools = documents(text)[:2]
    rest = documents(text)[2:]
    header = "# edge cluster: MetalLB configuration\n# owner: network team\n\n"
    body = "---\n".join([*rest, *reversed(pools)])
    body = body.replace("  addresses:\n    - 10.20.0.0/24\n", "  addresses: [10.20.0.0/24]\n")
    body = body.replace("  addresses:\n    - 10.20.0.128/25\n", "  addresses: [10.20.0.128/25]\n")
    return header + body


NEW_POOL = """\
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: api
  namespace: metallb-system
spec:
  addresses: [10.20.0.50-10.20.0.60]
"""


def test_a_baseline_survives_moved_lines_and_reformatting_and_reports_a_new_mistake(repo, capsys):
    # the team records today's two findings, tidies the file up: nothing is reported and
    # lint passes; then someone adds a pool that overlaps web: only that is reported
    status, out, err = cli(capsys, "lint", "clusters", "--write-baseline", "gitops-lb.baseline")
    assert status == 0  # the findings are recorded, and so accepted
    assert "[pool-overlap]" in out and "[pool-subnet-edges]" in out  # the report is still shown
    assert "wrote 2 findings to baseline gitops-lb.baseline" in err
    repo.commit("baseline")

    tidy = moved_and_reformatted(MANIFESTS)
    assert tidy != MANIFESTS
    repo.write(PATH, tidy)
    status, out, err = cli(capsys, "lint", "clusters", "--baseline", "gitops-lb.baseline")
    assert out == "no problems in 1 file\n"
    assert "note: 2 findings in gitops-lb.baseline not reported" in err
    assert status == 0
    repo.commit("tidy up")

    repo.write(PATH, tidy + NEW_POOL)
    status, out, _ = cli(capsys, "lint", "clusters", "--baseline", "gitops-lb.baseline")
    assert status == 1
    reported = [line for line in out.splitlines() if "[" in line and not line.startswith(" ")]
    assert len(reported) == 1
    assert "pool 'api'" in reported[0] and "pool 'web'" in reported[0]
    assert reported[0].endswith("[pool-overlap]")


def test_without_the_baseline_everything_is_reported_again(repo, capsys):
    cli(capsys, "lint", "clusters", "--write-baseline", "b.json")
    status, out, _ = cli(capsys, "lint", "clusters")
    assert status == 1 and "[pool-overlap]" in out


def test_the_baseline_file_is_sorted_json_that_says_what_it_records(repo, capsys):
    # reviewers read the file in the pull request that adds it: one entry per finding,
    # written the same way every time
    cli(capsys, "lint", "clusters", "--write-baseline", "b.json")
    first = Path("b.json").read_bytes()
    cli(capsys, "lint", "clusters", "--write-baseline", "b.json")
    assert Path("b.json").read_bytes() == first
    doc = json.loads(first)
    assert first.decode() == json.dumps(doc, indent=2, sort_keys=True) + "\n"
    assert (doc["tool"], doc["format"]) == ("gitops-lb", 1)
    entries = {e["rule"]: e for e in doc["findings"]}
    assert set(entries) == {"pool-overlap", "pool-subnet-edges"}
    overlap = entries["pool-overlap"]
    assert overlap["file"] == PATH
    assert overlap["object"] == "IPAddressPool/metallb-system/web-canary"
    assert overlap["path"] == "spec.addresses[0]"
    assert overlap["count"] == 1
    assert len(overlap["fingerprint"]) == 32


def test_sarif_partial_fingerprints_are_the_baseline_fingerprints(repo, capsys):
    # GitHub code scanning tracks the alerts by the same value the baseline records
    cli(capsys, "lint", "clusters", "--write-baseline", "b.json")
    recorded = {
        e["rule"]: e["fingerprint"] for e in json.loads(Path("b.json").read_text())["findings"]
    }
    _, out, _ = cli(capsys, "lint", "clusters", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    sarif = {r["ruleId"]: r["partialFingerprints"]["gitopsLb/v1"] for r in results}
    assert sarif == recorded
    # and the value stays when the file is tidied up
    Path(PATH).write_text(moved_and_reformatted(MANIFESTS))
    _, out, _ = cli(capsys, "lint", "clusters", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert {r["ruleId"]: r["partialFingerprints"]["gitopsLb/v1"] for r in results} == recorded


def test_a_baseline_in_validate(repo, capsys):
    # site specs work alike: the recorded reserved-range error passes once lines move
    repo.write("sites/lab.yaml", SITE)
    status, _, _ = cli(capsys, "validate", "sites", "--write-baseline", "sites.baseline")
    assert status == 0
    moved = SITE.replace("# the lab site", "# the lab site\n# (reviewed by the network team)")
    moved = moved.replace(
        RESERVED, RESERVED.replace("[192.168.10.16/28]", "\n            - 192.168.10.16/28")
    )
    Path("sites/lab.yaml").write_text(moved)
    status, out, _ = cli(capsys, "validate", "sites")
    assert status == 1 and "[site-pool-reserved]" in out  # still there, on another line
    status, out, _ = cli(capsys, "validate", "sites", "--baseline", "sites.baseline")
    assert (status, out) == (0, "no problems in 1 file\n")


BAD_BASELINES: list[tuple[str, str | None, str]] = [
    ("missing.json", None, "cannot read baseline missing.json: No such file or directory"),
    ("broken.json", "{", "baseline broken.json is not JSON"),
    ("sarif.json", '{"version": "2.1.0", "runs": []}', "is not a gitops-lb baseline"),
    (
        "future.json",
        '{"tool": "gitops-lb", "format": 9, "findings": []}',
        "this gitops-lb reads format 1",
    ),
    (
        "count.json",
        '{"tool": "gitops-lb", "format": 1, "findings": [{"fingerprint": "x", "count": 0}]}',
        "findings[0].count is not a positive whole number",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_BASELINES)
def test_an_unusable_baseline_is_one_clear_error_with_exit_3(repo, capsys, name, text, message):
    # the user sees one line saying what is wrong with the file, no traceback, no report
    if text is not None:
        Path(name).write_text(text)
    status, out, err = cli(capsys, "lint", "clusters", "--baseline", name)
    assert status == 3
    assert out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_baseline_and_write_baseline_together_are_a_usage_error(repo, capsys):
    status, _, err = cli(capsys, "lint", "clusters", "--baseline", "a", "--write-baseline", "b")
    assert status == 2
    assert "not allowed with argument" in err


def test_a_baseline_that_cannot_be_written_is_exit_3(repo, capsys):
    status, _, err = cli(capsys, "lint", "clusters", "--write-baseline", "no/such/dir/b.json")
    assert status == 3
    assert "cannot write baseline no/such/dir/b.json" in err


def finding(line: int, message: str = "10.0.0.0/24 overlaps") -> Diagnostic:
    loc = Location("p.yaml", line, 7)
    return Diagnostic("pool-overlap", Severity.ERROR, message, loc, "IPAddressPool/m/a", "spec")


def test_identical_fingerprints_are_counted():
    # two findings the baseline cannot tell apart: it records them as a count, and a third
    # such finding later is new
    two = [finding(3), finding(9)]
    doc = baseline.document(two, "")
    (entry,) = doc["findings"]
    assert entry["count"] == 2
    known = baseline._counts(doc, "b.json")
    result = Result(diagnostics=[finding(4), finding(12), finding(20)])
    assert baseline.leave_out_known(result, known) == 2
    assert [d.location.line for d in result.diagnostics] == [20]


def test_the_fingerprint_ignores_positions_in_the_message():
    a = finding(3, "duplicate key 'name' (first defined at line 4)")
    b = finding(30, "duplicate key 'name' (first defined at line 40)")
    assert baseline.fingerprint(a, "") == baseline.fingerprint(b, "")
    c = finding(3, "see p.yaml:4:3")
    d = finding(3, "see p.yaml:9:1")
    assert baseline.fingerprint(c, "") == baseline.fingerprint(d, "")
    # addresses are not positions
    e = finding(3, "fd00::1 overlaps")
    f = finding(3, "fd00::2 overlaps")
    assert baseline.fingerprint(e, "") != baseline.fingerprint(f, "")
