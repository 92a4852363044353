"""`lint` gives objects the namespace their kustomization sets, as `kustomize build` does."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from gitops_lb.cli import main
from gitops_lb.inputs import group_files
from gitops_lb.manifests import config_from_files
from gitops_lb.yamlload import load_paths
from tests.compile import checks

POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: web
spec:
  addresses: [10.0.0.10-10.0.0.20]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: web
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def lint_json(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    capsys.readouterr()
    status = main(["lint", *argv, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)["diagnostics"]


def rules(diags: list[dict]) -> list[str]:
    return sorted(d["rule"] for d in diags)


def kustomization(namespace: str | None, *resources: str) -> str:
    head = f"namespace: {namespace}\n" if namespace else ""
    return head + "resources:\n" + "".join(f"  - {r}\n" for r in resources)


@pytest.mark.parametrize("name", ["kustomization.yaml", "kustomization.yml", "Kustomization"])
def test_kustomization_namespace_means_no_object_no_namespace(tmp_path, capsys, name):
    base = write(
        tmp_path / "base",
        {name: kustomization("metallb-system", "pool.yaml"), "pool.yaml": POOL},
    )
    status, diags = lint_json(str(base), capsys=capsys)
    assert (status, rules(diags)) == (0, [])
    # the file named on its own: its folder's kustomization still applies
    status, diags = lint_json(str(base / "pool.yaml"), capsys=capsys)
    assert (status, rules(diags)) == (0, [])


def test_same_files_without_kustomization_get_object_no_namespace(tmp_path, capsys):
    base = write(tmp_path / "base", {"pool.yaml": POOL})
    status, diags = lint_json(str(base), capsys=capsys)
    assert status == 0  # a warning
    assert rules(diags) == ["object-no-namespace", "object-no-namespace"]
    assert sorted(d["line"] for d in diags) == [3, 10]  # each object's metadata


def test_a_kustomization_that_sets_no_namespace_changes_nothing(tmp_path, capsys):
    base = write(
        tmp_path / "base",
        {"kustomization.yaml": kustomization(None, "pool.yaml"), "pool.yaml": POOL},
    )
    _, diags = lint_json(str(base), capsys=capsys)
    assert rules(diags) == ["object-no-namespace", "object-no-namespace"]


def test_kustomization_without_apiversion_is_not_an_object(tmp_path, capsys):
    # kustomize does not need apiVersion and kind in kustomization.yaml
    base = write(
        tmp_path / "base",
        {"kustomization.yaml": kustomization("metallb-system", "pool.yaml"), "pool.yaml": POOL},
    )
    _, diags = lint_json(str(base), capsys=capsys)
    assert "object-missing-type" not in rules(diags)
    # the same text under another name is an object without apiVersion and kind
    (base / "other.yaml").write_text(kustomization("metallb-system", "pool.yaml"))
    _, diags = lint_json(str(base), capsys=capsys)
    assert [d["file"] for d in diags if d["rule"] == "object-missing-type"] == [
        str(base / "other.yaml")
    ]


def test_kustomization_namespace_overrides_the_object_namespace(tmp_path, capsys):
    text = POOL.replace("  name: web\n", "  name: web\n  namespace: elsewhere\n")
    base = write(
        tmp_path / "base",
        {"kustomization.yaml": kustomization("metallb-system", "pool.yaml"), "pool.yaml": text},
    )
    status, diags = lint_json(str(base), capsys=capsys)
    assert (status, rules(diags)) == (0, [])


def test_a_file_the_kustomization_does_not_list_keeps_its_namespace(tmp_path, capsys):
    text = POOL.replace("  name: web\n", "  name: web\n  namespace: elsewhere\n")
    base = write(
        tmp_path / "base",
        {"kustomization.yaml": kustomization("metallb-system"), "pool.yaml": text},
    )
    status, diags = lint_json(str(base), capsys=capsys)
    assert status == 1
    assert rules(diags) == ["object-wrong-namespace", "object-wrong-namespace"]


def test_wrong_kustomization_namespace_points_at_the_object_and_names_the_option(tmp_path, capsys):
    base = write(
        tmp_path / "base",
        {"kustomization.yaml": kustomization("lb", "pool.yaml"), "pool.yaml": POOL},
    )
    status, diags = lint_json(str(base), capsys=capsys)
    assert status == 1
    assert rules(diags) == ["object-wrong-namespace", "object-wrong-namespace"]
    pool = next(d for d in diags if d["object"] == "IPAddressPool/lb/web")
    assert (pool["file"], pool["line"]) == (str(base / "pool.yaml"), 4)  # its metadata
    assert "is in namespace 'lb' (set by its kustomization)" in pool["message"]
    assert "pass --namespace NS" in pool["message"]
    (related,) = pool["related"]
    assert (related["file"], related["line"], related["column"]) == (
        str(base / "kustomization.yaml"),
        1,
        12,
    )
    # told where MetalLB runs, the same files are clean
    status, diags = lint_json(str(base), "--namespace", "lb", capsys=capsys)
    assert (status, rules(diags)) == (0, [])


def test_wrong_namespace_message_names_the_option_without_kustomize(tmp_path, capsys):
    f = tmp_path / "pool.yaml"
    f.write_text(POOL.replace("  name: web\n", "  name: web\n  namespace: lb\n", 1))
    assert main(["lint", str(f)]) == 1
    out = capsys.readouterr().out
    (line,) = [ln for ln in out.splitlines() if "[object-wrong-namespace]" in ln]
    assert line.startswith(f"{f}:5:14: error: IPAddressPool 'web' is in namespace 'lb'; ")
    assert "if MetalLB runs in another namespace, pass --namespace NS" in line
    assert "set by its kustomization" not in line


OVERLAY_LAYOUT = {
    "base/kustomization.yaml": kustomization("base-ns", "pool.yaml", "core.yaml"),
    "base/pool.yaml": POOL,
    "base/core.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: apps}
        spec: {type: LoadBalancer, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: apps}
        """,
    "prod/kustomization.yaml": kustomization("metallb-system", "../base", "extra.yaml"),
    "prod/extra.yaml": """\
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: extra, namespace: elsewhere}
        spec: {addresses: [10.0.1.10-10.0.1.20]}
        """,
    "plain/kustomization.yaml": kustomization(None, "../base"),
}


