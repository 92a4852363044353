"""Silent mistakes in the MetalLB configuration: MetalLB accepts these, they never work."""

from tests.helpers import NS, hits, lint, pool


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return found[nth - 1]


def l2(name: str, spec: str = "") -> str:
    body = f"spec:\n{spec}" if spec else ""
    return (
        f"---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\n{body}"
    )


def bgpadv(name: str, spec: str = "") -> str:
    body = f"spec:\n{spec}" if spec else ""
    return (
        f"---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\n{body}"
    )


def peer(name: str, extra: str = "") -> str:
    return (
        f"---\napiVersion: metallb.io/v1beta2\nkind: BGPPeer\n"
        f"metadata: {{name: {name}, namespace: {NS}}}\n"
        f"spec:\n  myASN: 64512\n  peerASN: 64513\n  peerAddress: 10.0.0.1\n{extra}"
    )


def node(name: str, labels: str) -> str:
    return f"---\napiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels: {labels}\n"


def severities(text: str, rule: str) -> set[str]:
    return {str(d.severity) for d in lint(text, compat=True) if d.rule == rule}


# --- adv-unknown-pool ---------------------------------------------------------------------------


def test_adv_unknown_pool_points_at_the_name():
    text = pool("web", "10.0.0.0/24") + l2("a", "  ipAddressPools: [web, wbe]\n")
    text += bgpadv("b", "  ipAddressPools:\n  - web\n  - gone\n")
    assert hits(text, "adv-unknown-pool") == [line_of(text, "[web, wbe]"), line_of(text, "- gone")]
    msgs = [d.message for d in lint(text) if d.rule == "adv-unknown-pool"]
    assert "did you mean 'web'?" in msgs[0]
    assert severities(text, "adv-unknown-pool") == {"warning"}


def test_adv_known_pools_pass():
    text = pool("web", "10.0.0.0/24") + l2("a", "  ipAddressPools: [web]\n") + bgpadv("b")
    assert hits(text, "adv-unknown-pool") == []
    typo = text.replace("[web]", "[wbe]")
    assert hits(typo, "adv-unknown-pool") == [line_of(typo, "[wbe]")]


# --- adv-selects-no-pool ------------------------------------------------------------------------


def test_adv_selects_no_pool():
    text = (
        pool("web", "10.0.0.0/24", extra="")
        + l2("names", "  ipAddressPools: [nope]\n")
        + bgpadv("sel", "  ipAddressPoolSelectors:\n  - matchLabels: {zone: b}\n")
    )
    # a missing name is one mistake, one finding: adv-unknown-pool's, not this rule's too
    assert hits(text, "adv-selects-no-pool") == [line_of(text, "ipAddressPoolSelectors:")]
    assert hits(text, "adv-unknown-pool") == [line_of(text, "ipAddressPools: [nope]")]
    assert severities(text, "adv-selects-no-pool") == {"warning"}


def test_adv_naming_only_missing_pools_gets_one_finding_per_name():
    text = (
        pool("web", "10.0.0.0/24")
        + bgpadv("one", "  ipAddressPools: [default]\n")
        + bgpadv("two", "  ipAddressPools:\n  - default\n  - old\n")
        + l2(
            "mixed", "  ipAddressPools: [gone]\n  ipAddressPoolSelectors: [{matchLabels: {a: b}}]\n"
        )
    )
    found = sorted((d.location.line, d.rule) for d in lint(text) if d.rule.startswith("adv-"))
    assert found == [
        (line_of(text, "[default]"), "adv-unknown-pool"),
        (line_of(text, "- default"), "adv-unknown-pool"),
        (line_of(text, "- old"), "adv-unknown-pool"),
        (line_of(text, "[gone]"), "adv-unknown-pool"),
        # the selectors are a mistake of their own: they match no pool either
        (line_of(text, "ipAddressPoolSelectors"), "adv-selects-no-pool"),
    ]
    mixed = [d.message for d in lint(text) if d.rule == "adv-selects-no-pool"]
    assert mixed == [
        "L2Advertisement 'mixed' has pool selectors that match no pool and names no existing "
        "pool, so it announces nothing"
    ]


