"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit on a real `git commit`.

A snapshot of this project (the files pip needs plus the hook manifest, as they are in the
working tree) becomes a Git repository that a temporary project repository names in its
.pre-commit-config.yaml. pre-commit installs gitops-lb from it into its own environment
(language: python), exactly as it does for users, then `git commit` runs the hooks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import GitRepo, git_env

pytestmark = pytest.mark.precommit

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "gitops_lb")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """(path, commit) of a Git repository holding this project as it is now."""
    repo = GitRepo(tmp_path_factory.mktemp("hooks") / "gitops-lb")
    for name in SNAPSHOT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo.root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo.root / name)
    return repo.root, repo.commit("snapshot")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


class Project:
    """A repository that uses the hooks through `pre-commit install`."""

    def __init__(self, root: Path, hooks: tuple[Path, str], home: Path, config: str) -> None:
        self.repo = GitRepo(root)
        self.env = git_env({"PRE_COMMIT_HOME": str(home)})
        self.env.pop("PYTHONPATH", None)  # the hooks run the copy pre-commit installed
        # the cache where users get it: .gitops-lb-cache/ in the project's root (a temporary
        # folder here, never the source tree)
        self.env.pop("GITOPS_LB_CACHE_DIR", None)
        path, rev = hooks
        self.repo.write(".pre-commit-config.yaml", config.format(repo=path, rev=rev))
        self.repo.git("add", ".pre-commit-config.yaml")
        subprocess.run(
            [sys.executable, "-m", "pre_commit", "install"],
            cwd=root,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        self.repo.git("add", "-A")
        return subprocess.run(
            ["git", "commit", "-m", message],
            cwd=self.repo.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )


LINT_CONFIG = """\
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: gitops-lb-lint
"""

POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: web, namespace: metallb-system}
spec:
  addresses: [192.168.10.0/24]
"""

L2 = """\
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: web, namespace: metallb-system}
spec:
  ipAddressPools: [web]
"""


def test_lint_hook_blocks_a_bad_manifest_and_passes_a_good_one(
    tmp_path, hook_repo, pre_commit_home
):
    project = Project(tmp_path / "project", hook_repo, pre_commit_home, LINT_CONFIG)
    project.repo.write("manifests/pool.yaml", POOL.replace("addresses", "adresses"))
    project.repo.write("manifests/l2.yaml", L2)
    bad = project.commit("bad pool")
    assert bad.returncode != 0, bad.stdout + bad.stderr
    out = bad.stdout + bad.stderr
    assert "gitops-lb lint (MetalLB manifests)" in out and "Failed" in out
    assert "manifests/pool.yaml:5:3: error: unknown field 'spec.adresses'" in out
    assert project.repo.git("rev-parse", "--verify", "HEAD", check=False).returncode != 0

    project.repo.write("manifests/pool.yaml", POOL)
    good = project.commit("good pool")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "gitops-lb lint (MetalLB manifests)" in good.stdout + good.stderr
    assert "Passed" in good.stdout + good.stderr


SITE_CONFIG = """\
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: gitops-lb-validate
      - id: gitops-lb-compile-check
