from tests.builders import bgpadv, l2adv, line_of, node, obj, peer
from tests.helpers import hits, lint, pool

POOL = pool("p", "10.0.0.0/24")
SELECTORS = "v0.16.0"  # the first MetalLB release with serviceSelectors on advertisements


def at(case: str) -> str | None:
    """The release to check a case at: SELECTORS when it uses serviceSelectors."""
    return SELECTORS if "serviceSelectors" in case else None


# --- duplicate-list-entry --------------------------------------------------------------------


def test_duplicate_list_entries():
    text = (
        pool("p", "10.0.0.0/24", extra="  serviceAllocation: {namespaces: [a, b, a]}\n")
        + l2adv("l", "{ipAddressPools: [p, p]}")
        + bgpadv("b", "\n  ipAddressPools: [p]\n  peers: [x, x]\n  communities: ['1:1', '1:1']\n")
    )
    diags = [d for d in lint(text) if d.rule == "duplicate-list-entry"]
    assert [(d.location.line, d.path) for d in diags] == [
        (line_of(text, "namespaces"), "spec.serviceAllocation.namespaces[2]"),
        (line_of(text, "ipAddressPools: [p, p]"), "spec.ipAddressPools[1]"),
        (line_of(text, "peers: [x, x]"), "spec.peers[1]"),
        (line_of(text, "communities:"), "spec.communities[1]"),
    ]


def test_distinct_entries_and_interfaces_are_fine():
    text = POOL + l2adv("l", "{ipAddressPools: [p, q], interfaces: [eth0, eth0]}")
    text += bgpadv("b", "{communities: ['65000:1', '65000:01'], peers: [x, y]}")
    assert hits(text, "duplicate-list-entry") == []


# --- bgpadv-aggregation-selectors ------------------------------------------------------------


def test_service_selectors_with_aggregation():
    text = POOL + bgpadv(
        "b",
        "\n  aggregationLength: 24\n  aggregationLengthV6: 64\n"
        "  serviceSelectors: [{matchLabels: {a: b}}]\n",
    )
    assert hits(text, "bgpadv-aggregation-selectors", version=SELECTORS) == [
        line_of(text, "aggregationLength: 24"),
        line_of(text, "aggregationLengthV6: 64"),
    ]


def test_service_selectors_with_default_aggregation():
    text = POOL + bgpadv(
        "b", "{aggregationLength: 32, aggregationLengthV6: 128, serviceSelectors: [{}]}"
    )
    text += bgpadv("c", "{aggregationLength: 24, serviceSelectors: []}")
    assert hits(text, "bgpadv-aggregation-selectors", version=SELECTORS) == []


# --- bgpadv-aggregation-length ---------------------------------------------------------------


def test_aggregation_length_over_maximum():
    text = bgpadv("b", "\n  aggregationLength: 33\n  aggregationLengthV6: 129\n")
    assert hits(text, "bgpadv-aggregation-length") == [
        line_of(text, "aggregationLength: 33"),
        line_of(text, "aggregationLengthV6: 129"),
    ]


def test_aggregation_shorter_than_pool_prefix():
    text = pool("p", "10.20.30.40/24", "1.2.3.0/28") + bgpadv("b", "{aggregationLength: 26}")
    diags = [d for d in lint(text) if d.rule == "bgpadv-aggregation-length"]
    assert [d.location.line for d in diags] == [line_of(text, "aggregationLength: 26")]
    assert "/28 of '1.2.3.0/28'" in diags[0].message
    assert diags[0].related[0].location.line == line_of(text, "addresses")


def test_aggregation_fits_pool_prefixes():
    text = pool("p", "10.20.30.40/24", "fc00::/64") + bgpadv(
        "b", "{aggregationLength: 24, aggregationLengthV6: 64}"
    )
    assert hits(text, "bgpadv-aggregation-length") == []


def test_aggregation_only_checks_attached_pools():
    text = (
        pool("wide", "10.0.0.0/16")
        + pool("narrow", "10.1.0.0/28")
        + bgpadv("b", "{aggregationLength: 16, ipAddressPools: [wide]}")
    )
    assert hits(text, "bgpadv-aggregation-length") == []
    text += bgpadv("c", "{aggregationLength: 16}")  # no pool selection: all pools
    assert hits(text, "bgpadv-aggregation-length") == [line_of(text, "name: c,") + 1]


def test_aggregation_v6_negative_only_matters_with_ipv6_pools():
    text = POOL + bgpadv("b", "{aggregationLengthV6: -1}")
    assert hits(text, "bgpadv-aggregation-length") == []
    text = pool("p", "fc00::/64") + bgpadv("b", "{aggregationLengthV6: -1}")
    assert hits(text, "bgpadv-aggregation-length") == [line_of(text, "aggregationLengthV6")]


