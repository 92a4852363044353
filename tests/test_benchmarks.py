"""The benchmark fleet and runner work (at a tiny size; timings are not tested)."""

from __future__ import annotations

import argparse
import filecmp
import re

import pytest

from benchmarks import fleet, incremental, render, run
from gitops_lb import cache
from gitops_lb.cli import main

TINY = ["--sites", "2", "--clusters", "3", "--pools", "7", "--services", "25", "--nodes", "3"]


def generate(tmp_path, *extra):
    parser = argparse.ArgumentParser()
    fleet.add_size_arguments(parser)
    params = fleet.params_from(parser.parse_args([*TINY, *extra]))
    return params, fleet.write_fleet(params, str(tmp_path))


def lint_clusters(written, capsys):
    statuses = [main(["lint", "--bgp-mode", mode, d]) for d, mode in written.cluster_dirs]
    return statuses, capsys.readouterr().out


def test_fleet_is_deterministic(tmp_path):
    _, a = generate(tmp_path / "a")
    _, b = generate(tmp_path / "b")
    assert len(a.site_files) == 2 and len(a.cluster_dirs) == 6
    cmp = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    for sub in ("sites", "manifests"):
        assert not filecmp.dircmp(tmp_path / "a" / sub, tmp_path / "b" / sub).diff_files
    assert a.site_bytes == b.site_bytes and a.manifest_bytes == b.manifest_bytes
    for path in a.site_files:  # written out in full, as people write YAML
        assert "&id" not in (tmp_path / "a" / "sites" / path.rsplit("/", 1)[1]).read_text()


def test_larger_fleet_contains_the_smaller_one(tmp_path):
    generate(tmp_path / "small")
    generate(tmp_path / "large", "--sites", "3")
    for name in ("site-000.yaml", "site-001.yaml"):
        assert filecmp.cmp(tmp_path / "small" / "sites" / name, tmp_path / "large" / "sites" / name)


def test_fleet_manifests_lint_clean(tmp_path, capsys):
    _, written = generate(tmp_path)
    statuses, out = lint_clusters(written, capsys)
    assert statuses == [0] * 6, out
    assert out == "no problems in 5 files\n" * 6


def test_fleet_site_specs_validate_clean(tmp_path, capsys):
    generate(tmp_path)
    assert main(["validate", str(tmp_path / "sites")]) == 0, capsys.readouterr().out


def test_selector_fleet_is_clean_and_selects_by_label(tmp_path, capsys):
    _, written = generate(tmp_path, "--selectors")
    statuses, out = lint_clusters(written, capsys)
    assert statuses == [0] * 6, out
    folder = written.cluster_dirs[0][0]
    with open(f"{folder}/advertisements.yaml", encoding="utf-8") as fh:
        ads = fh.read()
    assert "ipAddressPools" not in ads and "operator: In" in ads and "matchLabels" in ads
    with open(f"{folder}/pools.yaml", encoding="utf-8") as fh:
        assert "serviceSelectors" in fh.read()
    with open(f"{folder}/services.yaml", encoding="utf-8") as fh:
        assert "app.kubernetes.io/name: svc-0000" in fh.read()
    assert main(["validate", str(tmp_path / "sites")]) == 0, capsys.readouterr().out


def test_overlapping_fleet_reports_every_overlap(tmp_path, capsys):
    _, written = generate(tmp_path, "--overlaps")
    statuses, out = lint_clusters(written, capsys)
    assert statuses == [1] * 6
    overlaps = [line for line in out.splitlines() if line.endswith("[pool-overlap]")]
    assert len(overlaps) == 6 * 6  # each pool but the first takes its neighbour's first address
    assert all("/32 " in line for line in overlaps)  # the added address is one side