def test_adv_selecting_a_pool_or_all_pools_passes():
    labelled = pool("web", "10.0.0.0/24").replace(
        f"namespace: {NS}}}", f"namespace: {NS}, labels: {{zone: b}}}}"
    )
    text = (
        labelled
        + l2("all")
        + l2("one", "  ipAddressPools: [nope, web]\n")
        + bgpadv("sel", "  ipAddressPoolSelectors:\n  - matchLabels: {zone: b}\n")
    )
    assert hits(text, "adv-selects-no-pool") == []
    unlabelled = text.replace(labelled, pool("web", "10.0.0.0/24"))
    assert hits(unlabelled, "adv-selects-no-pool") == [
        line_of(unlabelled, "ipAddressPoolSelectors:")
    ]


def test_adv_with_invalid_pool_selector_is_left_to_selector_rules():
    text = pool("web", "10.0.0.0/24") + l2(
        "bad", "  ipAddressPoolSelectors:\n  - matchExpressions: [{key: a, operator: in}]\n"
    )
    assert hits(text, "adv-selects-no-pool") == []
    valid = text.replace("operator: in", "operator: Exists")
    assert hits(valid, "adv-selects-no-pool") == [line_of(valid, "ipAddressPoolSelectors:")]


# --- bgpadv-unknown-peer ------------------------------------------------------------------------


def test_bgpadv_unknown_peer():
    text = pool("web", "10.0.0.0/24") + peer("tor1") + bgpadv("b", "  peers: [tor1, tor2]\n")
    assert hits(text, "bgpadv-unknown-peer") == [line_of(text, "peers: [tor1, tor2]")]
    assert "'tor2'" in next(d.message for d in lint(text) if d.rule == "bgpadv-unknown-peer")
    assert severities(text, "bgpadv-unknown-peer") == {"warning"}


def test_bgpadv_known_peer_passes():
    text = pool("web", "10.0.0.0/24") + peer("tor1") + bgpadv("b", "  peers: [tor1]\n")
    assert hits(text, "bgpadv-unknown-peer") == []
    other = text.replace("peers: [tor1]", "peers: [tor2]")
    assert hits(other, "bgpadv-unknown-peer") == [line_of(other, "peers: [tor2]")]


# --- pool-not-advertised ------------------------------------------------------------------------


def test_pool_not_advertised():
    text = pool("web", "10.0.0.0/24") + pool("dark", "10.0.1.0/24")
    text += l2("a", "  ipAddressPools: [web]\n")
    assert hits(text, "pool-not-advertised") == [line_of(text, "name: dark")]
    assert severities(text, "pool-not-advertised") == {"warning"}


def test_pool_advertised_by_l2_bgp_or_catch_all():
    text = pool("a", "10.0.0.0/24") + pool("b", "10.0.1.0/24")
    assert hits(text + l2("x", "  ipAddressPools: [a]\n"), "pool-not-advertised") == [
        line_of(text, "name: b")
    ]
    both = text + l2("x", "  ipAddressPools: [a]\n") + bgpadv("y", "  ipAddressPools: [b]\n")
    assert hits(both, "pool-not-advertised") == []
    one_only = text + bgpadv("all", "  ipAddressPools: [a]\n")
    assert hits(one_only, "pool-not-advertised") == [line_of(text, "name: b")]
    assert hits(text + bgpadv("all"), "pool-not-advertised") == []


# --- node-selector-matches-nothing --------------------------------------------------------------

NODES = node("node-a", "{kubernetes.io/hostname: node-a}") + node("node-b", "{rack: r2}")


