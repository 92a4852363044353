"""The Argo CD Config Management Plugin: plugin.yaml's generate command, run as Argo CD runs it
(in the Application's source folder, with the plugin parameters and env in the environment)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from gitops_lb.check import load_checked
from gitops_lb.compile.tree import compile_targets
from tests.compile.checks import KUBECTL, kustomize, write
from tests.helpers import gitops_lb_script

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "argocd-cmp" / "plugin.yaml"
EXAMPLES = ROOT / "examples" / "sites"
CLUSTER = "acp-seed/workload"


def plugin():
    return yaml.safe_load(PLUGIN.read_text())


@pytest.fixture
def source(tmp_path):
    """An Application source folder holding the example site specs."""
    folder = tmp_path / "repo" / "sites"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture
def bin_dir(tmp_path):
    """A `gitops-lb` on PATH that runs this checkout (the image installs the package)."""
    return gitops_lb_script(tmp_path / "bin")


def generate(source, bin_dir, **env):
    spec = plugin()["spec"]["generate"]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOCD_", "PARAM_"))}
    base["PATH"] = f"{bin_dir}{os.pathsep}{base.get('PATH', '')}"
    base["PYTHONPATH"] = str(ROOT)
    base["ARGOCD_APP_NAME"] = "lb"
    base.update(env)
    return subprocess.run(
        [*spec["command"], *spec.get("args", [])],
        cwd=source,
        env=base,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def expected(source, cluster=CLUSTER):
    loaded = load_checked([str(source)])
    files = compile_targets(loaded.targets)
    kustomization = yaml.safe_load(files[f"{cluster}/kustomization.yaml"])
    return [
        doc
        for name in kustomization["resources"]
        for doc in yaml.safe_load_all(files[f"{cluster}/{name}"])
    ]


def test_manifest_is_a_cmp_v2_plugin():
    doc = plugin()
    assert (doc["apiVersion"], doc["kind"]) == ("argoproj.io/v1alpha1", "ConfigManagementPlugin")
    assert doc["metadata"]["name"] == "gitops-lb"
    assert "discover" not in doc["spec"]  # only Applications that name it
    assert [p["name"] for p in doc["spec"]["parameters"]["static"]] == ["cluster"]


def test_generate_prints_the_cluster_manifests_only(source, bin_dir):
    proc = generate(source, bin_dir, ARGOCD_ENV_CLUSTER=CLUSTER)
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in yaml.safe_load_all(proc.stdout) if d is not None]
    assert docs == expected(source)
    assert all(d.get("apiVersion") and d.get("kind") for d in docs)
    assert {"IPAddressPool", "L2Advertisement", "Service"} <= {d["kind"] for d in docs}


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_generate_matches_kustomize_of_the_compiled_tree(source, bin_dir, tmp_path):
    proc = generate(source, bin_dir, PARAM_CLUSTER=CLUSTER)
    assert proc.returncode == 0, proc.stderr
    tree = write(compile_targets(load_checked([str(source)]).targets), tmp_path / "deploy")
    rendered = [d for d in yaml.safe_load_all(proc.stdout) if d is not None]
    built = kustomize(tree / CLUSTER)  # kustomize orders by kind; Argo CD orders by wave

    def key(d):
        return (d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"])

    assert sorted(rendered, key=key) == sorted(built, key=key)


def test_parameter_wins_over_env(source, bin_dir):
    proc = generate(source, bin_dir, PARAM_CLUSTER="shared-l2/blue", ARGOCD_ENV_CLUSTER="no/such")
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in yaml.safe_load_all(proc.stdout) if d is not None]
    assert docs == expected(source, "shared-l2/blue")


@pytest.mark.parametrize(
    ("env", "status", "message"),
    [
        ({}, 2, "no cluster given: set the plugin parameter `cluster`"),
        ({"ARGOCD_ENV_CLUSTER": ""}, 2, "no cluster given"),
        ({"ARGOCD_ENV_CLUSTER": "acp-seed/nope"}, 2, "no cluster 'acp-seed/nope'"),
    ],
)
def test_generate_fails_loudly_instead_of_printing_nothing(source, bin_dir, env, status, message):
    proc = generate(source, bin_dir, **env)
    assert (proc.returncode, proc.stdout) == (status, "")
    assert message in proc.stderr


def test_invalid_site_spec_fails_with_its_finding(source, bin_dir):
    spec = source / "acp-seed.yaml"
    text = spec.read_text().replace("platform: acp", "platform: acp\n  bogus: 1")
    spec.write_text(text)
    line = text.splitlines().index("  bogus: 1") + 1
    proc = generate(source, bin_dir, ARGOCD_ENV_CLUSTER=CLUSTER)
    assert (proc.returncode, proc.stdout) == (1, "")
    unknown = f"acp-seed.yaml:{line}:3: error: unknown field 'bogus' in spec of site 'acp-seed'"
    assert unknown in proc.stderr
    assert "nothing rendered" in proc.stderr


def test_no_site_spec_fails(tmp_path, bin_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "x.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    proc = generate(empty, bin_dir, ARGOCD_ENV_CLUSTER=CLUSTER)
    assert proc.returncode != 0 and proc.stdout == ""
