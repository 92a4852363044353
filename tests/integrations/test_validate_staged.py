"""validate --staged reads the site specs from the Git index, not from the working tree."""

import json
from pathlib import Path

import pytest

from gitops_lb.cli import main
from tests.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
SITE = (ROOT / "examples" / "sites" / "acp-seed.yaml").read_text()
BAD = SITE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/27]")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    r = GitRepo(tmp_path / "repo")
    monkeypatch.chdir(r.root)
    return r


def test_staged_content_is_checked_not_the_working_tree(repo, capsys):
    repo.write("sites/dc1.yaml", BAD)
    repo.git("add", "sites/dc1.yaml")
    repo.write("sites/dc1.yaml", SITE)  # fixed on disk, not staged
    assert main(["validate", "sites"]) == 0
    assert main(["validate", "--staged", "sites"]) == 1
    assert "[site-pool-reserved]" in capsys.readouterr().out


def test_staged_json_names_repository_paths(repo, capsys):
    repo.write("sites/dc1.yaml", BAD)
    repo.git("add", "sites/dc1.yaml")
    capsys.readouterr()
    assert main(["validate", "--staged", "sites", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    (diag,) = [d for d in doc["diagnostics"] if d["rule"] == "site-pool-reserved"]
    line = BAD.splitlines().index("          addresses: [192.168.10.0/27]") + 1
    assert (diag["file"], diag["line"], diag["column"]) == ("sites/dc1.yaml", line, 23)


def test_untracked_files_are_not_read(repo):
    repo.write("sites/dc1.yaml", SITE)
    repo.git("add", "sites/dc1.yaml")
    repo.write("sites/wip.yaml", BAD.replace("acp-seed", "wip"))
    assert main(["validate", "sites"]) == 1
    assert main(["validate", "--staged", "sites"]) == 0


def test_paths_are_relative_to_the_current_folder(repo, monkeypatch):
    repo.write("sites/dc1.yaml", BAD)
    repo.git("add", "sites/dc1.yaml")
    monkeypatch.chdir(repo.root / "sites")
    assert main(["validate", "--staged", "."]) == 1
    assert main(["validate", "--staged", "dc1.yaml"]) == 1


def test_nothing_staged_there_or_no_repository(repo, tmp_path, monkeypatch, capsys):
    assert main(["validate", "--staged", "sites"]) == 3
    assert "no such file or folder in the index" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--staged", "sites"]) == 3
    assert "not a Git repository" in capsys.readouterr().err
