"""reconcile --live refuses a dump that holds nothing instead of reporting every object missing."""

from __future__ import annotations

import io
import sys

import pytest

from tests.robustness.cli import SITES, cli

SITE = str(SITES / "bgp-frr.yaml")


@pytest.mark.parametrize("text", ["", "# nothing\n", "---\n---\n"])
def test_an_empty_dump_cannot_be_compared(tmp_path, capsys, text):
    f = tmp_path / "live.yaml"
    f.write_text(text)
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert f"cannot read the live state: {f}:1:1: no object at all" in run.err
    assert run.out == ""


def test_an_empty_list_is_a_cluster_without_objects(tmp_path, capsys):
    f = tmp_path / "live.yaml"
    f.write_text("apiVersion: v1\nitems: []\nkind: List\n")
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 1
    assert "is in Git but not in the cluster" in run.out


def test_empty_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", "-")
    assert run.status == 3
    assert "<stdin>:1:1: no object at all" in run.err
