"""The Argo CD health checks, run in a real Lua 5.1 (LuaJIT, through lupa) over fixtures in
Argo CD's own layout: tests/compile/health/<group>_<Kind>/health_test.yaml lists each
`inputPath` (under testdata/) with the `healthStatus` {status, message} it must give.

Argo CD runs the scripts in gopher-lua (Lua 5.1) with the object as the global `obj` and only
the basic libraries; the runtime here removes what Argo CD does not offer (io, os, require...)
so a script that needs them fails here too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.compile import health
from gitops_lb.compile.tree import compile_targets
from tests.compile import checks
from tests.compile.targets import site_dict, targets
from tests.k8s_emulator import KINDS, Emulator, Kind

luajit = pytest.importorskip(
    "lupa.luajit21", reason="lupa (a dev dependency) runs the Lua health checks"
)

FIXTURES = Path(__file__).resolve().parent / "health"
ROOT = Path(__file__).resolve().parents[2]
NOT_IN_ARGO = ("io", "os", "debug", "package", "require", "dofile", "loadfile", "jit")


def runtime() -> Any:
    lua = luajit.LuaRuntime(unpack_returned_tuples=True)
    assert lua.eval("_VERSION") == "Lua 5.1"
    g = lua.globals()
    for name in NOT_IN_ARGO:
        g[name] = None
    return lua


def run_check(check: health.Check, obj: dict[str, Any]) -> dict[str, Any]:
    lua = runtime()
    lua.globals().obj = lua.table_from(obj, recursive=True)
    # Argo CD runs the script as a chunk and takes the table it returns
    result = lua.execute(check.script())
    assert luajit.lua_type(result) == "table", result
    return {k: result[k] for k in ("status", "message") if result[k] is not None}


def cases() -> list[Any]:
    out = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        spec = yaml.safe_load((folder / "health_test.yaml").read_text())
        for test in spec["tests"]:
            out.append(pytest.param(folder.name, test, id=f"{folder.name}:{test['inputPath']}"))
    return out


CHECKS = {f"{c.group}_{c.kind}": c for c in health.CHECKS}


@pytest.mark.parametrize(("kind", "test"), cases())
def test_fixture(kind, test):
    obj = yaml.safe_load((FIXTURES / kind / test["inputPath"]).read_text())
    got = run_check(CHECKS[kind], obj)
    want = test["healthStatus"]
    assert got["status"] == want["status"]
    assert got.get("message", "") == want.get("message", "")


def test_every_check_has_fixtures_of_each_state():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(CHECKS)
    for kind in CHECKS:
        spec = yaml.safe_load((FIXTURES / kind / "health_test.yaml").read_text())
        states = {t["healthStatus"]["status"] for t in spec["tests"]}
        assert {"Healthy", "Progressing", "Degraded"} <= states, kind
        inputs = {t["inputPath"] for t in spec["tests"]}
        assert "testdata/missing_status.yaml" in inputs, kind
        on_disk = {f"testdata/{p.name}" for p in (FIXTURES / kind / "testdata").iterdir()}
        assert inputs == on_disk, kind  # no fixture left unused


def test_a_script_using_what_argo_cd_lacks_fails_here():
    bad = health.Check("example.com", "Thing", "")
    lua = runtime()
    lua.globals().obj = lua.table_from({}, recursive=True)
    with pytest.raises(luajit.LuaError):
        lua.execute("return {status = os.getenv('HOME')}")
    assert bad.key == "resource.customizations.health.example.com_Thing"


def patch_of(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    files = compile_targets(targets(data))
    text = files[f"argocd/{health.PATCH_FILE}"].decode()
    return yaml.safe_load(text), text


def test_the_patch_has_one_key_per_kind_the_tree_needs():
    acp, _ = patch_of(site_dict())
    assert acp["kind"] == "ConfigMap" and acp["metadata"] == {"name": "argocd-cm"}
    assert sorted(acp["data"]) == [
        "resource.customizations.health.metallb.io_IPAddressPool",
        "resource.customizations.health.operator.alauda.io_AppRelease",
    ]
    upstream, _ = patch_of(site_dict(platform="metallb"))
    assert sorted(upstream["data"]) == [
        "resource.customizations.health.argoproj.io_Application",
        "resource.customizations.health.metallb.io_IPAddressPool",
    ]
    for key, script in upstream["data"].items():
        check = next(c for c in health.CHECKS if c.key == key)
        assert script == check.script()
        assert "*" not in key  # managed Argo CD services refuse wildcard keys


def test_the_pool_check_is_left_out_for_a_metallb_without_pool_status():
    old, text = patch_of(site_dict(platform="metallb", metallb={"version": "v0.14.9"}))
    assert sorted(old["data"]) == ["resource.customizations.health.argoproj.io_Application"]
    assert "metallb.io/IPAddressPool left out: a cluster runs MetalLB before v0.15.0" in text


def test_the_patch_is_not_applied_by_any_application():
    files = compile_targets(targets(site_dict(platform="metallb")))
    for path, data in files.items():
        if path.endswith("kustomization.yaml"):
            assert health.PATCH_FILE not in yaml.safe_load(data)["resources"], path


@pytest.mark.skipif(checks.KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("namespaced", [True, False])
def test_kustomize_patches_argocd_cm_as_documented(tmp_path, namespaced):
    _, text = patch_of(site_dict())
    (tmp_path / health.PATCH_FILE).write_text(text)
    meta: dict[str, Any] = {"name": "argocd-cm", "labels": {"app.kubernetes.io/part-of": "argocd"}}
    if namespaced:
        meta["namespace"] = "argocd"
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"url": "x"}}
    (tmp_path / "argocd-cm.yaml").write_text(yaml.safe_dump(cm))
    kustomization = {
        "resources": ["argocd-cm.yaml"],
        "patches": [
            {"path": health.PATCH_FILE, "target": {"kind": "ConfigMap", "name": "argocd-cm"}}
        ],
    }
    if not namespaced:
        kustomization["namespace"] = "argocd"
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    [out] = checks.kustomize(tmp_path)
    assert out["metadata"]["namespace"] == "argocd"
    assert out["data"]["url"] == "x"
    assert out["data"][health.POOL.key] == health.POOL.script()
    assert out["data"][health.APPRELEASE.key] == health.APPRELEASE.script()


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_patch_reads_the_file_as_documented(tmp_path):
    """`kubectl patch --type merge --patch-file` (client-side dry run, so the emulator only
    serves the GET) merges the keys into the live argocd-cm and keeps its other data."""
    _, text = patch_of(site_dict())
    patch = tmp_path / health.PATCH_FILE
    patch.write_text(text)
    live = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "argocd-cm", "namespace": "argocd"},
        "data": {"url": "https://argo.example.com"},
    }
    kinds = [*KINDS, Kind("", "v1", "ConfigMap", "configmaps", True)]
    with Emulator([live], kinds=kinds) as api:
        kubeconfig = tmp_path / "kubeconfig"
        kubeconfig.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters:\n- name: e\n  cluster:\n    server: {api.url}\n"
            "users:\n- name: u\n  user: {}\n"
            "contexts:\n- name: e\n  context:\n    cluster: e\n    user: u\n"
            "current-context: e\n"
        )
        proc = subprocess.run(
            [
                "kubectl",
                "-n",
                "argocd",
                "patch",
                "configmap",
                "argocd-cm",
                "--type",
                "merge",
                "--patch-file",
                str(patch),
                "--dry-run=client",
                "-o",
                "yaml",
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": os.environ["PATH"], "KUBECONFIG": str(kubeconfig), "HOME": str(tmp_path)},
        )
    assert proc.returncode == 0, proc.stderr
    merged = yaml.safe_load(proc.stdout)
    assert merged["data"]["url"] == "https://argo.example.com"
    assert merged["data"][health.APPRELEASE.key] == health.APPRELEASE.script()


def test_the_scripts_ship_in_the_wheel():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"compile/health/*.lua"' in text
    shipped = sorted(p.name for p in (ROOT / "gitops_lb" / "compile" / "health").glob("*.lua"))
    assert shipped == sorted(c.script_name for c in health.CHECKS)
