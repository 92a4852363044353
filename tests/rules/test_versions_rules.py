"""Rules that start with a release, or check differently from one: both sides of each boundary.

The boundaries are MetalLB's (its source at each release tag); each test names the release
before and the first one with the new behaviour.
"""

from __future__ import annotations

import pytest

from gitops_lb.cli import main
from gitops_lb.rules import all_rules
from tests.builders import bgpadv, community, l2adv, line_of, node, obj, peer
from tests.helpers import errors, hits, lint, pool
from tests.rules.svc import IPS, OLD_IPS, OLD_POOL, POOL, SHARE, l2, svc
from tests.site.helpers import check, site

PEER = "myASN: 1, peerASN: 2, peerAddress: 10.9.0.1"
ECHO = obj("BFDProfile", "e", "{echoMode: true}") + peer("r", f"{{{PEER}, bfdProfile: e}}")


def rules(text: str, version: str, mode: str | None = None) -> set[str]:
    return {d.rule for d in lint(text, bgp_mode=mode, version=version)}


def message(text: str, rule: str, version: str, mode: str | None = None) -> str:
    (d,) = [d for d in lint(text, bgp_mode=mode, version=version) if d.rule == rule]
    return d.message


@pytest.mark.parametrize(
    ("rule", "since"),
    [
        ("bfd-echo-ipv6", "v0.13.10"),
        ("native-large-community", "v0.13.10"),
        ("bgpadv-localpref-conflict", "v0.13.10"),
        ("peer-disable-mp", "v0.15.0"),
        ("peer-deprecated-version", "v0.14.9"),
        ("peer-local-asn-ignored", "v0.16.0"),
        ("bgpadv-aggregation-selectors", "v0.16.0"),
        ("l2-shared-ip-service-selectors", "v0.16.0"),
        ("service-deprecated-annotation", "v0.14.9"),
        ("service-annotation-prefix-conflict", "v0.14.9"),
    ],
)
def test_rules_that_start_with_a_release(rule, since):
    r = all_rules()[rule]
    assert r.applies.versions.since is not None and str(r.applies.versions.since) == since
    assert r.applies.versions.until is None


def test_bfd_echo_with_ipv6_from_v0_13_10():
    text = pool("p", "fc00::/64") + ECHO + bgpadv("b")
    assert hits(text, "bfd-echo-ipv6", bgp_mode="frr", version="v0.13.9") == []
    assert hits(text, "bfd-echo-ipv6", bgp_mode="frr", version="v0.13.10") != []


def test_large_communities_from_v0_13_10():
    text = pool("p", "10.0.0.0/24") + bgpadv("b", "{communities: ['large:1:2:3']}")
    text += community("c", ("x", "large:4:5:6"))
    lines = [line_of(text, "large:1:2:3"), line_of(text, "large:4:5:6")]
    # v0.13.9 knows standard communities only: invalid in every mode
    assert hits(text, "community-invalid", bgp_mode="frr", version="v0.13.9") == lines
    assert hits(text, "community-invalid", bgp_mode="frr", version="v0.13.10") == []
    assert "the only kind MetalLB v0.13.9 knows (large communities need v0.13.10" in message(
        text.split("---\napiVersion: metallb.io/v1beta1\nkind: Community")[0],
        "community-invalid",
        "v0.13.9",
    )
    # native mode refuses them once they exist, and only then
    assert hits(text, "native-large-community", bgp_mode="native", version="v0.13.9") == []
    assert hits(text, "native-large-community", bgp_mode="native", version="v0.13.10") == lines
    # standard ones are fine everywhere
    ok = pool("p", "10.0.0.0/24") + bgpadv("b", "{communities: ['65000:1']}")
    assert hits(ok, "community-invalid", version="v0.13.0") == []


N1 = node("n1")
P = pool("p", "10.0.0.0/24")


def test_localpref_conflicts_from_v0_13_10():
    text = P + N1 + bgpadv("a", "{localPref: 100}") + bgpadv("b", "{localPref: 200}")
    assert hits(text, "bgpadv-localpref-conflict", version="v0.13.9") == []
    assert hits(text, "bgpadv-localpref-conflict", version="v0.13.10") != []


def test_localpref_aggregation_per_family_from_v0_15_0():
    # an IPv4-only pool: a different aggregationLength sets the two apart from v0.15.0;
    # before, aggregationLengthV6 had to differ too
    text = P + N1 + bgpadv("a", "{localPref: 100}")
    text += bgpadv("b", "{localPref: 200, aggregationLength: 24}")
    assert hits(text, "bgpadv-localpref-conflict", version="v0.14.9") != []
    assert hits(text, "bgpadv-localpref-conflict", version="v0.15.0") == []
    both = P + N1 + bgpadv("a", "{localPref: 100}")
    both += bgpadv("b", "{localPref: 200, aggregationLength: 24, aggregationLengthV6: 64}")
    assert hits(both, "bgpadv-localpref-conflict", version="v0.14.9") == []


