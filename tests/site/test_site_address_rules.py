"""Site rules about addresses: invalid site addresses, pools against networks and nodes."""

from tests.site.fixtures import BASE
from tests.site.helpers import check, line_of, lines, site

WEB = "addresses: [192.168.10.64/27]"


def with_web(*addresses: str, base: str = BASE) -> str:
    return site(base.replace(WEB, f"addresses: [{', '.join(addresses)}]"))


# --- site-invalid-address ------------------------------------------------------------------------


def test_invalid_site_addresses():
    text = BASE.replace("cidr: 192.168.20.0/24", "cidr: 192.168.20.0/33")
    text = text.replace("gateway: 192.168.10.1", "gateway: 192.168.11.1")
    text = text.replace(
        "reserved: [192.168.10.2-192.168.10.9]", "reserved: [192.168.10.9-192.168.10.2, 10.1.1.1]"
    )
    text = text.replace("serviceCIDRs: [10.96.0.0/12]", "serviceCIDRs: [10.96.0.0]")
    text = text.replace("address: 192.168.10.11}", "address: 192.168.11.11}")
    text = text.replace("address: 192.168.20.12}", "address: 192.168.20.300}")
    text = site(text)
    found = [d for d in check(text) if d.rule == "site-invalid-address"]
    assert [d.location.line for d in found] == [
        line_of(text, "gateway: 192.168.11.1"),
        line_of(text, "192.168.10.9-192.168.10.2"),
        line_of(text, "cidr: 192.168.20.0/33"),
        line_of(text, "serviceCIDRs"),
        line_of(text, "192.168.11.11"),
        line_of(text, "192.168.20.300"),
    ]
    messages = [d.message for d in found]
    assert "gateway 192.168.11.1 is outside 192.168.10.0/24" in messages[0]
    assert "outside its network 'vlan10'" in messages[4]
    assert all(d.object == "Site/dc1" for d in found)


def test_valid_site_addresses():
    text = BASE.replace("address: 192.168.10.11}", "address: 192.168.10.11/24}")
    text = text.replace("reserved: [", "reserved: [192.168.10.10, 192.168.10.240/28, ")
    assert lines("site-invalid-address", site(text)) == []


# --- site-pool-outside-network -------------------------------------------------------------------


def test_l2_pool_outside_every_network():
    text = with_web("192.168.10.64/27", "192.168.30.0/28", "fc00::/120")
    found = [d for d in check(text) if d.rule == "site-pool-outside-network"]
    assert [(d.location.line, d.path) for d in found] == [
        (line_of(text, "192.168.30.0/28"), "spec.clusters[0].pools[0].addresses[1]")
    ]
    assert "vlan10 192.168.10.0/24" in found[0].message


def test_pool_inside_a_network_or_not_l2():
    inside = with_web("192.168.10.64/27", "192.168.20.64-192.168.20.70")
    assert lines("site-pool-outside-network", inside) == []
    # the BGP pool edge (203.0.113.0/28) is outside every network: not an L2 pool
    assert "203.0.113.0/28" in BASE
    # a site that declares no network
    no_networks = BASE[BASE.index("clusters:") :].replace("network: vlan10, ", "")
    no_networks = no_networks.replace("network: vlan20, ", "")
    text = with_web("192.168.30.0/28", base=no_networks)
    assert check(text) == []  # loads, lowers, and nothing fires


# --- site-pool-reserved --------------------------------------------------------------------------


def test_pool_includes_taken_addresses():
    text = with_web("192.168.10.0/28", "192.168.10.255/32", "10.96.1.0/24", "192.168.10.64/27")
    found = [d for d in check(text) if d.rule == "site-pool-reserved"]
    line = line_of(text, "192.168.10.0/28")
    assert [(d.location.line, d.path) for d in found] == [
        (line, "spec.clusters[0].pools[0].addresses[0]"),
        (line, "spec.clusters[0].pools[0].addresses[1]"),
        (line, "spec.clusters[0].pools[0].addresses[2]"),
    ]
    first = found[0].message
    assert first.startswith("192.168.10.0/28 in pool 'web' of cluster 'a' includes ")
    assert "the gateway of network 'vlan10'" in first and "and 2 more" in first
    assert {r.message for r in found[0].related} == {
        "the gateway of network 'vlan10'",
        "the network address of 'vlan10'",
        "reserved 192.168.10.2-192.168.10.9 of network 'vlan10'",
        "the address of node 'n1' (eth0, a)",
        "the address of node 'n2' (eth0, a)",
    }
    assert "broadcast address of 'vlan10'" in found[1].message
    assert "service CIDR 10.96.0.0/12" in found[2].message
    related_lines = {r.location.line for r in found[0].related}
    assert line_of(text, "gateway: 192.168.10.1") in related_lines
    assert line_of(text, "address: 192.168.10.11") in related_lines


def test_pool_clear_of_taken_addresses():
    assert lines("site-pool-reserved", site(BASE)) == []
    # avoidBuggyIPs: .0 and .255 are never handed out
    text = with_web("192.168.10.255/32").replace(
        "l2: {interfaces", "avoidBuggyIPs: true\n        l2: {interfaces"
    )
    assert lines("site-pool-reserved", text) == []


def test_pool_includes_node_address_of_another_cluster():
    other = """\
  - name: b
    server: https://b:6443
    nodes:
      - name: m1
        interfaces: [{name: eth0, network: vlan20, address: 192.168.20.77}]
"""
    text = site(BASE + other).replace(WEB, "addresses: [192.168.20.64/27]")
    found = [d for d in check(text) if d.rule == "site-pool-reserved"]
    assert [d.location.line for d in found] == [line_of(text, "192.168.20.64/27")]
    assert "node 'm1' (eth0, b)" in found[0].message


# --- site-l2-pool-not-on-node-network ------------------------------------------------------------


def test_l2_pool_not_on_every_selected_node_network():
    text = with_web("192.168.10.64/27", "192.168.20.64/27")
    found = [d for d in check(text) if d.rule == "site-l2-pool-not-on-node-network"]
    # eth0 is the only announcing interface; it is on vlan10 on both nodes
    assert [(d.location.line, d.path) for d in found] == [
        (line_of(text, "192.168.20.64/27"), "spec.clusters[0].pools[0].addresses[1]")
    ]
    assert "2 node(s)" in found[0].message and "(n1, n2)" in found[0].message
    # without the interface restriction n2 reaches vlan20 on eth1, n1 does not
    text = text.replace("l2: {interfaces: [eth0]}", "l2: {}")
    found = [d for d in check(text) if d.rule == "site-l2-pool-not-on-node-network"]
    assert [d.message.split("selects ")[1] for d in found] == ["(n1)"]


def test_l2_pool_on_node_networks_or_unknown():
    assert lines("site-l2-pool-not-on-node-network", site(BASE)) == []
    only_r2 = "l2: {nodeSelectors: [{matchLabels: {rack: r2}}]}"
    text = with_web("192.168.20.64/27").replace("l2: {interfaces: [eth0]}", only_r2)
    assert lines("site-l2-pool-not-on-node-network", text) == []
    # n1's eth0 is on an unknown network: only n2 is judged
    unknown = BASE.replace("{name: eth0, network: vlan10, address: 192.168.10.11}", "{name: eth0}")
    found = [
        d
        for d in check(with_web("192.168.20.64/27", base=unknown))
        if d.rule == "site-l2-pool-not-on-node-network"
    ]
    assert [d.message.split("selects ")[1] for d in found] == ["(n2)"]