def test_mapped_ipv6_cidr_keeps_its_mask_length():
    text = pool("p", "::ffff:10.0.0.0/120") + bgpadv("b")
    assert hits(text, "bgpadv-aggregation-length") == [line_of(text, "spec: {}")]


# --- bgpadv-localpref-conflict ---------------------------------------------------------------


def test_localpref_conflict_needs_shared_nodes():
    zoned = "{localPref: 200, nodeSelectors: [{matchLabels: {zone: b}}]}"
    text = POOL + bgpadv("a", "{localPref: 100}") + bgpadv("b", zoned)
    assert hits(text, "bgpadv-localpref-conflict") == []  # no Nodes: shared nodes unknown
    text = POOL + bgpadv("a", "{localPref: 100}") + bgpadv("b", "{localPref: 200}")
    text += node("n1")
    diags = [d for d in lint(text) if d.rule == "bgpadv-localpref-conflict"]
    assert [d.location.line for d in diags] == [line_of(text, "localPref: 200")]
    assert diags[0].related[0].location.line == line_of(text, "localPref: 100")
    assert "'b' localPref 200 conflicts with 'a' localPref 100 for pool 'p'" in diags[0].message


def test_localpref_conflict_without_nodes_for_advertisements_on_every_node():
    # no Node in the input: two advertisements without node selectors meet on any node
    labelled = pool("edge", "fc00::/64").replace(
        "namespace: metallb-system}", "namespace: metallb-system, labels: {tier: edge}}"
    )
    text = (
        labelled
        + bgpadv("first", "{ipAddressPoolSelectors: [{matchLabels: {tier: edge}}]}")
        + bgpadv("second", "\n  localPref: 50\n  nodeSelectors: [{}]\n  aggregationLength: 8\n")
    )
    diags = [d for d in lint(text) if d.rule == "bgpadv-localpref-conflict"]
    assert [d.location.line for d in diags] == [line_of(text, "localPref: 50")]
    assert diags[0].message == (
        "BGPAdvertisement 'second' localPref 50 conflicts with 'first' localPref 0 for pool "
        "'edge' (both apply to every node)"
    )
    assert diags[0].related[0].location.line == line_of(text, "name: first,") + 1
    assert [str(d.severity) for d in lint(text, compat=True) if d.rule == diags[0].rule] == [
        "error"
    ]


def test_localpref_without_nodes_quiet_when_nodes_decide_or_updates_differ():
    zone = "nodeSelectors: [{matchLabels: {zone: a}}]"
    cases = [
        # one has node selectors: whether they share a node is unknown
        bgpadv("a", "{localPref: 100}") + bgpadv("b", f"{{localPref: 200, {zone}}}"),
        bgpadv("a", f"{{localPref: 100, {zone}}}") + bgpadv("b", f"{{localPref: 200, {zone}}}"),
        # different peers, different aggregation (issue 2345's case), service selectors
        bgpadv("a", "{localPref: 100, peers: [r1]}") + bgpadv("b", "{localPref: 5, peers: [r2]}"),
        bgpadv("a", "{localPref: 100}") + bgpadv("b", "{aggregationLength: 27}"),
        bgpadv("a", "{localPref: 1}") + bgpadv("b", "{localPref: 2, serviceSelectors: [{}]}"),
    ]
    for case in cases:
        assert hits(POOL + case, "bgpadv-localpref-conflict", version=at(case)) == [], case


def test_localpref_compatible_cases():
    base = POOL + node("n1", "{zone: a}") + node("n2", "{zone: b}")
    cases = [
        # same localPref
        bgpadv("a", "{localPref: 100}") + bgpadv("b", "{localPref: 100}"),
        # different IPv4 aggregation on an IPv4-only pool
        bgpadv("a", "{localPref: 100}") + bgpadv("b", "{localPref: 200, aggregationLength: 24}"),
        # disjoint peers
        bgpadv("a", "{localPref: 100, peers: [x]}") + bgpadv("b", "{localPref: 200, peers: [y]}"),
        # disjoint nodes
        bgpadv("a", "{localPref: 100, nodeSelectors: [{matchLabels: {zone: a}}]}")
        + bgpadv("b", "{localPref: 200, nodeSelectors: [{matchLabels: {zone: b}}]}"),
        # service selectors exempt
        bgpadv("a", "{localPref: 100}")
        + bgpadv("b", "{localPref: 200, serviceSelectors: [{matchLabels: {a: b}}]}"),
        # different pools
        pool("q", "10.1.0.0/24")
        + bgpadv("a", "{localPref: 100, ipAddressPools: [p]}")
        + bgpadv("b", "{localPref: 200, ipAddressPools: [q]}"),
    ]
    for case in cases:
        assert hits(base + case, "bgpadv-localpref-conflict", version=at(case)) == [], case


