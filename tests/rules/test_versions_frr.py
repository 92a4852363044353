"""The FRR peer rules follow the target release: cluster-wide up to v0.15.3, node by node from
v0.16.0, and the duplicate key and the myASN grouping of the releases before v0.13.8.

Both sides of each boundary, through lint (--metallb-version) and through a site spec
(spec.metallb.version). MetalLB's internal/config/validation.go at each tag is the reference.
"""

from __future__ import annotations

import pytest

from gitops_lb.cli import main
from tests.helpers import hits, lint
from tests.rules._peers import node, peer
from tests.site.helpers import check, line_of, site

ADDR = ("myASN: 64512", "peerASN: 64513")
RACK1 = "nodeSelectors: [{matchLabels: {rack: r1}}]"
RACK2 = "nodeSelectors: [{matchLabels: {rack: r2}}]"
NODES = node("n1", rack="r1") + node("n2", rack="r2")

# same address, disjoint nodes: the case (ACP's v0.15.1 refuses it)
DUPLICATE = peer("a", RACK1) + peer("b", RACK2) + NODES
# different routerIDs on different nodes
ROUTER_IDS = (
    peer("a", "routerID: 10.9.0.1", RACK1)
    + peer("b", *ADDR, "peerAddress: 10.0.0.2", "routerID: 10.9.0.2", RACK2, base=False)
    + NODES
)
# different myASNs on different nodes, same VRF
MY_ASNS = (
    peer("a", RACK1)
    + peer("b", "myASN: 64600", "peerASN: 1", "peerAddress: 10.0.0.2", RACK2, base=False)
    + NODES
)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (DUPLICATE, "frr-peer-duplicate"),
        (ROUTER_IDS, "frr-peer-router-id"),
        (MY_ASNS, "frr-peer-my-asn"),
    ],
)
@pytest.mark.parametrize("mode", ["frr", "frr-k8s"])
def test_disjoint_node_selectors_help_from_v0_16_0_only(text, rule, mode):
    for version in ("v0.14.0", "v0.15.1", "v0.15.3"):
        assert hits(text, rule, bgp_mode=mode, version=version) != [], version
    for version in ("v0.16.0", "v0.16.1"):
        assert hits(text, rule, bgp_mode=mode, version=version) == [], version


def test_cluster_wide_messages_say_why_node_selectors_do_not_help():
    (d,) = [x for x in lint(DUPLICATE, bgp_mode="frr") if x.rule == "frr-peer-duplicate"]
    assert d.message == (
        "BGPPeer 'b' peers with 10.0.0.1 like BGPPeer 'a'; FRR mode allows one BGPPeer per "
        "neighbor in the cluster (MetalLB v0.15.1 compares all BGPPeers whatever their "
        "nodeSelectors; v0.16.0 and later only those sharing a node)"
    )
    (d,) = [x for x in lint(ROUTER_IDS, bgp_mode="frr") if x.rule == "frr-peer-router-id"]
    assert "all BGPPeers of the cluster must have the same routerID (MetalLB v0.15.1" in d.message
    (d,) = [x for x in lint(MY_ASNS, bgp_mode="frr") if x.rule == "frr-peer-my-asn"]
    assert "in the default VRF; in FRR mode the peers of the cluster need one myASN" in d.message


def test_node_aware_messages_are_unchanged_from_v0_16_0():
    shared = peer("a", RACK1) + peer("b") + node("n1", rack="r1")
    found = lint(shared, bgp_mode="frr", version="v0.16.0")
    (d,) = [x for x in found if x.rule == "frr-peer-duplicate"]
    assert d.message == (
        "BGPPeer 'b' peers with 10.0.0.1 like BGPPeer 'a' on a common node; FRR mode allows "
        "one BGPPeer per neighbor on a node"
    )


def test_the_default_vrf_suffix_makes_two_unnumbered_peers_differ_before_v0_16_0():
    # keyed "eth0-red-" and "eth0-red" up to v0.15.3, both "eth0-red" from v0.16.0
    text = peer("a", *ADDR, "interface: eth0-red", base=False) + peer(
        "b", *ADDR, "interface: eth0", "vrf: red", base=False
    )
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.15.3") == []
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.16.0") == [16]
    # and the other way round: "eth0-red-" twice up to v0.15.3 only
    text = peer("a", *ADDR, "interface: eth0-red", base=False) + peer(
        "b", *ADDR, "interface: eth0", "vrf: red-", base=False
    )
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.15.3") == [16]
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.16.0") == []


def test_peers_differ_by_vrf_from_v0_13_8():
    text = peer("a") + peer("b", "vrf: red")
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.13.8") == []
    # v0.13.7 has no vrf field: the API server drops it, and the two peers are one neighbor
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.13.7") == [16]


def test_my_asn_is_per_vrf_from_v0_13_8():
    text = peer("a") + peer(
        "b", "myASN: 64600", "peerASN: 1", "peerAddress: 10.0.0.2", "vrf: red", base=False
    )
    assert hits(text, "frr-peer-my-asn", bgp_mode="frr", version="v0.13.8") == []
    assert hits(text, "frr-peer-my-asn", bgp_mode="frr", version="v0.13.7") == [14]
    (d,) = [x for x in lint(text, bgp_mode="frr", version="v0.13.7") if x.rule == "frr-peer-my-asn"]
    assert "MetalLB v0.13.7 in FRR mode needs one myASN for all BGPPeers" in d.message


def test_lint_follows_the_option(tmp_path, capsys):
    f = tmp_path / "peers.yaml"
    f.write_text(DUPLICATE)
    assert main(["lint", str(f), "--bgp-mode", "frr"]) == 1  # default v0.15.1
    assert "[frr-peer-duplicate]" in capsys.readouterr().out
    assert main(["lint", str(f), "--bgp-mode", "frr", "--metallb-version", "0.16.0"]) == 0


SITE = """\
bgpMode: frr
metallb: {{version: {version}}}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - {{name: n1, labels: {{rack: r1}}}}
      - {{name: n2, labels: {{rack: r2}}}}
    pools:
      - {{name: edge, addresses: [203.0.113.0/28], bgp: {{}}}}
    bgpPeers:
      - {{name: r1, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1,
         nodeSelectors: [{{matchLabels: {{rack: r1}}}}]}}
      - {{name: r2, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1,
         nodeSelectors: [{{matchLabels: {{rack: r2}}}}]}}
"""


def test_a_site_spec_follows_its_metallb_version():
    old = site(SITE.format(version="v0.15.1"))
    found = [d for d in check(old) if d.rule == "frr-peer-duplicate"]
    assert [d.location.line for d in found] == [line_of(old, "name: r2")]
    new = site(SITE.format(version="v0.16.0"))
    assert [d for d in check(new) if d.rule == "frr-peer-duplicate"] == []


def test_unnumbered_peers_are_keyed_by_interface_from_v0_15_0():
    text = peer("a", *ADDR, "interface: eth0", base=False) + peer(
        "b", *ADDR, "interface: eth1", base=False
    )
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version="v0.15.0") == []
    # v0.14.9 drops `interface`: two peers without an address, the same neighbor to FRR
    found = {d.rule for d in lint(text, bgp_mode="frr", version="v0.14.9")}
    assert {"field-unsupported-version", "peer-address", "frr-peer-duplicate"} <= found
