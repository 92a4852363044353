"""The shared speaker plan: which nodes may announce a pool, on which interfaces."""

from gitops_lb.metallb.speakerplan import (
    EXCLUDE_LABEL,
    announcing,
    bgp_advertisements,
    l2_advertisements,
    l2_allowed,
)
from tests.builders import bgpadv, l2adv
from tests.helpers import config, pool

NODES = [
    ("a", {"zone": "x"}),
    ("b", {"zone": "y"}),
    ("c", {"zone": "x", EXCLUDE_LABEL: ""}),
]


def allowed(*docs: str, service_labels: dict[str, str] | None = None):
    # the newest release: L2Advertisement serviceSelectors came with v0.16.0
    cfg = config(pool("p", "10.0.0.0/28") + "".join(docs), version="v0.16.1")
    return l2_allowed(cfg, cfg.pools[0], NODES, service_labels)


def test_no_advertisement_no_node():
    assert allowed() == {}


def test_every_node_but_the_excluded_one_on_any_interface():
    assert allowed(l2adv("all")) == {"a": None, "b": None}


def test_node_selectors_and_interfaces_union():
    docs = (
        l2adv("x", "{nodeSelectors: [{matchLabels: {zone: x}}], interfaces: [eth1]}"),
        l2adv("x2", "{nodeSelectors: [{matchLabels: {zone: x}}], interfaces: [eth0, eth1]}"),
        l2adv("y", "{nodeSelectors: [{matchLabels: {zone: y}}], interfaces: [eth2]}"),
    )
    assert allowed(*docs) == {"a": frozenset({"eth0", "eth1"}), "b": frozenset({"eth2"})}


def test_one_advertisement_without_interfaces_allows_all():
    docs = (l2adv("some", "{interfaces: [eth1]}"), l2adv("any", "{}"))
    assert allowed(*docs) == {"a": None, "b": None}


def test_invalid_node_selector_selects_nothing():
    bad = "{nodeSelectors: [{matchExpressions: [{key: zone, operator: in, values: [x]}]}]}"
    assert allowed(l2adv("bad", bad)) == {}


def test_service_selectors_count_only_with_service_labels():
    doc = l2adv("web", "{serviceSelectors: [{matchLabels: {app: web}}], interfaces: [eth1]}")
    assert allowed(doc) == {"a": frozenset({"eth1"}), "b": frozenset({"eth1"})}
    assert allowed(doc, service_labels={"app": "db"}) == {}
    assert allowed(doc, service_labels={"app": "web"}) == {
        "a": frozenset({"eth1"}),
        "b": frozenset({"eth1"}),
    }


def test_announcing_bgp_advertisements_by_node_labels():
    text = pool("p", "10.0.0.0/28") + bgpadv("core", "{nodeSelectors: [{matchLabels: {zone: y}}]}")
    cfg = config(text)
    p = cfg.pools[0]
    assert l2_advertisements(cfg, p) == []
    ads = bgp_advertisements(cfg, p)
    assert [a.name for a in ads] == ["core"]
    assert [a.name for a in announcing(ads, {"zone": "y"})] == ["core"]
    assert announcing(ads, {"zone": "x"}) == []
    assert announcing(ads, {"zone": "y", EXCLUDE_LABEL: "true"}) == []
