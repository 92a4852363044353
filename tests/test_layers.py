"""The package's import graph has no cycle between its parts, and the IR sits low.

Every import counts: at module level, inside functions (the commands' lazy imports) and
under `if TYPE_CHECKING:`. A type-only import is still a dependency of the design (the
module is written against the other's types), and a cycle through one tends to become a
real cycle once a type is used at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gitops_lb"
# the MetalLB API types are the floor the IR (gitops_lb.config) stands on; the rest of
# gitops_lb.metallb (what MetalLB makes of a configuration) stands on the IR; the MetalLB
# releases (gitops_lb.metallb.versions: which release has which field, a leaf) belong with the
# API types
OWN_NODES = (
    "gitops_lb.metallb.models",
    "gitops_lb.metallb.operator",
    "gitops_lb.metallb.versions",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str) -> Iterator[str]:
    """The gitops_lb modules (or packages) one module imports, anywhere in it."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            # `from pkg import mod` imports the module pkg.mod
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules() else base for a in node.names
            ]
        else:
            continue
        yield from (t for t in targets if t == "gitops_lb" or t.startswith("gitops_lb."))


def node(name: str) -> str:
    """The part of the package a module belongs to: a subpackage or a top-level module."""
    for own in OWN_NODES:
        if name == own or name.startswith(own + "."):
            return own
    return ".".join(name.split(".")[:2])


@cache
def graph() -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = {}
    for name in modules():
        here = node(name)
        edges.setdefault(here, set())
        edges[here] |= {node(t) for t in imported(name) if node(t) != here}
    return {k: frozenset(v) for k, v in edges.items()}


def reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph().get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def find_cycle() -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        path.append(n)
        for m in sorted(graph().get(n, ())):
            if state.get(m) == 1:
                return [*path[path.index(m) :], m]
            if m not in state and (found := visit(m)):
                return found
        path.pop()
        state[n] = 2
        return None

    for n in sorted(graph()):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_the_graph_is_read():
    g = graph()
    assert {"gitops_lb.site", "gitops_lb.rules", "gitops_lb.check", "gitops_lb.cli"} <= set(g)
    assert "gitops_lb.site" in g["gitops_lb.rules"]  # rules use the site helpers
    assert "gitops_lb.rules" in g["gitops_lb.check"]
    assert "gitops_lb.metallb.models" in g["gitops_lb.config"]


def test_no_import_cycle_between_the_parts_of_the_package():
    assert find_cycle() is None, " -> ".join(find_cycle() or [])


def test_a_cycle_would_be_found(monkeypatch):
    cyclic = {**graph(), "gitops_lb.site": graph()["gitops_lb.site"] | {"gitops_lb.rules"}}
    monkeypatch.setattr(sys.modules[__name__], "graph", lambda: cyclic)
    assert find_cycle() is not None


def test_site_specs_are_read_without_the_rules():
    assert not reachable("gitops_lb.site") & {"gitops_lb.rules", "gitops_lb.check"}


def test_the_ir_imports_nothing_above_the_metallb_models():
    assert reachable("gitops_lb.config") <= {
        "gitops_lb.diagnostics",
        "gitops_lb.yamlload",
        "gitops_lb.metallb.models",
        "gitops_lb.metallb.operator",
        "gitops_lb.metallb.versions",
    }


def test_the_releases_module_is_a_leaf():
    assert graph()["gitops_lb.metallb.versions"] == frozenset()


def test_lint_and_validate_load_neither_git_nor_kubernetes(tmp_path):
    (tmp_path / "m.yaml").write_text((ROOT / "examples/manifests/seed-guide.yaml").read_text())
    code = (
        "import sys\n"
        "from gitops_lb.cli import main\n"
        f"main(['lint', {str(tmp_path / 'm.yaml')!r}, '--format', 'json'])\n"
        f"main(['validate', {str(ROOT / 'examples/sites')!r}, '--format', 'json'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('git', 'kubernetes')\n"
        "    or m == 'gitops_lb.gitio' or m.startswith('gitops_lb.reconcile'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "LOADED []" in done.stderr, done.stderr


# what `validate` of one small site (the pre-commit hook's run) must not load: the libraries
# of other commands (kubernetes, git, ruamel.yaml for fix, netaddr, jsonschema for the schema
# commands) and the parts of gitops-lb that only other commands use
NOT_ON_THE_HOOK_PATH = ("kubernetes", "git", "ruamel", "netaddr", "jsonschema")
NOT_OURS_ON_THE_HOOK_PATH = (
    "gitops_lb.gitio",
    "gitops_lb.reconcile",
    "gitops_lb.compile.writer",
    "gitops_lb.compile.tree",
    "gitops_lb.importing",
    "gitops_lb.metallb.operator",  # the MetalLB Operator resource: only when one is read
    "gitops_lb.cli.lint_cmd",
    "gitops_lb.cli.compile_cmd",
    "gitops_lb.cli.reconcile_cmd",
)


def hook_run_modules(argv: list[str]) -> list[str]:
    """The modules one `gitops-lb ARGV` process has loaded when it exits."""
    code = (
        "import sys\n"
        "from gitops_lb.cli import main\n"
        f"status = main({argv!r})\n"
        "print('STATUS', status)\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "STATUS 0" in done.stdout, done.stdout + done.stderr
    (line,) = (x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return line.split()[1:]


def heavy(loaded: list[str]) -> list[str]:
    return sorted(
        name
        for name in loaded
        if name.split(".")[0] in NOT_ON_THE_HOOK_PATH
        or any(name == own or name.startswith(own + ".") for own in NOT_OURS_ON_THE_HOOK_PATH)
    )


def test_validate_of_one_small_site_imports_only_what_it_uses():
    loaded = hook_run_modules(["validate", str(ROOT / "examples/sites/acp-seed.yaml")])
    assert "gitops_lb.site.load" in loaded and "gitops_lb.rules" in loaded  # it did the work
    assert heavy(loaded) == []
    # only the command that runs is imported, not every command's module
    assert [m for m in loaded if m.startswith("gitops_lb.cli.") and m.endswith("_cmd")] == [
        "gitops_lb.cli.fix_cmd",  # validate shows the fixes `gitops-lb fix` would make
        "gitops_lb.cli.validate_cmd",
    ]


def test_the_import_check_sees_a_heavy_module(tmp_path):
    # compile writes a tree: it loads what validate must not, and the check sees it
    argv = ["compile", str(ROOT / "examples/sites"), "-o", str(tmp_path / "deploy")]
    loaded = hook_run_modules([*argv, "--disable", "site-argocd-path-mismatch"])
    assert "gitops_lb.compile.writer" in heavy(loaded)
