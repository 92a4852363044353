#!/usr/bin/env python3
"""Developer tasks that need nothing but Python 3.11+ and git.

python3 tasks.py demo          # install gitops-lb (no dev tools) into .venv, then compile and
                               # lint the bundled examples
python3 tasks.py test          # install into .venv with the dev tools and the `api` extra, run
                               # ruff, mypy and the test suite under branch coverage, then the
                               # coverage report and its floor
python3 tasks.py test --fast   # the same without the `precommit` and `slow` tests, and
                               # without coverage
python3 tasks.py image [ARG...]  # build the container image gitops-lb:VERSION from the
                               # Containerfile with docker or podman (ARGs go to the build,
                               # e.g. --build-arg EXTRAS=api)

Other arguments go to pytest (`python3 tasks.py test -x tests/rules`). With such arguments
the suite may be a part of itself, so the coverage report is printed but its floor
(`fail_under` in pyproject.toml) is not enforced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def ensure_venv(extras: frozenset[str]) -> None:
    """Create .venv and install the project (editable) with `extras`, unless what is installed
    was installed from this pyproject.toml with at least those extras."""
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".gitops-lb-installed"
    installed = stamp.read_text().split() if stamp.exists() else []
    if installed[:1] == [digest] and extras <= set(installed[1:]):
        return
    spec = f".[{','.join(sorted(extras))}]" if extras else "."
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", spec)
    stamp.write_text(" ".join([digest, *sorted(extras)]))


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


def project_version() -> str:
    version: str = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    return version


def container_engine() -> tuple[str | None, str]:
    """The first of docker and podman that is installed and answers, and else why none can
    build (one line)."""
    found = [name for name in ("docker", "podman") if shutil.which(name)]
    for name in found:
        probe = subprocess.run(
            [name, "info"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return name, ""
    if not found:
        return None, "neither docker nor podman is installed: cannot build the image"
    return None, f"{' and '.join(found)} installed, but not running (`{found[0]} info` fails)"


def image() -> None:
    engine, why = container_engine()
    if engine is None:
        print(f"tasks.py image: {why}", file=sys.stderr)
        raise SystemExit(3)
    tag = f"gitops-lb:{project_version()}"
    run(engine, "build", "-f", "Containerfile", "-t", tag, *sys.argv[2:], ".")
    print(f'\nBuilt {tag}: {engine} run --rm -v "$PWD:/src" {tag} validate sites/')


# what each task installs into .venv (image builds in a container and installs nothing here)
TASKS: dict[str, tuple[Callable[[], None], frozenset[str] | None]] = {
    "demo": (demo, frozenset()),
    "test": (test, frozenset({"dev", "api"})),
    "image": (image, None),
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        return 2
    task, extras = TASKS[sys.argv[1]]
    try:
        if extras is not None:
            ensure_venv(extras)
        task()
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
