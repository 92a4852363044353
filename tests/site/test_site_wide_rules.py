"""Whole-repository site rules: overlaps between clusters and duplicate names."""

import time

import pytest

from gitops_lb.site.overlap import overlaps
from tests.site.helpers import check, line_of, lines, site, targets

TWO = """\
networks:
  - {name: vlan10, cidr: 192.168.10.0/24}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - name: a1
        interfaces: [{name: eth0, network: vlan10}]
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2: {}
  - name: b
    server: https://b:6443
    nodes:
      - name: b1
        interfaces: [{name: eth0, network: vlan10}]
    pools:
      - name: web
        addresses: [192.168.10.96/27, 192.168.10.72/29]
        l2: {}
"""


def test_overlap_on_a_shared_network_is_an_error():
    text = site(TWO)
    found = [d for d in check(text) if d.rule.startswith("site-pool-overlap")]
    assert [(d.rule, d.location.line, d.path) for d in found] == [
        (
            "site-pool-overlap-shared-network",
            line_of(text, "192.168.10.72/29"),
            "spec.clusters[1].pools[0].addresses[1]",
        )
    ]
    d = found[0]
    assert str(d.severity) == "error"
    assert d.message == (
        "192.168.10.72/29 in pool 'web' of dc1/b overlaps 192.168.10.64/27 in pool 'web' of "
        "dc1/a; both clusters are on network 'vlan10'"
    )
    assert [r.location.line for r in d.related] == [line_of(text, "192.168.10.64/27")]


def test_overlap_inside_a_declared_network_without_inventory():
    text = site(TWO.replace("interfaces: [{name: eth0, network: vlan10}]", "interfaces: []"))
    assert [d.rule for d in check(text)] == ["site-pool-overlap-shared-network"]


def test_overlap_elsewhere_is_a_warning_across_files():
    a = site(TWO.split("  - name: b", maxsplit=1)[0].replace("192.168.10.64/27", "10.1.0.0/16"))
    b = site(
        TWO.replace("192.168.10.72/29", "10.1.2.0/24").replace("192.168.10.96/27", "10.2.0.0/24"),
        name="dc2",
    )
    found = [d for d in check(a, b) if d.rule.startswith("site-pool-overlap")]
    assert [(d.rule, d.location.file, d.location.line) for d in found] == [
        ("site-pool-overlap", "site1.yaml", line_of(b, "10.1.2.0/24"))
    ]
    assert str(found[0].severity) == "warning"
    assert found[0].related[0].location.file == "site.yaml"


def test_no_overlap_and_same_cluster_left_to_pool_overlap():
    text = site(TWO.replace("192.168.10.72/29", "192.168.10.128/29"))
    assert [d.rule for d in check(text)] == []
    same = site(
        TWO.replace("192.168.10.96/27, 192.168.10.72/29", "192.168.10.96/27, 192.168.10.100/30")
    )
    assert [d.rule for d in check(same)] == ["pool-overlap"]


@pytest.mark.slow
def test_overlap_sweep_scales_and_finds_every_pair():
    clusters = []
    for c in range(100):
        pools = "".join(
            f"      - {{name: p{p}, addresses: [10.{c}.{p}.0/24]}}\n" for p in range(50)
        )
        clusters.append(f"  - name: c{c}\n    server: https://c{c}:6443\n    pools:\n{pools}")
    clusters.append(
        "  - name: wide\n    server: https://w:6443\n    pools:\n"
        "      - {name: all, addresses: [10.0.0.0/8]}\n"
    )
    text = site("clusters:\n" + "".join(clusters))
    ts = targets(text)
    start = time.perf_counter()
    found = list(overlaps(ts))
    elapsed = time.perf_counter() - start
    assert len(found) == 5000  # every pool overlaps the wide one, nothing else
    assert {o.earlier.pool.name for o in found} == {"all"} or {
        o.later.pool.name for o in found
    } == {"all"}
    assert elapsed < 5  # generous: a quadratic sweep would compare 12.5 million pairs


