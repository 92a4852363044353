"""gitops_lb.gitio against a real repository: revisions, the index and the working tree."""

import pytest

from gitops_lb.errors import GitopsLbError, UsageError
from gitops_lb.gitio import Repository
from tests.gitrepo import GitRepo


@pytest.fixture
def repo(tmp_path, monkeypatch):
    r = GitRepo(tmp_path / "repo")
    r.write("sites/a.yaml", "a: 1\n")
    r.write("sites/sub/b.yml", "b: 1\n")
    r.write("sites/.hidden/c.yaml", "c: 1\n")
    r.write("sites/notes.txt", "not yaml\n")
    r.write("other/d.yaml", "d: 1\n")
    r.commit("first")
    monkeypatch.chdir(r.root)
    return r


def names(snap):
    return [p for p, _ in snap.files]


def test_revision_lists_yaml_below_paths(repo):
    snap = Repository().at_revision("HEAD", ["sites"])
    assert names(snap) == ["sites/a.yaml", "sites/sub/b.yml"]
    assert snap.files[0][1] == b"a: 1\n"
    assert snap.label.startswith("revision HEAD (")


def test_whole_repository_and_named_file(repo):
    r = Repository()
    assert names(r.at_revision("HEAD", [""])) == [
        "other/d.yaml",
        "sites/a.yaml",
        "sites/sub/b.yml",
    ]
    assert names(r.at_revision("HEAD", ["sites/notes.txt"])) == ["sites/notes.txt"]


def test_older_revision_and_missing_path(repo):
    repo.write("sites/a.yaml", "a: 2\n")
    repo.write("sites/new.yaml", "n: 1\n")
    repo.commit("second")
    r = Repository()
    old = r.at_revision("HEAD~1", ["sites", "nowhere"])
    assert dict(old.files)["sites/a.yaml"] == b"a: 1\n"
    assert "sites/new.yaml" not in dict(old.files)
    assert old.missing == ["nowhere"]
    loaded = old.load(missing_is_fatal=True)
    assert loaded[-1].issues[0].fatal
    assert "no such file or folder in the revision HEAD~1" in loaded[-1].issues[0].message
    assert all(lf.path != "nowhere" for lf in old.load(missing_is_fatal=False))


@pytest.mark.parametrize("rev", ["nope", "HEAD~5", "0" * 40, "HEAD^{tree}", "--help"])
def test_unknown_revision(repo, rev):
    with pytest.raises(GitopsLbError, match="unknown revision"):
        Repository().resolve(rev)


def test_not_a_repository(tmp_path):
    with pytest.raises(GitopsLbError, match="not a Git repository"):
        Repository(tmp_path)


def test_index_differs_from_working_tree(repo):
    repo.write("sites/a.yaml", "a: staged\n")
    repo.git("add", "sites/a.yaml")
    repo.write("sites/a.yaml", "a: unstaged\n")
    repo.write("sites/untracked.yaml", "u: 1\n")
    repo.write(".gitignore", "ignored.yaml\n")
    repo.write("sites/ignored.yaml", "i: 1\n")
    r = Repository()
    staged = r.staged(["sites"])
    assert dict(staged.files)["sites/a.yaml"] == b"a: staged\n"
    assert "sites/untracked.yaml" not in dict(staged.files)
    work = r.working_tree(["sites"])
    assert dict(work.files)["sites/a.yaml"] == b"a: unstaged\n"
    assert "sites/untracked.yaml" in dict(work.files)
    assert "sites/ignored.yaml" not in dict(work.files)


def test_deleted_file_is_absent_from_working_tree(repo):
    (repo.root / "sites/a.yaml").unlink()
    assert "sites/a.yaml" not in dict(Repository().working_tree(["sites"]).files)
    assert "sites/a.yaml" in dict(Repository().staged(["sites"]).files)


def test_paths_relative_to_current_folder(repo, monkeypatch):
    monkeypatch.chdir(repo.root / "sites")
    r = Repository()
    assert r.relative(["sub", "."]) == ["sites", "sites/sub"]
    assert r.relative([]) == [""]
    with pytest.raises(UsageError, match="outside the repository"):
        r.relative(["/"])


def test_loaded_files_carry_repository_paths(repo):
    repo.write("sites/bad.yaml", "a: [1\n")
    repo.write("sites/latin1.yaml", "")
    (repo.root / "sites/latin1.yaml").write_bytes(b"a: \xe9\n")
    repo.commit("bad")
    loaded = {lf.path: lf for lf in Repository().at_revision("HEAD", ["sites"]).load()}
    issue = loaded["sites/bad.yaml"].issues[0]
    assert (issue.rule, str(issue.location)) == ("yaml-syntax", "sites/bad.yaml:2:1")
    assert loaded["sites/latin1.yaml"].issues[0].rule == "file-encoding"
    assert loaded["sites/a.yaml"].documents[0].data == {"a": 1}


def test_unmerged_paths_are_reported(repo):
    repo.git("checkout", "-q", "-b", "side")
    repo.write("sites/a.yaml", "a: side\n")
    repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("sites/a.yaml", "a: main\n")
    repo.commit("main")
    assert repo.git("merge", "-q", "side", check=False).returncode != 0
    snap = Repository().staged(["sites"])
    assert snap.unmerged == ["sites/a.yaml"]
    issue = next(lf for lf in snap.load() if lf.path == "sites/a.yaml").issues[0]
    assert issue.fatal and "merge conflicts" in issue.message
