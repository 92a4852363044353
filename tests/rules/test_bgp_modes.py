"""Mode-specific BGPPeer rules: native restrictions and FRR's per-node peer rules.

The FRR peer rules look at the nodes peers share from MetalLB v0.16.0 (NODE_AWARE); the
cluster-wide rules of the releases before are tested in test_versions_frr.py.
"""

from tests.helpers import hits, lint
from tests.rules._peers import bfd, node, peer

ADDR = ("myASN: 1", "peerASN: 2")
NODE_AWARE = "v0.16.0"

FRR_ONLY = (
    "bfdProfile: fast",
    "keepaliveTime: 30s",
    "vrf: red",
    "connectTime: 10s",
    "enableGracefulRestart: true",
    "disableMP: true",
    "dualStackAddressFamily: true",
    "localASN: 65001",
)


def test_native_reports_each_frr_only_field():
    text = peer("a", *FRR_ONLY) + bfd("fast")
    found = hits(text, "native-frr-only-field", bgp_mode="native", version="v0.16.0")  # localASN
    assert found == list(range(9, 17))


def test_native_dynamic_asn_and_interface():
    text = peer("a", "myASN: 1", "dynamicASN: external", "interface: eth1", base=False)
    assert hits(text, "native-frr-only-field", bgp_mode="native") == [7, 8]


def test_native_allows_hold_time_zero_keepalive_and_false_flags():
    text = peer(
        "a",
        "holdTime: 90s",
        "keepaliveTime: 0s",
        "disableMP: false",
        "dualStackAddressFamily: false",
        "enableGracefulRestart: false",
    )
    assert hits(text, "native-frr-only-field", bgp_mode="native") == []
    assert hits(peer("b", version="v1beta1"), "native-frr-only-field", bgp_mode="native") == []


def test_frr_only_fields_are_fine_in_frr_modes_and_without_mode():
    text = peer("a", *FRR_ONLY) + bfd("fast")
    for mode in ("frr", "frr-k8s", None):
        assert hits(text, "native-frr-only-field", bgp_mode=mode, version="v0.16.0") == []


def test_native_bfd_profile_object():
    assert hits(peer("a") + bfd("fast"), "native-bfd-profile", bgp_mode="native") == [11]
    assert hits(peer("a") + bfd("fast"), "native-bfd-profile", bgp_mode="frr") == []
    assert hits(peer("a"), "native-bfd-profile", bgp_mode="native") == []


def test_frr_router_id_mismatch_without_nodes():
    text = peer("a", "routerID: 10.0.0.100") + peer("b", "routerID: 10.0.0.200")
    # b's routerID is line 9 of the second document (9 lines in the first)
    assert hits(text, "frr-peer-router-id", bgp_mode="frr", version=NODE_AWARE) == [18]
    d = next(
        x for x in lint(text, bgp_mode="frr", version=NODE_AWARE) if x.rule == "frr-peer-router-id"
    )
    assert "no Nodes given" in d.message and [r.location.line for r in d.related] == [9]


def test_frr_router_id_unset_differs_from_set():
    text = peer("a", "routerID: 10.0.0.100") + peer("b")
    assert hits(text, "frr-peer-router-id", bgp_mode="frr-k8s") == [14]  # b's spec key


def test_frr_router_id_with_nodes():
    sel_a = "nodeSelectors: [{matchLabels: {rack: r1}}]"
    sel_b = "nodeSelectors: [{matchLabels: {tier: edge}}]"
    text = peer("a", "routerID: 10.0.0.100", sel_a) + peer("b", "routerID: 10.0.0.200", sel_b)
    # b's routerID: first document 10 lines, then line 9 of the second
    disjoint = text + node("n1", rack="r1") + node("n2", tier="edge")
    assert hits(disjoint, "frr-peer-router-id", bgp_mode="frr", version=NODE_AWARE) == []
    shared = disjoint + node("n3", rack="r1", tier="edge")
    assert hits(shared, "frr-peer-router-id", bgp_mode="frr", version=NODE_AWARE) == [19]
    d = next(
        x
        for x in lint(shared, bgp_mode="frr", version=NODE_AWARE)
        if x.rule == "frr-peer-router-id"
    )
    assert "no Nodes given" not in d.message
    everyone = peer("a", "routerID: 10.0.0.100", sel_a) + peer("b", "routerID: 10.0.0.200")
    assert hits(
        everyone + node("n1", rack="r1"), "frr-peer-router-id", bgp_mode="frr", version=NODE_AWARE
    ) == [19]
    assert (
        hits(
            everyone + node("n9", rack="r9"),
            "frr-peer-router-id",
            bgp_mode="frr",
            version=NODE_AWARE,
        )
        == []
    )


def test_frr_router_id_same_everywhere_ok():
    text = peer("a", "routerID: 10.0.0.100") + peer("b", "routerID: 10.0.0.100", "vrf: red")
    assert hits(text, "frr-peer-router-id", bgp_mode="frr") == []


def test_frr_duplicate_peer_address():
    text = peer("a") + peer("b")
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr") == [16]
    assert hits(text, "frr-peer-duplicate", bgp_mode=None) == []


def test_frr_duplicate_uses_vrf_suffix():
    text = peer("a") + peer("b", "vrf: red")
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr") == []
    # MetalLB v0.16.0 keys neighbors as "<address or interface>-<vrf>": these two collide
    unnumbered = peer("a", "myASN: 1", "peerASN: 2", "interface: eth0-red", base=False) + peer(
        "b", "myASN: 1", "peerASN: 2", "interface: eth0", "vrf: red", base=False
    )
    assert hits(unnumbered, "frr-peer-duplicate", bgp_mode="frr", version=NODE_AWARE) == [16]


def test_frr_duplicate_separated_by_nodes():
    text = peer("a", "nodeSelectors: [{matchLabels: {rack: r1}}]") + peer(
        "b", "nodeSelectors: [{matchLabels: {rack: r2}}]"
    )
    assert hits(text, "frr-peer-duplicate", bgp_mode="frr", version=NODE_AWARE) == [
        17
    ]  # no Nodes: shared
    nodes = node("n1", rack="r1") + node("n2", rack="r2")
    assert hits(text + nodes, "frr-peer-duplicate", bgp_mode="frr", version=NODE_AWARE) == []


def test_frr_my_asn_per_vrf():
    text = peer("a") + peer("b", "myASN: 64600", "peerASN: 1", "peerAddress: 10.0.0.2", base=False)
    assert hits(text, "frr-peer-my-asn", bgp_mode="frr") == [14]
    other_vrf = peer("a") + peer(
        "b", "myASN: 64600", "peerASN: 1", "peerAddress: 10.0.0.2", "vrf: red", base=False
    )
    assert hits(other_vrf, "frr-peer-my-asn", bgp_mode="frr") == []


def test_frr_conflicts_reported_once_per_peer():
    text = "".join(
        peer(name, *ADDR, f"peerAddress: 10.1.0.{i}", f"routerID: 10.0.0.{i}", base=False)
        for i, name in enumerate(("a", "b", "c"), start=1)
    )
    found = [d for d in lint(text, bgp_mode="frr") if d.rule == "frr-peer-router-id"]
    # each later peer once, compared with the first one
    assert [(d.object, d.related[0].location.line) for d in found] == [
        ("BGPPeer/metallb-system/b", 9),
        ("BGPPeer/metallb-system/c", 9),
    ]
