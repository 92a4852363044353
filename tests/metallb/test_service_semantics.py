"""Shared Service semantics: request parsing, families, pool lookup and capacity."""

import pytest

from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import family_value, parse_entry, parse_ip
from gitops_lb.metallb.poolspace import UNLIMITED, capacity, ip_text, is_buggy
from gitops_lb.metallb.services import (
    DUAL,
    V4,
    V6,
    annotation,
    annotation_value,
    find_annotation,
    parse_request,
    service_family,
    services_of,
)
from tests.helpers import config, pool


def nets(*entries: str):
    return [n for e in entries for n in parse_entry(e).nets]


@pytest.mark.parametrize(
    ("entries", "family", "avoid", "expected"),
    [
        (["10.0.0.0/24"], 4, False, 256),
        (["10.0.0.0/24"], 4, True, 254),
        (["10.0.0.0/23"], 4, True, 508),
        (["10.0.0.0/30"], 4, True, 3),  # first address ends in .0
        (["10.0.0.252/30"], 4, True, 3),  # last address ends in .255
        (["10.0.0.4/30"], 4, True, 4),
        (["10.0.0.1-10.0.0.5"], 4, False, 5),
        (["::ffff:10.0.0.0/120"], 4, True, 254),  # IPv4-mapped counts as IPv4
        (["fc00::/120"], 6, True, 256),  # avoidBuggyIPs has no effect on IPv6
        (["fc00::/64"], 6, False, UNLIMITED),
        (["10.0.0.0/24", "fc00::/120"], 6, False, 256),
    ],
)
def test_capacity_as_pool_status_counts(entries, family, avoid, expected):
    assert capacity(nets(*entries), family, avoid) == expected


def test_buggy_and_text():
    assert is_buggy((4, 0x0A000000)) and is_buggy((4, 0x0A0000FF))
    assert not is_buggy((4, 0x0A000001)) and not is_buggy((6, 0))
    assert ip_text((6, 1)) == "::1" and ip_text((4, 1)) == "0.0.0.1"


def test_pool_index_finds_the_pool_and_skips_buggy_addresses():
    cfg = config(
        pool("a", "10.0.0.0/16")
        + pool("b", "10.1.0.0/24", "10.1.1.0/24", extra="  avoidBuggyIPs: true\n")
        + pool("c", "10.0.5.0/24")  # nested in a (an overlap error, still looked up)
    )
    index = services_of(cfg).index
    a, b, c = cfg.pools

    def ip(text):
        parsed = parse_ip(text)
        assert parsed is not None
        return family_value(parsed)

    assert index.holders(ip("10.0.200.1")) == [a]
    assert index.holders(ip("10.0.5.7")) == [a, c]
    assert index.pool_for([ip("10.1.1.7")]) is b
    assert index.pool_for([ip("10.1.1.255")]) is None
    assert index.holders(ip("10.2.0.1")) == [] and index.pool_for([]) is None


def test_parse_request():
    ok = parse_request("x", (), " 10.0.0.1 ,fc00::1", single=False)
    assert ok.error is None and ok.family == DUAL
    assert parse_request("x", (), "10.0.0.1 ", single=True).error is not None
    assert parse_request("x", (), "::ffff:10.0.0.1", single=True).family == V4
    assert "empty element" in (parse_request("x", (), ",", single=False).error or "")


def spec(**kw):
    return m.ServiceSpec(**kw)


def test_service_family():
    assert service_family(spec()) == V4
    assert service_family(spec(ipFamilies=["IPv6"])) == V6
    assert service_family(spec(ipFamilyPolicy="RequireDualStack")) == DUAL
    assert service_family(spec(ipFamilyPolicy="PreferDualStack", ipFamilies=["IPv4"])) == V4
    assert (
        service_family(spec(ipFamilyPolicy="PreferDualStack", ipFamilies=["IPv6", "IPv4"])) == DUAL
    )
    assert service_family(spec(clusterIP="fd00::1", ipFamilies=["IPv4"])) == V6
    assert service_family(spec(clusterIPs=["10.96.0.1", "fd00::1"])) == DUAL
    assert service_family(spec(clusterIPs=["10.96.0.1", "10.96.0.2"])) is None
    assert service_family(spec(clusterIP="None")) is None


def test_annotation_prefix_precedence():
    svc = m.Service(
        apiVersion="v1",
        kind="Service",
        metadata=m.ObjectMeta(
            annotations={"metallb.io/address-pool": "", "metallb.universe.tf/address-pool": "a"}
        ),
    )
    found = annotation(svc, "address-pool")
    assert found is not None and (found.key, found.value) == ("metallb.io/address-pool", "")
    assert annotation(svc, "loadBalancerIPs") is None


def test_annotation_precedence_on_plain_mappings():
    old_only = {"metallb.universe.tf/allow-shared-ip": "k"}
    found = find_annotation(old_only, "allow-shared-ip")
    assert found is not None and found.path == ("metadata", "annotations", next(iter(old_only)))
    both = {"metallb.universe.tf/loadBalancerIPs": "10.0.0.1", "metallb.io/loadBalancerIPs": ""}
    assert annotation_value(both, "loadBalancerIPs") == ""
    assert annotation_value(both, "address-pool") is None
