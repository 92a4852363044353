"""Test helpers: lint YAML text in memory and pick findings by rule."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from gitops_lb.config import ClusterConfig
from gitops_lb.diagnostics import Diagnostic
from gitops_lb.manifests import config_from_files
from gitops_lb.metallb import versions
from gitops_lb.metallb.versions import DEFAULT, NEWEST, release
from gitops_lb.rules import run_rules
from gitops_lb.yamlload import load_text

NS = "metallb-system"

# a pool that leaves out its subnet's edge addresses and an L2Advertisement of every pool:
# lint finds nothing in it (the clean input of the report tests)
CLEAN_MANIFEST = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: a, namespace: metallb-system}
spec:
  addresses: [10.0.0.0/24]
  avoidBuggyIPs: true
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
"""


def config(
    text: str, *, bgp_mode: str | None = None, file: str = "test.yaml", version: str | None = None
) -> ClusterConfig:
    """The configuration of a manifest text, read for MetalLB `version` (default: gitops-lb's)."""
    return config_from_files(
        [load_text(textwrap.dedent(text), file)],
        bgp_mode=bgp_mode,
        metallb_version=DEFAULT if version is None else release(version),
    )


def lint(
    text: str, *, bgp_mode: str | None = None, compat: bool = False, version: str | None = None
) -> list[Diagnostic]:
    """All diagnostics for a manifest text (dedented), sorted."""
    cfg = config(text, bgp_mode=bgp_mode, version=version)
    return sorted(run_rules(cfg, compat=compat), key=Diagnostic.sort_key)


def hits(
    text: str, rule: str, *, bgp_mode: str | None = None, version: str | None = None
) -> list[int]:
    """Lines where `rule` fires."""
    found = lint(text, bgp_mode=bgp_mode, version=version)
    return [d.location.line for d in found if d.rule == rule]


def errors(
    text: str, *, bgp_mode: str | None = None, compat: bool = False, version: str | None = None
) -> list[str]:
    """Rule ids of the errors, one per finding."""
    found = lint(text, bgp_mode=bgp_mode, compat=compat, version=version)
    return [d.rule for d in found if str(d.severity) == "error"]


def pool(name: str, *addresses: str, extra: str = "") -> str:
    """An IPAddressPool document (flow style, one line per field)."""
    addrs = ", ".join(f'"{a}"' for a in addresses)
    return (
        f"---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\n"
        f"spec:\n  addresses: [{addrs}]\n{extra}"
    )


def released(monkeypatch: pytest.MonkeyPatch, kind: str, field: str) -> None:
    """Pretend the newest release has a field that is only on MetalLB's main branch (so far
    L2Advertisement preferredNodeSelectors), to check main's rules for it."""
    fields = versions.FIELDS[kind]
    assert fields[("spec", field)] is None, "a released field needs no pretending"
    monkeypatch.setitem(fields, ("spec", field), NEWEST)


def gitops_lb_script(folder: Path) -> Path:
    """A `gitops-lb` in `folder` (put it on PATH) that runs this checkout, as the installed
    console script does; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "gitops-lb"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gitops_lb "$@"\n')
    script.chmod(0o755)
    return folder
