"""Site specs that validate, though they are wrong (issue 12): each mistake at its line:col,
with a negative twin, and several of them in one file at the end."""

from gitops_lb.diagnostics import Diagnostic, Severity
from tests.site.fixtures import BASE
from tests.site.helpers import check, line_of, site


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """(line, column) of the nth occurrence of `needle` (1-based, as diagnostics count)."""
    found = [
        (n, line.index(needle) + 1) for n, line in enumerate(text.splitlines(), 1) if needle in line
    ]
    assert len(found) >= nth, f"{needle!r} not in text"
    return found[nth - 1]


def found(rule: str, text: str) -> list[Diagnostic]:
    return [d for d in check(text) if d.rule == rule]


def where(diags: list[Diagnostic]) -> list[tuple[int, int]]:
    return [(d.location.line, d.location.column) for d in diags]


def related_lines(d: Diagnostic) -> list[int]:
    return [r.location.line for r in d.related]


# --- site-l2-pool-family-not-on-node -------------------------------------------------------------

FAMILY = "site-l2-pool-family-not-on-node"
V6_POOL = """\
      - name: v6
        addresses: ["fd00:10::100/120"]
        l2: {interfaces: [eth0]}
"""


def with_v6_pool(base: str = BASE, pool: str = V6_POOL) -> str:
    return base.replace("      - name: edge\n", pool + "      - name: edge\n")


def test_ipv6_l2_pool_on_nodes_without_ipv6():
    text = site(with_v6_pool())
    diags = found(FAMILY, text)
    assert where(diags) == [at(text, '"fd00:10::100/120"')]
    d = diags[0]
    assert d.severity is Severity.ERROR
    assert d.message == (
        "fd00:10::100/120 in L2 pool 'v6' of cluster 'a' is IPv6, but 2 node(s) announcing it "
        "have no IPv6 address on eth0 (n1, n2)"
    )
    # the related locations are the announcing interfaces of the two nodes
    assert related_lines(d) == [
        line_of(text, "address: 192.168.10.11"),
        line_of(text, "address: 192.168.10.12"),
    ]
    assert d.related[0].message == "node 'n1' has no IPv6 address on eth0"
    # nothing else is reported for it: the site declares IPv4 networks only
    assert [x.rule for x in check(text)] == [FAMILY]


def test_ipv6_l2_pool_on_every_interface_of_a_node_without_ipv6():
    # announced from every interface: n2 has IPv6 on eth1, n1 has none anywhere
    text = BASE.replace(
        "          - {name: eth1, network: vlan20, address: 192.168.20.12}\n",
        "          - {name: eth1, network: vlan20, address: 192.168.20.12}\n"
        '          - {name: eth1, address: "fd00:10::12/64"}\n',
    )
    text = site(with_v6_pool(text, V6_POOL.replace("{interfaces: [eth0]}", "{}")))
    diags = found(FAMILY, text)
    assert where(diags) == [at(text, '"fd00:10::100/120"')]
    assert diags[0].message.endswith("have no IPv6 address on any interface (n1)")


def test_ipv4_l2_pool_on_ipv6_only_interfaces():
    body = """\
networks:
  - {name: v6net, cidr: "fd00:20::/64"}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - name: n1
        interfaces: [{name: eth0, network: v6net, address: "fd00:20::11"}]
      - name: n2
        interfaces: [{name: eth0, network: v6net}]
    pools:
      - name: mixed
        addresses: ["fd00:20::100/120", 198.51.100.0/28]
        l2: {}
"""
    text = site(body)
    diags = found(FAMILY, text)
    assert where(diags) == [at(text, "198.51.100.0/28")]
    assert "is IPv4, but 2 node(s) announcing it have no IPv4 address on any interface" in (
        diags[0].message
    )
    assert [x.rule for x in check(text)] == [FAMILY]


def test_l2_pool_family_present_or_unknown():
    # both nodes have IPv6 on eth0 (an interface with both families is listed twice)
    dual = BASE.replace(
        "address: 192.168.10.11}\n",
        'address: 192.168.10.11}\n          - {name: eth0, address: "fd00:10::11/64"}\n',
    ).replace(
        "address: 192.168.10.12}\n",
        'address: 192.168.10.12}\n          - {name: eth0, address: "fd00:10::12/64"}\n',
    )
    assert check(site(with_v6_pool(dual))) == []
    # an announcing interface of unknown family (no address, no network): could have IPv6
    unknown = BASE.replace("{name: eth0, network: vlan10, address: 192.168.10.11}", "{name: eth0}")
    unknown = unknown.replace(
        "{name: eth0, network: vlan10, address: 192.168.10.12}", "{name: eth0}"
    )
    assert found(FAMILY, site(with_v6_pool(unknown))) == []
    # an IPv6 BGP pool is not announced in L2
    bgp = V6_POOL.replace("l2: {interfaces: [eth0]}", "bgp: {peers: [tor1]}")
    assert found(FAMILY, site(with_v6_pool(pool=bgp))) == []


