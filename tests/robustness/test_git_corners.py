"""Git corners, reproduced the way issue 16 found them: real repositories made with the git CLI.

A site spec committed as a symbolic link (into the repository and out of it), a submodule
under the paths named, a staged blob over the input size limit, and a Git LFS pointer where a
site spec was expected.
"""

from __future__ import annotations

import os
import time

import git
import pytest

from tests.gitrepo import GitRepo
from tests.robustness.cli import EXAMPLES, cli, subprocess_cli

GOOD = (EXAMPLES / "sites" / "dual-stack.yaml").read_text()
BROKEN = "apiVersion: gitops-lb.io/v1alpha1\nkind: Site\nmetadata: {name: [unclosed\n"
LFS = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 1234\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(r.root)
    return r


def _link(repo: GitRepo, path: str, target: str) -> None:
    full = repo.root / path
    full.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, full)


def test_staged_follows_a_link_inside_the_repository(repo, capsys):
    repo.write("shared/edge.yaml", BROKEN)
    _link(repo, "sites/edge.yaml", "../shared/edge.yaml")
    repo.git("add", "-A")
    on_disk = cli(capsys, "validate", "sites", "--format", "json")
    staged = cli(capsys, "validate", "--staged", "sites", "--format", "json")
    assert on_disk.status == staged.status == 1
    assert [d["rule"] for d in staged.diagnostics()] == [d["rule"] for d in on_disk.diagnostics()]
    assert {d["file"] for d in staged.diagnostics()} == {"sites/edge.yaml"}
    named = cli(capsys, "validate", "--staged", "sites/edge.yaml", "--format", "json")
    assert named.status == 1
    assert "no such file" not in named.both
    assert {d["rule"] for d in named.diagnostics()} == {"yaml-syntax"}


def test_staged_reads_the_targets_staged_content(repo, capsys):
    repo.write("shared/edge.yaml", GOOD)
    _link(repo, "sites/edge.yaml", "../shared/edge.yaml")
    repo.git("add", "-A")
    (repo.root / "shared/edge.yaml").write_text(BROKEN)  # not staged
    assert cli(capsys, "validate", "--staged", "sites").status == 0


@pytest.mark.parametrize("kind", ["absolute", "relative"])
def test_staged_refuses_a_link_out_of_the_repository(repo, capsys, tmp_path, kind):
    outside = tmp_path / "outside.yaml"
    outside.write_text(GOOD)
    target = str(outside) if kind == "absolute" else "../../outside.yaml"
    _link(repo, "sites/edge.yaml", target)
    repo.write("sites/other.yaml", GOOD.replace("dual-stack", "other"))
    repo.git("add", "-A")
    run = cli(capsys, "validate", "--staged", "sites")
    assert run.status == 3
    assert "sites/edge.yaml" in run.out
    assert "outside the repository; not followed" in run.out
    named = cli(capsys, "validate", "--staged", "sites/edge.yaml")
    assert named.status == 3
    assert "no such file" not in named.both
    assert "outside the repository" in named.out


def test_diff_skips_a_submodule_with_a_note(repo, capsys, tmp_path):
    sub = GitRepo(tmp_path / "sub")
    sub.write("x.yaml", "a: 1\n")
    sub.commit()
    repo.write("sites/edge.yaml", GOOD)
    repo.git(
        "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root), "sites/sub"
    )
    repo.commit("with a submodule")
    assert repo.git("ls-files", "-s", "sites/sub").stdout.startswith("160000")
    for args in (["sites/sub"], ["sites"], []):
        run = cli(capsys, "diff", "--base", "HEAD", "--head", "HEAD", *args)
        assert "sites/sub: a Git submodule; skipped" in run.err, args
        if args == ["sites/sub"]:
            assert run.status == 3  # no site spec there
        else:
            assert run.status == 0
    run = cli(capsys, "diff", "--base", "HEAD", "sites")  # against the working tree
    assert run.status == 0
    staged = cli(capsys, "validate", "--staged", "sites")
    assert staged.status == 0


