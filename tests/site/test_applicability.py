"""Which rules run on site specs and which only on manifests (Rule.applies).

Some manifest rules are replaced on site specs by a site rule that says the same in site terms
(and run again when that rule is disabled); others never run on site specs, because lowering
makes what they look for on purpose or a site spec cannot hold what they need.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from gitops_lb.check import validate_sites
from gitops_lb.rules import all_rules
from gitops_lb.rules._base import MANIFESTS_ONLY, SITES_ONLY, Applicability, Input
from gitops_lb.site.lower import lower_all
from tests.helpers import NS, lint, pool
from tests.site.fixtures import BASE
from tests.site.helpers import load, site

PEER_AT = "peerAddress: 10.0.0.1"
SERVICE = """\
    services:
      - name: nginx
        pool: web
        ports: [{port: 80}]
"""


def on_site(body: str, disabled: Iterable[str] = ()) -> set[str]:
    sl = load(site(body))
    return {d.rule for d in validate_sites(sl, lower_all(sl), disabled=disabled)}


REPLACED = {
    "node-selector": (
        BASE.replace("{matchLabels: {rack: r1}}", "{matchLabels: {rack: r9}}"),
        "site-node-selector-no-node",
        "node-selector-matches-nothing",
    ),
    "password": (
        BASE.replace(PEER_AT, PEER_AT + "\n        password: s3"),
        "site-password-in-clear",
        "peer-plaintext-password",
    ),
    "duplicate": (
        BASE + SERVICE + SERVICE.removeprefix("    services:\n"),
        "site-duplicate-name",
        "object-duplicate",
    ),
    # MetalLB v0.15.0 only refuses a pool holding a node's address
    "node-ip": (
        "metallb: {version: v0.15.0}\n"
        + BASE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/28]"),
        "site-pool-reserved",
        "pool-contains-node-ip",
    ),
}


@pytest.mark.parametrize("case", sorted(REPLACED))
def test_a_site_rule_replaces_a_manifest_rule_while_it_is_enabled(case):
    body, site_rule, manifest_rule = REPLACED[case]
    found = on_site(body)
    assert site_rule in found and manifest_rule not in found
    found = on_site(body, disabled=[site_rule])
    assert site_rule not in found and manifest_rule in found


NOT_ON_SITES = {
    "peer-password-secret": (
        BASE.replace(PEER_AT, PEER_AT + "\n        passwordSecret: {name: tor1}"),
        "---\napiVersion: metallb.io/v1beta2\nkind: BGPPeer\n"
        f"metadata: {{name: p, namespace: {NS}}}\n"
        "spec: {myASN: 1, peerASN: 2, peerAddress: 10.0.0.1, passwordSecret: {name: tor1}}\n",
    ),
    "pool-subnet-edges": (
        BASE.replace("addresses: [192.168.10.64/27]", "addresses: [192.168.10.0/24]"),
        pool("web", "192.168.10.0/24")
        + "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
        f"metadata: {{name: l2, namespace: {NS}}}\n",
    ),
    "service-deprecated-annotation": (
        "metallb: {annotationPrefix: metallb.universe.tf}\n" + BASE + SERVICE,
        pool("web", "192.168.10.64/27")
        + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\n  namespace: default\n"
        "  annotations: {metallb.universe.tf/address-pool: web}\n"
        "spec: {type: LoadBalancer, ports: [{port: 80}]}\n",
    ),
    # a site spec writes a Service's address as ips:, which compile turns into the annotation
    "service-lbip-field": (
        BASE + SERVICE.replace("        pool: web\n", "        ips: [192.168.10.70]\n"),
        pool("web", "192.168.10.64/27")
        + "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
        f"metadata: {{name: l2, namespace: {NS}}}\n"
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: nginx, namespace: default}\n"
        "spec: {type: LoadBalancer, loadBalancerIP: 192.168.10.70, ports: [{port: 80}]}\n",
    ),
}


@pytest.mark.parametrize("rule", sorted(NOT_ON_SITES))
def test_manifest_rules_that_never_run_on_site_specs(rule):
    body, manifests = NOT_ON_SITES[rule]
    assert rule in {d.rule for d in lint(manifests)}  # the same objects as manifests: reported
    assert rule not in on_site(body)
    assert rule not in on_site(body, disabled=[r for r in on_site(body) if r.startswith("site-")])


def test_the_registry_says_where_each_rule_runs():
    rules = all_rules()
    for rule in rules.values():
        site_only = rule.check_target or rule.check_sites or rule.check_across
        if site_only or rule.category == "site":
            assert rule.applies.inputs == {Input.SITES}, rule.id
        replaced_by = rule.applies.sites_replaced_by
        if replaced_by is not None:
            assert rules[replaced_by].applies.inputs == {Input.SITES}, rule.id
            assert Input.SITES in rule.applies.inputs, rule.id
    never = {r.id for r in rules.values() if Input.SITES not in r.applies.inputs}
    replaced = {r.id for r in rules.values() if r.applies.sites_replaced_by is not None}
    assert never == set(NOT_ON_SITES) | {"object-invalid-metadata"}
    assert replaced == {manifest_rule for _, _, manifest_rule in REPLACED.values()}


def test_applicability_covers():
    frr = Applicability(modes=frozenset({"frr"}))
    assert frr.covers(Input.MANIFESTS, "frr", ()) and not frr.covers(Input.MANIFESTS, None, ())
    assert not frr.covers(Input.SITES, "native", ())
    replaced = Applicability(sites_replaced_by="site-x")
    assert replaced.covers(Input.MANIFESTS, None, ())
    assert not replaced.covers(Input.SITES, None, ())
    assert replaced.covers(Input.SITES, None, {"site-x"})
    assert not SITES_ONLY.covers(Input.MANIFESTS, None, ())
    assert not MANIFESTS_ONLY.covers(Input.SITES, None, ())