def test_l2_pool_family_union_of_the_advertisements_interfaces():
    # a second advertisement of the pool announces it from every interface of n2 (rack r2),
    # where eth1 has IPv6: only n1 stays without
    text = BASE.replace(
        "          - {name: eth1, network: vlan20, address: 192.168.20.12}\n",
        "          - {name: eth1, network: vlan20, address: 192.168.20.12}\n"
        '          - {name: eth1, address: "fd00:10::12/64"}\n',
    )
    text = with_v6_pool(text) + (
        "    l2Advertisements:\n"
        "      - name: v6-r2\n"
        "        ipAddressPools: [v6]\n"
        "        nodeSelectors: [{matchLabels: {rack: r2}}]\n"
    )
    diags = found(FAMILY, site(text))
    assert [d.message.rsplit(" ", 1)[1] for d in diags] == ["(n1)"]


# --- site-node-address-duplicate -----------------------------------------------------------------

DUPLICATE = "site-node-address-duplicate"
OTHER_CLUSTER = """\
  - name: b
    server: https://b:6443
    nodes:
      - name: m1
        interfaces: [{name: ens3, network: vlan20, address: 192.168.20.12}]
      - name: m2
        interfaces: [{name: ens3, address: 10.50.0.1}]
"""


def test_two_nodes_of_a_cluster_with_one_address():
    text = site(BASE.replace("address: 192.168.10.12}", "address: 192.168.10.11/24}"))
    diags = found(DUPLICATE, text)
    assert where(diags) == [at(text, "192.168.10.11/24")]
    assert diags[0].message == (
        "address 192.168.10.11/24 of interface 'eth0' on node 'n2' of cluster 'a' is also the "
        "address of node 'n1' (eth0)"
    )
    assert related_lines(diags[0]) == [line_of(text, "address: 192.168.10.11}")]
    assert [d.rule for d in check(text)] == [DUPLICATE]


def test_two_nodes_of_two_clusters_on_one_network():
    text = site(BASE + OTHER_CLUSTER)
    diags = found(DUPLICATE, text)
    assert where(diags) == [at(text, "192.168.20.12", 2)]
    assert diags[0].message.endswith("is also the address of node 'n2' of cluster 'a' (eth1)")
    assert related_lines(diags[0]) == [line_of(text, "192.168.20.12")]


def test_node_addresses_unique_or_on_separate_segments():
    assert found(DUPLICATE, site(BASE)) == []
    # clusters a and b on undeclared networks may reuse an address
    other = OTHER_CLUSTER.replace("network: vlan20, address: 192.168.20.12", "address: 10.50.0.9")
    text = BASE.replace(
        "{name: eth1, network: vlan20, address: 192.168.20.12}", "{name: eth1, address: 10.50.0.1}"
    )
    assert found(DUPLICATE, site(text + other)) == []
    # one node with the address on two interfaces is not two nodes
    one_node = BASE.replace("network: vlan20, address: 192.168.20.12", "address: 192.168.10.12")
    assert found(DUPLICATE, site(one_node)) == []
    # a node listed twice is reported as a duplicate name only
    twice = BASE.replace("- name: n2\n", "- name: n1\n").replace(
        "address: 192.168.10.12}", "address: 192.168.10.11}"
    )
    assert {d.rule for d in check(site(twice))} == {"site-duplicate-name"}


def test_same_address_on_two_declared_networks_of_one_cluster():
    # two declared networks that reuse one address space (separate segments)
    text = BASE.replace(
        "  - name: vlan20\n    cidr: 192.168.20.0/24\n",
        "  - name: vlan20\n    cidr: 192.168.20.0/24\n"
        "  - name: storage\n    cidr: 192.168.20.0/24\n",
    )
    text = text.replace(
        "{name: eth0, network: vlan10, address: 192.168.10.11}",
        "{name: eth0, network: vlan10, address: 192.168.10.11}\n"
        "          - {name: eth9, network: storage, address: 192.168.20.12}",
    )
    assert found(DUPLICATE, site(text)) == []
    same = text.replace(
        "network: storage, address: 192.168.20.12", "network: vlan20, address: 192.168.20.12"
    )
    assert where(found(DUPLICATE, site(same))) == [at(site(same), "192.168.20.12", 2)]


# --- site-reserved-outside-network ---------------------------------------------------------------

RESERVED = "site-reserved-outside-network"
RESERVED_LINE = "reserved: [192.168.10.2-192.168.10.9]"