def test_localpref_service_selectors_exemption_from_v0_16_0():
    text = P + N1 + bgpadv("a", "{localPref: 100}")
    text += bgpadv("b", "{localPref: 200, serviceSelectors: [{}]}")
    assert hits(text, "bgpadv-localpref-conflict", version="v0.16.0") == []
    # v0.15.3 drops the field: the two advertisements conflict
    found = rules(text, "v0.15.3")
    assert {"field-unsupported-version", "bgpadv-localpref-conflict"} <= found


def test_aggregation_with_service_selectors_from_v0_16_0():
    text = P + bgpadv("b", "{aggregationLength: 24, serviceSelectors: [{}]}")
    assert hits(text, "bgpadv-aggregation-selectors", version="v0.16.0") != []
    assert rules(text, "v0.15.3") & {"bgpadv-aggregation-selectors"} == set()
    assert "field-unsupported-version" in rules(text, "v0.15.3")


def test_disable_mp_works_up_to_v0_14_9():
    text = peer("a", f"{{{PEER}, disableMP: true}}")
    assert hits(text, "peer-disable-mp", version="v0.14.9") == []
    assert hits(text, "peer-disable-mp", version="v0.15.0") != []
    assert "has no effect" in message(text, "peer-disable-mp", "v0.15.2", "frr-k8s")
    assert "FRR-K8s applies it (from MetalLB v0.15.3)" in message(
        text, "peer-disable-mp", "v0.15.3", "frr-k8s"
    )
    assert "has no effect" in message(text, "peer-disable-mp", "v0.15.3", "frr")


def test_v1beta1_peers_deprecated_from_v0_14_9():
    text = obj("BGPPeer", "a", f"{{{PEER}}}", api="metallb.io/v1beta1")
    assert hits(text, "peer-deprecated-version", version="v0.14.8") == []
    assert hits(text, "peer-deprecated-version", version="v0.14.9") == [2]


def test_local_asn_ignored_from_v0_16_0():
    text = peer("a", f"{{{PEER}, localASN: 65001}}")
    assert hits(text, "peer-local-asn-ignored", bgp_mode="frr-k8s", version="v0.16.0") != []
    found = rules(text, "v0.15.3", "frr-k8s")
    assert "peer-local-asn-ignored" not in found and "field-unsupported-version" in found


def test_timers_before_v0_14_9_default_the_hold_time():
    # keepalive alone: longer than the default 90 s hold up to v0.14.8; hold = 3 x 100 s after
    alone = peer("a", f"{{{PEER}, keepaliveTime: 100s}}")
    assert hits(alone, "peer-timers", version="v0.14.9") == []
    assert hits(alone, "peer-timers", version="v0.14.8") == [line_of(alone, "keepaliveTime")]
    assert message(alone, "peer-timers", "v0.14.8") == (
        "keepaliveTime '100s' of BGPPeer 'a' is longer than the hold time of 1m30s that MetalLB "
        "v0.14.8 uses when holdTime is absent or zero; the keepalive must not exceed the hold "
        "time"
    )
    # a zero hold time is the default up to v0.14.8, a hold time of 0 after
    zero = peer("a", f"{{{PEER}, holdTime: 0s, keepaliveTime: 30s}}")
    assert hits(zero, "peer-timers", version="v0.14.8") == []
    assert hits(zero, "peer-timers", version="v0.14.9") == [line_of(zero, "keepaliveTime")]
    # a v1beta1 peer's absent timers become 0s: the defaults up to v0.14.8
    old = obj("BGPPeer", "a", f"{{{PEER}, keepaliveTime: 30s}}", api="metallb.io/v1beta1")
    assert hits(old, "peer-timers", version="v0.14.8") == []
    assert hits(old, "peer-timers", version="v0.14.9") != []
    # what both read alike
    bad = peer("a", f"{{{PEER}, holdTime: 2s}}")
    assert hits(bad, "peer-timers", version="v0.13.0") == hits(bad, "peer-timers") != []


def test_peer_address_before_unnumbered_peering():
    text = peer("a", "{myASN: 1, peerASN: 2}")
    assert message(text, "peer-address", "v0.14.9") == (
        "BGPPeer 'a' has no peerAddress; MetalLB v0.14.9 needs the neighbor's address"
    )
    assert message(text, "peer-address", "v0.15.0") == (
        "BGPPeer 'a' has neither peerAddress nor interface; set one of them"
    )


