import json
import xml.etree.ElementTree as ET

import pytest

from gitops_lb.cli import main

OVERLAP = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: a, namespace: metallb-system}
spec:
  addresses: [10.0.0.0/24, 10.0.0.5/32]
  avoidBuggyIPs: true
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
"""


@pytest.fixture
def manifest(tmp_path):
    (tmp_path / "m").mkdir()
    path = tmp_path / "m" / "pool.yaml"
    path.write_text(OVERLAP, encoding="utf-8")
    return path


def test_sarif(manifest, capsys):
    assert main(["lint", str(manifest), "--format", "sarif"]) == 1
    run = json.loads(capsys.readouterr().out)["runs"][0]
    (res,) = run["results"]
    assert res["ruleId"] == "pool-overlap"
    phys = res["locations"][0]["physicalLocation"]
    assert phys == {
        "artifactLocation": {"uri": "m/pool.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 5, "startColumn": 28},
    }
    assert res["relatedLocations"][0]["physicalLocation"]["region"] == {
        "startLine": 5,
        "startColumn": 15,
    }


def test_junit(manifest, capsys):
    assert main(["lint", "m", "-f", "junit"]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    assert [s.get("name") for s in root.findall("testsuite")] == ["m/pool.yaml"]
    assert len(root.findall(".//failure")) == 1


def test_github_format_option(manifest, capsys):
    assert main(["lint", "m/pool.yaml", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("::error file=m/pool.yaml,line=5,col=28,title=pool-overlap::")
    assert out[-1] == "gitops-lb lint: 1 error, 0 warnings in 1 file"


def test_github_actions_environment_picks_github(manifest, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert main(["lint", str(manifest)]) == 1
    assert capsys.readouterr().out.startswith("::error file=m/pool.yaml,line=5,col=28,")
    assert "| error | `pool-overlap` | m/pool.yaml:5:28 |" in (tmp_path / "summary.md").read_text()
    # an explicit --format still wins
    assert main(["lint", str(manifest), "--format", "text"]) == 1
    assert capsys.readouterr().out.startswith(f"{manifest}:5:28: error: ")


def test_clean_input_in_every_machine_format(tmp_path, capsys):
    path = tmp_path / "ok.yaml"
    path.write_text(OVERLAP.replace(", 10.0.0.5/32", ""), encoding="utf-8")
    assert main(["lint", str(path), "-f", "sarif"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"] == []
    assert main(["lint", str(path), "-f", "junit"]) == 0
    assert ET.fromstring(capsys.readouterr().out).get("failures") == "0"
    assert main(["lint", str(path), "-f", "github"]) == 0
    assert capsys.readouterr().out == "gitops-lb lint: no problems in 1 file\n"
