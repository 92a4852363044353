"""The commands that read site specs recognise the tree `compile` wrote and skip it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gitops_lb.cli import main
from gitops_lb.compile.writer import MANIFEST, MANIFEST_HEADER
from tests.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sites"
SITE = (EXAMPLES / "acp-seed.yaml").read_text()
BAD = SITE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/27]")
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\n"


def skip_line(folder: str, files: int) -> str:
    return (
        f"gitops-lb: skipped {folder}: the tree `gitops-lb compile` wrote ({files} files; "
        "check it with `gitops-lb lint`)\n"
    )


def compiled_files(deploy: Path) -> int:
    """The YAML files compile wrote (what validate would otherwise read)."""
    return sum(1 for p in deploy.rglob("*.y*ml") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A repository as users keep it: sites/ and the compiled deploy/ beside it."""
    repo = tmp_path_factory.mktemp("repo")
    shutil.copytree(EXAMPLES, repo / "sites")
    assert main(["compile", str(repo / "sites"), "-o", str(repo / "deploy")]) == 0
    return repo


@pytest.fixture
def repo(built, tmp_path, monkeypatch):
    copy = tmp_path / "repo"
    shutil.copytree(built, copy)
    monkeypatch.chdir(copy)
    return copy


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_validate_at_the_root_skips_the_compiled_tree_with_one_line(repo, capsys):
    n = compiled_files(repo / "deploy")
    assert n > 60
    status, out, err = run(capsys, "validate", ".")
    assert (status, out) == (0, "no problems in 5 files\n")  # the site specs only
    assert err == skip_line("deploy/", n)


def test_without_the_mark_every_compiled_object_is_reported(repo, capsys):
    (repo / "deploy" / MANIFEST).unlink()
    status, out, err = run(capsys, "validate", ".")
    assert status == 1
    assert out.count("[site-not-a-site]") > 60
    assert err == ""


def test_a_file_of_that_name_without_compile_header_is_no_mark(repo, capsys):
    mark = repo / "deploy" / MANIFEST
    mark.write_text(mark.read_text().replace(MANIFEST_HEADER, "# my notes\n"))
    status, out, _ = run(capsys, "validate", ".")
    assert status == 1
    assert "[site-not-a-site]" in out


def test_only_the_site_findings_are_left(repo, capsys):
    (repo / "sites" / "acp-seed.yaml").write_text(BAD)
    status, out, err = run(capsys, "validate", ".")
    assert status == 1
    assert "[site-pool-reserved]" in out
    assert "[site-not-a-site]" not in out
    assert {line.split(":")[0] for line in out.splitlines()[:-1] if not line.startswith(" ")} == {
        "./sites/acp-seed.yaml"
    }
    assert err.count("skipped deploy/") == 1


def test_machine_formats_stay_clean(repo, capsys):
    n = compiled_files(repo / "deploy")
    (repo / "sites" / "acp-seed.yaml").write_text(BAD)
    for fmt in ("json", "sarif"):
        status, out, err = run(capsys, "validate", ".", "--format", fmt)
        assert status == 1
        doc = json.loads(out)
        assert "deploy/" not in out
        assert "site-pool-reserved" in out
        assert err == skip_line("deploy/", n)
        assert doc  # parsed


def test_a_hand_written_manifest_is_still_reported(repo, capsys):
    (repo / "sites" / "notes.yaml").write_text(CONFIGMAP)
    (repo / "deploy" / "extra.yaml").write_text(CONFIGMAP)  # in the tree, not written by compile
    status, out, err = run(capsys, "validate", ".")
    assert status == 1
    found = sorted(line.split(":")[0] for line in out.splitlines() if "[site-not-a-site]" in line)
    assert found == ["./deploy/extra.yaml", "./sites/notes.yaml"]
    assert err.count("skipped deploy/") == 1


def test_the_argocd_applications_are_part_of_the_tree(repo, capsys):
    apps = sorted(
        p.relative_to(repo / "deploy").as_posix() for p in (repo / "deploy").glob("argocd/*")
    )
    assert "argocd/kustomization.yaml" in apps
    listed = (repo / "deploy" / MANIFEST).read_text().splitlines()
    assert set(apps) <= set(listed)
    status, out, err = run(capsys, "validate", "deploy/argocd", "sites")
    assert (status, out) == (0, "no problems in 5 files\n")
    assert err == (
        f"gitops-lb: skipped deploy/argocd/: part of the tree `gitops-lb compile` wrote in "
        f"deploy/ ({len(apps)} files; check it with `gitops-lb lint`)\n"
    )


def test_only_a_compiled_tree_is_no_site_spec(repo, capsys):
    status, out, err = run(capsys, "validate", "deploy")
    assert status == 1
    assert out.startswith(
        "deploy:1:1: error: no site spec (kind: Site) found in the inputs: deploy/ holds only "
        "what `gitops-lb compile` wrote [site-not-a-site]\n"
    )
    assert err.count("skipped deploy/") == 1


def test_a_compiled_file_named_on_its_own_is_read(repo, capsys):
    status, out, _ = run(capsys, "validate", "sites", "deploy/argocd/kustomization.yaml")
    assert status == 1
    assert "deploy/argocd/kustomization.yaml:2:1: error: Kustomization" in out


def test_compile_from_the_root_skips_its_own_output(repo, capsys):
    status, _, err = run(capsys, "compile", ".", "-o", "deploy")
    assert status == 0
    assert err.endswith("deploy is up to date\n")
    assert err.count("skipped deploy/") == 1
    status, _, _ = run(capsys, "compile", ".", "-o", "deploy", "--check")
    assert status == 0


def test_render_from_the_root_prints_only_manifests(repo, capsys):
    status, out, err = run(capsys, "render", ".", "--cluster", "acp-seed/workload")
    assert status == 0
    assert "kind: IPAddressPool" in out
    assert "skipped" not in out
    assert err.count("skipped deploy/") == 1


def test_staged_validate_skips_the_compiled_tree(repo, capsys):
    git = GitRepo(repo)
    git.git("add", "-A")
    n = compiled_files(repo / "deploy")
    status, out, err = run(capsys, "validate", "--staged", ".")
    assert (status, out) == (0, "no problems in 5 files\n")
    assert err == skip_line("deploy/", n)
    # the mark is read from the index: unstaged, the tree is read
    git.git("rm", "-q", "--cached", f"deploy/{MANIFEST}")
    status, out, err = run(capsys, "validate", "--staged", ".")
    assert status == 1
    assert out.count("[site-not-a-site]") > 60
    assert err == ""
