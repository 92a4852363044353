"""Addresses with zones, leading zeros and IPv4-mapped IPv6 notation, in every place one is read.

Each is an error on the line of the address, for every command that reads it: site specs
(networks, gateways, reserved ranges, cluster CIDRs, node interfaces, pools, Service IPs) and
manifests (pools, peers, Service requests).
"""

from __future__ import annotations

import pytest

from gitops_lb.metallb.mapped import plain_form
from tests.robustness.cli import SITES, cli
from tests.robustness.commands import findings

SITE = (SITES / "shared-l2.yaml").read_text()

# site field -> (the text as written in the example, how to write a value there)
SITE_FIELDS = {
    "network cidr": ("cidr: 192.168.20.0/24", "cidr: '{}'", "site-invalid-address"),
    "gateway": ("gateway: 192.168.20.1", "gateway: '{}'", "site-invalid-address"),
    "reserved": (
        "reserved: [192.168.20.2-192.168.20.9]",
        "reserved: ['{}']",
        "site-invalid-address",
    ),
    "clusterCIDRs": (
        "clusterCIDRs: [10.244.0.0/16]",
        "clusterCIDRs: ['{}']",
        "site-invalid-address",
    ),
    "interface": ("address: 192.168.20.11}", "address: '{}'}}", "site-invalid-address"),
    "pool": ("addresses: [192.168.20.64/28]", "addresses: ['{}']", "pool-invalid-address"),
    "service ips": ("ips: [192.168.20.64]", "ips: ['{}']", "service-invalid-ips"),
}
# form -> the value per field
FORMS = {
    "zone": {
        "network cidr": "fe80::%eth0/64",
        "gateway": "fe80::1%eth0",
        "reserved": "192.168.20.2%eth0",
        "clusterCIDRs": "fe80::%1/64",
        "interface": "fe80::1%eth0",
        "pool": "fe80::%eth0/120",
        "service ips": "fe80::1%eth0",
    },
    "leading-zero": {
        "network cidr": "192.168.020.0/24",
        "gateway": "192.168.20.01",
        "reserved": "192.168.20.02-192.168.20.9",
        "clusterCIDRs": "010.244.0.0/16",
        "interface": "192.168.20.011",
        "pool": "192.168.20.064/28",
        "service ips": "192.168.20.064",
    },
    "ipv4-mapped": {
        "network cidr": "::ffff:192.168.20.0/120",
        "gateway": "::ffff:192.168.20.1",
        "reserved": "::ffff:192.168.20.2-::ffff:192.168.20.9",
        "clusterCIDRs": "::ffff:10.244.0.0/112",
        "interface": "::ffff:192.168.20.11",
        "pool": "::ffff:192.168.20.64/124",
        "service ips": "::ffff:192.168.20.64",
    },
}
MAPPED_RULES = {"pool": "pool-ipv4-mapped", "service ips": "service-ipv4-mapped"}


def site_case(form: str, field: str) -> tuple[str, int, str]:
    old, new, rule = SITE_FIELDS[field]
    assert old in SITE
    text = SITE.replace(old, new.format(FORMS[form][field]), 1)
    line = SITE[: SITE.index(old)].count("\n") + 1
    if form == "ipv4-mapped":
        rule = MAPPED_RULES.get(field, rule)
    return text, line, rule


@pytest.mark.parametrize("command", ["validate", "compile"])
@pytest.mark.parametrize("field", sorted(SITE_FIELDS))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_site_addresses(tmp_path, capsys, form, field, command):
    text, line, rule = site_case(form, field)
    f = tmp_path / "site.yaml"
    f.write_text(text)
    args = ["-o", str(tmp_path / "out")] if command == "compile" else []
    run = cli(capsys, command, str(f), "--format", "json", *args)
    assert run.status == 1
    assert (rule, line) in run.found()
    if form == "ipv4-mapped":
        message = next(d["message"] for d in run.diagnostics() if d["rule"] == rule)
        assert "write '192.168.20." in message or "write '10.244.0.0/16'" in message
    assert not (tmp_path / "out").exists()


MANIFEST = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: p, namespace: metallb-system}}
spec:
  addresses: ['{pool}']
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {{name: l2, namespace: metallb-system}}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {{name: peer, namespace: metallb-system}}
spec: {{myASN: 64512, peerASN: 64513, peerAddress: '{peer}'}}
---
apiVersion: v1
kind: Service
metadata:
  name: s
  namespace: default
  annotations: {{metallb.io/loadBalancerIPs: '{annotation}'}}
