"""The Kubernetes client is the optional `api` extra: without it, reconcile against a cluster's
API exits 3 with one line naming the extra, and everything else runs (the installed wheel
without the extra is tested in tests/integrations/test_wheel.py)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from gitops_lb.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sites"


@pytest.fixture
def no_kubernetes(monkeypatch):
    """As if the `api` extra were not installed: `import kubernetes` fails."""
    for name in list(sys.modules):
        if name == "kubernetes" or name.startswith("kubernetes."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "kubernetes", None)
    monkeypatch.delitem(sys.modules, "gitops_lb.reconcile.live", raising=False)


def test_reconcile_against_the_api_names_the_extra(no_kubernetes, capsys, tmp_path):
    status = main(["reconcile", str(EXAMPLES), "--cluster", "acp-seed/workload", "--no-config"])
    err = capsys.readouterr().err
    assert status == 3
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "pip install 'gitops-lb[api]'" in lines[0]
    assert "Traceback" not in err


def test_everything_but_the_api_runs_without_the_client(no_kubernetes, capsys, tmp_path):
    assert main(["validate", str(EXAMPLES), "--no-config"]) == 0
    out = tmp_path / "deploy"
    assert main(["compile", str(EXAMPLES), "-o", str(out), "--no-config"]) == 0
    assert main(["render", str(EXAMPLES), "--cluster", "acp-seed/workload"]) == 0
    assert "kubernetes" not in {n.split(".")[0] for n, m in sys.modules.items() if m is not None}


def test_the_client_is_declared_only_by_the_api_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("kubernetes")]
    assert [d for d in project["optional-dependencies"]["api"] if d.startswith("kubernetes")]