def test_localpref_aggregation_difference_by_pool_families():
    dual = pool("p", "10.0.0.0/24", "fc00::/64") + node("n1")
    v4_only_differs = bgpadv("a", "{localPref: 100}") + bgpadv(
        "b", "{localPref: 200, aggregationLength: 24}"
    )
    both_differ = bgpadv("a", "{localPref: 100}") + bgpadv(
        "b", "{localPref: 200, aggregationLength: 24, aggregationLengthV6: 64}"
    )
    assert len(hits(dual + v4_only_differs, "bgpadv-localpref-conflict")) == 1
    assert hits(dual + both_differ, "bgpadv-localpref-conflict") == []
    v6 = pool("p", "fc00::/64") + node("n1")
    v6_only_differs = bgpadv("a", "{localPref: 100}") + bgpadv(
        "b", "{localPref: 200, aggregationLengthV6: 64}"
    )
    assert hits(v6 + v6_only_differs, "bgpadv-localpref-conflict") == []
    assert len(hits(v6 + v4_only_differs, "bgpadv-localpref-conflict")) == 1


def test_localpref_overlapping_peers_conflict():
    text = (
        POOL
        + node("n1")
        + bgpadv("a", "{localPref: 100, peers: [x, y]}")
        + bgpadv("b", "{localPref: 200, peers: [y]}")
        + bgpadv("c", "{localPref: 300}")
    )
    assert hits(text, "bgpadv-localpref-conflict") == [
        line_of(text, "localPref: 200"),
        line_of(text, "localPref: 300"),
        line_of(text, "localPref: 300"),
    ]


# --- bfd-echo-ipv6 ---------------------------------------------------------------------------

ECHO = obj("BFDProfile", "echo", "{echoMode: true}") + obj("BFDProfile", "plain", "{}")


def echo_peer(name: str, profile: str) -> str:
    return peer(name, f"{{myASN: 1, peerASN: 2, peerAddress: 10.9.0.1, bfdProfile: {profile}}}")


def test_bfd_echo_with_ipv6_pool():
    text = pool("p", "fc00::/64") + ECHO + echo_peer("r1", "echo") + bgpadv("all")
    text += bgpadv("named", "{peers: [r1]}")
    diags = [d for d in lint(text) if d.rule == "bfd-echo-ipv6"]
    assert [d.location.line for d in diags] == [
        line_of(text, "name: all,") + 1,
        line_of(text, "peers: [r1]"),
    ]
    assert diags[0].related[0].location.line == line_of(text, "bfdProfile: echo")


def test_bfd_echo_without_ipv6_or_echo_peers():
    v4 = pool("p", "10.0.0.0/24", "::ffff:10.1.0.0/120") + ECHO + echo_peer("r1", "echo")
    assert hits(v4 + bgpadv("all"), "bfd-echo-ipv6") == []
    v6 = pool("p", "fc00::/64") + ECHO + echo_peer("r1", "echo") + echo_peer("r2", "plain")
    assert hits(v6 + bgpadv("b", "{peers: [r2, missing]}"), "bfd-echo-ipv6") == []
    assert hits(v6 + l2adv("l"), "bfd-echo-ipv6") == []


# --- native-ipv6-bgp-pool --------------------------------------------------------------------


def test_native_ipv6_pool_behind_bgp():
    text = pool("v6", "10.0.0.0/24", "fc00::/64") + bgpadv("b")
    assert hits(text, "native-ipv6-bgp-pool", bgp_mode="native") == [line_of(text, "addresses")]
    assert hits(text, "native-ipv6-bgp-pool", bgp_mode="frr") == []
    assert hits(text, "native-ipv6-bgp-pool") == []


def test_native_ipv6_pool_not_selected_by_bgp():
    text = (
        pool("v6", "fc00::/64")
        + pool("v4", "10.0.0.0/24", "::ffff:10.1.0.0/120")
        + bgpadv("b", "{ipAddressPools: [v4]}")
        + l2adv("l")
    )
    assert hits(text, "native-ipv6-bgp-pool", bgp_mode="native") == []


def test_native_ipv6_pool_selected_by_label():
    text = obj("IPAddressPool", "v6", '{addresses: ["fc00::/64"]}', labels="{bgp: 'yes'}")
    text += bgpadv("b", "{ipAddressPoolSelectors: [{matchLabels: {bgp: 'yes'}}]}")
    assert hits(text, "native-ipv6-bgp-pool", bgp_mode="native") == [line_of(text, "addresses")]