def test_peer_asn_before_dynamic_asn():
    text = peer("a", "{myASN: 1, peerAddress: 10.9.0.1}")
    assert message(text, "peer-asn", "v0.14.8") == (
        "BGPPeer 'a' has no peerASN (or 0); MetalLB v0.14.8 needs the neighbor's AS number"
    )
    assert message(text, "peer-asn", "v0.14.9") == (
        "BGPPeer 'a' sets neither peerASN nor dynamicASN; set one of them"
    )


def test_native_ipv6_pools_refused_with_any_bgp_advertisement_before_v0_14_9():
    text = pool("v6", "fc00::/64") + P + bgpadv("b", "{ipAddressPools: [p]}")
    assert hits(text, "native-ipv6-bgp-pool", bgp_mode="native", version="v0.14.9") == []
    assert hits(text, "native-ipv6-bgp-pool", bgp_mode="native", version="v0.14.8") == [
        line_of(text, "fc00::/64")
    ]
    assert "refuses IPv6 pools as soon as any BGPAdvertisement exists" in message(
        text, "native-ipv6-bgp-pool", "v0.14.8", "native"
    )
    # an IPv6 pool and no BGPAdvertisement: fine in every release
    assert hits(pool("v6", "fc00::/64"), "native-ipv6-bgp-pool", bgp_mode="native") == []
    assert (
        hits(pool("v6", "fc00::/64") + l2adv("l"), "native-ipv6-bgp-pool", version="v0.13.0") == []
    )


def test_line_breaks_are_enforced_by_no_release():
    text = peer("a", f'{{{PEER}, password: "pw\\n"}}')
    for version in ("v0.13.0", "v0.15.1", "v0.16.1"):
        assert errors(text, version=version) == ["peer-line-break"]
        assert errors(text, version=version, compat=True) == []


def test_shared_ip_with_l2_service_selectors_from_v0_16_0():
    ads = l2("sel", "  ipAddressPools: [web]\n  serviceSelectors:\n  - matchLabels: {app: x}\n")
    text = pool("web", "10.0.0.0/24") + ads + svc("a", labels="{app: x}", ann={SHARE: "k"})
    assert hits(text, "l2-shared-ip-service-selectors", version="v0.16.0") != []
    found = rules(text, "v0.15.3")
    assert "l2-shared-ip-service-selectors" not in found
    assert "field-unsupported-version" in found
    for version in ("v0.16.0", "v0.16.1"):
        assert "l2-shared-ip-service-selectors" not in errors(text, version=version, compat=True)


# --- Service annotations: metallb.io/ from v0.14.9 ---------------------------------------------

WEB = pool("web", "10.0.0.0/24") + pool("db", "10.0.1.0/24") + l2("all")


def test_metallb_io_keys_are_ignored_before_v0_14_9():
    text = WEB + svc("a", ann={POOL: "web"})
    assert hits(text, "service-unknown-annotation", version="v0.14.9") == []
    assert hits(text, "service-unknown-annotation", version="v0.14.8") == [line_of(text, POOL)]
    assert message(text, "service-unknown-annotation", "v0.14.8") == (
        "Service web/a: annotation 'metallb.io/address-pool' is not read by MetalLB v0.14.8 (the "
        "metallb.io/ prefix needs v0.14.9 or later), so it has no effect; did you mean "
        "'metallb.universe.tf/address-pool'?"
    )
    # a misspelt key gets the old prefix's key as its hint there
    typo = WEB + svc("a", ann={"metallb.io/loadBalancerIP": "10.0.0.5"})
    assert "did you mean 'metallb.universe.tf/loadBalancerIPs'?" in message(
        typo, "service-unknown-annotation", "v0.14.8"
    )
    assert "did you mean 'metallb.io/loadBalancerIPs'?" in message(
        typo, "service-unknown-annotation", "v0.14.9"
    )


def test_what_an_ignored_key_asks_for_is_not_checked_before_v0_14_9():
    text = WEB + svc("a", ann={IPS: "192.168.9.9"})  # outside every pool
    assert hits(text, "service-ip-outside-pool", version="v0.14.9") == [line_of(text, IPS)]
    assert hits(text, "service-ip-outside-pool", version="v0.14.8") == []
    old = WEB + svc("a", ann={OLD_IPS: "192.168.9.9"})
    assert hits(old, "service-ip-outside-pool", version="v0.14.8") == [line_of(old, OLD_IPS)]


