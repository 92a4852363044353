"""`gitops-lb plan` for big clusters: --node, --pool and --service filters (repeatable, shell
patterns), and the compact table by default above 20 nodes or a terminal's height."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.cli import main


def big_site(racks: dict[str, int]) -> dict[str, Any]:
    """One cluster; rack r1's nodes answer ARP for pool web on eth1, every node speaks BGP for
    pool public to its rack's top-of-rack router."""
    nodes = [
        {
            "name": f"{rack}-n{i:02d}",
            "labels": {"rack": rack},
            "interfaces": [{"name": "eth1", "address": f"10.{j}.0.{i}"}],
        }
        for j, (rack, count) in enumerate(sorted(racks.items()), start=1)
        for i in range(1, count + 1)
    ]
    peers = [
        {
            "name": f"tor-{rack}",
            "myASN": 64512,
            "peerASN": 64600 + j,
            "peerAddress": f"10.{j}.0.254",
            "nodeSelectors": [{"matchLabels": {"rack": rack}}],
        }
        for j, rack in enumerate(sorted(racks), start=1)
    ]
    return {
        "apiVersion": "gitops-lb.io/v1alpha1",
        "kind": "Site",
        "metadata": {"name": "dc1"},
        "spec": {
            "platform": "metallb",
            "bgpMode": "frr",
            "argocd": {"repoURL": "https://git.example.com/lb.git"},
            "clusters": [
                {
                    "name": "big",
                    "server": "https://10.0.0.1:6443",
                    "nodes": nodes,
                    "bgpPeers": peers,
                    "pools": [
                        {
                            "name": "web",
                            "addresses": ["192.168.50.0/27"],
                            "l2": {
                                "nodeSelectors": [{"matchLabels": {"rack": "r1"}}],
                                "interfaces": ["eth1"],
                            },
                        },
                        {"name": "public", "addresses": ["203.0.113.0/28"], "bgp": {}},
                    ],
                    "services": [
                        {"name": "front", "namespace": "shop", "pool": "web"},
                        {"name": "api", "namespace": "shop", "ips": ["203.0.113.5"]},
                    ],
                }
            ],
        },
    }


def write(tmp_path: Path, racks: dict[str, int]) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(big_site(racks), sort_keys=False))
    return str(path)


def plan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def plan_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = plan(capsys, *argv, "--format", "json")
    assert (code, err) == (0, ""), out
    (one,) = json.loads(out)["plans"]
    result: dict[str, Any] = one
    return result


def node_names(doc: dict[str, Any]) -> list[str]:
    return [n["name"] for n in doc["nodes"]]


def test_more_than_20_nodes_print_the_compact_table(tmp_path, capsys):
    site = write(tmp_path, {"r1": 12, "r2": 13})
    code, out, err = plan(capsys, site)
    assert (code, err) == (0, "")
    assert out == (
        "dc1/big: 25 nodes\n"
        "  memberlist: open TCP and UDP 7946 between all 25 nodes\n"
        "  NODES                                   L2 (interfaces)  BGP (peers)\n"
        "  12: r1-n01, r1-n02, r1-n03 and 9 more   web (eth1)       public -> tor-r1\n"
        "  13: r2-n01, r2-n02, r2-n03 and 10 more  -                public -> tor-r2\n"
        "  peer tor-r1: 10.1.0.254 AS64601 (local AS64512) from 12 nodes\n"
        "  peer tor-r2: 10.2.0.254 AS64602 (local AS64512) from 13 nodes\n"
    )


def test_full_prints_every_node(tmp_path, capsys):
    site = write(tmp_path, {"r1": 12, "r2": 13})
    code, out, _ = plan(capsys, site, "--full")
    assert code == 0
    assert out.count("\n  r1-n") == 12 and out.count("\n  r2-n") == 13
    assert "    L2   web: 192.168.50.0/27 on eth1 [L2Advertisement web]\n" in out


def test_a_small_cluster_prints_in_full_and_compact_on_request(tmp_path, capsys):
    site = write(tmp_path, {"r1": 2, "r2": 1})
    code, out, _ = plan(capsys, site)
    assert code == 0 and "  r2-n01 (eth1 10.2.0.1)\n" in out
    code, out, _ = plan(capsys, site, "--compact")
    assert code == 0 and out.startswith("dc1/big: 3 nodes\n")
    assert "  1: r2-n01          -                public -> tor-r2\n" in out


def test_taller_than_the_terminal_is_compact_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    site = write(tmp_path, {"r1": 4, "r2": 4})
    code, out, _ = plan(capsys, site)
    assert code == 0 and "NODES" not in out  # not a terminal: the rule on node count alone
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a: os.terminal_size((100, 10)))
    code, out, _ = plan(capsys, site)
    assert code == 0 and out.startswith("dc1/big: 8 nodes\n") and "NODES" in out
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a: os.terminal_size((100, 200)))
    code, out, _ = plan(capsys, site)
    assert code == 0 and "NODES" not in out


def test_node_filter_is_repeatable_and_takes_patterns(tmp_path, capsys):
    site = write(tmp_path, {"r1": 12, "r2": 13})
    doc = plan_json(capsys, site, "--node", "r2-n1*", "--node", "r1-n01")
    assert node_names(doc) == ["r1-n01", "r2-n10", "r2-n11", "r2-n12", "r2-n13"]
    assert [p["name"] for p in doc["bgpPeers"]] == ["tor-r1", "tor-r2"]
    code, out, _ = plan(capsys, site, "--node", "r2-*")
    assert code == 0 and out.startswith("dc1/big\n")  # 13 nodes left: in full
    assert "NODES" not in out and "  r2-n13 (eth1 10.2.0.13)\n" in out


def test_pool_filter_keeps_the_nodes_that_announce_it(tmp_path, capsys):
    site = write(tmp_path, {"r1": 12, "r2": 13})
    doc = plan_json(capsys, site, "--pool", "web")
    assert node_names(doc) == [f"r1-n{i:02d}" for i in range(1, 13)]
    assert all(n["bgp"] == [] and [e["pool"] for e in n["l2"]] == ["web"] for n in doc["nodes"])
    assert doc["bgpPeers"] == []
    doc = plan_json(capsys, site, "--pool", "pub*", "--node", "r2-n01")
    assert node_names(doc) == ["r2-n01"]
    assert [p["name"] for p in doc["bgpPeers"]] == ["tor-r2"]


def test_service_filter_stands_for_its_pool(tmp_path, capsys):
    site = write(tmp_path, {"r1": 12, "r2": 13})
    assert plan_json(capsys, site, "--service", "shop/front") == plan_json(
        capsys, site, "--pool", "web"
    )
    # no pool named: the pool that holds the address it asks for
    assert plan_json(capsys, site, "--service", "shop/api") == plan_json(
        capsys, site, "--pool", "public"
    )
    doc = plan_json(capsys, site, "--service", "shop/*")
    assert len(doc["nodes"]) == 25


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--node", "r9-*"], "--node 'r9-*' matches no node of the clusters chosen"),
        (["--pool", "db"], "--pool 'db' matches no pool of the clusters chosen"),
        (
            ["--service", "shop/cart"],
            "--service 'shop/cart' matches no Service (NAMESPACE/NAME) of the clusters chosen",
        ),
        (["--full", "--compact"], "argument --compact: not allowed with argument --full"),
    ],
)
def test_usage_errors(tmp_path, capsys, argv, message):
    site = write(tmp_path, {"r1": 2, "r2": 1})
    code, out, err = plan(capsys, site, *argv)
    assert (code, out) == (2, "")
    assert err.endswith(f"gitops-lb: error: {message}\n")
