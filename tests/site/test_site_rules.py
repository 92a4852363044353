"""Per-cluster site rules: a failing and a passing case each, asserting the site spec line."""

from gitops_lb.manifests import config_from_files
from gitops_lb.rules import all_rules, run_rules
from gitops_lb.yamlload import load_text
from tests.site.fixtures import BASE, NODES
from tests.site.helpers import check, line_of, lines, site


def test_base_is_clean():
    assert [d.rule for d in check(site(BASE))] == []


def test_site_rules_skip_plain_manifests():
    text = """\
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: p, namespace: metallb-system}
spec: {myASN: 1, peerASN: 2, peerAddress: 10.0.0.1, password: x}
---
apiVersion: v1
kind: Node
metadata: {name: n1, labels: {rack: r1}}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
spec: {nodeSelectors: [{matchLabels: {rack: r9}}], interfaces: [eth9]}
"""
    cfg = config_from_files([load_text(text, "m.yaml")])
    assert run_rules(cfg, categories=["site"]) == []
    site_rules = [r for r in all_rules().values() if r.id.startswith("site-")]
    assert {r.id for r in site_rules if r.category != "site"} == {"site-not-a-site"}


# --- site-unknown-network ------------------------------------------------------------------------


def test_unknown_network():
    text = site(BASE.replace("network: vlan20", "network: vlan2O"))
    assert lines("site-unknown-network", text) == [line_of(text, "vlan2O")]
    d = next(d for d in check(text) if d.rule == "site-unknown-network")
    assert "did you mean 'vlan20'?" in d.message
    assert d.object == "Site/dc1"
    assert d.path == "spec.clusters[0].nodes[1].interfaces[1].network"


def test_known_network():
    assert lines("site-unknown-network", site(BASE)) == []


# --- site-password-in-clear ----------------------------------------------------------------------


def test_password_in_clear():
    text = site(
        BASE.replace("peerAddress: 10.0.0.1", "peerAddress: 10.0.0.1\n        password: s3")
    )
    found = [d for d in check(text) if d.rule == "site-password-in-clear"]
    assert [d.location.line for d in found] == [line_of(text, "password: s3")]
    assert "s3" not in found[0].message and "passwordSecret" in found[0].message
    assert str(found[0].severity) == "error"
    assert [d.rule for d in check(text, compat=True) if str(d.severity) == "error"] == []


def test_password_secret_is_fine():
    secret = "peerAddress: 10.0.0.1\n        passwordSecret: {name: tor1}"
    assert (
        lines("site-password-in-clear", site(BASE.replace("peerAddress: 10.0.0.1", secret))) == []
    )


# --- site-node-selector-no-node ------------------------------------------------------------------

L2_SELECTORS = "l2: {nodeSelectors: [{matchLabels: {rack: r2}}, {matchLabels: {rack: rX}}]}"


def test_node_selector_matching_no_node():
    text = BASE.replace("{rack: r1}}]", "{rack: r3}}]")
    text = site(text.replace("l2: {interfaces: [eth0]}", L2_SELECTORS))
    found = [d for d in check(text) if d.rule == "site-node-selector-no-node"]
    assert [d.location.line for d in found] == [
        line_of(text, "rack: rX"),
        line_of(text, "rack: r3"),
    ]
    assert [d.path for d in found] == [
        "spec.clusters[0].pools[0].l2.nodeSelectors[1]",
        "spec.clusters[0].bgpPeers[0].nodeSelectors[0]",
    ]
    assert found[0].object == "Site/dc1"


def test_node_selector_matching_a_node_or_no_inventory():
    assert lines("site-node-selector-no-node", site(BASE)) == []
    no_inventory = BASE.replace(NODES, "").replace("{rack: r1}}]", "{rack: r3}}]")
    assert lines("site-node-selector-no-node", site(no_inventory)) == []


# --- site-interface-not-on-node ------------------------------------------------------------------


def test_interface_not_on_selected_nodes():
    text = BASE.replace(
        "l2: {interfaces: [eth0]}",
        L2_SELECTORS.replace("}]}", "}], interfaces: [eth0, eth1, eth9]}"),
    )
    text = site(text.replace("{rack: rX}", "{rack: r1}"))
    found = [d for d in check(text) if d.rule == "site-interface-not-on-node"]
    assert [(d.location.line, d.path) for d in found] == [
        (line_of(text, "eth9"), "spec.clusters[0].pools[0].l2.interfaces[2]")
    ]
    assert "'eth9'" in found[0].message


def test_interface_present_or_unknown():
    assert lines("site-interface-not-on-node", site(BASE)) == []
    only_r1 = "l2: {nodeSelectors: [{matchLabels: {rack: r1}}], interfaces: [eth1]}"
    text = site(BASE.replace("l2: {interfaces: [eth0]}", only_r1))
    assert lines("site-interface-not-on-node", text) == [line_of(text, "interfaces: [eth1]")]
    # a selected node that lists no interfaces could have any
    unknown = BASE.replace(
        """        interfaces:
          - {name: eth0, network: vlan10, address: 192.168.10.11}
""",
        "",
    )
    assert (
        lines(
            "site-interface-not-on-node", site(unknown.replace("l2: {interfaces: [eth0]}", only_r1))
        )
        == []
    )
