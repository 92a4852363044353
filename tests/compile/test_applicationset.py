"""The ApplicationSet layout (argocd.layout: applicationset) against kubectl kustomize, Argo CD's
CRD schemas (Application and ApplicationSet, Argo CD 3.6.0, read from the shared reference
folder when present) and its own parameter files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.compile import appset, argocd, waves
from gitops_lb.compile.tree import compile_targets
from tests.compile import checks
from tests.compile.targets import site_dict, targets
from tests.reference import reference

# the Go template forms the template uses: {{.key}} and {{ .key }}
PLACEHOLDER = re.compile(r"\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class MissingKey(KeyError):
    pass


def resolve(value: Any, params: dict[str, Any]) -> Any:
    """The template with every placeholder replaced from `params`, as Argo CD's goTemplate
    with missingkey=error does for these forms; a missing key raises, and any other template
    action left over fails the test."""
    if isinstance(value, dict):
        return {resolve(k, params): resolve(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, params) for v in value]
    if isinstance(value, str):

        def one(m: re.Match[str]) -> str:
            if m.group(1) not in params:
                raise MissingKey(m.group(1))
            return str(params[m.group(1)])

        out = PLACEHOLDER.sub(one, value)
        assert "{{" not in out and "}}" not in out, f"unresolved template action in {value!r}"
        return out
    return value


def placeholders(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(placeholders(k) | placeholders(v) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(placeholders(v) for v in value))
    return set(PLACEHOLDER.findall(value)) if isinstance(value, str) else set()


def cluster(name: str, third: int, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "server": f"https://10.0.{third}.10:6443",
        "nodes": [{"name": f"{name}-1", "labels": {"kubernetes.io/hostname": f"{name}-1"}}],
        "pools": [{"name": "web", "addresses": [f"192.168.{third}.64/27"], "l2": {}}],
        **more,
    }


def fleet_site(platform: str = "metallb", **argo: Any) -> dict[str, Any]:
    data = site_dict(platform=platform)
    data["spec"]["argocd"].update(argo)
    data["spec"]["clusters"] = [
        cluster("canary", 1, labels={"ring": "canary"}),
        cluster("east", 2, labels={"ring": "early"}),
        cluster("west", 3, labels={"ring": "early"}),
        cluster("north", 4),
    ]
    return data


ROLLOUT = [{"clusters": ["canary"]}, {"matchLabels": {"ring": "early"}, "maxUpdate": "50%"}]


def appset_tree(platform: str = "metallb", rollout: Any = None) -> dict[str, bytes]:
    argo: dict[str, Any] = {"layout": "applicationset"}
    if rollout is not None:
        argo["rollout"] = rollout
    return compile_targets(targets(fleet_site(platform, **argo)))


def docs(data: bytes) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(data) if d]


def parameter_files(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    return {
        path: json.loads(data) for path, data in files.items() if path.endswith("/cluster.json")
    }


@pytest.fixture(scope="session")
def argo_schemas() -> dict[tuple[str, str], Any]:
    """Argo CD's Application and ApplicationSet CRD schemas (skips when they are absent)."""
    return checks.crd_schemas(reference("crds/argocd", "Argo CD's CRDs"))


# --- the default stays what it was -----------------------------------------------------------


@pytest.mark.parametrize("platform", ["acp", "metallb"])
def test_app_of_apps_is_the_default_and_unchanged_when_named(platform):
    default = compile_targets(targets(fleet_site(platform)))
    named = compile_targets(targets(fleet_site(platform, layout="app-of-apps")))
    assert default == named
    assert not any(p.endswith(("cluster.json", ".applicationset.yaml")) for p in default)
    assert "argocd/dc1.canary.yaml" in default


# --- what the layout writes ------------------------------------------------------------------


def test_one_applicationset_per_site_and_no_cluster_applications():
    files = appset_tree()
    apps = sorted(p for p in files if p.startswith("argocd/"))
    assert apps == [
        "argocd/argocd-cm-health.yaml",  # the health checks, written in both layouts
        "argocd/dc1.applicationset.yaml",
        "argocd/dc1.canary.metallb.yaml",
        "argocd/dc1.east.metallb.yaml",
        "argocd/dc1.north.metallb.yaml",
        "argocd/dc1.west.metallb.yaml",
        "argocd/kustomization.yaml",
    ]
    listed = yaml.safe_load(files["argocd/kustomization.yaml"])["resources"]
    assert listed[-1] == "dc1.applicationset.yaml"  # after the installations
    assert sorted(parameter_files(files)) == [
        f"dc1/{c}/cluster.json" for c in ("canary", "east", "north", "west")
    ]
    for path in parameter_files(files):  # read by the generator, never applied
        folder = path.rsplit("/", 1)[0]
        assert (
            "cluster.json" not in yaml.safe_load(files[f"{folder}/kustomization.yaml"])["resources"]
        )


