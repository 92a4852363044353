"""legacy-configmap: MetalLB's pre-0.13 ConfigMap, which MetalLB 0.13.0 and later ignore."""

from gitops_lb.metallb.legacy import parse_legacy
from tests.builders import l2adv, line_of
from tests.helpers import NS, lint, pool

RULE = "legacy-configmap"


def configmap(name: str, ns: str | None, data: str, *, meta: str = "") -> str:
    where = f"\n  namespace: {ns}" if ns else ""
    head = f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}{where}{meta}\n"
    return head + f"data:\n{data}"


MANIFESTS_STYLE = configmap(
    "config",
    NS,
    "  config: |\n"
    "    address-pools:\n"
    "    - name: default\n"
    "      protocol: layer2\n"
    "      addresses:\n"
    "      - 192.168.1.240-192.168.1.250\n",
)


def found(text: str) -> list[tuple[int, str, str]]:
    return [(d.location.line, str(d.severity), d.message) for d in lint(text) if d.rule == RULE]


def test_manifests_configmap_is_reported_at_its_config_key():
    text = MANIFESTS_STYLE
    [(line, severity, message)] = found(text)
    assert line == line_of(text, "config: |")
    assert severity == "warning"
    assert "ConfigMap 'config' holds MetalLB's pre-0.13 configuration" in message
    assert "(address pool 'default')" in message
    assert "MetalLB 0.13.0 and later ignore" in message
    assert "no IPAddressPool replaces it" in message and "configmaptocrs" in message
    assert {str(d.severity) for d in lint(text, compat=True) if d.rule == RULE} == {"warning"}


def test_helm_chart_configmap_with_peers_beside_the_new_objects():
    # the Helm chart names it after the release; here only peers, written as a quoted flow string
    text = (
        pool("web", "10.0.0.0/24")
        + l2adv("web")
        + configmap(
            "metallb",
            "network",
            '  config: "peers: [{peer-address: 10.0.0.1, peer-asn: 64501, my-asn: 64500},'
            ' {peer-address: 10.0.0.2, peer-asn: 64501, my-asn: 64500}]"\n'
            "  other: keep\n",
        )
    )
    [(line, _, message)] = found(text)
    assert line == line_of(text, "config: ")
    assert "(2 BGP peers)" in message
    assert "make sure IPAddressPool and advertisement objects replace it" in message


def test_many_pools_are_named_in_part():
    pools = "".join(f"    - {{name: p{i}, addresses: [10.{i}.0.0/24]}}\n" for i in range(5))
    text = configmap("config", NS, "  config: |\n    address-pools:\n" + pools)
    [(_, _, message)] = found(text)
    assert "address pools 'p0', 'p1', 'p2' and 2 more" in message


def test_configmaps_of_other_applications_are_left_alone():
    text = (
        # named config, a config key, but another application's settings
        configmap("config", "web", "  config: |\n    server: {port: 8080}\n    peers: [a, b]\n")
        # not YAML
        + configmap("config", NS, "  config: '{address-pools: [unclosed'\n")
        # two documents in the text
        + configmap("config", "a", "  config: |\n    address-pools: []\n    ---\n    x: 1\n")
        # the key is another one
        + configmap("metallb", NS, "  address-pools: '- name: x'\n")
        # a scalar, not a mapping
        + configmap("scalar", NS, "  config: address-pools\n")
        # address-pools that is not a list
        + configmap("conf", NS, "  config: 'address-pools: some'\n")
        # does not validate as a ConfigMap: not MetalLB's business, no schema finding either
        + configmap("broken", NS, "  config: 'peers: []'\n", meta="\n  labels: {a: 1}")
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: nodata}\n"
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: list}\ndata: [config]\n"
    )
    assert lint(text) == []


def test_parse_legacy_survives_what_yaml_can_throw():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    )
    assert parse_legacy(bomb + "address-pools: []\n") is None
    assert parse_legacy("\t- tab") is None
    assert parse_legacy("address-pools: []\n") is not None
    assert parse_legacy("peers: [{peer-address: 10.0.0.1}]\n") is not None
    assert parse_legacy("peers: [{address: 10.0.0.1}]\n") is None
