"""pyproject.toml declares what the package imports, and the package imports what it declares
(issue 18): no runtime dependency without a job, no import that an install lacks."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# distribution name -> the top-level module it installs
MODULE = {
    "pydantic": "pydantic",
    "ruamel.yaml": "ruamel",
    "netaddr": "netaddr",
    "gitpython": "git",
    "PyYAML": "yaml",
    "kubernetes": "kubernetes",
    "jsonschema": "jsonschema",
}
# modules an extra brings, and the only module of the package allowed to import them
EXTRA_MODULES = {
    "kubernetes": "gitops_lb/reconcile/live.py",
    "urllib3": "gitops_lb/reconcile/live.py",
}


def name(requirement: str) -> str:
    m = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    assert m, requirement
    return m[0]


def imports() -> dict[str, set[str]]:
    """Top-level module -> the package files (relative, /) that import it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "gitops_lb").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                found.setdefault(module.split(".")[0], set()).add(path.relative_to(ROOT).as_posix())
    return found


RUNTIME = [name(r) for r in PROJECT["dependencies"]]


@pytest.mark.parametrize("dist", RUNTIME)
def test_every_runtime_dependency_is_imported(dist):
    assert MODULE[dist] in imports(), f"{dist} is declared but gitops_lb never imports it"


def test_every_runtime_dependency_says_why_it_is_there():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text[text.index("dependencies = [") : text.index("]", text.index("dependencies = ["))]
    lines = block.splitlines()[1:]
    for i, line in enumerate(lines):
        if line.strip().startswith('"'):
            assert lines[i - 1].strip().startswith("#"), f"no comment above {line.strip()}"


# modules that a declared dependency pins and installs with itself
COMES_WITH = {"pydantic_core": "pydantic"}


def test_every_third_party_import_is_declared():
    declared = {MODULE[d] for d in RUNTIME}
    declared |= {m for m, dist in COMES_WITH.items() if dist in RUNTIME}
    for module, files in imports().items():
        if module in sys.stdlib_module_names or module in ("gitops_lb", "__future__"):
            continue
        if module in EXTRA_MODULES:
            assert files == {EXTRA_MODULES[module]}, (module, files)
            continue
        assert module in declared, f"{module} is imported by {sorted(files)} but not declared"


def test_test_only_and_optional_packages_stay_out_of_the_runtime_list():
    assert "jsonschema" not in RUNTIME and "jsonschema" not in imports()
    assert any(name(r) == "jsonschema" for r in PROJECT["optional-dependencies"]["dev"])
    assert "kubernetes" not in RUNTIME
    assert [name(r) for r in PROJECT["optional-dependencies"]["api"]] == ["kubernetes"]
