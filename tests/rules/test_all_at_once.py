"""lint: an object with schema errors is reported field by field and checked with what could
be read; no rule reports a consequence of those errors (issue 12, "all at once")."""

from __future__ import annotations

from tests.helpers import NS, lint, pool
from tests.rules.svc import IPS, POOL, l2, line_of, svc

SCHEMA = {"schema-unknown-field", "schema-invalid"}


def found(text: str, **kw: str) -> list[tuple[str, int]]:
    return sorted((d.rule, d.location.line) for d in lint(text, **kw))  # type: ignore[arg-type]


def obj(kind: str, name: str, spec: str, api: str = "metallb.io/v1beta1") -> str:
    return (
        f"---\napiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: {NS}}}\n{spec}"
    )


BROKEN = "---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n" + (
    f"metadata: {{name: web, namespace: {NS}}}\nspec:\n  addresses: 10.0.0.0/28\n"
)
NAMES_WEB = l2("web-l2", "  ipAddressPools: [web]\n") + svc("s", ann={POOL: "web"})
# an address the broken pool holds (as written), and one nothing holds: reported
ASKS = svc("t", ann={IPS: "10.0.0.5"}) + svc("far", ann={IPS: "10.200.0.1"})


def test_a_broken_pool_named_by_an_advertisement_gives_only_the_schema_finding():
    text = BROKEN + NAMES_WEB + ASKS
    assert found(text) == sorted(
        [
            ("schema-invalid", line_of(text, "addresses: 10.0.0.0/28")),
            ("service-ip-outside-pool", line_of(text, "10.200.0.1")),
        ]
    )


def test_a_missing_pool_named_by_an_advertisement_is_reported():
    text = NAMES_WEB + ASKS + pool("db", "10.1.0.10-10.1.0.20") + l2("all")
    assert found(text) == sorted(
        [
            ("adv-unknown-pool", line_of(text, "ipAddressPools: [web]")),
            ("service-unknown-pool", line_of(text, POOL)),
            ("service-ip-outside-pool", line_of(text, "10.0.0.5")),
            ("service-ip-outside-pool", line_of(text, "10.200.0.1")),
        ]
    )


def test_one_typo_in_a_pool_hides_none_of_the_other_mistakes():
    # a misspelt autoAssign, an overlap, an advertisement naming a pool that does not exist,
    # and a Service address outside every pool
    text = (
        pool("web", "10.0.0.0/25", extra="  autoAsign: false\n")
        + pool("db", "10.0.0.64/26")
        + l2("all")
        + l2("gone", "  ipAddressPools: [dbb]\n")
        + svc("a", ann={IPS: "10.9.0.1"})
    )
    assert found(text) == sorted(
        [
            ("schema-unknown-field", line_of(text, "autoAsign")),
            ("pool-overlap", line_of(text, "10.0.0.0/25")),
            ("adv-unknown-pool", line_of(text, "[dbb]")),
            ("service-ip-outside-pool", line_of(text, "10.9.0.1")),
        ]
    )


def test_the_same_kinds_written_otherwise_all_reported_and_nothing_else():
    # a wrong type instead of a misspelt key (pool web), a selector with an invalid entry
    # (advertisement all), and the three other mistakes written otherwise
    text = (
        pool("web", "10.0.0.0/24", extra="  avoidBuggyIPs: 1\n")
        + pool("db", "10.0.0.0/28", "10.2.0.0/28")
        + l2("all", "  nodeSelectors: [{matchLabels: {rack: 7}}]\n")
        + obj("BGPAdvertisement", "gone", "spec:\n  ipAddressPools: [dbx]\n")
        + svc("a", spec="  loadBalancerIP: 10.3.0.1\n")
    )
    assert found(text) == sorted(
        [
            ("schema-invalid", line_of(text, "avoidBuggyIPs")),
            ("schema-invalid", line_of(text, "rack: 7")),
            ("pool-overlap", line_of(text, '"10.0.0.0/24"')),
            ("adv-unknown-pool", line_of(text, "[dbx]")),
            ("service-ip-outside-pool", line_of(text, "10.3.0.1")),
        ]
    )


MANUAL = (
    pool("manual", "10.0.0.0/28", extra="  autoAssign: false\n")
    + l2("all")
    + svc("auto")
    + svc("far", ann={IPS: "10.200.0.1"})
)


def test_a_misspelt_autoassign_decides_nothing():
    typo = MANUAL.replace("autoAssign", "autoAsign")
    far = ("service-ip-outside-pool", line_of(MANUAL, "10.200.0.1"))
    assert found(typo) == sorted([("schema-unknown-field", line_of(typo, "autoAsign")), far])
    auto = ("service-no-pool", line_of(MANUAL, "type: LoadBalancer"))
    assert found(MANUAL) == sorted([auto, far])


def test_an_unreadable_advertisement_may_announce_every_pool():
    text = pool("web", "10.0.0.0/28") + l2("all", "  ipAddressPools: web\n")
    assert found(text) == [("schema-invalid", line_of(text, "ipAddressPools: web"))]
    # an advertisement that names another pool: web is not announced
    other = pool("web", "10.0.0.0/28") + l2("all", "  ipAddressPools: [db]\n")
    assert ("pool-not-advertised", line_of(other, "name: web")) in found(other)


def test_an_unreadable_advertisement_that_names_its_pools_announces_only_those():
    text = (
        pool("web", "10.0.0.0/28")
        + pool("db", "10.1.0.0/28")
        + l2("one", "  ipAddressPools: [web]\n  interfaces: eth0\n")
    )
    # the broken advertisement names web: only db is reported
    assert found(text) == sorted(
        [
            ("schema-invalid", line_of(text, "interfaces: eth0")),
            ("pool-not-advertised", line_of(text, "name: db")),
        ]
    )