def test_reserved_entries_outside_their_network():
    text = site(
        BASE.replace(
            RESERVED_LINE,
            "reserved: [192.168.10.2-192.168.10.9, 192.168.11.5, "
            '192.168.10.250-192.168.11.3, "fd00::1"]',
        )
    )
    diags = found(RESERVED, text)
    assert where(diags) == [
        at(text, "192.168.11.5"),
        at(text, "192.168.10.250-"),
        at(text, '"fd00::1"'),
    ]
    assert [d.message for d in diags] == [
        "reserved entry 192.168.11.5 of network 'vlan10' is outside its cidr 192.168.10.0/24",
        "reserved entry 192.168.10.250-192.168.11.3 of network 'vlan10' is partly outside its "
        "cidr 192.168.10.0/24",
        "reserved entry fd00::1 of network 'vlan10' is outside its cidr 192.168.10.0/24",
    ]
    assert related_lines(diags[0]) == [line_of(text, "cidr: 192.168.10.0/24")]
    assert {d.rule for d in check(text)} == {RESERVED}


def test_reserved_entries_inside_their_network_or_invalid():
    inside = BASE.replace(
        RESERVED_LINE, "reserved: [192.168.10.2, 192.168.10.240/28, 192.168.10.10-192.168.10.20]"
    )
    assert check(site(inside)) == []
    # an entry that does not parse is site-invalid-address's
    invalid = site(BASE.replace(RESERVED_LINE, "reserved: [192.168.11.300]"))
    assert {d.rule for d in check(invalid)} == {"site-invalid-address"}


# --- site-cidr-host-bits -------------------------------------------------------------------------

HOST_BITS = "site-cidr-host-bits"


def test_cidrs_with_host_bits():
    text = BASE.replace("cidr: 192.168.20.0/24", "cidr: 192.168.20.5/24")
    text = text.replace("clusterCIDRs: [10.244.0.0/16]", "clusterCIDRs: [10.244.7.0/16]")
    text = text.replace(RESERVED_LINE, "reserved: [192.168.10.2-192.168.10.9, 192.168.10.250/28]")
    text = site(text)
    diags = found(HOST_BITS, text)
    assert where(diags) == [
        at(text, "192.168.10.250/28"),
        at(text, "192.168.20.5/24"),
        at(text, "10.244.7.0/16"),
    ]
    assert [d.message for d in diags] == [
        "reserved entry 192.168.10.250/28 of network 'vlan10' has host bits set; did you mean "
        "192.168.10.240/28?",
        "cidr 192.168.20.5/24 of network 'vlan20' has host bits set; did you mean 192.168.20.0/24?",
        "clusterCIDRs entry 10.244.7.0/16 of cluster 'a' has host bits set; did you mean "
        "10.244.0.0/16?",
    ]
    assert all(d.severity is Severity.WARNING for d in diags)
    # a warning, and the only finding: site-invalid-address takes the CIDR as written
    assert {d.rule for d in check(text)} == {HOST_BITS}


def test_cidrs_without_host_bits_and_interface_prefixes():
    assert found(HOST_BITS, site(BASE)) == []
    prefixed = BASE.replace("address: 192.168.10.11}", "address: 192.168.10.11/24}")
    assert check(site(prefixed)) == []
    ipv6 = BASE.replace("cidr: 192.168.20.0/24", 'cidr: "fd00:20::/64"').replace(
        "network: vlan20, ", ""
    )
    assert found(HOST_BITS, site(ipv6)) == []
    # written in IPv4-mapped notation: site-invalid-address asks for the plain form, alone
    mapped = site(BASE.replace("cidr: 192.168.20.0/24", 'cidr: "::ffff:192.168.20.5/120"'))
    assert {d.rule for d in check(mapped)} == {"site-invalid-address"}


# --- site-pool-peer-address ----------------------------------------------------------------------

PEER = "site-pool-peer-address"
WEB = "addresses: [192.168.10.64/27]"


def test_pool_holds_a_bgp_peer_address():
    text = site(BASE.replace("peerAddress: 10.0.0.1", "peerAddress: 192.168.10.70"))
    diags = found(PEER, text)
    assert where(diags) == [at(text, "192.168.10.64/27")]
    assert diags[0].message == (
        "192.168.10.64/27 in pool 'web' of cluster 'a' includes the address 192.168.10.70 of "
        "BGP peer 'tor1'"
    )
    assert related_lines(diags[0]) == [line_of(text, "peerAddress: 192.168.10.70")]
    assert [d.rule for d in check(text)] == [PEER]


