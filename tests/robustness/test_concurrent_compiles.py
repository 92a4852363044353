"""Two compiles into one DIR (issue 16, defect 1): real processes racing, many times, with no
delay hook. After each pair DIR is exactly one of the two trees, its manifest lists exactly
the files on disk, each process exits 0 (it waited) or 3 (it gave up, naming the other run's
pid), nothing is left beside DIR and nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import fleet
from gitops_lb.compile import lock, writer
from gitops_lb.compile.writer import MANIFEST
from tests.trees import snapshot

ROOT = Path(__file__).resolve().parents[2]
SIZE = ["--sites", "4", "--clusters", "4", "--pools", "20", "--services", "150", "--nodes", "4"]
PAIRS = 12  # both wait: each pair ends with exit 0 twice
PAIRS_NO_WAIT = 6  # GITOPS_LB_LOCK_WAIT=0: the one that finds DIR locked gives up with exit 3


@pytest.fixture(scope="module")
def fleet_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two inputs that compile to different trees (sites 0-2 and sites 1-3), and those trees."""
    base = tmp_path_factory.mktemp("race")
    parser = argparse.ArgumentParser()
    fleet.add_size_arguments(parser)
    written = fleet.write_fleet(fleet.params_from(parser.parse_args(SIZE)), str(base / "fleet"))
    sites = sorted(written.site_files)
    inputs = {"a": sites[:3], "b": sites[1:]}
    trees = {}
    for name, files in inputs.items():
        out = base / f"expected-{name}"
        proc = run_compile(files, out)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        trees[name] = snapshot(out)
    assert trees["a"] != trees["b"]
    return {"inputs": inputs, "trees": trees, "base": base}


def run_compile(sites: list[str], out: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gitops_lb", "compile", *sites, "-o", str(out)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def holds_lock(proc: subprocess.Popen[str], out: Path) -> bool:
    """proc holds DIR's lock now: the lock file is there and names it (lock.held writes it)."""
    try:
        return f"pid {proc.pid}\n" in lock.lock_path(out).read_text()
    except OSError:
        return False


def check_pair(
    fleet_sites: dict[str, object], out: Path, *, staggered: bool = False, **env: str
) -> list[int]:
    """Two compiles into `out` at once; `staggered`: b starts once a holds DIR's lock (so that
    b finds DIR locked, unless a is already done by then)."""
    inputs: dict[str, list[str]] = fleet_sites["inputs"]  # type: ignore[assignment]
    trees: dict[str, dict[str, bytes]] = fleet_sites["trees"]  # type: ignore[assignment]
    procs = {"a": run_compile(inputs["a"], out, **env)}
    if staggered:
        while procs["a"].poll() is None and not holds_lock(procs["a"], out):
            time.sleep(0.001)
    procs["b"] = run_compile(inputs["b"], out, **env)
    errs = {name: p.communicate(timeout=300)[1] for name, p in procs.items()}
    statuses = []
    for name, err in errs.items():
        status = procs[name].returncode
        other = procs["b" if name == "a" else "a"].pid
        assert "Traceback" not in err, err
        assert status in (0, 3), (status, err)
        if status == 3:
            assert f"is being written by another compile (pid {other} on host" in err, err
        if "waiting for compile" in err:
            assert f"waiting for compile pid {other} on host" in err, err
            assert err.count("waiting for compile") == 1, err
        statuses.append(status)
    assert 0 in statuses  # one of them always finishes
    state = snapshot(out)
    assert state in (trees["a"], trees["b"])
    listed = writer.read_manifest(out)
    assert listed is not None
    assert listed == set(state) - {MANIFEST}
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
    return statuses


def test_two_compiles_racing_on_one_dir_leave_one_whole_tree(fleet_sites, tmp_path):
    out = tmp_path / "deploy"
    seen: list[int] = []
    for _ in range(PAIRS):
        seen += check_pair(fleet_sites, out)
        assert seen[-2:] == [0, 0]  # the second one waited for the first
    for _ in range(PAIRS_NO_WAIT):  # b starts while a holds the lock: b gives up (exit 3)
        seen += check_pair(fleet_sites, out, staggered=True, **{lock.WAIT_ENV: "0"})
    shutil.rmtree(out)
    # a pair into a DIR that does not exist yet: the first compile of it
    for _ in range(3):
        check_pair(fleet_sites, out)
        shutil.rmtree(out)
    # Whether a no-wait pair meets the lock depends on timing (a compile holds it only while
    # it writes, now a fraction of its run), so exit 3 is not required here: each outcome is
    # checked when it happens, and tests/compile/test_writer_lock.py makes a held lock end
    # the wait with exit 3 every time.
    assert set(seen) <= {0, 3}