def test_overlay_namespace_wins_over_the_base(tmp_path, capsys):
    write(tmp_path, OVERLAY_LAYOUT)
    status, diags = lint_json(str(tmp_path / "prod"), str(tmp_path / "base"), capsys=capsys)
    assert "object-wrong-namespace" not in rules(diags)
    assert "object-no-namespace" not in rules(diags)
    # the base alone (no overlay given) builds into its own namespace
    status, diags = lint_json(str(tmp_path / "base"), capsys=capsys)
    assert status == 1
    assert {d["object"] for d in diags if d["rule"] == "object-wrong-namespace"} == {
        "IPAddressPool/base-ns/web",
        "L2Advertisement/base-ns/web",
    }


def built_namespaces(root: Path, build: str) -> dict[tuple[str, str], str | None]:
    """(kind, name) -> namespace of what gitops-lb reads for the kustomization root `build`."""
    files = load_paths([str(root)])  # every file; the build reaches the base from outside
    (group,) = [g for g in group_files([str(root / build)], files) if g.label == str(root / build)]
    cfg = config_from_files(group.files, kustomized=group.namespaces)
    # objects outside MetalLB's namespace are not filed, only reported
    elsewhere = [f.item for f in cfg.intake.get("object-wrong-namespace", []) if f.item]
    out: dict[tuple[str, str], str | None] = {}
    for items in (cfg.pools, cfg.l2advs, cfg.services, cfg.nodes, cfg.namespaces, elsewhere):
        for item in items:
            out[(item.kind, item.name)] = item.namespace
    return out


@pytest.mark.skipif(checks.KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("build", ["prod", "plain", "base"])
def test_namespaces_match_kubectl_kustomize(tmp_path, build):
    write(tmp_path, OVERLAY_LAYOUT)
    real = {
        (d["kind"], d["metadata"]["name"]): d["metadata"].get("namespace")
        for d in checks.kustomize(tmp_path / build)
    }
    assert built_namespaces(tmp_path, build) == real
    expected = {"prod": "metallb-system", "plain": "base-ns", "base": "base-ns"}[build]
    assert real[("IPAddressPool", "web")] == expected
    assert ("Namespace", expected) in real  # kustomize renames the Namespace object