PEERS = (
    obj(
        "BGPPeer",
        "tor",
        "spec:\n  myASN: 64500\n  peerASN: 64501\n  peerAddress: 10.0.0.1\n  bfdProfile: fast\n",
        api="metallb.io/v1beta2",
    )
    + obj("BFDProfile", "fast", "spec:\n  receiveInterval: 100\n")
    + obj("BGPAdvertisement", "adv", "spec:\n  peers: [tor]\n  communities: [no-export]\n")
    + obj(
        "Community", "aliases", 'spec:\n  communities: [{name: no-export, value: "65535:65281"}]\n'
    )
    + pool("web", "10.0.0.0/28")
)


def test_names_of_broken_objects_are_not_unknown():
    assert found(PEERS, bgp_mode="frr") == []
    text = (
        PEERS.replace("receiveInterval: 100", "receiveInterval: fast")
        .replace("myASN: 64500", 'myASN: "64500"')
        .replace('value: "65535:65281"', "value: 65535")
    )
    # each broken object gives its schema finding, and no name "does not exist"
    assert found(text, bgp_mode="frr") == sorted(
        [
            ("schema-invalid", line_of(text, "receiveInterval")),
            ("schema-invalid", line_of(text, "myASN")),
            ("schema-invalid", line_of(text, "value: 65535")),
        ]
    )


def test_names_of_missing_objects_are_unknown():
    text = PEERS.replace("name: tor,", "name: tor2,").replace("name: fast,", "name: fast2,")
    text = text.replace("name: aliases,", "name: aliases,").replace(
        "{name: no-export,", "{name: no-exp,"
    )
    assert found(text, bgp_mode="frr") == sorted(
        [
            ("bgpadv-unknown-peer", line_of(text, "peers: [tor]")),
            ("peer-unknown-bfd-profile", line_of(text, "bfdProfile: fast")),
            ("community-invalid", line_of(text, "communities: [no-export]")),
        ]
    )


NODES = (
    "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {rack: r1}}\n"
    "---\napiVersion: v1\nkind: Node\nmetadata: {name: n2, labels: {rack: [r2]}}\n"
    + pool("web", "10.0.0.0/28")
    + l2("r2", "  nodeSelectors: [{matchLabels: {rack: r2}}]\n")
)


def test_a_node_whose_labels_could_not_be_read_may_be_selected():
    assert found(NODES) == [("schema-invalid", line_of(NODES, "rack: [r2]"))]
    fixed = NODES.replace("rack: [r2]", "rack: r3")
    assert found(fixed) == [("node-selector-matches-nothing", line_of(fixed, "rack: r2}"))]


def test_an_object_without_a_kind_may_be_anything():
    text = "---\napiVersion: metallb.io/v1beta1\nmetadata: {name: web}\n" + NAMES_WEB
    assert found(text) == [("object-missing-type", 2)]


def test_a_peer_read_in_part_is_not_compared():
    peer = "spec:\n  myASN: 64500\n  peerASN: 64501\n  peerAddress: 10.0.0.{n}\n  routerID: {rid}\n"
    text = obj("BGPPeer", "a", peer.format(n=1, rid="10.0.0.9"), api="metallb.io/v1beta2")
    text += obj("BGPPeer", "b", peer.format(n=999, rid="[x]"), api="metallb.io/v1beta2")
    bad_address = ("peer-address", line_of(text, "10.0.0.999"))  # the rest of b is checked
    assert found(text, bgp_mode="frr") == sorted(
        [("schema-invalid", line_of(text, "[x]")), bad_address]
    )
    differs = text.replace("[x]", "10.0.0.8")
    assert [r for r, _ in found(differs, bgp_mode="frr")] == ["frr-peer-router-id", "peer-address"]


# --- what the YAML reader could not read -------------------------------------------------------

HEAD = "apiVersion: metallb.io/v1beta1\nkind: {kind}\nmetadata: {{name: web, namespace: NS}}\n"
HEAD = HEAD.replace("NS", NS)
SEPARATE = (
    HEAD.format(kind="IPAddressPool")
    + "spec: {addresses: [10.0.0.0/28]}\n"
    + "---\n"
    + HEAD.format(kind="L2Advertisement")
    + "spec: {ipAddressPools: [web]}\n"
)


def test_objects_without_a_separator_are_one_finding_and_both_are_checked():
    text = SEPARATE.replace("---\n", "\n")
    assert found(text) == [("yaml-duplicate-key", 6)]
    assert found(SEPARATE) == []
    # both are checked: a mistake in the second is found
    wrong = text.replace("ipAddressPools: [web]", "ipAddressPools: [web, db]")
    assert found(wrong) == [("adv-unknown-pool", 9), ("yaml-duplicate-key", 6)]


BROKEN_ADV = (
    pool("web", "10.0.0.0/28")
    + "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
    + f"metadata: {{name: all, namespace: {NS}}}\nspec:\n  ipAddressPools: [web\n"
    + pool("bad", "10.1.0.0/33")
    + l2("for-bad", "  ipAddressPools: [bad]\n")
)


def test_a_document_that_does_not_parse_keeps_absences_quiet_and_hides_no_other():
    syntax = ("yaml-syntax", line_of(BROKEN_ADV, "[web") + 1)  # where the flow list ends
    invalid = ("pool-invalid-address", line_of(BROKEN_ADV, "10.1.0.0/33"))
    assert found(BROKEN_ADV) == sorted([syntax, invalid])
    # without the broken advertisement, nothing announces web
    gone = BROKEN_ADV.replace("  ipAddressPools: [web\n", "  ipAddressPools: [db]\n")
    assert ("pool-not-advertised", line_of(gone, "name: web")) in found(gone)
