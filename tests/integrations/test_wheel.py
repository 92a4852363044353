"""The installed wheel, not the editable checkout: built from exactly what the Containerfile's
build stage copies, installed in a new virtual environment without extras, and run from a
folder outside the checkout (marker `slow`: it builds and installs)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.integrations.test_image import CONTAINERFILE, parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "sites").glob("*.yaml"))


def build_context() -> list[str]:
    """What the Containerfile's build stage copies from the repository."""
    build = parse(CONTAINERFILE.read_text(encoding="utf-8"))[1][0]
    sources = []
    for copy in build.args_of("COPY"):
        words = [w for w in shlex.split(copy) if not w.startswith("--")]
        sources += words[:-1]
    return sources


def source_copy(dest: Path) -> Path:
    """A copy of the sources a wheel is built from (pip builds in the source folder, which must
    not be this checkout: its build/ would be shared by parallel runs)."""
    dest.mkdir(parents=True)
    for name in build_context():
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def run(*argv: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=900,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The bin folder of a new virtual environment with the wheel installed."""
    top = tmp_path_factory.mktemp("wheel")
    src = source_copy(top / "src")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "-w",
        top / "dist",
        src,
        cwd=top,
    )
    (wheel,) = (top / "dist").glob("gitops_lb-*.whl")
    venv.EnvBuilder(with_pip=True).create(top / "venv")
    bin_dir = top / "venv" / "bin"
    run(
        bin_dir / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        wheel,
        cwd=top,
    )
    return bin_dir


pytestmark = pytest.mark.slow


def test_the_build_stage_copies_what_the_wheel_needs():
    assert {"pyproject.toml", "gitops_lb"} <= set(build_context())


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    proc = run(
        installed / "python", "-c", "import gitops_lb; print(gitops_lb.__file__)", cwd=tmp_path
    )
    where = Path(proc.stdout.strip())
    assert where.is_relative_to(installed.parent) and not where.is_relative_to(ROOT)
    files = run(installed / "python", "-m", "pip", "show", "-f", "gitops-lb", cwd=tmp_path).stdout
    assert "gitops_lb/py.typed" in files and "__editable__" not in files


def test_installed_wheel_validates_and_compiles_the_examples(installed, tmp_path):
    gitops_lb = installed / "gitops-lb"
    proc = run(gitops_lb, "validate", *EXAMPLES, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "deploy"
    proc = run(gitops_lb, "compile", *EXAMPLES, "-o", out, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the same tree as the checkout compiles
    mine = tmp_path / "mine"
    proc = run(sys.executable, "-m", "gitops_lb", "compile", *EXAMPLES, "-o", mine, cwd=tmp_path)
    theirs = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    ours = {p.relative_to(mine): p.read_bytes() for p in mine.rglob("*") if p.is_file()}
    assert len(theirs) > 20 and theirs == ours
    proc = run(gitops_lb, "compile", *EXAMPLES, "-o", out, "--check", cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_installed_wheel_prints_the_schema(installed, tmp_path):
    proc = run(installed / "gitops-lb", "schema", cwd=tmp_path)
    assert proc.stdout == (ROOT / "schemas" / "site.schema.json").read_text(encoding="utf-8")
    version = run(installed / "gitops-lb", "--version", cwd=tmp_path).stdout.split()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert version[0] == "gitops-lb" and f'version = "{version[1]}"' in pyproject


def test_without_the_api_extra_reconcile_names_it(installed, tmp_path):
    proc = run(installed / "python", "-c", "import kubernetes", cwd=tmp_path, check=False)
    assert proc.returncode != 0, "the wheel alone must not pull in the Kubernetes client"
    proc = run(
        installed / "gitops-lb",
        "reconcile",
        *EXAMPLES,
        "--cluster",
        "acp-seed/workload",
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 3
    assert "pip install 'gitops-lb[api]'" in proc.stderr and "Traceback" not in proc.stderr


def test_installed_wheel_completes_in_bash(installed, tmp_path):
    shutil.copytree(ROOT / "examples" / "sites", tmp_path / "sites")
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    script = (
        f'source <("{installed}/gitops-lb" completion bash)\n'
        f'COMP_WORDS=("{installed}/gitops-lb" plan --cluster shared-l2/); COMP_CWORD=3\n'
        '_gitops_lb; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = run(bash, "--norc", "--noprofile", "-c", script, cwd=tmp_path)
    assert proc.stdout.splitlines() == ["shared-l2/blue", "shared-l2/green"]
