"""`compile -o DIR` against each site's argocd.path (site-argocd-path-mismatch)."""

import json
from pathlib import Path

from gitops_lb.cli import main
from tests.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "sites" / "acp-seed.yaml"
RULE = "site-argocd-path-mismatch"
PATH_LINE = "    path: deploy"


def seed_at(folder: Path, path: str | None = "deploy") -> Path:
    """The seed example in folder/sites/, with argocd.path `path` (None: not written)."""
    text = SEED.read_text(encoding="utf-8")
    assert PATH_LINE + "\n" in text
    if path is None:
        text = text.replace(PATH_LINE + "\n", "")
    else:
        text = text.replace(PATH_LINE, f"    path: {path}")
    site = folder / "sites" / "seed.yaml"
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(text, encoding="utf-8")
    return site


def line_col(site: Path, needle: str) -> str:
    for n, line in enumerate(site.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return f"{n}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.endswith(f"[{RULE}]")]


def test_output_folder_that_is_not_argocd_path_in_a_repository(tmp_path, monkeypatch, capsys):
    repo = GitRepo(tmp_path / "repo")
    site = seed_at(repo.root)
    monkeypatch.chdir(repo.root)
    assert main(["compile", "sites", "-o", "build/out"]) == 0  # a warning: compile still writes
    found = warnings(capsys.readouterr().out)
    assert found == [
        f"sites/seed.yaml:{line_col(site, 'deploy')}: warning: site 'acp-seed': the "
        "Applications read argocd.path 'deploy', but compile writes to 'build/out' (relative "
        "to the root of the Git repository holding it), so Argo CD will not find this tree; "
        "compile with -o deploy, or set argocd.path to 'build/out' "
        f"[{RULE}]"
    ]
    assert (repo.root / "build" / "out" / "acp-seed" / "workload").is_dir()
    assert main(["compile", "sites", "-o", "build/out", "--check"]) == 0
    assert len(warnings(capsys.readouterr().out)) == 1


def test_output_folder_that_is_argocd_path(tmp_path, monkeypatch, capsys):
    repo = GitRepo(tmp_path / "repo")
    seed_at(repo.root)
    monkeypatch.chdir(repo.root)
    for spelling in ("deploy", "./deploy/", str(repo.root / "deploy")):
        assert main(["compile", "sites", "-o", spelling]) == 0
        assert warnings(capsys.readouterr().out) == []
    # from a sub-folder, -o is relative to it, not to the repository
    (repo.root / "sub").mkdir()
    monkeypatch.chdir(repo.root / "sub")
    assert main(["compile", "../sites", "-o", "../deploy"]) == 0
    assert warnings(capsys.readouterr().out) == []
    assert main(["compile", "../sites", "-o", "deploy"]) == 0
    (found,) = warnings(capsys.readouterr().out)
    assert "compile writes to 'sub/deploy'" in found and "compile with -o ../deploy," in found


def test_argocd_path_deeper_in_the_repository_and_a_worktree(tmp_path, monkeypatch, capsys):
    root = tmp_path / "wt"
    root.mkdir()
    (root / ".git").write_text("gitdir: /elsewhere/.git/worktrees/wt\n")  # a worktree's .git
    seed_at(root, "clusters/lb")
    monkeypatch.chdir(root)
    assert main(["compile", "sites", "-o", "clusters/lb"]) == 0
    assert warnings(capsys.readouterr().out) == []
    assert main(["compile", "sites", "-o", "lb"]) == 0
    (found,) = warnings(capsys.readouterr().out)
    assert "argocd.path 'clusters/lb'" in found and "-o clusters/lb," in found


def test_outside_a_repository_the_current_folder_counts(tmp_path, monkeypatch, capsys):
    plain = tmp_path / "plain"
    site = seed_at(plain)
    monkeypatch.chdir(plain)
    assert main(["compile", "sites", "-o", "deploy"]) == 0
    assert warnings(capsys.readouterr().out) == []
    assert main(["compile", "sites", "-o", "out"]) == 0
    (found,) = warnings(capsys.readouterr().out)
    assert found.startswith(f"sites/seed.yaml:{line_col(site, 'deploy')}: warning:")
    assert "(relative to the current folder)" in found
    # outside both a repository and the current folder: nothing says where it will sit
    elsewhere = tmp_path / "elsewhere"
    assert main(["compile", "sites", "-o", str(elsewhere)]) == 0
    assert warnings(capsys.readouterr().out) == []
    assert (elsewhere / "argocd").is_dir()


def test_default_argocd_path_json_and_disable(tmp_path, monkeypatch, capsys):
    repo = GitRepo(tmp_path / "repo")
    site = seed_at(repo.root, None)  # argocd.path not written: the default, deploy
    monkeypatch.chdir(repo.root)
    assert main(["compile", "sites", "-o", "out", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (diag,) = doc["diagnostics"]
    assert diag["rule"] == RULE and diag["severity"] == "warning"
    assert "argocd.path 'deploy'" in diag["message"]
    # located at `argocd:` (nothing is written under it for the path)
    argocd_line = int(line_col(site, "argocd:").split(":")[0])
    assert (diag["file"], diag["line"]) == ("sites/seed.yaml", argocd_line + 1)  # its mapping
    assert diag["path"] == "spec.argocd.path"
    assert main(["compile", "sites", "-o", "out", "--disable", RULE]) == 0
    assert warnings(capsys.readouterr().out) == []


def test_the_rule_only_runs_in_compile(tmp_path, monkeypatch, capsys):
    repo = GitRepo(tmp_path / "repo")
    seed_at(repo.root, "elsewhere")
    monkeypatch.chdir(repo.root)
    assert main(["validate", "sites"]) == 0
    assert warnings(capsys.readouterr().out) == []
