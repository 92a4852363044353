"""Service rules: annotations, requested IPs, families and the pools they land in."""

from tests.helpers import hits, pool
from tests.rules.svc import (
    IPS,
    OLD_IPS,
    OLD_POOL,
    OLD_SHARE,
    POOL,
    SHARE,
    found,
    l2,
    line_of,
    severities,
    svc,
)

BASE = pool("web", "10.0.0.0/24", "fc00::/120") + pool("db", "10.0.1.0/24") + l2("all")


# --- service-lbip-and-annotation ----------------------------------------------------------------


def test_lbip_and_annotation():
    text = BASE + svc("a", ann={IPS: "10.0.0.5"}, spec="  loadBalancerIP: 10.0.0.6\n")
    assert hits(text, "service-lbip-and-annotation") == [line_of(text, IPS)]
    assert severities(text, "service-lbip-and-annotation") == {"warning"}


def test_lbip_or_annotation_alone_passes():
    text = BASE + svc("a", ann={IPS: "10.0.0.5"}) + svc("b", spec="  loadBalancerIP: 10.0.0.6\n")
    # an empty annotation counts as not set, as in MetalLB
    text += svc("c", ann={IPS: ""}, spec="  loadBalancerIP: 10.0.0.7\n")
    assert hits(text, "service-lbip-and-annotation") == []


# --- service-annotation-prefix-conflict ---------------------------------------------------------


def test_prefix_conflict_points_at_ignored_annotation():
    text = BASE + svc("a", ann={POOL: "web", OLD_POOL: "db"})
    text += svc("b", ann={SHARE: "", OLD_SHARE: "k"})
    assert hits(text, "service-annotation-prefix-conflict") == [
        line_of(text, OLD_POOL),
        line_of(text, OLD_SHARE),
    ]
    msg = found(text, "service-annotation-prefix-conflict")[0][1]
    assert "'db' is ignored because metallb.io/address-pool 'web'" in msg
    assert severities(text, "service-annotation-prefix-conflict") == {"warning"}


def test_prefix_agreement_or_single_prefix_passes():
    text = BASE + svc("a", ann={POOL: "web", OLD_POOL: "web"}) + svc("b", ann={OLD_POOL: "db"})
    # keys MetalLB does not read are not its business
    text += svc("c", ann={"metallb.io/other": "1", "metallb.universe.tf/other": "2"})
    assert hits(text, "service-annotation-prefix-conflict") == []


# --- service-invalid-ips ------------------------------------------------------------------------


def test_invalid_requested_ips():
    bad = ["10.0.0.5,", "10.0.0.5, 10.0.0.6", "10.0.0.1,fc00::1,10.0.0.2", "10.0.0.256"]
    text = BASE + "".join(svc(f"s{i}", ann={IPS: v}) for i, v in enumerate(bad))
    text += svc("t", spec='  loadBalancerIP: " 10.0.0.5"\n')
    text += svc("u", ann={OLD_IPS: "fc00::1,fc00::2"})
    assert hits(text, "service-invalid-ips") == [
        line_of(text, IPS, 1),
        line_of(text, IPS, 2),
        line_of(text, IPS, 3),
        line_of(text, IPS, 4),
        line_of(text, "loadBalancerIP:"),
        line_of(text, OLD_IPS),
    ]
    msgs = [m for _, m in found(text, "service-invalid-ips")]
    assert "has an empty element" in msgs[0]
    assert "two IPv4 addresses" in msgs[1]
    assert "more than two" in msgs[2]
    assert "'10.0.0.256', which is not an IP address" in msgs[3]
    assert "two IPv6 addresses" in msgs[5]
    assert severities(text, "service-invalid-ips") == {"warning"}


def test_valid_requested_ips():
    text = BASE + svc(
        "a", ann={IPS: " 10.0.0.5 , fc00::5"}, spec="  ipFamilyPolicy: RequireDualStack\n"
    )
    text += svc("b", spec="  loadBalancerIP: 10.0.0.6\n")
    assert hits(text, "service-invalid-ips") == []


# --- service-unknown-pool -----------------------------------------------------------------------


def test_unknown_pool():
    text = BASE + svc("a", ann={POOL: "wbe"}) + svc("b", ann={OLD_POOL: "gone"})
    assert found(text, "service-unknown-pool") == [
        (
            line_of(text, POOL),
            "Service web/a: metallb.io/address-pool names pool 'wbe', which does not exist; "
            "did you mean 'web'?",
        ),
        (
            line_of(text, OLD_POOL),
            "Service web/b: metallb.universe.tf/address-pool names pool 'gone', which does not "
            "exist",
        ),
    ]
    assert severities(text, "service-unknown-pool") == {"warning"}


