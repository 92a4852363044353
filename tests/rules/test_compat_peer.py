"""--metallb-compat on BGPPeer corner cases from MetalLB's rules: accepted or rejected?

Each case is a small configuration; `reject` says whether MetalLB refuses it, `rule` which rule
must say so. Warnings (deprecated v1beta1, clear-text password...) never count.
"""

from __future__ import annotations

import pytest

from tests.helpers import errors
from tests.rules._peers import bfd, node, peer, secret

ADDR = ("myASN: 64512", "peerASN: 64513")


def p(*lines: str, version: str = "v1beta2", name: str = "a") -> str:
    return peer(name, *lines, version=version)


def bare(*lines: str, name: str = "a") -> str:
    return peer(name, *lines, base=False)


RACK1 = "nodeSelectors: [{matchLabels: {rack: r1}}]"
RACK2 = "nodeSelectors: [{matchLabels: {rack: r2}}]"

# (case id, manifests, bgp mode, rejected?, rule that must fire when rejected)
CASES: list[tuple[str, str, str | None, bool, str | None]] = [
    # --- durations and timers (MetalLB v0.15.1: the BGPPeer webhook decodes them,
    # internal/k8s/webhooks/webhookv1beta2/bgppeer_webhook.go; parseTimers in
    # internal/config/config.go; connectTime CEL in config/crd/bases/metallb.io_bgppeers.yaml)
    ("plain-peer", p(), None, False, None),
    ("hold-500ms-truncates-to-0", p("holdTime: 500ms"), None, False, None),
    ("hold-2.9s", p("holdTime: 2.9s"), None, True, "peer-timers"),
    ("hold-3s", p("holdTime: 3s"), None, False, None),
    ("hold-0", p("holdTime: '0'"), None, False, None),
    ("hold-1h", p("holdTime: 1h"), None, False, None),
    ("hold-1m30s", p("holdTime: 1m30s"), None, False, None),
    ("hold-negative", p("holdTime: -5s"), None, True, "peer-timers"),
    ("hold-negative-below-1s", p("holdTime: -500ms"), None, True, "peer-timers"),
    ("hold-empty", p("holdTime: ''"), None, True, "peer-timers"),
    ("hold-bare-number", p("holdTime: '10'"), None, True, "peer-timers"),
    ("hold-unknown-unit", p("holdTime: 1d"), None, True, "peer-timers"),
    ("hold-number-not-string", p("holdTime: 10"), None, True, "schema-invalid"),
    ("keepalive-above-hold", p("holdTime: 9s", "keepaliveTime: 10s"), None, True, "peer-timers"),
    ("keepalive-equals-hold", p("holdTime: 9s", "keepaliveTime: 9s"), None, False, None),
    ("only-keepalive-hold-3x", p("keepaliveTime: 1s"), None, False, None),
    ("only-keepalive-hold-2.7s", p("keepaliveTime: 900ms"), None, True, "peer-timers"),
    ("negative-keepalive-hold-ok", p("holdTime: 90s", "keepaliveTime: -1s"), None, False, None),
    ("keepalive-micro-sign", p("holdTime: 3s", "keepaliveTime: 1000000\u00b5s"), None, False, None),
    ("connect-1.5s", p("connectTime: 1.5s"), None, True, "peer-timers"),
    ("connect-0s", p("connectTime: 0s"), None, True, "peer-timers"),
    ("connect-65536s", p("connectTime: 65536s"), None, True, "peer-timers"),
    ("connect-65535s", p("connectTime: 65535s"), None, False, None),
    ("connect-1s", p("connectTime: 1s"), None, False, None),
    ("connect-sub-millisecond", p("connectTime: 10s500us"), None, False, None),
    ("connect-garbage", p("connectTime: soon"), None, True, "peer-timers"),
    # --- v1beta1 conversion (MetalLB api/v1beta1/bgppeer_conversion.go, v0.15.1)
    ("v1beta1-plain", p(version="v1beta1"), None, False, None),
    ("v1beta1-hold-only", p("holdTime: 90s", version="v1beta1"), None, False, None),
    (
        "v1beta1-keepalive-only",
        p("keepaliveTime: 30s", version="v1beta1"),
        None,
        True,
        "peer-timers",
    ),
    ("v1beta1-hold-1s", p("holdTime: 1s", version="v1beta1"), None, True, "peer-timers"),
    ("v1beta1-hold-empty", p("holdTime: ''", version="v1beta1"), None, True, "peer-timers"),
    ("v1beta1-native", p(version="v1beta1"), "native", False, None),
    (
        "v1beta1-no-peer-asn",
        bare("myASN: 1", "peerAddress: 10.0.0.1").replace("v1beta2", "v1beta1"),
        None,
        True,
        "schema-invalid",
    ),
    (
        "v1beta1-no-v1beta2-fields",
        p("vrf: red", version="v1beta1"),
        None,
        True,
        "schema-unknown-field",
    ),
    # --- ASNs (MetalLB internal/config/config.go, v0.15.1)
    ("my-asn-0", bare("myASN: 0", "peerASN: 1", "peerAddress: 10.0.0.1"), None, True, "peer-asn"),
    ("no-peer-asn", bare("myASN: 1", "peerAddress: 10.0.0.1"), None, True, "peer-asn"),
    (
        "dynamic-asn",
        bare("myASN: 1", "dynamicASN: external", "peerAddress: 10.0.0.1"),
        "frr",
        False,
        None,
    ),
    ("dynamic-asn-with-peer-asn", p("dynamicASN: internal"), None, True, "peer-asn"),
    (
        "dynamic-asn-invalid",
        bare("myASN: 1", "dynamicASN: both", "peerAddress: 10.0.0.1"),
        None,
        True,
        "schema-invalid",
    ),
    (
        "ibgp-multihop",
        bare("myASN: 1", "peerASN: 1", "peerAddress: 10.0.0.1", "ebgpMultiHop: true"),
        None,
        True,
        "peer-ebgp-multihop-ibgp",
    ),
    ("ebgp-multihop", p("ebgpMultiHop: true"), None, False, None),
    (
        "dynamic-internal-multihop",
        bare("myASN: 1", "dynamicASN: internal", "peerAddress: 10.0.0.1", "ebgpMultiHop: true"),
        "frr",
        False,
        None,
    ),
    (
        "asn-above-uint32",
        bare("myASN: 4294967296", "peerASN: 1", "peerAddress: 10.0.0.1"),
        None,
        True,
        "schema-invalid",
    ),
    # --- addresses (MetalLB internal/config/config.go, v0.15.1)
    ("peer-address-zone", bare(*ADDR, "peerAddress: fe80::1%eth0"), None, True, "peer-address"),
    ("peer-address-v6", bare(*ADDR, "peerAddress: 'fc00::1'"), None, False, None),
    ("peer-address-mapped", bare(*ADDR, "peerAddress: '::ffff:10.0.0.1'"), None, False, None),
    (
        "peer-address-leading-zero",
        bare(*ADDR, "peerAddress: 10.0.0.01"),
        None,
        True,
        "peer-address",
    ),
    ("no-address-no-interface", bare(*ADDR), None, True, "peer-address"),
    ("interface-only", bare(*ADDR, "interface: eth1"), "frr", False, None),
    ("address-and-interface", p("interface: eth1"), None, True, "peer-address"),
    ("router-id-ipv6", p("routerID: '2001:db8::1'"), None, False, None),
    ("router-id-invalid", p("routerID: 1.2.3"), None, True, "peer-invalid-ip"),
    ("source-address-invalid", p("sourceAddress: 10.0.0.256"), None, True, "peer-invalid-ip"),
    ("source-address-ok", p("sourceAddress: 10.0.0.5"), None, False, None),
    ("peer-port-0-v1beta2", p("peerPort: 0"), None, True, "schema-invalid"),
    ("peer-port-0-v1beta1", p("peerPort: 0", version="v1beta1"), None, False, None),
    # --- passwords (MetalLB internal/config/config.go, v0.15.1)
    ("password-only", p("password: x"), None, False, None),
    ("secret-ok", p("passwordSecret: {name: s}") + secret("s"), None, False, None),
    (
        "password-and-secret",
        p("password: x", "passwordSecret: {name: s}") + secret("s"),
        None,
        True,
        "peer-password-conflict",
    ),
    (
        "secret-wrong-type",
        p("passwordSecret: {name: s}") + secret("s", type_="Opaque"),
        None,
        True,
        "peer-password-secret",
    ),
    ("secret-missing", p("passwordSecret: {name: s}"), None, True, "peer-password-secret"),
    (
        "secret-no-password-key",
        p("passwordSecret: {name: s}") + secret("s", data="u: dQ=="),
        None,
        True,
        "peer-password-secret",
    ),
    (
        "secret-other-namespace",
        p("passwordSecret: {name: s}") + secret("s", namespace="x"),
        None,
        True,
        "peer-password-secret",
    ),
    (
        "secret-ref-without-name",
        p("password: x", "passwordSecret: {namespace: x}"),
        None,
        False,
        None,
    ),
    # --- BFD (MetalLB v0.15.1: internal/config/config.go; native: internal/config/validation.go)
    ("bfd-profile-missing", p("bfdProfile: fast"), "frr", True, "peer-unknown-bfd-profile"),
    ("bfd-profile-ok-frr", p("bfdProfile: fast") + bfd("fast"), "frr", False, None),
    (
        "bfd-profile-native",
        p("bfdProfile: fast") + bfd("fast"),
        "native",
        True,
        "native-frr-only-field",
    ),
    ("bfd-object-native", p() + bfd("fast"), "native", True, "native-bfd-profile"),
    ("bfd-object-no-mode", p() + bfd("fast"), None, False, None),
    # --- native vs FRR fields (DiscardFRROnly, MetalLB internal/config/validation.go, v0.15.1)
    ("native-vrf", p("vrf: red"), "native", True, "native-frr-only-field"),
    ("frr-vrf", p("vrf: red"), "frr", False, None),
    ("native-keepalive-0s", p("keepaliveTime: 0s"), "native", False, None),
    ("native-keepalive-30s", p("keepaliveTime: 30s"), "native", True, "native-frr-only-field"),
    ("native-hold", p("holdTime: 90s"), "native", False, None),
    ("native-connect", p("connectTime: 10s"), "native", True, "native-frr-only-field"),
    (
        "native-graceful-restart",
        p("enableGracefulRestart: true"),
        "native",
        True,
        "native-frr-only-field",
    ),
    ("native-disable-mp", p("disableMP: true"), "native", True, "native-frr-only-field"),
    ("frr-disable-mp", p("disableMP: true"), "frr", False, None),
    (
        "native-dual-stack",
        p("dualStackAddressFamily: true"),
        "native",
        True,
        "native-frr-only-field",
    ),
    (
        "native-dynamic-asn",
        bare("myASN: 1", "dynamicASN: external", "peerAddress: 10.0.0.1"),
        "native",
        True,
        "native-frr-only-field",
    ),
    ("native-interface", bare(*ADDR, "interface: eth1"), "native", True, "native-frr-only-field"),
    ("native-local-asn", p("localASN: 65001"), "native", True, "native-frr-only-field"),
    ("frr-local-asn", p("localASN: 65001"), "frr", False, None),
    ("frr-k8s-local-asn", p("localASN: 65001"), "frr-k8s", False, None),
    ("frr-local-asn@v0.15", p("localASN: 65001"), "frr", True, "field-unsupported-version"),
    # --- FRR peers compared with each other (DiscardNativeOnly, MetalLB
    # internal/config/validation.go): cluster-wide at v0.15.1, node by node from v0.16.0
    # (the cases run at the release in AT; their v0.15.1 sides follow them, ending "@v0.15")
    (
        "frr-router-id-no-nodes",
        p("routerID: 10.9.0.1")
        + peer("b", "peerAddress: 10.0.0.2", *ADDR, "routerID: 10.9.0.2", base=False),
        "frr",
        True,
        "frr-peer-router-id",
    ),
    (
        "native-router-id-differs",
        p("routerID: 10.9.0.1")
        + peer("b", "peerAddress: 10.0.0.2", *ADDR, "routerID: 10.9.0.2", base=False),
        "native",
        False,
        None,
    ),
    (
        "frr-router-id-disjoint-nodes",
        p("routerID: 10.9.0.1", RACK1)
        + peer("b", "peerAddress: 10.0.0.2", *ADDR, "routerID: 10.9.0.2", RACK2, base=False)
        + node("n1", rack="r1")
        + node("n2", rack="r2"),
        "frr",
        False,
        None,
    ),
    (
        "frr-router-id-disjoint-nodes@v0.15",
        p("routerID: 10.9.0.1", RACK1)
        + peer("b", "peerAddress: 10.0.0.2", *ADDR, "routerID: 10.9.0.2", RACK2, base=False)
        + node("n1", rack="r1")
        + node("n2", rack="r2"),
        "frr",
        True,
        "frr-peer-router-id",
    ),
    (
        "frr-router-id-shared-node",
        p("routerID: 10.9.0.1", RACK1)
        + peer("b", "peerAddress: 10.0.0.2", *ADDR, "routerID: 10.9.0.2", base=False)
        + node("n1", rack="r1"),
        "frr-k8s",
        True,
        "frr-peer-router-id",
    ),
    (
        "frr-router-id-selectors-no-nodes",
        p("routerID: 10.9.0.1", RACK1)
        + peer("b", "peerAddress: 10.0.0.2", *ADDR, "routerID: 10.9.0.2", RACK2, base=False),
        "frr",
        True,
        "frr-peer-router-id",
    ),
    ("frr-duplicate-address", p() + p(name="b"), "frr", True, "frr-peer-duplicate"),
    (
        "frr-duplicate-disjoint-nodes",
        p(RACK1) + p(RACK2, name="b") + node("n1", rack="r1") + node("n2", rack="r2"),
        "frr",
        False,
        None,
    ),
    (
        "frr-duplicate-disjoint-nodes@v0.15",
        p(RACK1) + p(RACK2, name="b") + node("n1", rack="r1") + node("n2", rack="r2"),
        "frr",
        True,
        "frr-peer-duplicate",
    ),
    ("frr-duplicate-other-vrf", p() + p("vrf: red", name="b"), "frr", False, None),
    (
        "frr-duplicate-same-vrf",
        p("vrf: red") + p("vrf: red", name="b"),
        "frr",
        True,
        "frr-peer-duplicate",
    ),
    (
        "frr-duplicate-vrf-suffix-collision",
        bare(*ADDR, "interface: eth0-red")
        + peer("b", *ADDR, "interface: eth0", "vrf: red", base=False),
        "frr",
        True,
        "frr-peer-duplicate",
    ),
    (
        "frr-duplicate-vrf-suffix-collision@v0.15",
        bare(*ADDR, "interface: eth0-red")
        + peer("b", *ADDR, "interface: eth0", "vrf: red", base=False),
        "frr",
        False,
        None,
    ),
    ("native-duplicate-address", p() + p(name="b"), "native", False, None),
    (
        "frr-my-asn-differs",
        p() + peer("b", "myASN: 64600", "peerASN: 1", "peerAddress: 10.0.0.2", base=False),
        "frr",
        True,
        "frr-peer-my-asn",
    ),
    (
        "frr-my-asn-other-vrf",
        p()
        + peer("b", "myASN: 64600", "peerASN: 1", "peerAddress: 10.0.0.2", "vrf: red", base=False),
        "frr",
        False,
        None,
    ),
]


# the release a case comes from when it is not gitops-lb's default (v0.15.1)
AT = {
    "native-local-asn": "v0.16.0",
    "frr-local-asn": "v0.16.0",
    "frr-k8s-local-asn": "v0.16.0",
    "frr-router-id-disjoint-nodes": "v0.16.0",
    "frr-duplicate-disjoint-nodes": "v0.16.0",
    "frr-duplicate-vrf-suffix-collision": "v0.16.0",
}


@pytest.mark.parametrize(
    ("text", "mode", "reject", "rule", "version"),
    [
        pytest.param(text, mode, reject, rule, AT.get(case), id=case)
        for case, text, mode, reject, rule in CASES
    ],
)
def test_metallb_compat(
    text: str, mode: str | None, reject: bool, rule: str | None, version: str | None
) -> None:
    found = errors(text, bgp_mode=mode, compat=True, version=version)
    assert bool(found) == reject, found
    if rule is not None:
        assert rule in found