def test_generator_reads_the_parameter_files_compile_writes():
    files = appset_tree()
    (obj,) = docs(files["argocd/dc1.applicationset.yaml"])
    (gen,) = obj["spec"]["generators"]
    git = gen["git"]
    assert git["repoURL"] == "https://git.example.com/lb.git" and git["revision"] == "main"
    (pattern,) = [f["path"] for f in git["files"]]
    # the glob, relative to the repository, matches exactly the parameter files of the site
    prefix = "deploy/"
    assert pattern.startswith(prefix)
    rx = re.compile(re.escape(pattern[len(prefix) :]).replace(r"\*", "[^/]+") + "$")
    matched = sorted(p for p in files if rx.match(p))
    assert matched == sorted(parameter_files(files))
    assert obj["spec"]["goTemplate"] is True
    assert obj["spec"]["goTemplateOptions"] == ["missingkey=error"]


def test_template_uses_only_the_keys_of_every_parameter_file():
    files = appset_tree(rollout=ROLLOUT)
    (obj,) = docs(files["argocd/dc1.applicationset.yaml"])
    used = placeholders(obj["spec"]["template"])
    assert used  # the check below is not vacuous
    for path, params in parameter_files(files).items():
        assert used <= set(params), (path, used - set(params))
        assert all(isinstance(v, str) for v in params.values()), path


def test_resolved_applications_are_the_app_of_apps_ones_with_labels():
    """Each Application the ApplicationSet generates is the cluster Application the default
    layout writes, plus its labels and manifest-generate-paths, minus the sync wave."""
    data = fleet_site()
    data["spec"]["argocd"].update(layout="applicationset", rollout=ROLLOUT)
    lowered = targets(data)
    files = compile_targets(lowered)
    (obj,) = docs(files["argocd/dc1.applicationset.yaml"])
    template = obj["spec"]["template"]
    for target in lowered:
        params = json.loads(files[f"{target.id}/cluster.json"])
        resolved = {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            **resolve(template, params),
        }
        expected = argocd.cluster_application(target)
        del expected["metadata"]["annotations"][waves.SYNC_WAVE]
        expected["metadata"]["annotations"][appset.GENERATE_PATHS] = "."
        expected["metadata"]["labels"] = {
            appset.SITE_LABEL: "dc1",
            appset.CLUSTER_LABEL: target.cluster.name,
            appset.STEP_LABEL: params["step"],
        }
        assert resolved == expected, target.id


def test_the_resolver_refuses_a_missing_key_and_an_unknown_action():
    with pytest.raises(MissingKey):
        resolve({"name": "{{.nope}}"}, {"name": "x"})
    with pytest.raises(AssertionError):
        resolve("{{ index . 0 }}", {})
    assert resolve(["{{.a}}-{{ .b }}"], {"a": "1", "b": 2}) == ["1-2"]


# --- rollout ----------------------------------------------------------------------------------


