import os
import signal
import sys
from pathlib import Path

import pytest

from gitops_lb.compile import writer
from gitops_lb.compile.writer import MANIFEST, OutputError, changes, unified_diff, write_tree
from tests.compile.midwrite import staged_files, start_mid_write
from tests.trees import snapshot

ROOT = Path(__file__).resolve().parents[2]
FILES = {"a.yaml": b"a: 1\n", "s/c/b.yaml": b"b: 1\n", "s/c/kustomization.yaml": b"k: 1\n"}


def test_first_write_creates_files_and_manifest(tmp_path):
    out = tmp_path / "deploy"
    done = write_tree(out, FILES)
    assert {c.path for c in done} == {*FILES, MANIFEST}
    snap = snapshot(out)
    assert {k: v for k, v in snap.items() if k != MANIFEST} == FILES
    manifest = snap[MANIFEST]
    assert isinstance(manifest, bytes)
    listed = [ln for ln in manifest.decode().splitlines() if not ln.startswith("#")]
    assert listed == sorted(FILES)
    assert not [p for p in tmp_path.iterdir() if p.name != "deploy"]  # no leftovers


def test_unchanged_tree_is_not_rewritten(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    inode = (out / "a.yaml").stat().st_ino
    assert write_tree(out, FILES) == []
    assert (out / "a.yaml").stat().st_ino == inode


def test_a_recompile_links_the_files_whose_bytes_stay_and_writes_the_others(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    before = {p: (out / p).stat() for p in FILES}
    new = {**FILES, "a.yaml": b"a: 2\n"}
    done = write_tree(out, new)
    assert {c.path for c in done} == {"a.yaml"}  # the manifest lists the same paths
    after = {p: (out / p).stat() for p in FILES}
    assert after["a.yaml"].st_ino != before["a.yaml"].st_ino  # a new file, the old one stays
    for p in ("s/c/b.yaml", "s/c/kustomization.yaml"):  # the same file: no inode to allocate
        assert (after[p].st_ino, after[p].st_mtime_ns) == (before[p].st_ino, before[p].st_mtime_ns)
        assert after[p].st_nlink == 1  # the old tree's link to it is gone with the old tree
    assert {k: v for k, v in snapshot(out).items() if k != MANIFEST} == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]


def test_the_old_tree_keeps_its_bytes_while_the_new_one_is_staged(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    old = snapshot(out)
    seen: list[object] = []
    write_tree(out, {**FILES, "a.yaml": b"a: 2\n"}, pause=lambda: seen.append(snapshot(out)))
    assert seen and all(s == old for s in seen)  # DIR is the old tree until the exchange


def test_foreign_files_are_kept_untouched(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    (out / "README.md").write_text("mine\n")
    (out / "s" / "c" / "notes.txt").write_text("mine too\n")
    (out / "other").mkdir()
    (out / "other" / "x.yaml").write_text("x: 1\n")
    (out / "empty").mkdir()
    (out / "link").symlink_to("README.md")
    before = {p: (out / p).lstat() for p in ["README.md", "s/c/notes.txt", "other/x.yaml", "link"]}
    new = {"a.yaml": b"a: 2\n", "s/c/kustomization.yaml": b"k: 1\n"}  # b.yaml goes away
    done = write_tree(out, new)
    assert {(c.path, c.kind) for c in done} == {
        ("a.yaml", "changed"),
        ("s/c/b.yaml", "deleted"),
        (MANIFEST, "changed"),
    }
    for p, st in before.items():
        now = (out / p).lstat()
        assert (now.st_ino, now.st_mtime_ns, now.st_size) == (st.st_ino, st.st_mtime_ns, st.st_size)
    assert (out / "empty").is_dir()
    assert os.readlink(out / "link") == "README.md"
    assert not (out / "s" / "c" / "b.yaml").exists()
    assert (out / "a.yaml").read_bytes() == b"a: 2\n"


def test_refuses_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "deploy"
    out.mkdir()
    (out / "precious.yaml").write_text("x: 1\n")
    with pytest.raises(OutputError, match=r"no \.gitops-lb-manifest"):
        write_tree(out, FILES)
    assert snapshot(out) == {"precious.yaml": b"x: 1\n"}
    empty = tmp_path / "empty"
    empty.mkdir()
    write_tree(empty, FILES)  # an empty folder is fine


def test_refuses_to_overwrite_a_foreign_file(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    (out / "new.yaml").write_text("mine\n")
    with pytest.raises(OutputError, match="not written by gitops-lb"):
        write_tree(out, {**FILES, "new.yaml": b"x: 1\n"})
    assert (out / "new.yaml").read_text() == "mine\n"


def test_refuses_unsafe_manifest_entries(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    (out / MANIFEST).write_text("../../etc/passwd\n")
    with pytest.raises(OutputError, match="not a path inside"):
        write_tree(out, FILES)


def test_check_reports_changed_added_and_deleted(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    assert changes(out, FILES) == []
    (out / "a.yaml").write_text("a: edited\n")
    (out / "s" / "c" / "b.yaml").unlink()
    new = {k: v for k, v in FILES.items() if k != "s/c/kustomization.yaml"}
    (out / MANIFEST).write_bytes(writer.manifest_bytes(FILES))
    found = changes(out, new)
    kinds = {c.path: c.kind for c in found}
    assert kinds == {
        "a.yaml": "changed",
        "s/c/b.yaml": "added",
        "s/c/kustomization.yaml": "deleted",
        MANIFEST: "changed",
    }
    diff = unified_diff(found, "deploy")
    assert "--- a/deploy/a.yaml\n+++ b/deploy/a.yaml\n" in diff
    assert "-a: edited\n+a: 1\n" in diff
    assert "--- /dev/null\n+++ b/deploy/s/c/b.yaml\n" in diff
    assert "--- a/deploy/s/c/kustomization.yaml\n+++ /dev/null\n" in diff


def test_recovers_from_a_kill_between_two_renames(tmp_path):
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    old = tmp_path / ".deploy.gitops-lb-old-abc"
    os.rename(out, old)  # as if killed between the renames of the fallback swap
    (tmp_path / ".deploy.gitops-lb-tmp-xyz").mkdir()
    assert write_tree(out, FILES) == []
    assert snapshot(out) == {**FILES, MANIFEST: writer.manifest_bytes(FILES)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]


def test_fallback_swap_without_renameat2(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    out = tmp_path / "deploy"
    write_tree(out, FILES)
    (out / "mine.txt").write_text("keep\n")
    write_tree(out, {"a.yaml": b"a: 3\n"})
    assert snapshot(out) == {
        "a.yaml": b"a: 3\n",
        "mine.txt": b"keep\n",
        MANIFEST: writer.manifest_bytes({"a.yaml": b""}),
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux's")
def test_the_staged_tree_is_flushed_by_syncfs_of_its_own_file_system(tmp_path, monkeypatch):
    def no_global_sync() -> None:
        raise AssertionError("sync() of every file system")

    monkeypatch.setattr(os, "sync", no_global_sync)
    assert writer.flush_to_disk(tmp_path) == "syncfs"
    write_tree(tmp_path / "deploy", FILES)  # the whole write without a global sync()
    assert snapshot(tmp_path / "deploy") == {**FILES, MANIFEST: writer.manifest_bytes(FILES)}


KILLED = """
import sys
from pathlib import Path
from gitops_lb.compile.writer import write_tree
from tests.compile.midwrite import hold_after
files = {f"s/c/f{i:02}.yaml": b"new: %d\\n" % i for i in range(40)}
write_tree(Path(sys.argv[3]), files, pause=hold_after(int(sys.argv[1]), int(sys.argv[2])))
"""


def test_sigkill_mid_write_leaves_the_previous_tree(tmp_path):
    out = tmp_path / "deploy"
    old = {f"s/c/f{i:02}.yaml": b"old: %d\n" % i for i in range(40)}
    write_tree(out, old)
    (out / "mine.txt").write_text("keep\n")
    before = snapshot(out)
    proc = start_mid_write([str(out)], script=KILLED, after=5)
    try:
        staged = [f for f in staged_files(tmp_path) if f.name.startswith("f")]
        assert len(staged) >= 5, "the write never started"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    write_tree(out, old)  # the next run cleans up what the killed one left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy"]
