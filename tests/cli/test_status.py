"""`gitops-lb status`: pool capacity from the live IPAddressPool status, Services and their
announcers against the speaker plan, ConfigurationState, for a fleet read from --live-dir dumps
or from the API (the in-process emulator over real HTTP)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.cli import main
from tests.k8s_emulator import Emulator
from tests.reconcile.helpers import closed_port
from tests.reconcile.scenario import SITE, dump, find, in_sync, metallb, service

STAGE_NODES = """\
      nodes:
        - name: s-1
          labels: {rack: r1}
        - name: s-2
      bgpPeers:
        - {name: tor, myASN: 64512, peerASN: 64601, peerAddress: 192.168.20.254}
"""
# the reconcile scenario's site, with a BGP cluster `stage` whose pool only s-1 announces
FLEET = SITE.replace(
    "      pools:\n        - {name: stage, addresses: [192.168.20.0/28]}\n",
    STAGE_NODES + "      pools:\n"
    "        - name: stage\n"
    "          addresses: [192.168.20.0/28]\n"
    "          bgp: {peers: [tor], nodeSelectors: [{matchLabels: {rack: r1}}]}\n",
)


def stage_objects(assigned: int = 14) -> list[dict[str, Any]]:
    """dc1/stage: 14 of the 16 addresses of pool stage assigned (87.5%)."""
    pool = metallb("IPAddressPool", "stage", {"addresses": ["192.168.20.0/28"]})
    pool["status"] = {
        "assignedIPv4": assigned,
        "availableIPv4": 16 - assigned,
        "assignedIPv6": 0,
        "availableIPv6": 0,
    }
    bgp = metallb("ServiceBGPStatus", "bgp-4kq2m", {})
    bgp["status"] = {
        "node": "s-1",
        "serviceName": "db",
        "serviceNamespace": "data",
        "peers": ["tor"],
    }
    return [
        pool,
        bgp,
        service("data", "db", ["192.168.20.3"], annotations={}),
        metallb("ConfigurationState", "controller", {}) | {"status": {"result": "Valid"}},
    ]


Objects = list[dict[str, Any]]


def write_fleet(tmp_path: Path, prod: Objects | None, stage: Objects | None) -> tuple[str, str]:
    site = tmp_path / "site.yaml"
    site.write_text(FLEET)
    live = tmp_path / "live"
    for name, objects in (("prod", prod), ("stage", stage)):
        if objects is not None:
            folder = live / "dc1" / name
            folder.mkdir(parents=True)
            (folder / "all.yaml").write_text(dump(objects))
    return str(site), str(live)


def status(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["status", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def status_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, err = status(capsys, *argv, "--format", "json")
    assert out, err
    doc: dict[str, Any] = json.loads(out)
    return code, doc


def pools(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(p["cluster"], p["pool"]): p for p in doc["pools"]}


def services(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["cluster"], s["service"]): s for s in doc["services"]}


def rules(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f["rule"], f["cluster"], f["object"]) for f in doc["findings"]]


def test_capacity_comes_from_the_pool_status_in_the_dumps(tmp_path, capsys):
    site, live = write_fleet(tmp_path, in_sync(), stage_objects())
    code, doc = status_json(capsys, site, "--live-dir", live)
    found = pools(doc)
    web = found[("dc1/prod", "web")]
    assert (web["size"], web["assigned"], web["available"], web["used"]) == (32, 5, 27, 15.6)
    assert web["services"] == ["web/api", "web/blog", "web/cart", "web/nginx", "web/shop"]
    assert web["state"] == "ok"
    stage = found[("dc1/stage", "stage")]
    assert (stage["size"], stage["assigned"], stage["available"], stage["used"]) == (
        16,
        14,
        2,
        87.5,
    )
    assert stage["state"] == "warning"
    # spare has no status in the dump (MetalLB before 0.15, or not written yet)
    spare = found[("dc1/prod", "spare")]
    assert (spare["size"], spare["assigned"], spare["available"], spare["state"]) == (
        16, None, None, "unknown",
    )  # fmt: skip
    assert rules(doc) == [("pool-used", "dc1/stage", "IPAddressPool stage")]
    (finding,) = doc["findings"]
    assert finding["path"] == "status.assignedIPv4"
    assert (
        finding["file"] == site
        and finding["line"] == FLEET.splitlines().index("        - name: stage") + 1
    )
    assert code == 1
    assert [c["readable"] for c in doc["clusters"]] == [True, True]


@pytest.mark.parametrize(("threshold", "code"), [("90%", 0), ("90", 0), ("87.5", 0), ("87", 1)])
def test_warn_used_threshold(tmp_path, capsys, threshold, code):
    site, live = write_fleet(tmp_path, in_sync(), stage_objects())
    got, doc = status_json(capsys, site, "--live-dir", live, "--warn-used", threshold)
    assert got == code
    assert ("pool-used" in {f["rule"] for f in doc["findings"]}) == (code == 1)


@pytest.mark.parametrize("threshold", ["abc", "120", "-1", "80%%", "nan"])
def test_warn_used_must_be_a_percentage(tmp_path, capsys, threshold):
    site, live = write_fleet(tmp_path, in_sync(), stage_objects())
    code, out, err = status(capsys, site, "--live-dir", live, "--warn-used", threshold)
    assert (code, out) == (2, "")
    assert "argument --warn-used: not a percentage from 0 to 100" in err


def test_a_cluster_without_dump_does_not_hide_the_others(tmp_path, capsys):
    site, live = write_fleet(tmp_path, in_sync(), None)
    code, doc = status_json(capsys, site, "--live-dir", live)
    assert code == 3
    clusters = {c["cluster"]: c for c in doc["clusters"]}
    assert clusters["dc1/prod"]["readable"] is True
    assert clusters["dc1/stage"]["readable"] is False
    assert clusters["dc1/stage"]["error"] == (
        f"no live state: {Path(live) / 'dc1' / 'stage'} does not exist"
    )
    assert ("dc1/prod", "web") in pools(doc)
    assert not [p for p in doc["pools"] if p["cluster"] == "dc1/stage"]


def test_announcers_are_checked_against_the_plan(tmp_path, capsys):
    prod = in_sync()
    # node-c has no lb=yes label: the plan gives it no L2Advertisement for pool web
    find(prod, "ServiceL2Status", "l2-x7k2p")["status"]["node"] = "node-c"
    stage = stage_objects(assigned=2)
    find(stage, "ServiceBGPStatus", "bgp-4kq2m")["status"]["peers"] = ["tor", "spine"]
    site, live = write_fleet(tmp_path, prod, stage)
    code, doc = status_json(capsys, site, "--live-dir", live)
    assert code == 1
    assert rules(doc) == [
        ("announcer-not-in-plan", "dc1/prod", "Service web/nginx"),
        ("announcer-not-in-plan", "dc1/stage", "Service data/db"),
    ]
    messages = [f["message"] for f in doc["findings"]]
    assert messages == [
        "Service web/nginx: announced (L2) by node node-c, which the plan gives no "
        "L2Advertisement for pool web",
        "Service data/db: announced by node s-1 to peer spine, which the plan does not list "
        "(plan: tor)",
    ]
    found = services(doc)
    assert found[("dc1/prod", "web/nginx")]["announcers"] == [
        {"mode": "L2", "node": "node-c", "interfaces": ["eth3"], "in_plan": False}
    ]
    db = found[("dc1/stage", "data/db")]
    assert (db["addresses"], db["pool"]) == (["192.168.20.3"], "stage")
    assert db["announcers"] == [
        {"mode": "BGP", "node": "s-1", "peers": ["spine", "tor"], "in_plan": False}
    ]


def test_an_announcer_the_plan_allows_is_no_finding(tmp_path, capsys):
    site, live = write_fleet(tmp_path, in_sync(), stage_objects(assigned=2))
    code, doc = status_json(capsys, site, "--live-dir", live)
    assert (code, doc["findings"]) == (0, [])
    found = services(doc)
    assert found[("dc1/prod", "web/nginx")]["announcers"][0]["in_plan"] is True
    assert found[("dc1/stage", "data/db")]["announcers"][0]["in_plan"] is True
    assert found[("dc1/prod", "other/ingress")]["pool"] is None


def test_an_l2_announcement_on_an_interface_the_plan_does_not_list(tmp_path, capsys):
    prod = in_sync()
    find(prod, "ServiceL2Status", "l2-x7k2p")["status"]["interfaces"] = [{"name": "eth9"}]
    site, live = write_fleet(tmp_path, prod, stage_objects(assigned=2))
    code, doc = status_json(capsys, site, "--live-dir", live)
    assert code == 1
    assert [f["message"] for f in doc["findings"]] == [
        "Service web/nginx: announced by node node-a on eth9, which the plan does not list "
        "(plan: eth3)"
    ]


def test_configuration_state_errors(tmp_path, capsys):
    prod = in_sync()
    find(prod, "ConfigurationState", "controller")["status"] = {
        "result": "Invalid",
        "errorSummary": 'configuration error: peer "x" not found',
    }
    site, live = write_fleet(tmp_path, prod, stage_objects(assigned=2))
    code, doc = status_json(capsys, site, "--live-dir", live)
    assert code == 1
    assert [(e["cluster"], e["name"], e["result"]) for e in doc["configuration"]] == [
        ("dc1/prod", "controller", "Invalid"),
        ("dc1/prod", "speaker-node-a", "Valid"),
        ("dc1/stage", "controller", "Valid"),
    ]
    (finding,) = doc["findings"]
    assert finding["rule"] == "config-error" and finding["severity"] == "error"
    assert finding["message"] == (
        "ConfigurationState metallb-system/controller: MetalLB rejects the configuration: "
        'configuration error: peer "x" not found'
    )


def test_pool_status_of_copies_that_disagree_is_unknown(tmp_path, capsys):
    """Two dumps taken apart: the pool is read (reconcile does not compare its status), its
    status is not known."""
    site, live = write_fleet(tmp_path, in_sync(), stage_objects(assigned=2))
    later = stage_objects(assigned=3)
    (Path(live) / "dc1" / "stage" / "later.yaml").write_text(dump(later[:1]))
    code, doc = status_json(capsys, site, "--live-dir", live, "--cluster", "dc1/stage")
    assert code == 0
    (stage,) = doc["pools"]
    assert (stage["assigned"], stage["available"], stage["state"]) == (None, None, "unknown")


def test_size_counts_what_metallb_hands_out(tmp_path, capsys):
    """avoidBuggyIPs: no .0 or .255; a dual-stack pool is sized per family."""
    site_text = FLEET.replace(
        "          addresses: [192.168.20.0/28]\n",
        '          addresses: [10.9.0.0/23, 10.9.4.250-10.9.5.5, "fd00:9::/120"]\n'
        "          avoidBuggyIPs: true\n",
    )
    site, live = write_fleet(tmp_path, in_sync(), stage_objects())
    Path(site).write_text(site_text)
    code, doc = status_json(capsys, site, "--live-dir", live, "--cluster", "dc1/stage")
    (stage,) = doc["pools"]
    assert stage["families"]["IPv4"]["size"] == 512 - 4 + 12 - 2
    assert stage["families"]["IPv6"]["size"] == 256
    assert stage["size"] == 512 - 4 + 12 - 2 + 256
    # MetalLB's own count for the live pool: 14 assigned, 2 available in IPv4; none in IPv6
    assert stage["families"]["IPv6"] == {"size": 256, "assigned": 0, "available": 0, "used": None}
    assert code == 1


def test_text_and_markdown(tmp_path, capsys):
    site, live = write_fleet(tmp_path, in_sync(), stage_objects())
    code, out, err = status(capsys, site, "--live-dir", live)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == f"dc1/prod (dump {Path(live) / 'dc1' / 'prod' / 'all.yaml'})"
    assert lines[1].split() == [
        "POOL",
        "FAMILY",
        "SIZE",
        "ASSIGNED",
        "AVAILABLE",
        "USED",
        "SERVICES",
    ]
    assert lines[2].split() == ["spare", "IPv4", "16", "unknown", "unknown", "-", "apps/legacy"]
    assert "  web/nginx      192.168.10.70   web    L2 node-a (eth3)" in lines
    assert "  stage  IPv4    16    14        2          87.5%  data/db" in lines
    assert lines[-1] == (
        "2 clusters, 0 not read completely; 1 pool family above 80% used, 0 announcers not in "
        "the plan, 0 configuration errors"
    )
    code, md, err = status(capsys, site, "--live-dir", live, "--format", "markdown")
    assert (code, err) == (1, "")
    assert "| dc1/stage | stage | IPv4 | 16 | 14 | 2 | 87.5% | data/db |" in md.splitlines()
    assert "| dc1/stage | data/db | 192.168.20.3 | stage | BGP s-1 to tor |" in md.splitlines()
    assert "- **warning** `pool-used` dc1/stage: pool stage: 87.5% of its IPv4 addresses" in md
    again = status(capsys, site, "--live-dir", live, "--format", "markdown")
    assert again == (code, md, "")


def test_usage_errors(tmp_path, capsys):
    site, live = write_fleet(tmp_path, in_sync(), stage_objects())
    code, out, err = status(capsys, site, "--live-dir", live, "--cluster", "dc1/nope")
    assert (code, out) == (2, "")
    assert "no cluster dc1/nope in the site specs (clusters: dc1/prod, dc1/stage)" in err
    code, out, err = status(capsys, site, "--live-dir", live, "--kubeconfig", "kc")
    assert (code, out) == (2, "")
    assert "--live-dir reads dumps, --kubeconfig the API: not both" in err


def kubeconfig(tmp_path: Path, servers: dict[str, str]) -> str:
    data = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": n, "cluster": {"server": url}} for n, url in servers.items()],
        "users": [{"name": "admin", "user": {"token": "t0k3n-for-status-tests"}}],
        "contexts": [{"name": n, "context": {"cluster": n, "user": "admin"}} for n in servers],
        "current-context": next(iter(servers)),
    }
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_api_with_one_cluster_unreachable(tmp_path, capsys):
    """Each cluster through its own context: prod from clusters[].context, stage by its name,
    which points at a port nothing listens on."""
    site = tmp_path / "site.yaml"
    site.write_text(
        FLEET.replace("    - name: prod\n", "    - name: prod\n      context: dc1-prod\n")
    )
    objects = [*in_sync(), *copy.deepcopy(stage_objects()[1:2])]  # a BGP status too
    with Emulator(objects) as api:
        kc = kubeconfig(
            tmp_path, {"dc1-prod": api.url, "stage": f"http://127.0.0.1:{closed_port()}"}
        )
        code, doc = status_json(capsys, str(site), "--kubeconfig", kc, "--timeout", "5")
    assert code == 3
    clusters = {c["cluster"]: c for c in doc["clusters"]}
    assert clusters["dc1/prod"]["readable"] is True
    assert clusters["dc1/prod"]["source"] == f"context dc1-prod ({api.url})"
    # one reason, not one per kind that was not asked for after it
    assert clusters["dc1/stage"]["readable"] is False
    assert clusters["dc1/stage"]["error"].startswith(
        "cannot reach the API server http://127.0.0.1:"
    )
    assert clusters["dc1/stage"]["error"].endswith("(context stage): Connection refused")
    assert [f["rule"] for f in doc["findings"]] == ["unreadable"]
    web = pools(doc)[("dc1/prod", "web")]
    assert (web["assigned"], web["available"]) == (5, 27)
    assert not [p for p in doc["pools"] if p["cluster"] == "dc1/stage"]
    # the ServiceBGPStatus, which reconcile does not read, is read for status
    assert any(p.endswith("/servicebgpstatuses") for p in api.paths())
    assert api.methods() == {"GET"}


def test_api_a_status_kind_forbidden_is_reported_with_the_rest(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    site.write_text(FLEET)
    with Emulator(in_sync()) as api:
        api.fail("/servicel2statuses$", 403, "servicel2statuses is forbidden")
        kc = kubeconfig(tmp_path, {"prod": api.url})
        code, doc = status_json(capsys, str(site), "--kubeconfig", kc, "--cluster", "dc1/prod")
    assert code == 3
    (cluster,) = doc["clusters"]
    assert (cluster["readable"], cluster["unreadable"]) == (False, ["ServiceL2Status"])
    (finding,) = doc["findings"]
    assert finding["message"] == (
        "could not read ServiceL2Status: GET /apis/metallb.io/v1beta1/namespaces/metallb-system/"
        "servicel2statuses: forbidden (403): servicel2statuses is forbidden"
    )
    assert pools(doc)[("dc1/prod", "web")]["assigned"] == 5
    assert services(doc)[("dc1/prod", "web/nginx")]["announcers"] == []