def test_known_pool_or_no_pools_in_input():
    assert hits(BASE + svc("a", ann={POOL: "web"}), "service-unknown-pool") == []
    assert hits(svc("a", ann={POOL: "web"}), "service-unknown-pool") == []
    # not a MetalLB service: another class, or not a LoadBalancer
    other = svc("b", ann={POOL: "nope"}, spec="  loadBalancerClass: example.com/lb\n")
    other += svc("c", ann={POOL: "nope"}).replace("type: LoadBalancer", "type: ClusterIP")
    assert hits(BASE + other, "service-unknown-pool") == []


# --- service-ip-outside-pool --------------------------------------------------------------------


def test_ip_outside_pool_cases():
    buggy = pool("bug", "10.0.2.0/24", extra="  avoidBuggyIPs: true\n")
    text = BASE + buggy
    text += svc("a", ann={IPS: "192.168.1.100"})
    text += svc("b", ann={IPS: "10.0.2.255"})
    text += svc("c", ann={IPS: "10.0.1.5,fc00::5"}, spec="  ipFamilyPolicy: RequireDualStack\n")
    text += svc("d", ann={IPS: "10.0.1.7", POOL: "web"})
    got = found(text, "service-ip-outside-pool")
    assert [line for line, _ in got] == [line_of(text, IPS, n) for n in (1, 2, 3, 4)]
    assert got[0][1] == "Service web/a: 192.168.1.100 is not inside any IPAddressPool"
    assert "ends in .0 or .255 and pool 'bug' sets avoidBuggyIPs" in got[1][1]
    assert "are in two pools ('db' and 'web')" in got[2][1]
    assert (
        "10.0.1.7 is in pool 'db', not in pool 'web' named by metallb.io/address-pool"
        in (got[3][1])
    )
    assert severities(text, "service-ip-outside-pool") == {"warning"}


def test_ip_inside_pool_passes():
    manual = pool("manual", "10.0.3.0/24", extra="  autoAssign: false\n")
    text = BASE + manual
    text += svc("a", ann={IPS: "10.0.3.0"})  # .0 is fine without avoidBuggyIPs
    text += svc(
        "b", ann={IPS: "10.0.0.5,fc00::5", POOL: "web"}, spec="  ipFamilies: [IPv4, IPv6]\n"
    )
    text += svc("c", spec="  loadBalancerIP: ::ffff:10.0.1.9\n")  # IPv4-mapped counts as IPv4
    assert hits(text, "service-ip-outside-pool") == []


def test_ip_outside_pool_when_the_input_holds_no_pool():
    # the input is the cluster's whole configuration (as for pool-not-advertised)
    text = svc("a", ann={IPS: "192.168.1.100"})
    assert found(text, "service-ip-outside-pool") == [
        (
            line_of(text, IPS),
            "Service web/a: 192.168.1.100 is not inside any IPAddressPool (the input holds no "
            "IPAddressPool)",
        )
    ]
    assert severities(text, "service-ip-outside-pool") == {"warning"}  # under --metallb-compat
    # an automatic Service linted apart from the pools asks for nothing in particular
    assert hits(svc("b"), "service-no-pool") == []


# --- service-ip-family-mismatch -----------------------------------------------------------------


def test_family_mismatch():
    text = BASE
    text += svc("a", ann={IPS: "10.0.0.5"}, spec="  ipFamilies: [IPv6]\n")
    text += svc("b", ann={IPS: "10.0.0.6"}, spec="  ipFamilyPolicy: RequireDualStack\n")
    text += svc("c", ann={IPS: "fc00::7"}, spec="  clusterIP: 10.96.0.10\n")
    text += svc(
        "d",
        ann={IPS: "10.0.0.8"},
        spec="  ipFamilyPolicy: PreferDualStack\n  ipFamilies: [IPv4, IPv6]\n",
    )
    got = found(text, "service-ip-family-mismatch")
    assert [line for line, _ in got] == [line_of(text, IPS, n) for n in (1, 2, 3, 4)]
    assert (
        got[0][1]
        == "Service web/a is IPv6 but requests IPv4 10.0.0.5 in metallb.io/loadBalancerIPs"
    )
    assert "is dual-stack but requests IPv4" in got[1][1]
    assert severities(text, "service-ip-family-mismatch") == {"warning"}


def test_family_match():
    text = BASE
    text += svc("a", ann={IPS: "10.0.0.5"})
    text += svc("b", ann={IPS: "fc00::5"}, spec="  clusterIPs: [fd00::10]\n")
    text += svc("c", ann={IPS: "fc00::6,10.0.0.6"}, spec="  clusterIPs: [fd00::11, 10.96.0.11]\n")
    text += svc("d", ann={IPS: "10.0.0.7"}, spec="  ipFamilyPolicy: PreferDualStack\n")
    text += svc("e", ann={IPS: "10.0.0.8"}, spec="  clusterIP: None\n")  # unknown: no guess
    assert hits(text, "service-ip-family-mismatch") == []
