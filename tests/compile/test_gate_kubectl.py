"""The readiness gate as the Job runs it: a real `sh`, the real `kubectl` of this machine, against
the in-process API emulator over loopback, with the RBAC rules compile writes (or fewer)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gitops_lb.compile import gate
from tests.k8s_emulator import KINDS, Emulator, Kind

SH = shutil.which("sh")
KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(
    SH is None or KUBECTL is None, reason="needs a POSIX shell and kubectl on PATH"
)

GATE_KINDS = [
    *KINDS,
    Kind("operator.alauda.io", "v1alpha1", "AppRelease", "appreleases", True),
    Kind("apps", "v1", "Deployment", "deployments", True),
    Kind("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", True),
]
NS = "metallb-system"
USER = "system:serviceaccount:cpaas-system:metallb-readiness-gate"


def apprelease(health: str) -> dict[str, Any]:
    return {
        "apiVersion": "operator.alauda.io/v1alpha1",
        "kind": "AppRelease",
        "metadata": {"name": "metallb", "namespace": "cpaas-system"},
        "status": {"conditions": [{"type": "Health", "status": health, "reason": "Ready"}]},
    }


def deployment(name: str = gate.CONTROLLER_DEPLOYMENT) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": NS},
        "status": {"conditions": [{"type": "Available", "status": "True"}]},
    }


def endpoint_slice(ready: bool | None = True) -> dict[str, Any]:
    endpoint: dict[str, Any] = {"addresses": ["10.244.0.7"]}
    if ready is not None:
        endpoint["conditions"] = {"ready": ready}
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{gate.WEBHOOK_SERVICE}-x7k2p",
            "namespace": NS,
            "labels": {"kubernetes.io/service-name": gate.WEBHOOK_SERVICE},
        },
        "addressType": "IPv4",
        "endpoints": [endpoint],
    }


def compiled_rbac(platform: str) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """The rules compile grants the gate: (namespace of a Role, or None for a ClusterRole)."""
    return [
        (o["metadata"].get("namespace") if o["kind"] == "Role" else None, o["rules"])
        for o in gate.rbac(platform, NS)
        if o["kind"] in ("Role", "ClusterRole")
    ]


def run_gate(
    tmp_path: Path, api: Emulator, platform: str, timeout: int = 1
) -> subprocess.CompletedProcess[str]:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- name: fake\n  cluster:\n    server: {api.url}\n"
        "users:\n- name: gate\n  user: {}\n"
        "contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: gate\n"
        "current-context: fake\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),  # kubectl's discovery cache, as /tmp is in the Job
        "TMPDIR": str(tmp_path),
        "KUBECONFIG": str(kubeconfig),
        "METALLB_NAMESPACE": NS,
        "TIMEOUT_SECONDS": str(timeout),
        "POLL_SECONDS": "0.2",
    }
    return subprocess.run(
        [str(SH), "-c", gate.script(platform)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # generous: only there so a hung kubectl cannot hang the suite
    )


def waiting_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "readiness gate: waiting for" in line]


def test_missing_rbac_is_reported_at_the_first_poll(tmp_path):
    """Without the Role, the first poll already says why: the API server's 403."""
    objects = [apprelease("True"), endpoint_slice()]
    with Emulator(objects, kinds=GATE_KINDS, rbac=[], user=USER) as api:
        proc = run_gate(tmp_path, api, "acp")
    assert proc.returncode == 1
    first = waiting_lines(proc.stderr)[0]
    assert first.startswith(
        "gitops-lb readiness gate: waiting for AppRelease cpaas-system/metallb (Health=True): "
        "kubectl failed (exit 1): Error from server (Forbidden): "
    ), first
    assert f'User "{USER}" cannot get resource "appreleases"' in first
    assert 'in API group "operator.alauda.io" in the namespace "cpaas-system"' in first
    assert "gave up after 1s waiting for AppRelease" in proc.stderr
    assert "last seen: kubectl failed (exit 1): Error from server (Forbidden)" in proc.stderr


def test_missing_endpointslice_rule_is_reported(tmp_path):
    rbac = [r for r in compiled_rbac("acp") if r[0] is not None]  # the Role, not the ClusterRole
    objects = [apprelease("True"), endpoint_slice()]
    with Emulator(objects, kinds=GATE_KINDS, rbac=rbac, user=USER) as api:
        proc = run_gate(tmp_path, api, "acp")
    assert proc.returncode == 1
    assert "done waiting for AppRelease cpaas-system/metallb (Health=True)" in proc.stdout
    first = waiting_lines(proc.stderr)[0]
    assert 'cannot list resource "endpointslices" in API group "discovery.k8s.io"' in first


@pytest.mark.parametrize("platform", ["acp", "metallb"])
def test_the_compiled_rules_are_enough(tmp_path, platform):
    objects = [apprelease("True"), deployment(), endpoint_slice()]
    with Emulator(objects, kinds=GATE_KINDS, rbac=compiled_rbac(platform), user=USER) as api:
        proc = run_gate(tmp_path, api, platform)
    assert proc.returncode == 0, proc.stderr
    assert waiting_lines(proc.stderr) == []
    slices = [r for r in api.requests if r.path.endswith("/endpointslices")]
    assert slices and all(
        r.query["labelSelector"] == [f"kubernetes.io/service-name={gate.WEBHOOK_SERVICE}"]
        for r in slices
    )
    assert not [r for r in api.requests if "/endpoints" in r.path and r not in slices]


def test_a_wrong_name_is_reported_as_not_found(tmp_path):
    objects = [deployment("metallb-ctrl"), endpoint_slice()]
    with Emulator(objects, kinds=GATE_KINDS, rbac=compiled_rbac("metallb"), user=USER) as api:
        proc = run_gate(tmp_path, api, "metallb")
    assert proc.returncode == 1
    first = waiting_lines(proc.stderr)[0]
    assert "waiting for Deployment metallb-system/metallb-controller (Available)" in first
    assert 'deployments.apps "metallb-controller" not found' in first


@pytest.mark.slow
@pytest.mark.parametrize(
    ("objects", "reason"),
    [
        ([apprelease("False")], "AppRelease cpaas-system/metallb has Health=False (reason: Ready"),
        (
            [{**apprelease("True"), "status": {}}],
            "AppRelease cpaas-system/metallb has no Health condition yet",
        ),
        (
            [apprelease("True")],
            f"no EndpointSlice of Service {NS}/{gate.WEBHOOK_SERVICE} lists an endpoint yet",
        ),
        (
            [apprelease("True"), endpoint_slice(ready=False)],
            f"Service {NS}/{gate.WEBHOOK_SERVICE} has 1 endpoint(s), none ready",
        ),
    ],
)
def test_the_condition_waited_for_is_printed(tmp_path, objects, reason):
    with Emulator(objects, kinds=GATE_KINDS, rbac=compiled_rbac("acp"), user=USER) as api:
        proc = run_gate(tmp_path, api, "acp")
    assert proc.returncode == 1
    assert reason in waiting_lines(proc.stderr)[0]


def test_an_endpoint_without_a_ready_condition_counts_as_ready(tmp_path):
    objects = [apprelease("True"), endpoint_slice(ready=None)]
    with Emulator(objects, kinds=GATE_KINDS, rbac=compiled_rbac("acp"), user=USER) as api:
        proc = run_gate(tmp_path, api, "acp")
    assert proc.returncode == 0, proc.stderr