def test_the_old_prefix_is_deprecated_from_v0_14_9():
    text = WEB + svc("a", ann={OLD_POOL: "web"})
    assert hits(text, "service-deprecated-annotation", version="v0.14.8") == []
    assert hits(text, "service-deprecated-annotation", version="v0.14.9") == [
        line_of(text, OLD_POOL)
    ]
    assert hits(text, "service-unknown-annotation", version="v0.14.8") == []


def test_prefix_conflicts_from_v0_14_9():
    text = WEB + svc("a", ann={POOL: "web", OLD_POOL: "db"})
    assert hits(text, "service-annotation-prefix-conflict", version="v0.14.9") == [
        line_of(text, OLD_POOL)
    ]
    found = rules(text, "v0.14.8")
    assert "service-annotation-prefix-conflict" not in found
    assert "service-unknown-annotation" in found  # the metallb.io/ key is the ignored one


def test_pool_annotation_and_requested_ips_agree_from_v0_13_10():
    text = WEB + svc("a", ann={OLD_IPS: "10.0.1.7", OLD_POOL: "web"})
    assert hits(text, "service-ip-outside-pool", version="v0.13.10") == [line_of(text, OLD_IPS)]
    assert hits(text, "service-ip-outside-pool", version="v0.13.9") == []


SITE = """metallb: {{version: {version}}}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - {{name: n1, interfaces: [{{name: eth0}}]}}
    pools:
      - {{name: web, addresses: [192.168.10.64/27], l2: {{}}}}
    services:
      - {{name: nginx, namespace: web, pool: web, ips: [192.168.10.70], ports: [{{port: 80}}]}}
"""


@pytest.mark.parametrize("version", ["v0.14.8", "v0.14.9"])
def test_a_site_spec_writes_the_prefix_its_release_reads(version):
    found = check(site(SITE.format(version=version)))
    assert [d for d in found if str(d.severity) == "error"] == []


# --- BGP modes, the legacy AddressPool, node addresses in pools --------------------------------


