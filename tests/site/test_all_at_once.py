"""Site specs: a schema error is reported and the rest of the site is checked, with no finding
that is only a consequence of it (issue 12, "all at once")."""

from __future__ import annotations

from pathlib import Path

from gitops_lb.cli import main
from tests.site.helpers import check, line_of, site, targets

SCHEMA = {"schema-unknown-field", "schema-invalid"}

# four mistakes: a misspelt autoAssign (pool web2), an overlap (web2 inside web), an interface
# no node has (eth9) and a Service address outside every pool
FOUR = site("""\
networks:
  - {name: vlan10, cidr: 192.168.10.0/24, gateway: 192.168.10.1,
     reserved: [192.168.10.1-192.168.10.31]}
clusters:
  - name: prod-a
    server: https://192.168.10.10:6443
    nodes:
      - {name: node-a, interfaces: [{name: eth3, network: vlan10, address: 192.168.10.11}]}
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2: {interfaces: [eth9]}
      - name: web2
        addresses: [192.168.10.80/28]
        autoAsign: false
        l2: {interfaces: [eth3]}
    services:
      - {name: nginx, namespace: web, ips: [192.168.10.200], ports: [{port: 80}],
         selector: {app: nginx}}
""")


def found(*texts: str) -> list[tuple[str, int]]:
    return sorted((d.rule, d.location.line) for d in check(*texts))


def test_one_typo_hides_none_of_the_other_mistakes():
    assert found(FOUR) == sorted(
        [
            ("schema-unknown-field", line_of(FOUR, "autoAsign")),
            ("pool-overlap", line_of(FOUR, "192.168.10.80/28")),
            ("site-interface-not-on-node", line_of(FOUR, "eth9")),
            ("service-ip-outside-pool", line_of(FOUR, "192.168.10.200")),
        ]
    )


def test_without_the_typo_the_other_three_remain():
    fixed = FOUR.replace("autoAsign", "autoAssign")
    assert [rule for rule, _ in found(fixed)] == sorted(
        ["pool-overlap", "site-interface-not-on-node", "service-ip-outside-pool"]
    )


def test_the_same_kinds_written_otherwise_all_reported_and_nothing_else():
    # a wrong type instead of a misspelt key, a node whose interface has no name, a network
    # with a CIDR that is not a string; and the same three other mistakes, written otherwise
    text = site("""\
networks:
  - {name: lan, cidr: 10.1.0.0/16}
  - {name: oob, cidr: 7}
clusters:
  - name: east
    server: https://10.1.0.2:6443
    nodes:
      - name: e1
        interfaces:
          - {name: bond0, network: lan, address: 10.1.0.11}
      - name: e2
        interfaces:
          - {network: lan, address: 10.1.0.12}
    pools:
      - name: big
        addresses: [10.1.8.0/24]
        avoidBuggyIPs: "yes"
        l2: {interfaces: [bond1], nodeSelectors: [{matchLabels: {kubernetes.io/hostname: e1}}]}
      - name: small
        addresses: [10.1.8.10-10.1.8.20]
        l2: {}
    services:
      - {name: api, namespace: ops, ips: [10.1.9.9]}
""")
    assert found(text) == sorted(
        [
            ("schema-invalid", line_of(text, "cidr: 7")),
            ("schema-invalid", line_of(text, "{network: lan, address: 10.1.0.12}")),
            ("schema-invalid", line_of(text, "avoidBuggyIPs")),
            ("pool-overlap", line_of(text, "10.1.8.10-10.1.8.20")),
            ("site-interface-not-on-node", line_of(text, "bond1")),
            ("service-ip-outside-pool", line_of(text, "10.1.9.9")),
        ]
    )


def test_a_broken_pool_named_by_a_service_gives_only_the_schema_finding():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: web, addresses: 10.0.0.0/28, l2: {}}
    services:
      - {name: s, namespace: x, pool: web}
      - {name: t, namespace: x, ips: [10.0.0.5]}
      - {name: far, namespace: x, ips: [10.200.0.1]}
""")
    # the rest is checked: the address no pool can hold is still reported
    assert found(text) == sorted(
        [
            ("schema-invalid", line_of(text, "name: web")),
            ("service-ip-outside-pool", line_of(text, "10.200.0.1")),
        ]
    )
    # the same Services with the pool valid but misnamed: a name that does not exist
    misnamed = text.replace("addresses: 10.0.0.0/28", "addresses: [10.0.0.0/28]").replace(
        "pool: web", "pool: wbe"
    )
    assert found(misnamed) == sorted(
        [
            ("service-unknown-pool", line_of(misnamed, "pool: wbe")),
            ("service-ip-outside-pool", line_of(misnamed, "10.200.0.1")),
        ]
    )


def test_an_address_outside_what_a_broken_pool_holds_is_still_reported():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: web, addresses: 10.0.0.0/28, l2: {}}
    services:
      - {name: t, namespace: x, ips: [10.9.0.5]}
""")
    assert found(text) == sorted(
        [
            ("schema-invalid", line_of(text, "name: web")),
            ("service-ip-outside-pool", line_of(text, "10.9.0.5")),
        ]
    )