def steps_of(
    files: dict[str, bytes], site: str = "dc1"
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    (obj,) = docs(files[f"argocd/{site}.applicationset.yaml"])
    strategy = obj["spec"]["strategy"]
    assert strategy["type"] == "RollingSync"
    by_cluster = {p["cluster"]: p["step"] for p in parameter_files(files).values()}
    return strategy["rollingSync"]["steps"], by_cluster


def members(step: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The clusters whose step label a RollingSync step's matchExpressions select (In only)."""
    out = []
    for name, value in labels.items():
        app_labels = {appset.STEP_LABEL: value}
        if all(
            e["operator"] == "In" and app_labels.get(e["key"]) in e["values"]
            for e in step["matchExpressions"]
        ):
            out.append(name)
    return sorted(out)


def test_without_rollout_one_step_syncs_every_cluster():
    steps, by_cluster = steps_of(appset_tree())
    assert len(steps) == 1 and "maxUpdate" not in steps[0]
    assert members(steps[0], by_cluster) == ["canary", "east", "north", "west"]


def test_rollout_steps_in_order_canary_first_the_rest_last():
    steps, by_cluster = steps_of(appset_tree(rollout=ROLLOUT))
    assert [members(s, by_cluster) for s in steps] == [["canary"], ["east", "west"], ["north"]]
    assert [s.get("maxUpdate") for s in steps] == [None, "50%", None]


def test_rollout_covering_every_cluster_has_no_extra_step():
    rollout = [*ROLLOUT, {"clusters": ["north"], "maxUpdate": 1}]
    steps, by_cluster = steps_of(appset_tree(rollout=rollout))
    assert [members(s, by_cluster) for s in steps] == [["canary"], ["east", "west"], ["north"]]
    assert steps[-1]["maxUpdate"] == 1


# --- ordering: the installation before the cluster Applications ------------------------------


@pytest.mark.parametrize("layout", ["app-of-apps", "applicationset"])
def test_installation_is_a_wave_before_the_cluster_applications(layout):
    files = compile_targets(targets(fleet_site("metallb", layout=layout)))
    install: list[int] = []
    rest: list[int] = []
    for path, data in files.items():
        if path.startswith("argocd/") and path not in (
            "argocd/kustomization.yaml",
            "argocd/argocd-cm-health.yaml",  # installed by hand into argocd-cm, not synced
        ):
            (obj,) = docs(data)
            (install if path.endswith(".metallb.yaml") else rest).append(waves.wave_of(obj))
    assert install and rest
    assert max(install) < min(rest)
    # and each cluster's own sync waits for MetalLB: the readiness gate is in its tree
    for name in ("canary", "east", "north", "west"):
        listed = yaml.safe_load(files[f"dc1/{name}/kustomization.yaml"])["resources"]
        assert "job.metallb-readiness-gate.yaml" in listed


# --- real tools ------------------------------------------------------------------------------


@pytest.mark.skipif(checks.KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("layout", ["app-of-apps", "applicationset"])
@pytest.mark.parametrize("platform", ["acp", "metallb"])
def test_kubectl_kustomize_builds_both_layouts(tmp_path, layout, platform):
    data = fleet_site(platform, layout=layout)
    if layout == "applicationset":
        data["spec"]["argocd"]["rollout"] = ROLLOUT
    root = checks.write(compile_targets(targets(data)), tmp_path)
    kinds = sorted(d["kind"] for d in checks.kustomize(root / "argocd"))
    installs = ["Application"] * 4 if platform == "metallb" else []
    if layout == "applicationset":
        assert kinds == sorted([*installs, "ApplicationSet"])
    else:
        assert kinds == sorted(["Application"] * 4 + installs)
    for name in ("canary", "north"):
        assert any(d["kind"] == "Job" for d in checks.kustomize(root / "dc1" / name))


@pytest.mark.parametrize("layout", ["app-of-apps", "applicationset"])
def test_both_layouts_validate_against_argo_cds_crds(argo_schemas, layout):
    data = fleet_site("metallb", layout=layout)
    if layout == "applicationset":
        data["spec"]["argocd"]["rollout"] = ROLLOUT
    files = compile_targets(targets(data))
    seen: list[str] = []
    for path, text in files.items():
        if not path.startswith("argocd/") or path in (
            "argocd/kustomization.yaml",
            "argocd/argocd-cm-health.yaml",  # a ConfigMap patch, not an Argo CD object
        ):
            continue
        for obj in docs(text):
            seen.append(obj["kind"])
            assert checks.schema_errors(obj, argo_schemas) == [], path
            if obj["kind"] == "ApplicationSet":
                for params in parameter_files(files).values():
                    app = {
                        "apiVersion": "argoproj.io/v1alpha1",
                        "kind": "Application",
                        **resolve(obj["spec"]["template"], params),
                    }
                    assert checks.schema_errors(app, argo_schemas) == [], params
    assert seen.count("ApplicationSet") == (layout == "applicationset")
    assert "Application" in seen


def test_the_argo_cd_schema_check_can_fail(argo_schemas):
    files = appset_tree(rollout=ROLLOUT)
    (obj,) = docs(files["argocd/dc1.applicationset.yaml"])
    bad = copy.deepcopy(obj)
    bad["spec"]["strategy"]["rollingSync"]["steps"][0]["matchExpresions"] = []
    assert checks.schema_errors(bad, argo_schemas)
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", **obj["spec"]["template"]}
    app["spec"]["destination"]["serverr"] = "x"
    assert checks.schema_errors(app, argo_schemas)


def test_the_example_with_a_rollout_compiles(tmp_path):
    from gitops_lb.cli import main

    example = Path(__file__).resolve().parents[2] / "examples" / "sites" / "edge-rollout.yaml"
    out = tmp_path / "deploy"
    assert main(["compile", str(example), "-o", str(out)]) == 0
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.*")}
    steps, by_cluster = steps_of(files, "edge-rollout")
    assert [members(s, by_cluster) for s in steps] == [
        ["canary"],
        ["store-1", "store-2"],
        ["store-3"],
    ]
