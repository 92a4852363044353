"""Import on the real-world corpus (`<shared>/reference/real-world`, when present; skipped with
the reason otherwise): every case either stops with its problems and writes nothing, or gives
a site spec that `validate` reads as a site spec (no reading or schema finding), whose errors
are the repoURL marker (which `--repo-url` removes) and the mistakes `lint` finds in the input
itself: import adds no error of its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_lb.rules import all_rules
from tests.reference import reference
from tests.robustness.cli import cli

READING = {r.id for r in all_rules().values() if r.category == "input"}


def cases() -> list[Path]:
    try:
        root = reference("real-world", "the real-world corpus")
    except pytest.skip.Exception:
        return []
    return sorted(p for p in root.iterdir() if (p / "resources.yaml").is_file())


@pytest.mark.slow
@pytest.mark.parametrize("case", cases() or [None], ids=lambda p: p.name[:3] if p else "corpus")
def test_import_of_a_corpus_case(case, tmp_path, capsys):
    if case is None:  # no corpus here: skipped with the reason (failed when one was promised)
        reference("real-world", "the real-world corpus")
    site = tmp_path / "site.yaml"
    run = cli(capsys, "import", str(case / "resources.yaml"), "--bgp-mode", "frr", "-o", str(site))
    if run.status == 1:
        assert "nothing imported" in run.err and not site.exists()
        return
    assert run.status == 0, run.err
    run = cli(capsys, "validate", str(site), "--format", "json")
    rules = [d["rule"] for d in run.diagnostics()]
    assert not READING & set(rules), rules
    assert rules.count("site-repo-url-unset") == 1
    # no new error: what validate finds wrong besides the marker, lint found in the input
    errors = {d["rule"] for d in run.diagnostics() if d["severity"] == "error"}
    linted = cli(capsys, "lint", str(case / "resources.yaml"), "--bgp-mode", "frr", "-f", "json")
    assert errors - {"site-repo-url-unset"} <= {
        d["rule"] for d in linted.diagnostics() if d["severity"] == "error"
    }
    site.unlink()
    args = ["import", str(case / "resources.yaml"), "--bgp-mode", "frr", "-o", str(site)]
    assert cli(capsys, *args, "--repo-url", "https://git.example.org/lb.git").status == 0
    run = cli(capsys, "validate", str(site), "--format", "json")
    assert "site-repo-url-unset" not in [d["rule"] for d in run.diagnostics()]