MANUAL = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: manual, addresses: [10.0.0.0/28], autoAssign: false, l2: {}}
    services:
      - {name: auto, namespace: x}
      - {name: far, namespace: x, ips: [10.200.0.1]}
""")


def test_a_misspelt_autoassign_decides_nothing():
    typo = MANUAL.replace("autoAssign", "autoAsign")
    far = ("service-ip-outside-pool", line_of(MANUAL, "10.200.0.1"))
    assert found(typo) == sorted([("schema-unknown-field", line_of(typo, "autoAsign")), far])
    # written right, the automatic Service has no pool: that is reported
    assert found(MANUAL) == sorted([("service-no-pool", line_of(MANUAL, "name: auto")), far])


INVENTORY = site("""\
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - {name: n1, labels: {rack: r1}, interfaces: [{name: eth0}]}
      - {name: N_2, labels: {rack: r2}, interfaces: [{name: eth1}]}
    pools:
      - name: web
        addresses: [10.0.0.0/28]
        l2: {interfaces: [eth1], nodeSelectors: [{matchLabels: {rack: r2}}]}
      - name: db
        addresses: [10.0.0.8/29]
        l2: {interfaces: [eth0]}
""")


def test_a_broken_node_is_not_replaced_by_the_others():
    # node N_2 (an invalid name) is the one the advertisement selects; the overlap is checked
    overlap = ("pool-overlap", line_of(INVENTORY, "10.0.0.0/28"))
    assert found(INVENTORY) == sorted([("schema-invalid", line_of(INVENTORY, "N_2")), overlap])
    # without that node at all, the selector matches no node
    gone = "\n".join(line for line in INVENTORY.splitlines() if "N_2" not in line) + "\n"
    assert [rule for rule, _ in found(gone)] == sorted(
        ["site-node-selector-no-node", "pool-overlap"]
    )


NETWORK = site("""\
networks:
  - {name: lan, cidr: [10.0.0.0/24]}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - {name: n1, interfaces: [{name: eth0, network: lan}]}
      - {name: n2, interfaces: [{name: eth0, network: wan}]}
""")


def test_an_interface_on_a_broken_network_is_not_on_an_unknown_one():
    assert found(NETWORK) == sorted(
        [
            ("schema-invalid", line_of(NETWORK, "cidr:")),
            ("site-unknown-network", line_of(NETWORK, "network: wan")),
        ]
    )
    missing = NETWORK.replace("network: lan", "network: lna")
    assert ("site-unknown-network", line_of(missing, "network: lna")) in found(missing)


def test_a_required_site_field_gets_a_stand_in_and_the_rest_is_checked():
    text = FOUR.replace("platform: acp", "platform: openshift")
    assert found(text) == sorted([*found(FOUR), ("schema-invalid", line_of(text, "openshift"))])
    (t,) = targets(text)
    assert ("spec", "platform") in t.site_unsure


def test_an_unknown_key_in_a_cluster_list_keeps_its_absence_quiet():
    # `pool:` for `pools:`: no pool is read, so no Service is "outside every pool"
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pool:
      - {name: web, addresses: [10.0.0.0/28], l2: {}}
    services:
      - {name: t, namespace: x, ips: [10.0.0.5]}
      - {name: u, namespace: x, pool: web}
    nodes:
      - {name: n1, interfaces: [{name: eth0, network: lan}]}
""")
    assert found(text) == sorted(
        [
            ("schema-unknown-field", line_of(text, "pool:")),
            ("site-unknown-network", line_of(text, "network: lan")),
        ]
    )


def test_compile_and_render_write_nothing_for_a_salvaged_site(tmp_path: Path, capsys):
    spec = tmp_path / "sites" / "dc1.yaml"
    spec.parent.mkdir()
    spec.write_text(MANUAL.replace("autoAssign", "autoAsign"))
    out = tmp_path / "deploy"
    assert main(["compile", str(spec.parent), "-o", str(out)]) == 1
    assert not out.exists()
    assert "nothing written" in capsys.readouterr().err
    assert main(["render", str(spec.parent), "--cluster", "dc1/a"]) == 1
    rendered = capsys.readouterr()
    assert rendered.out == "" and "nothing rendered" in rendered.err
    # the same site without the typo compiles
    fixed = MANUAL.replace("autoAssign: false", "autoAssign: true")
    spec.write_text(fixed.replace("10.200.0.1", "10.0.0.3"))
    assert main(["compile", str(spec.parent), "-o", str(out)]) == 0
    assert out.is_dir()
