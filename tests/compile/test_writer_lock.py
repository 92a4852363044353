"""The writer's lock and its staging folders (issue 16, defect 1), in one process; the race of
real processes is tests/robustness/test_concurrent_compiles.py."""

import os
import shutil
import subprocess
import sys

import pytest

from gitops_lb.compile import lock, writer
from gitops_lb.compile.lock import LockedError
from gitops_lb.compile.writer import MANIFEST, OutputError, write_tree
from tests.trees import snapshot

FILES = {"a.yaml": b"a: 1\n", "s/c/b.yaml": b"b: 1\n", "s/c/kustomization.yaml": b"k: 1\n"}
NEW = {"a.yaml": b"a: 2\n", "s/c/b.yaml": b"b: 2\n", "s/c/kustomization.yaml": b"k: 2\n"}


def test_a_held_lock_ends_the_wait_with_exit_3_naming_the_holder(tmp_path, monkeypatch):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    monkeypatch.setenv(lock.WAIT_ENV, "0.3")
    told: list[str] = []
    with lock.held(out):
        assert lock.lock_path(out).read_text().startswith(f"pid {os.getpid()}\n")
        with pytest.raises(LockedError, match=f"another compile \\(pid {os.getpid()} on host"):
            write_tree(out, NEW, on_wait=told.append)
    assert len(told) == 1
    assert told[0].startswith(f"waiting for compile pid {os.getpid()} on host")
    assert snapshot(out) == {**FILES, MANIFEST: writer.manifest_bytes(FILES)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]  # the lock file went too
    write_tree(out, NEW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]


def test_a_lock_file_left_by_a_killed_run_is_taken_over(tmp_path):
    out = tmp_path / "deploy"
    lock.lock_path(out).write_text("pid 999999999\nhost elsewhere\n")  # not locked by anyone
    write_tree(out, FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]


def test_only_staging_folders_whose_owner_is_gone_are_removed(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        alive_stage = tmp_path / f".deploy.gitops-lb-tmp-{live.pid}-abc"
        dead_stage = tmp_path / f".deploy.gitops-lb-tmp-{dead.pid}-abc"
        alive_stage.mkdir()
        dead_stage.mkdir()
        write_tree(out, NEW)
        assert alive_stage.is_dir()
        assert not dead_stage.exists()
    finally:
        live.kill()
        live.wait()
    shutil.rmtree(alive_stage)


def test_a_staging_folder_removed_mid_write_is_not_recreated(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    calls = [0]

    def remove_stage() -> None:
        calls[0] += 1
        if calls[0] == 1:
            for p in tmp_path.iterdir():
                if ".gitops-lb-tmp-" in p.name:
                    shutil.rmtree(p)

    with pytest.raises(OutputError, match="cannot write"):
        write_tree(out, NEW, pause=remove_stage)
    assert snapshot(out) == {**FILES, MANIFEST: writer.manifest_bytes(FILES)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]


def test_staging_folders_carry_the_owner_pid(tmp_path):
    out = tmp_path / "deploy"
    seen: list[str] = []

    def look() -> None:
        seen.extend(p.name for p in tmp_path.iterdir() if ".gitops-lb-tmp-" in p.name)

    write_tree(out, FILES, pause=look)
    assert seen and all(n.startswith(f".deploy.gitops-lb-tmp-{os.getpid()}-") for n in seen)
