#!/usr/bin/env python3
"""Developer tasks that need nothing but Python 3.11+ and git.

python3 tasks.py demo          # install into .venv, compile and lint the bundled examples
python3 tasks.py test          # install into .venv, run ruff, mypy and the test suite under
                               # branch coverage, then the coverage report and its floor
python3 tasks.py test --fast   # the same without the `precommit` and `slow` tests, and
                               # without coverage

Other arguments go to pytest (`python3 tasks.py test -x tests/rules`). With such arguments
the suite may be a part of itself, so the coverage report is printed but its floor
(`fail_under` in pyproject.toml) is not enforced.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def ensure_venv() -> None:
    """Create .venv and install the project with its dev extras when pyproject changed."""
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".gitops-lb-installed"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[dev]")
    stamp.write_text(digest)


def demo() -> None:
    gitops_lb = BIN / "gitops-lb"
    run(gitops_lb, "validate", "examples/sites")
    # the examples describe another repository (argocd.path: deploy of git.example.com); the
    # demo writes a scratch copy to build/demo, so the argocd.path warning does not apply
    run(
        gitops_lb,
        "compile",
        "examples/sites",
        "-o",
        "build/demo",
        "--disable",
        "site-argocd-path-mismatch",
    )
    # each compiled cluster folder (a kustomization root) is checked as a cluster of its own
    run(gitops_lb, "lint", "build/demo")
    run(gitops_lb, "plan", "examples/sites")
    print("\nCompiled Argo CD source tree: build/demo/")
    print("Lint of the seed guide's manifests as written (findings expected):")
    proc = subprocess.run(
        [str(gitops_lb), "lint", "examples/manifests/seed-guide.yaml"],
        cwd=ROOT,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.returncode)


FAST = "not precommit and not slow"


def test() -> None:
    args = sys.argv[2:]
    fast = "--fast" in args
    args = [a for a in args if a != "--fast"]
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(PY, "-m", "mypy")
    if fast:
        run(PY, "-m", "pytest", "-m", FAST, *args)
        return
    run(PY, "-m", "coverage", "erase")
    run(PY, "-m", "coverage", "run", "-m", "pytest", *args)
    run(PY, "-m", "coverage", "combine", "--quiet")
    run(PY, "-m", "coverage", "report", *(["--fail-under=0"] if args else []))


TASKS = {"demo": demo, "test": test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        return 2
    ensure_venv()
    try:
        TASKS[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