@pytest.mark.slow
def test_runner_prints_every_figure(tmp_path, capsys):
    assert run.main([*TINY, "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in ("floor-sites", "floor-manifests", *run.available_commands(), "memory lint"):
        assert re.search(rf"^{name}\b", out, re.M), (name, out)
    assert re.search(r"^lint +(\d+\.\d+ +){3}\d+\.\d+x", out, re.M), out


@pytest.mark.slow
def test_runner_scaling_mode(tmp_path, capsys):
    args = [*TINY, "--repeat", "1", "--work", str(tmp_path), "--scale", "cluster"]
    assert run.main(args) == 0
    out = capsys.readouterr().out
    assert "twice the pools and services per cluster" in out
    assert re.search(r"^lint +\d+\.\d+ s -> +\d+\.\d+ s CPU +\d+\.\d+x", out, re.M), out
    assert re.search(r"^memory validate +\d+ MB of \d+ +\d+ MB of \d+ ", out, re.M), out


def test_runner_profile_mode(tmp_path, capsys):
    assert run.main([*TINY, "--work", str(tmp_path), "--profile", "lint", "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "under cProfile" in out and "function calls" in out


def test_runner_startup_race_without_a_checker(capsys):
    example = str(run.ROOT) + "/examples/sites/acp-seed.yaml"
    assert (
        run.main(["--startup", "--example", example, "--repeat", "1", "--check-jsonschema", ""])
        == 0
    )
    out = capsys.readouterr().out
    assert "gitops-lb validate: exit 0" in out
    assert re.search(r"^gitops-lb validate +\d+ ms wall +\d+ ms CPU", out, re.M), out


def test_peak_memory_is_the_child_s_own_not_its_parent_s():
    import subprocess
    import sys

    ballast = bytearray(200 * 2**20)  # a large parent, touched page by page
    ballast[::4096] = b"\1" * len(ballast[::4096])
    code = "from benchmarks.run import peak_rss; print(peak_rss())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=run.ROOT, capture_output=True, text=True, check=True
    )
    assert int(out.stdout) < 100 * 2**20, out.stdout
    assert len(ballast) == 200 * 2**20


@pytest.mark.slow
def test_fleet_reconcile_benchmark(tmp_path, capsys):
    from benchmarks import reconcile_fleet

    assert reconcile_fleet.main([*TINY, "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^6 single-cluster runs, sum +\d+\.\d+ +\d+\.\d+$", out, re.M), out
    assert re.search(r"^fleet of 6, --jobs 2 +\d+\.\d+ +\d+\.\d+$", out, re.M), out
    assert re.search(r"^fleet --jobs 2 wall / \(sum of single walls / 2\) = \d+\.\d+ ", out, re.M)
    assert "exit statuses [0] (0: every cluster in sync)" in out  # the dumps are in sync
    # every cluster's dump is where --live-dir looks for it
    assert len(list((tmp_path / "live").glob("*/*/services.yaml"))) == 6


def test_render_benchmark_prints_the_ratio(tmp_path, capsys):
    assert render.main([*TINY, "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for title in (
        "whole fleet, cache warm",
        "another file changed",
        "whole fleet, --no-cache",
        "the site's file alone",
        r"empty cache \(once\)",
    ):
        row = rf"^{title} +\d+\.\d+ +\d+\.\d+ +\d+\.\d+x  \(exit 0\)$"
        assert re.search(row, out, re.M), (title, out)
    warm = r"^ratio \d+\.\d+x with the cache warm \(target 1\.5x\): (met|missed)$"
    assert re.search(warm, out, re.M), out
    assert "same manifests printed" in out
    assert (tmp_path / "cache" / cache.ENTRIES).is_dir()  # the children's cache, not the tree's


def test_startup_benchmark_says_when_check_jsonschema_is_missing(capsys):
    from benchmarks import startup

    assert startup.main(["--repeat", "1", "--check-jsonschema", ""]) == 0
    out = capsys.readouterr().out
    assert "check-jsonschema is missing: the race is NOT run" in out
    assert "gitops-lb validate: exit 0" in out  # the small example validates clean
    assert re.search(r"^gitops-lb validate +\d+ ms wall +\d+ ms CPU +\(median of 1\)$", out, re.M)
    assert "ratio" not in out


def test_startup_benchmark_races_a_checker(tmp_path, capsys):
    from benchmarks import startup

    # a stand-in for check-jsonschema: the race and its ratio, not check-jsonschema's speed
    checker = tmp_path / "checker"
    checker.write_text("#!/bin/sh\nexit 0\n")
    checker.chmod(0o755)
    assert startup.main(["--repeat", "1", "--check-jsonschema", str(checker)]) == 0
    out = capsys.readouterr().out
    assert "check-jsonschema: exit 0" in out
    assert re.search(
        r"^ratio \d+\.\d+x CPU, \d+\.\d+x wall \(target 0\.8x CPU\): (met|missed)$", out, re.M
    )


def test_selector_doubling_benchmark(tmp_path, capsys):
    from benchmarks import selectors

    assert selectors.main(["--pools", "6", "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "6 -> 12" in out
    assert re.search(
        r"^lint +\d+\.\d+ +\d+\.\d+ +\d+\.\d+x +"
        r"\(target 2\.3x: (met|missed); exit 0/0, findings 0/0\)$",
        out,
        re.M,
    ), out
    # the larger cluster has twice the pools, each with its own advertisement selecting it
    pools = (tmp_path / "n12/fleet/manifests/site-000/c000/pools.yaml").read_text()
    assert pools.count("kind: IPAddressPool") == 12


def test_incremental_runner_compares_with_the_file_alone(tmp_path, capsys):
    assert incremental.main([*TINY, "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^whole fleet, cache warm +\d+\.\d+ +\d+\.\d+ +\(exit 0\)", out, re.M), out
    assert re.search(r"^ratio \d+\.\d+x \(target 3\.0x\)", out, re.M), out
    assert "same findings as --no-cache" in out
    assert (tmp_path / "cache" / ".gitignore").exists()  # the children's cache, not the tree's


@pytest.mark.slow
def test_speed_runs_every_target_in_one_run(capsys):
    from benchmarks import speed

    assert speed.main(["--small", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    summary = out.split("== summary ==\n", 1)[1]
    for title, _, _ in speed.steps(small=True):
        assert re.search(rf"^{re.escape(title)}: (met|missed|not run)", summary, re.M), title
    assert re.search(r"^    ratio \d+\.\d+x \(target 3\.0x\)", summary, re.M)  # incremental
    assert re.search(r"^    validate +\d", summary, re.M)  # the fleet's rows against the floor
    assert summary.rstrip().endswith(("all targets met", "some targets missed"))
