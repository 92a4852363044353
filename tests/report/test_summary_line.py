"""lint and validate end their text report with one summary line, clean or not; the machine
formats print exactly what they printed before (issue 18)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gitops_lb.cli import main
from tests.helpers import CLEAN_MANIFEST

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def clean(tmp_path: Path) -> str:
    (tmp_path / "a.yaml").write_text(CLEAN_MANIFEST, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        CLEAN_MANIFEST.replace("name: a", "name: b")
        .replace("10.0.0.0/24", "10.0.1.0/24")
        .replace("name: l2", "name: l2b"),
        encoding="utf-8",
    )
    return str(tmp_path)


def test_clean_lint_says_so_in_one_line(clean, capsys):
    assert main(["lint", clean]) == 0
    assert capsys.readouterr() == ("no problems in 2 files\n", "")


def test_clean_validate_says_so_in_one_line(capsys):
    assert main(["validate", str(EXAMPLES / "sites" / "shared-l2.yaml")]) == 0
    assert capsys.readouterr() == ("no problems in 1 file\n", "")


def test_the_failure_summary_is_unchanged(clean, capsys):
    Path(clean, "a.yaml").write_text(
        CLEAN_MANIFEST.replace("[10.0.0.0/24]", "[10.0.0.0/24, 10.0.0.5/32]")
    )
    assert main(["lint", clean]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 error, 0 warnings in 2 files"
    assert not any(line.startswith("no problems") for line in out)


def test_machine_formats_carry_no_summary_line(clean, capsys):
    assert main(["lint", clean, "-f", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["diagnostics"] == [] and "no problems" not in out
    assert main(["lint", clean, "-f", "sarif"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"] == []
    assert main(["lint", clean, "-f", "gitlab"]) == 0
    assert capsys.readouterr().out == "[]\n"
    assert main(["lint", clean, "-f", "junit"]) == 0
    assert ET.fromstring(capsys.readouterr().out).get("failures") == "0"
    assert main(["lint", clean, "-f", "github"]) == 0  # its own summary line, as before
    assert capsys.readouterr().out == "gitops-lb lint: no problems in 2 files\n"


def test_compile_keeps_its_own_lines(tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert main(["compile", str(EXAMPLES / "sites" / "shared-l2.yaml"), "-o", str(out_dir)]) == 0
    assert "no problems" not in capsys.readouterr().out