def test_node_selector_matches_nothing():
    text = (
        pool("web", "10.0.0.0/24")
        + l2("a", "  nodeSelectors:\n  - matchLabels: {kubernetes.io/hostname: NodeA}\n")
        + bgpadv("b", "  nodeSelectors:\n  - matchLabels: {rack: r9}\n  - matchLabels: {x: y}\n")
        + peer(
            "p",
            "  nodeSelectors:\n  - matchExpressions: [{key: rack, operator: In, values: [r3]}]\n",
        )
        + NODES
    )
    assert hits(text, "node-selector-matches-nothing") == [
        line_of(text, "NodeA"),
        line_of(text, "nodeSelectors:", 2),
        line_of(text, "values: [r3]"),
    ]
    msg = next(d.message for d in lint(text) if d.rule == "node-selector-matches-nothing")
    assert "node-a, node-b" in msg
    assert severities(text, "node-selector-matches-nothing") == {"warning"}


def test_node_selector_matching_a_node_or_no_nodes_in_input():
    sel = "  nodeSelectors:\n  - matchLabels: {kubernetes.io/hostname: NodeA}\n  - {}\n"
    assert (
        hits(pool("web", "10.0.0.0/24") + l2("a", sel) + NODES, "node-selector-matches-nothing")
        == []
    )
    only = "  nodeSelectors:\n  - matchLabels: {kubernetes.io/hostname: NodeA}\n"
    # the same selector without `- {}` matches no Node
    with_nodes = pool("web", "10.0.0.0/24") + l2("a", only) + NODES
    assert hits(with_nodes, "node-selector-matches-nothing") == [line_of(with_nodes, "NodeA")]
    # ... and is not judged when the input has no Nodes
    assert hits(pool("web", "10.0.0.0/24") + l2("a", only), "node-selector-matches-nothing") == []
    invalid = "  nodeSelectors:\n  - matchExpressions: [{key: a, operator: Exist}]\n"
    assert hits(l2("a", invalid) + NODES, "node-selector-matches-nothing") == []
    valid = l2("a", invalid.replace("operator: Exist}", "operator: Exists}")) + NODES
    assert hits(valid, "node-selector-matches-nothing") == [line_of(valid, "matchExpressions")]


# --- pool-range-mixed-family / pool-ipv4-mapped -------------------------------------------------


def test_pool_range_mixed_family():
    text = pool("a", "10.0.0.1-fc00::1", "10.0.1.0/24")
    assert hits(text, "pool-range-mixed-family") == [line_of(text, "fc00::1")]
    assert hits(text, "pool-invalid-address") == []
    assert severities(text, "pool-range-mixed-family") == {"warning"}
    # IPv6 first fails MetalLB's start <= end check: another rule's finding
    swapped = pool("a", "fc00::1-10.0.0.1")
    assert hits(swapped, "pool-range-mixed-family") == []
    assert hits(swapped, "pool-invalid-address") == [line_of(swapped, "fc00::1")]
    same = pool("a", "10.0.0.1-10.0.0.9", "fc00::1-fc00::9")
    assert hits(same, "pool-range-mixed-family") == []
    mixed = pool("a", "10.0.0.1-fc00::9", "fc00::1-fc00::9")
    assert hits(mixed, "pool-range-mixed-family") == [line_of(mixed, "fc00::9")]


def test_pool_ipv4_mapped():
    text = (
        "---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        f"metadata: {{name: a, namespace: {NS}}}\nspec:\n  addresses:\n"
        "  - ::ffff:192.168.1.0/120\n  - ::ffff:10.0.0.1-::ffff:10.0.0.9\n  - 10.1.0.0/24\n"
    )
    assert hits(text, "pool-ipv4-mapped") == [7, 8]
    msgs = [d.message for d in lint(text) if d.rule == "pool-ipv4-mapped"]
    assert "write '192.168.1.0/24'" in msgs[0]
    assert "write '10.0.0.1-10.0.0.9'" in msgs[1]
    assert severities(text, "pool-ipv4-mapped") == {"warning"}
    assert hits(pool("a", "192.168.1.0/24", "fc00::/120"), "pool-ipv4-mapped") == []
    mapped = pool("a", "::ffff:192.168.1.0/120", "fc00::/120")
    assert hits(mapped, "pool-ipv4-mapped") == [line_of(mapped, "::ffff:")]