def test_pool_holds_the_peer_address_of_another_cluster():
    other = """\
  - name: b
    server: https://b:6443
    bgpPeers:
      - {name: tor9, myASN: 64512, peerASN: 64513, peerAddress: 203.0.113.9}
"""
    text = site(BASE + other)
    diags = found(PEER, text)
    assert where(diags) == [at(text, "203.0.113.0/28")]
    assert diags[0].message.endswith(
        "includes the address 203.0.113.9 of BGP peer 'tor9' of cluster 'b'"
    )


def test_pool_clear_of_peer_addresses_or_reported_as_reserved():
    assert found(PEER, site(BASE)) == []
    # the peer is the network's gateway: site-pool-reserved says so, once
    gateway = BASE.replace("peerAddress: 10.0.0.1", "peerAddress: 192.168.10.1").replace(
        WEB, "addresses: [192.168.10.0/26]"
    )
    assert {d.rule for d in check(site(gateway))} == {"site-pool-reserved"}
    # a pool with avoidBuggyIPs never hands out the .0 address of a /24
    buggy = BASE.replace("peerAddress: 10.0.0.1", "peerAddress: 203.0.113.0").replace(
        "bgp: {peers: [tor1]}", "avoidBuggyIPs: true\n        bgp: {peers: [tor1]}"
    )
    assert check(site(buggy)) == []


# --- site-pool-api-server ------------------------------------------------------------------------

SERVER = "site-pool-api-server"


def test_pool_holds_the_api_server_address():
    text = site(BASE.replace("server: https://a:6443", "server: https://192.168.10.66:6443"))
    diags = found(SERVER, text)
    assert where(diags) == [at(text, "192.168.10.64/27")]
    assert diags[0].message == (
        "192.168.10.64/27 in pool 'web' of cluster 'a' includes the address of the cluster's "
        "API server (https://192.168.10.66:6443)"
    )
    assert related_lines(diags[0]) == [line_of(text, "server: https://192.168.10.66")]
    assert [d.rule for d in check(text)] == [SERVER]
    ipv6 = BASE.replace("server: https://a:6443", 'server: "https://[fd00::5]:6443"')
    ipv6 = ipv6.replace(WEB, 'addresses: ["fd00::/120"]').replace("network: vlan10, ", "")
    assert where(found(SERVER, site(ipv6))) == [at(site(ipv6), '"fd00::/120"')]


def test_pool_clear_of_the_api_server():
    assert found(SERVER, site(BASE)) == []  # a host name is not checked
    outside = BASE.replace("server: https://a:6443", "server: https://192.168.10.5:6443")
    assert found(SERVER, site(outside)) == []
    # the API server on a node's address: site-pool-reserved reports the node address, alone
    node = BASE.replace("server: https://a:6443", "server: https://192.168.10.11:6443")
    node = site(node.replace(WEB, "addresses: [192.168.10.10-192.168.10.20]"))
    assert {d.rule for d in check(node)} == {"site-pool-reserved"}
    # another cluster's API server may be served by this cluster (a hosted control plane)
    other = "  - name: b\n    server: https://192.168.10.66:6443\n"
    assert found(SERVER, site(BASE + other)) == []


# --- several of them in one file -----------------------------------------------------------------

MIXED = """\
networks:
  - name: lan
    cidr: 10.20.0.9/24
    gateway: 10.20.0.1
    reserved: [10.20.0.2, 10.21.0.7]
  - name: lan6
    cidr: "fd00:20::/64"
clusters:
  - name: prod-a
    server: https://10.20.0.200:6443
    nodes:
      - name: n1
        labels: {rack: r1}
        interfaces: [{name: eth0, network: lan, address: 10.20.0.11}]
      - name: n2
        labels: {rack: r2}
        interfaces:
          - {name: eth0, network: lan, address: 10.20.0.11}
    pools:
      - name: web
        addresses: [10.20.0.192/27]
        l2: {interfaces: [eth0]}
      - name: web6
        addresses: ["fd00:20::100/120"]
        l2: {interfaces: [eth0]}
      - name: edge
        addresses: [10.20.0.128/28]
        bgp: {peers: [tor1]}
    bgpPeers:
      - name: tor1
        myASN: 64512
        peerASN: 64513
        peerAddress: 10.20.0.130
"""


def test_several_mistakes_in_one_file_each_found_once():
    text = site(MIXED, name="dc9")
    diags = check(text)
    assert sorted((d.rule, d.location.line, d.location.column) for d in diags) == sorted(
        [
            (HOST_BITS, *at(text, "10.20.0.9/24")),
            (RESERVED, *at(text, "10.21.0.7")),
            (DUPLICATE, *at(text, "10.20.0.11", 2)),
            (SERVER, *at(text, "10.20.0.192/27")),
            (FAMILY, *at(text, '"fd00:20::100/120"')),
            (PEER, *at(text, "10.20.0.128/28")),
        ]
    )
    assert sum(d.severity is Severity.WARNING for d in diags) == 1