"""

SITE = (ROOT / "examples" / "sites" / "acp-seed.yaml").read_text()
# the pool takes the network's gateway and the nodes' addresses
BAD_SITE = SITE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/27]")


def compile_tree(root: Path, sites: str = "sites/") -> None:
    subprocess.run(
        [sys.executable, "-m", "gitops_lb", "compile", sites, "-o", "deploy/"],
        cwd=root,
        env={**git_env(), "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )


def test_site_hooks_block_a_bad_site_spec_and_a_stale_tree(tmp_path, hook_repo, pre_commit_home):
    project = Project(tmp_path / "project", hook_repo, pre_commit_home, SITE_CONFIG)
    repo = project.repo
    repo.write("sites/dc1.yaml", BAD_SITE)
    bad = project.commit("bad site")
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    line = BAD_SITE.splitlines().index("          addresses: [192.168.10.0/27]") + 1
    assert "gitops-lb validate (site specs, as staged)" in out
    assert (
        f"sites/dc1.yaml:{line}:23: error: 192.168.10.0/27 in pool 'example' of cluster "
        "'workload' includes"
    ) in out
    assert "[site-pool-reserved]" in out
    assert repo.git("rev-parse", "--verify", "HEAD", check=False).returncode != 0

    repo.write("sites/dc1.yaml", SITE)  # fixed, but the compiled tree is missing
    stale = project.commit("no tree")
    assert stale.returncode != 0
    assert "is out of date" in stale.stdout + stale.stderr

    compile_tree(repo.root)
    good = project.commit("good site")
    assert good.returncode == 0, good.stdout + good.stderr
    assert (good.stdout + good.stderr).count("Passed") == 2
    # validate kept its cache in the root, and `git add -A` left it out: it ignores itself
    assert (repo.root / ".gitops-lb-cache" / ".gitignore").is_file()
    assert ".gitops-lb-cache" not in repo.git("ls-files").stdout

    # validate --staged reads the index: an untracked, broken work-in-progress file in sites/
    # does not block a commit that does not contain it
    (repo.root / "sites" / "wip.yaml").write_text(BAD_SITE.replace("acp-seed", "wip"))
    repo.write("sites/dc1.yaml", SITE.replace("port: 8080, targetPort: 8080", "port: 8081"))
    compile_tree(repo.root, "sites/dc1.yaml")
    repo.git("add", "sites/dc1.yaml", "deploy")
    staged = subprocess.run(
        ["git", "commit", "-m", "port change"],
        cwd=repo.root,
        env={**project.env, "SKIP": "gitops-lb-compile-check"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert staged.returncode == 0, staged.stdout + staged.stderr
    assert "gitops-lb validate (site specs, as staged)" in staged.stdout + staged.stderr


def test_lint_hook_honours_the_repository_config_file(tmp_path, hook_repo, pre_commit_home):
    # what the user sees: the pool alone is announced by nothing, so the hook fails on
    # pool-not-advertised; once the repository's .gitops-lb.yaml disables the rule the commit
    # goes through ("Passed"), and a config file inside the linted folder (manifests/) is not
    # read as a manifest
    project = Project(tmp_path / "project", hook_repo, pre_commit_home, LINT_CONFIG)
    project.repo.write("manifests/pool.yaml", POOL)
    bad = project.commit("unadvertised pool")
    out = bad.stdout + bad.stderr
    assert bad.returncode != 0, out
    assert "[pool-not-advertised]" in out

    project.repo.write(".gitops-lb.yaml", "disable: [pool-not-advertised]\n")
    project.repo.write("manifests/.gitops-lb.yaml", "disable: [pool-not-advertised]\n")
    good = project.commit("with a config file")
    out = good.stdout + good.stderr
    assert good.returncode == 0, out
    assert "Passed" in out and "pool-not-advertised" not in out


def test_lint_hook_honours_inline_suppressions(tmp_path, hook_repo, pre_commit_home):
    # what the user sees: the unannounced pool fails the hook; a comment naming the rule on the
    # finding's line lets the commit through; a comment that silences nothing is an
    # unused-suppression warning, which does not stop the commit (pre-commit shows a passing
    # hook's output only with --verbose)
    project = Project(tmp_path / "project", hook_repo, pre_commit_home, LINT_CONFIG)
    project.repo.write("manifests/pool.yaml", POOL)
    bad = project.commit("unadvertised pool")
    assert bad.returncode != 0, bad.stdout + bad.stderr
    assert "[pool-not-advertised]" in bad.stdout + bad.stderr

    suppressed = POOL.replace(
        "metadata: {name: web, namespace: metallb-system}",
        "metadata: {name: web, namespace: metallb-system}"
        "  # gitops-lb: disable=pool-not-advertised",
    )
    project.repo.write("manifests/pool.yaml", suppressed)
    good = project.commit("the pool is announced elsewhere")
    out = good.stdout + good.stderr
    assert good.returncode == 0, out
    assert "Passed" in out

    project.repo.write(
        "manifests/pool.yaml", suppressed + "# gitops-lb: disable-file=pool-overlap\n"
    )
    noted = project.commit("a suppression that silences nothing")
    out = noted.stdout + noted.stderr
    assert noted.returncode == 0, out
    assert "Passed" in out
    lint = subprocess.run(
        [sys.executable, "-m", "gitops_lb", "lint", "manifests/"],
        check=False,
        cwd=project.repo.root,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "[unused-suppression]" in lint.stdout