def _streams(monkeypatch) -> list[bytes]:
    """The object ids whose content is read (not just their size) from now on."""
    read: list[bytes] = []
    original = git.db.GitCmdObjectDB.stream

    def stream(self, binsha):
        read.append(bytes(binsha))
        return original(self, binsha)

    monkeypatch.setattr(git.db.GitCmdObjectDB, "stream", stream)
    return read


def _big(repo: GitRepo, mib: int) -> bytes:
    full = repo.root / "sites" / "big.yaml"
    full.parent.mkdir(parents=True, exist_ok=True)
    with open(full, "wb") as fh:
        fh.write(b"# gitops-lb.io/\n" + b"a: 1\n" * (mib * 1024 * 1024 // 5))
    repo.git("add", "-A")
    return bytes.fromhex(repo.git("rev-parse", ":sites/big.yaml").stdout.strip())


def test_staged_refuses_an_oversize_blob_before_reading_it(repo, capsys, monkeypatch):
    monkeypatch.setenv("GITOPS_LB_MAX_FILE_MIB", "1")
    repo.write("sites/edge.yaml", GOOD)
    sha = _big(repo, 3)
    read = _streams(monkeypatch)
    start = time.monotonic()
    run = cli(capsys, "validate", "--staged", "sites")
    assert time.monotonic() - start < 10
    assert run.status == 3
    assert "sites/big.yaml:1:1: error: file is larger than 1 MiB and was not read" in run.out
    assert "GITOPS_LB_MAX_FILE_MIB raises the limit" in run.out
    assert sha not in read
    assert read  # the other spec was read


def test_diff_refuses_an_oversize_blob_on_both_sides(repo, capsys, monkeypatch):
    monkeypatch.setenv("GITOPS_LB_MAX_FILE_MIB", "1")
    repo.write("sites/edge.yaml", GOOD)
    sha = _big(repo, 3)
    repo.commit()
    read = _streams(monkeypatch)
    run = cli(capsys, "diff", "--base", "HEAD", "--head", "HEAD")
    assert run.status == 1
    assert run.err.count("sites/big.yaml:1:1: file is larger than 1 MiB and was not read") == 2
    assert sha not in read
    worktree = cli(capsys, "diff", "--base", "HEAD")
    assert worktree.status == 1
    assert worktree.err.count("file is larger than 1 MiB") == 2


def test_the_default_limit_applies_to_a_100_mib_staged_blob(tmp_path):
    r = GitRepo(tmp_path / "repo")
    r.write("sites/edge.yaml", GOOD)
    full = r.root / "sites" / "big.yaml"
    with open(full, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # a sparse file of zeros: git compresses it well
    r.git("add", "-A")
    (r.root / "sites" / "big.yaml").unlink()  # only the index holds it
    run = subprocess_cli("validate", "--staged", "sites", cwd=r.root, memory=600 * 1024 * 1024)
    assert run.status == 3
    assert "sites/big.yaml:1:1: error: file is larger than 8 MiB and was not read" in run.out


@pytest.mark.parametrize("staged", [False, True])
def test_an_lfs_pointer_is_reported(repo, capsys, staged):
    repo.write("sites/edge.yaml", GOOD)
    repo.write("sites/lost.yaml", LFS)
    repo.git("add", "-A")
    run = cli(capsys, "validate", *(["--staged"] if staged else []), "sites")
    assert run.status == 3
    assert "sites/lost.yaml:1:1: error: file is a Git LFS pointer, not its content" in run.out
    assert "git lfs pull" in run.out


def test_diff_reports_an_lfs_pointer(repo, capsys):
    repo.write("sites/edge.yaml", GOOD)
    repo.commit()
    repo.write("sites/lost.yaml", LFS)
    run = cli(capsys, "diff", "--base", "HEAD")
    assert run.status == 1
    assert "sites/lost.yaml:1:1: file is a Git LFS pointer" in run.err
