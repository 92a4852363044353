"""Fixtures shared by the CLI tests."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from benchmarks import fleet

SMALL = ["--sites", "3", "--clusters", "2", "--pools", "6", "--services", "10", "--nodes", "2"]


@pytest.fixture(scope="module")
def small_fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three generated sites of two clusters each (benchmarks.fleet), written once per module."""
    parser = argparse.ArgumentParser()
    fleet.add_size_arguments(parser)
    out = tmp_path_factory.mktemp("fleet")
    fleet.write_fleet(fleet.params_from(parser.parse_args(SMALL)), str(out))
    sites: Path = out / "sites"
    return sites