def test_frr_k8s_mode_from_v0_14_0_on_the_command_line(tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text(P + l2("all"))
    assert main(["lint", str(f), "--bgp-mode", "frr-k8s", "--metallb-version", "v0.13.12"]) == 2
    assert (
        "--bgp-mode frr-k8s needs MetalLB v0.14.0 or later; the target is v0.13.12"
        in capsys.readouterr().err
    )
    assert main(["lint", str(f), "--bgp-mode", "frr-k8s", "--metallb-version", "v0.14.0"]) == 0
    assert main(["lint", str(f), "--bgp-mode", "frr", "--metallb-version", "v0.13.12"]) == 0


def test_frr_mode_deprecated_from_v0_16_0_on_the_command_line(tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text(P + l2("all"))
    assert main(["lint", str(f), "--bgp-mode", "frr", "--metallb-version", "v0.15.3"]) == 0
    assert "deprecated" not in capsys.readouterr().err
    assert main(["lint", str(f), "--bgp-mode", "frr", "--metallb-version", "v0.16.0"]) == 0
    assert (
        "note: FRR mode is deprecated since MetalLB v0.16.0 (the target is v0.16.0); plan the "
        "move to --bgp-mode frr-k8s" in capsys.readouterr().err
    )


MODE_SITE = (
    "bgpMode: {mode}\nmetallb: {{version: {version}}}\nclusters: [{{name: a, server: https://a}}]\n"
)


@pytest.mark.parametrize(
    ("mode", "version", "rule"),
    [
        ("frr-k8s", "v0.13.12", "bgp-mode-unavailable"),
        ("frr-k8s", "v0.14.0", None),
        ("frr", "v0.15.3", None),
        ("frr", "v0.16.0", "bgp-mode-deprecated"),
        ("frr-k8s", "v0.16.1", None),
    ],
)
def test_a_site_spec_mode_follows_its_release(mode, version, rule):
    text = site(MODE_SITE.format(mode=mode, version=version))
    found = [d for d in check(text) if d.rule.startswith("bgp-mode-")]
    assert [(d.rule, d.location.line) for d in found] == (
        [(rule, line_of(text, "bgpMode"))] if rule else []
    )


def legacy(name: str = "old", api: str = "metallb.io/v1beta1") -> str:
    return (
        f"---\napiVersion: {api}\nkind: AddressPool\nmetadata: {{name: {name}, namespace: "
        "metallb-system}\nspec: {protocol: layer2, addresses: [10.0.0.0/24]}\n"
    )


@pytest.mark.parametrize(
    ("version", "rule", "words"),
    [
        (
            "v0.13.12",
            "legacy-address-pool-deprecated",
            "is deprecated; MetalLB v0.13.12 still reads",
        ),
        ("v0.14.0", "legacy-address-pool", "MetalLB v0.14.0 ignores it"),
        ("v0.14.2", "legacy-address-pool", "MetalLB v0.14.2 ignores it"),
        ("v0.14.3", "legacy-address-pool", "MetalLB v0.14.3 has no AddressPool CRD"),
        ("v0.15.1", "legacy-address-pool", "has no AddressPool CRD (removed in v0.14.3)"),
    ],
)
def test_the_legacy_address_pool_by_release(version, rule, words):
    for api in ("metallb.io/v1beta1", "metallb.io/v1alpha1"):
        text = legacy(api=api)
        found = [d for d in lint(text, version=version) if d.rule.startswith("legacy-address")]
        assert [(d.rule, d.location.line) for d in found] == [(rule, 3)]
        assert words in found[0].message
        assert "schema-invalid" not in rules(text, version)
    assert errors(legacy(), version="v0.13.12") == []  # a warning there


NODE = (
    "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
    "status:\n  addresses:\n  - {type: InternalIP, address: 10.0.0.7}\n"
)


def test_pools_holding_node_addresses_are_refused_by_v0_15_0_only():
    text = P + l2("all") + NODE
    assert hits(text, "pool-contains-node-ip", version="v0.15.0") == [line_of(text, "10.0.0.0/24")]
    for version in ("v0.14.9", "v0.15.1"):
        assert hits(text, "pool-contains-node-ip", version=version) == []
    assert message(text, "pool-contains-node-ip", "v0.15.0") == (
        "pool 'p' address '10.0.0.0/24' contains 10.0.0.7, the InternalIP of Node 'n1'; MetalLB "
        "v0.15.0 refuses pools that hold node addresses"
    )
    # other families, and addresses that are not InternalIPs, do not count
    other = P + l2("all") + NODE.replace("10.0.0.7", "fc00::7")
    assert hits(other, "pool-contains-node-ip", version="v0.15.0") == []
    external = P + l2("all") + NODE.replace("InternalIP", "ExternalIP")
    assert hits(external, "pool-contains-node-ip", version="v0.15.0") == []


# --- serviceAllocation ------------------------------------------------------------------------


def allocated(allocation: str) -> str:
    return pool("p", "10.0.0.0/24", extra=f"  serviceAllocation: {allocation}\n") + l2("all")


def test_repeated_allocation_entries_refused_from_v0_13_10():
    text = allocated("{namespaces: [a, a]}")
    assert hits(text, "duplicate-list-entry", version="v0.13.10") == [line_of(text, "[a, a]")]
    assert hits(text, "duplicate-list-entry", version="v0.13.9") == []
    sel = "{matchLabels: {app: web}}"
    text = allocated(f"{{serviceSelectors: [{sel}, {sel}]}}")
    assert hits(text, "selector-duplicate", version="v0.13.10") == [
        line_of(text, "serviceSelectors")
    ]
    assert hits(text, "selector-duplicate", version="v0.13.9") == []
    # the other lists are checked by every release
    text = P + l2adv("l", "{ipAddressPools: [p, p]}")
    assert hits(text, "duplicate-list-entry", version="v0.13.0") == [line_of(text, "[p, p]")]


def test_an_allocation_that_selects_nothing_takes_every_service_from_v0_15_0():
    text = allocated("{priority: 1}") + svc("a")
    assert hits(text, "service-no-pool", version="v0.15.0") == []
    assert hits(text, "service-no-pool", version="v0.14.9") == [line_of(text, "type: LoadBalancer")]
    assert "MetalLB v0.14.9 never assigns from it automatically (from v0.15.0 it takes every" in (
        message(text, "service-no-pool", "v0.14.9")
    )


def test_avoid_buggy_ips_is_suggested_from_v0_13_4():
    text = pool("lan", "192.168.10.0/24") + l2("all")
    assert message(text, "pool-subnet-edges", "v0.13.4").endswith(
        "use a range inside it or avoidBuggyIPs: true"
    )
    assert message(text, "pool-subnet-edges", "v0.13.3").endswith("use a range inside it")


def test_native_mode_never_sees_a_field_its_release_drops():
    text = peer("a", f"{{{PEER}, connectTime: 10s}}")
    assert hits(text, "native-frr-only-field", bgp_mode="native", version="v0.14.4") != []
    found = rules(text, "v0.14.3", "native")
    assert "native-frr-only-field" not in found and "field-unsupported-version" in found