# --- site-duplicate-name -------------------------------------------------------------------------


def test_duplicate_site_names_across_files():
    a = site("clusters: [{name: a, server: https://a:6443}]\n")
    b = a.replace("https://a:6443", "https://b:6443")
    found = [d for d in check(a, b) if d.rule == "site-duplicate-name"]
    assert [(d.location.file, d.location.line) for d in found] == [("site1.yaml", 4)]
    assert found[0].message == "site 'dc1' is defined twice"
    assert (found[0].related[0].location.file, found[0].related[0].location.line) == (
        "site.yaml",
        4,
    )


def test_duplicate_names_in_a_site():
    text = site("""\
networks:
  - {name: n, cidr: 10.0.0.0/24}
  - {name: n, cidr: 10.0.1.0/24}
clusters:
  - name: a
    server: https://a:6443
    nodes: [{name: x}, {name: x}]
    pools:
      - {name: web, addresses: [10.0.0.0/28], l2: {}}
      - {name: web, addresses: [10.0.0.16/28]}
      - {name: api, addresses: [10.0.0.32/28]}
    l2Advertisements:
      - {name: api}
      - {name: web}
    services:
      - {name: s, namespace: x}
      - {name: s, namespace: y}
      - {name: s, namespace: x}
  - name: a
    server: https://a2:6443
""")
    found = [d for d in check(text) if d.rule == "site-duplicate-name"]
    got = [(d.location.line, d.message) for d in found]
    assert got == [
        (line_of(text, "name: n, cidr: 10.0.1.0"), "network 'n' is defined twice in site 'dc1'"),
        (line_of(text, "{name: x}, {name: x}"), "node 'x' is defined twice in cluster dc1/a"),
        (
            line_of(text, "- {name: web}"),
            "l2Advertisement 'web' and l2 of pool 'web' are both layer 2 advertisements named "
            "'web' in cluster dc1/a",
        ),
        (
            line_of(text, "{name: s, namespace: x}", 2),
            "service 'x/s' is defined twice in cluster dc1/a",
        ),
        (line_of(text, "server: https://a2") - 1, "cluster 'a' is defined twice in site 'dc1'"),
    ]
    web_l2 = next(d for d in found if d.message.startswith("l2Advertisement"))
    assert web_l2.related[0].location.line == line_of(text, "l2: {}")
    # two pools with one name: MetalLB refuses it, and metallb-duplicate-name alone says so
    pools = [d for d in check(text) if d.rule == "metallb-duplicate-name"]
    assert [(d.location.line, d.message) for d in pools] == [
        (
            line_of(text, "name: web, addresses: [10.0.0.16"),
            "duplicate definition of pool 'web' of cluster 'a'",
        )
    ]


def test_two_pools_with_one_name_and_their_shorthands_are_one_finding():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: web, addresses: [10.0.0.0/28], l2: {}, bgp: {}}
      - {name: web, addresses: [10.0.0.16/28], l2: {}, bgp: {}}
""")
    found = [(d.rule, d.location.line) for d in check(text) if "duplicate" in d.rule]
    assert found == [("metallb-duplicate-name", line_of(text, "addresses: [10.0.0.16"))]
    # two full-form advertisements with one name are still reported
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: web, addresses: [10.0.0.0/28]}
    l2Advertisements:
      - {name: ad, ipAddressPools: [web]}
      - {name: ad, ipAddressPools: [web]}
""")
    assert [d.rule for d in check(text) if "duplicate" in d.rule] == ["site-duplicate-name"]


def test_unique_names():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: web, addresses: [10.0.0.0/28], l2: {}, bgp: {}}
    services:
      - {name: s, namespace: x}
      - {name: s, namespace: y}
  - name: b
    server: https://b:6443
    pools:
      - {name: web, addresses: [10.0.1.0/28]}
""")
    assert lines("site-duplicate-name", text) == []
    assert (
        lines("site-duplicate-name", site("clusters: []\n"), site("clusters: []\n", name="dc2"))
        == []
    )
