"""End to end: compile an example site, "apply" the compiled tree (what the API server and
Argo CD add included), and reconcile both the site spec and the compiled tree against it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from gitops_lb.cli import main
from tests.k8s_emulator import Emulator
from tests.reconcile.helpers import comparable, found, kubeconfig, run_json
from tests.reconcile.scenario import SERVER_META, dump, node

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "examples" / "sites" / "acp-seed.yaml"
CLUSTER = "acp-seed/workload"
ASSIGNED = {"example": "192.168.10.66", "nginx": "192.168.10.70", "nginx-by-pool": "192.168.10.65"}


def applied(tree: Path) -> list[dict[str, Any]]:
    """The compiled objects as a cluster holds them once Argo CD applied them."""
    out: list[dict[str, Any]] = []
    for path in sorted(tree.glob("*.yaml")):
        for obj in yaml.safe_load_all(path.read_text()):
            if not isinstance(obj, dict) or obj.get("kind") in ("Kustomization", "SpeakerPlan"):
                continue
            meta = obj["metadata"]
            extra = copy.deepcopy(SERVER_META)
            meta.setdefault("labels", {}).update(extra.pop("labels"))
            meta.setdefault("annotations", {}).update(extra.pop("annotations"))
            meta.update(extra)
            if obj["kind"] == "IPAddressPool":
                obj["spec"].setdefault("autoAssign", True)  # CRD defaults
                obj["spec"].setdefault("avoidBuggyIPs", False)
                obj["status"] = {"assignedIPv4": 3, "availableIPv4": 29}
            if obj["kind"] == "Service":
                ip = ASSIGNED[meta["name"]]
                obj["spec"]["clusterIP"] = "10.4.0.20"
                obj["status"] = {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}
            out.append(obj)
    return [*out, node("node-a"), node("node-b")]


def test_compiled_output_applied_is_in_sync(tmp_path, capsys):
    out = tmp_path / "deploy"
    assert main(["compile", str(SITE), "-o", str(out)]) == 0
    tree = out / "acp-seed" / "workload"
    objects = applied(tree)
    live = tmp_path / "live.yaml"
    live.write_text(dump(objects))
    capsys.readouterr()

    site_code, site_doc = run_json(capsys, str(SITE), "--cluster", CLUSTER, "--live", str(live))
    tree_code, tree_doc = run_json(capsys, str(tree), "--live", str(live))
    with Emulator(objects) as api:
        kc = kubeconfig(tmp_path, api.url)
        api_code, api_doc = run_json(capsys, str(tree), "--kubeconfig", str(kc))
    assert (site_code, site_doc["differences"]) == (0, [])
    assert (tree_code, tree_doc["differences"]) == (0, [])
    assert (api_code, comparable(api_doc)) == (0, comparable(tree_doc))

    pool = next(o for o in objects if o["kind"] == "IPAddressPool")
    pool["spec"]["autoAssign"] = False
    objects = [o for o in objects if o["kind"] != "ClusterPluginInstance"]
    live.write_text(dump(objects))
    expected = {
        ("changed", "IPAddressPool", "example"),
        ("plugin-missing", "ClusterPluginInstance", "metallb"),
    }
    for args in ([str(SITE), "--cluster", CLUSTER], [str(tree)]):
        code, doc = run_json(capsys, *args, "--live", str(live))
        assert (code, found(doc)) == (1, expected)