spec: {{type: LoadBalancer, ports: [{{port: 80}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: t, namespace: default}}
spec: {{type: LoadBalancer, loadBalancerIP: '{field}', ports: [{{port: 80}}]}}
"""
GOOD = {
    "pool": "192.0.2.0/24",
    "peer": "10.0.0.1",
    "annotation": "192.0.2.10",
    "field": "192.0.2.11",
}
BAD = {
    "zone": {
        "pool": "fe80::%eth0/120",
        "peer": "fe80::1%eth0",
        "annotation": "fe80::1%eth0",
        "field": "fe80::2%eth0",
    },
    "leading-zero": {
        "pool": "192.0.2.00/24",
        "peer": "010.0.0.1",
        "annotation": "192.0.2.010",
        "field": "192.0.2.011",
    },
    "ipv4-mapped": {
        "pool": "::ffff:192.0.2.0/120",
        "peer": "::ffff:10.0.0.1",
        "annotation": "::ffff:192.0.2.10",
        "field": "::ffff:192.0.2.11",
    },
}
LINES = {"pool": 5, "peer": 14, "annotation": 21, "field": 27}
RULES = {
    "pool": "pool-invalid-address",
    "peer": "peer-address",
    "annotation": "service-invalid-ips",
    "field": "service-invalid-ips",
}
MAPPED = {
    "pool": "pool-ipv4-mapped",
    "peer": "peer-ipv4-mapped",
    "annotation": "service-ipv4-mapped",
    "field": "service-ipv4-mapped",
}


def test_the_manifest_is_clean_with_good_addresses(tmp_path, capsys):
    f = tmp_path / "m.yaml"
    f.write_text(MANIFEST.format(**GOOD))
    assert cli(capsys, "lint", str(f)).status == 0
    assert cli(capsys, "import", str(f)).status == 0


@pytest.mark.parametrize(
    ("form", "field"),
    [(form, field) for form in sorted(BAD) for field in sorted(GOOD) if BAD[form][field]],
)
def test_manifest_addresses(tmp_path, capsys, form, field):
    value = BAD[form][field]
    assert value is not None
    f = tmp_path / "m.yaml"
    f.write_text(MANIFEST.format(**{**GOOD, field: value}))
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert run.status == 1
    rule = MAPPED[field] if form == "ipv4-mapped" else RULES[field]
    assert (rule, LINES[field]) in run.found()
    # import refuses to copy it into a site spec that would not validate
    run = cli(capsys, "import", str(f))
    assert run.status == 1 and run.out == ""
    assert (rule, str(f), LINES[field]) in findings("import", run)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::ffff:192.0.2.0/120", "192.0.2.0/24"),
        ("::ffff:192.0.2.1-::ffff:192.0.2.9", "192.0.2.1-192.0.2.9"),
        ("192.0.2.1 - ::ffff:192.0.2.9", "192.0.2.1-192.0.2.9"),
        ("::FFFF:c000:0201", "192.0.2.1"),
        ("192.0.2.1", None),
        ("2001:db8::1", None),
        ("::ffff:192.0.2.0/64", "192.0.2.0"),
        ("not an address", None),
    ],
)
def test_plain_form(text, plain):
    assert plain_form(text) == plain


@pytest.mark.parametrize("field", ["peerAddress", "sourceAddress", "routerID"])
def test_peer_addresses_in_mapped_notation(tmp_path, capsys, field):
    good = {"peerAddress": "10.0.0.1", "sourceAddress": "10.0.0.2", "routerID": "10.0.0.3"}
    good[field] = "::ffff:" + good[field]
    spec = ", ".join(f"{k}: '{v}'" for k, v in good.items())
    f = tmp_path / "peer.yaml"
    f.write_text(
        "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\n"
        "metadata: {name: p, namespace: metallb-system}\n"
        f"spec: {{myASN: 64512, peerASN: 64513, {spec}}}\n"
    )
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert run.status == 1
    found = [d for d in run.diagnostics() if d["rule"] == "peer-ipv4-mapped"]
    assert [(d["line"], d["path"]) for d in found] == [(4, f"spec.{field}")]
    assert "write '10.0.0." in found[0]["message"]
    assert cli(capsys, "lint", str(f), "--metallb-compat").status == 0  # MetalLB accepts it
