"""field-unsupported-version: a field newer than the target release, at the release before its
first one and at that first one; the object is then checked without the field."""

from __future__ import annotations

import pytest

from gitops_lb.metallb.versions import FIELDS, previous
from tests.builders import line_of
from tests.helpers import NS, hits, lint, pool
from tests.site.helpers import check, site

RULE = "field-unsupported-version"

# kind -> field -> the spec lines that set it (a valid value), around a minimal object
SPECS = {
    "IPAddressPool": {
        "avoidBuggyIPs": "addresses: [10.0.0.0/24]\n  avoidBuggyIPs: true",
        "serviceAllocation": "addresses: [10.0.0.0/24]\n  serviceAllocation: {priority: 1}",
    },
    "L2Advertisement": {
        "interfaces": "interfaces: [eth0]",
        "serviceSelectors": "serviceSelectors: [{matchLabels: {app: web}}]",
    },
    "BGPAdvertisement": {
        "serviceSelectors": "serviceSelectors: [{matchLabels: {app: web}}]",
    },
    "BGPPeer": {
        "vrf": "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  vrf: red",
        "connectTime": "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  connectTime: 10s",
        "disableMP": "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  disableMP: true",
        "enableGracefulRestart": (
            "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  enableGracefulRestart: true"
        ),
        "dynamicASN": "myASN: 1\n  dynamicASN: external\n  peerAddress: 10.0.0.1",
        "interface": "myASN: 1\n  peerASN: 2\n  interface: eth1",
        "dualStackAddressFamily": (
            "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  dualStackAddressFamily: true"
        ),
        "localASN": "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  localASN: 65001",
    },
}


def manifest(kind: str, spec: str) -> str:
    api = "metallb.io/v1beta2" if kind == "BGPPeer" else "metallb.io/v1beta1"
    meta = f"metadata: {{name: x, namespace: {NS}}}"
    return f"---\napiVersion: {api}\nkind: {kind}\n{meta}\nspec:\n  {spec}\n"


CASES = [
    (kind, field, since)
    for kind, fields in FIELDS.items()
    for (_, field), since in fields.items()
    if since is not None
]


def test_every_field_of_the_table_has_a_case():
    assert {(k, f) for k, f, _ in CASES} == {(k, f) for k in SPECS for f in SPECS[k]}


@pytest.mark.parametrize(("kind", "field", "since"), CASES, ids=[f"{k}.{f}" for k, f, _ in CASES])
def test_a_field_is_refused_before_its_first_release_only(kind, field, since):
    text = manifest(kind, SPECS[kind][field])
    before = previous(since)
    assert before is not None
    assert hits(text, RULE, version=str(before)) == [line_of(text, f"{field}:")]
    assert hits(text, RULE, version=str(since)) == []
    (d,) = [d for d in lint(text, version=str(before)) if d.rule == RULE]
    assert d.message == (
        f"{kind} spec.{field} needs MetalLB {since} or later; the target is {before}"
    )
    assert str(d.severity) == "error"
    compat = lint(text, version=str(before), compat=True)  # enforced: an error there too
    assert [str(x.severity) for x in compat if x.rule == RULE] == ["error"]


def test_the_message_of_the_issue():
    text = manifest("L2Advertisement", "interfaces: [eth0]")
    (d,) = [d for d in lint(text, version="v0.13.4") if d.rule == RULE]
    assert (
        d.message
        == "L2Advertisement spec.interfaces needs MetalLB v0.13.6 or later; the target is v0.13.4"
    )


def test_a_field_in_no_release_is_refused_by_every_release():
    text = manifest("L2Advertisement", "preferredNodeSelectors: [{weight: 1, preference: {}}]")
    for version in ("v0.13.0", "v0.15.1", "v0.16.1"):
        (d,) = [d for d in lint(text, version=version) if d.rule == RULE]
        assert d.message == (
            "L2Advertisement spec.preferredNodeSelectors is in no MetalLB release yet (only on "
            f"MetalLB's main branch); the target is {version}"
        )


def test_the_object_is_checked_without_the_field():
    # v0.13.7 has no vrf: native mode does not refuse what the API server dropped
    text = manifest("BGPPeer", SPECS["BGPPeer"]["vrf"])
    found = {d.rule for d in lint(text, bgp_mode="native", version="v0.13.7")}
    assert RULE in found and "native-frr-only-field" not in found
    assert "native-frr-only-field" in {
        d.rule for d in lint(text, bgp_mode="native", version="v0.13.8")
    }
    # no dynamicASN before v0.14.9: the peer has no peer AS at all
    text = manifest("BGPPeer", SPECS["BGPPeer"]["dynamicASN"])
    assert {d.rule for d in lint(text, version="v0.14.8")} >= {RULE, "peer-asn"}
    assert "peer-asn" not in {d.rule for d in lint(text, version="v0.14.9")}


def test_false_or_empty_values_are_fields_too():
    # strict field validation refuses the key whatever its value
    text = manifest(
        "BGPPeer", "myASN: 1\n  peerASN: 2\n  peerAddress: 10.0.0.1\n  disableMP: false"
    )
    assert hits(text, RULE, version="v0.14.3") == [line_of(text, "disableMP")]
    text = pool("p", "10.0.0.0/24") + manifest("L2Advertisement", "serviceSelectors: []")
    assert hits(text, RULE, version="v0.15.3") == [line_of(text, "serviceSelectors")]


SITE = """\
metallb: {{version: {version}}}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - {{name: n1, interfaces: [{{name: eth0}}]}}
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2:
          interfaces: [eth0]
"""


def test_a_site_spec_field_is_refused_at_its_line():
    text = site(SITE.format(version="v0.13.5"))
    found = [d for d in check(text) if d.rule == RULE]
    assert [(d.location.line, d.message) for d in found] == [
        (
            line_of(text, "interfaces: [eth0]"),
            "interfaces of l2 of pool 'web' of cluster 'a' needs MetalLB v0.13.6 or later; "
            "the target is v0.13.5",
        )
    ]
    assert [d for d in check(site(SITE.format(version="v0.13.6"))) if d.rule == RULE] == []
