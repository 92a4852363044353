"""A pre-0.13 configuration (the `config` ConfigMap, or `configInline` in Helm values) is
imported as today's objects, through the real CLI.

What the user sees: the pools, advertisements, peers, communities and BFD profiles of the old
configuration in the site spec (each pool's comment says where it came from), a note saying to
delete the ConfigMap (or drop configInline) afterwards, and, for what cannot be translated, an
error at the line of the old configuration that holds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.importer.dumps import HELM_VALUES, LEGACY_CONFIGMAP, NS
from tests.robustness.cli import cli

REPO_URL = "https://git.example.org/platform/lb.git"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def imported(capsys, *args: str) -> tuple[dict, str, str]:
    run = cli(capsys, "import", *args, "--repo-url", REPO_URL)
    assert run.status == 0, run.err
    return yaml.safe_load(run.out)["spec"], run.out, run.err


def compiled_objects(capsys, site_text: str) -> dict[tuple[str, str], dict]:
    Path("site.yaml").write_text(site_text)
    run = cli(capsys, "validate", "site.yaml", "--format", "json")
    assert (run.status, run.diagnostics()) == (0, [])
    assert cli(capsys, "compile", "site.yaml", "-o", "deploy").status == 0
    out = {}
    for path in sorted(Path("deploy").rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith("metallb.io/"):
                out[(doc["kind"], doc["metadata"]["name"])] = doc
    return out


def test_legacy_configmap_becomes_todays_objects(here, capsys):
    Path("config.yaml").write_text(LEGACY_CONFIGMAP)
    spec, text, err = imported(capsys, "config.yaml", "--bgp-mode", "frr")
    (cluster,) = spec["clusters"]
    pools = {p["name"]: p for p in cluster["pools"]}
    assert pools["edge"] == {
        "name": "edge",
        "addresses": ["198.51.100.0/24"],
        "avoidBuggyIPs": True,
        "bgp": {"localPref": 100, "communities": ["no-advertise"]},
    }
    assert pools["lan"] == {
        "name": "lan",
        "addresses": ["192.168.1.240-192.168.1.250"],
        "autoAssign": False,
        "l2": {},
    }
    assert cluster["bgpAdvertisements"] == [
        {"name": "edge-2", "aggregationLength": 24, "ipAddressPools": ["edge"]}
    ]
    assert cluster["bgpPeers"] == [
        {
            "name": "peer-1",
            "myASN": 64500,
            "peerASN": 64501,
            "peerAddress": "10.0.0.1",
            "holdTime": "120s",
            "nodeSelectors": [{"matchLabels": {"rack": "frontend"}}],
        }
    ]
    assert cluster["communities"] == [
        {
            "name": "bgp-communities",
            "communities": [{"name": "no-advertise", "value": "65535:65282"}],
        }
    ]
    assert cluster["bfdProfiles"] == [
        {"name": "fast", "receiveInterval": 179, "transmitInterval": 180}
    ]
    assert f"- name: edge  # from ConfigMap {NS}/config" in text
    assert (
        f"note: ConfigMap {NS}/config holds MetalLB's pre-0.13 configuration, imported as "
        "2 IPAddressPools, 1 L2Advertisement, 2 BGPAdvertisements, 1 BGPPeer, 1 Community, "
        "1 BFDProfile; MetalLB 0.13.0 and later ignore it: delete the ConfigMap" in err
    )
    objects = compiled_objects(capsys, text)
    assert objects[("L2Advertisement", "lan")]["spec"]["ipAddressPools"] == ["lan"]
    assert objects[("BGPAdvertisement", "edge")]["spec"]["communities"] == ["no-advertise"]
    assert objects[("BGPPeer", "peer-1")]["spec"]["holdTime"] == "120s"


def test_helm_values_with_config_inline(here, capsys):
    Path("values.yaml").write_text(HELM_VALUES)
    spec, text, err = imported(capsys, "values.yaml")
    assert spec["clusters"][0]["pools"] == [
        {"name": "default", "addresses": ["10.20.0.100-10.20.0.150"], "l2": {}}
    ]
    assert "- name: default  # from configInline of the Helm values values.yaml" in text
    assert "drop configInline from the chart values" in err
    assert ("L2Advertisement", "default") in compiled_objects(capsys, text)


def test_umbrella_chart_values_with_config_inline_as_text(here, capsys):
    Path("values.yaml").write_text(
        "metallb:\n"
        "  configInline: |\n"
        "    address-pools:\n"
        "    - name: lab\n"
        "      protocol: bgp\n"
        "      addresses: [10.30.0.0/28]\n"
    )
    spec, _, _ = imported(capsys, "values.yaml")
    assert spec["clusters"][0]["pools"] == [
        {"name": "lab", "addresses": ["10.30.0.0/28"], "bgp": {}}
    ]


def test_a_mistake_in_the_legacy_text_is_reported_at_its_line(here, capsys):
    broken = LEGACY_CONFIGMAP.replace("198.51.100.0/24", "198.51.100.0/33").replace(
        "      auto-assign: false", "      auto-asign: false"
    )
    Path("config.yaml").write_text(broken)
    run = cli(capsys, "import", "config.yaml")
    assert (run.status, run.out) == (1, "")
    lines = broken.splitlines()
    address = next(i for i, ln in enumerate(lines, 1) if "198.51.100.0/33" in ln)
    typo = next(i for i, ln in enumerate(lines, 1) if "auto-asign" in ln)
    assert f"config.yaml:{address}:9: error: invalid CIDR '198.51.100.0/33'" in run.err
    assert (
        f"config.yaml:{typo}:7: error: address pool 'lan' has 'auto-asign', which the pre-0.13 "
        "configuration does not define" in run.err
    )


def test_unknown_protocol_stops_the_import(here, capsys):
    Path("config.yaml").write_text(LEGACY_CONFIGMAP.replace("protocol: layer2", "protocol: arp"))
    run = cli(capsys, "import", "config.yaml")
    assert run.status == 1
    assert (
        "address pool 'lan' has protocol 'arp'; the pre-0.13 configuration knew layer2 and bgp"
        in run.err
    )


def test_a_legacy_configmap_outside_metallbs_namespace_is_not_imported(here, capsys):
    Path("config.yaml").write_text(LEGACY_CONFIGMAP.replace(f"namespace: {NS}", "namespace: tools"))
    run = cli(capsys, "import", "config.yaml", "--repo-url", REPO_URL)
    assert run.status == 0
    assert "ConfigMap tools/config holds MetalLB's pre-0.13 configuration but is not in " in run.err
    assert "pools" not in yaml.safe_load(run.out)["spec"]["clusters"][0]


POOL_LAN = (
    f"apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
    f"metadata: {{name: lan, namespace: {NS}}}\nspec: {{addresses: [10.9.0.0/24]}}\n"
)


def test_a_leftover_configmap_beside_todays_objects_is_not_imported(here, capsys):
    """A cluster upgraded past 0.13 often still has the old ConfigMap, which MetalLB ignores:
    its pools are stale, so they are not brought back."""
    Path("config.yaml").write_text(LEGACY_CONFIGMAP)
    Path("pool.yaml").write_text(POOL_LAN)
    spec, text, err = imported(capsys, "config.yaml", "pool.yaml")
    assert spec["clusters"][0]["pools"] == [{"name": "lan", "addresses": ["10.9.0.0/24"]}]
    assert (
        f"note: ConfigMap {NS}/config holds MetalLB's pre-0.13 configuration, which MetalLB "
        "0.13.0 and later ignore; not imported, since the input holds 1 IPAddressPool" in err
    )
    assert "from ConfigMap" not in text


def test_helm_values_and_an_object_with_one_name_are_refused(here, capsys):
    Path("values.yaml").write_text(HELM_VALUES.replace("name: default", "name: lan"))
    Path("pool.yaml").write_text(POOL_LAN)
    run = cli(capsys, "import", "values.yaml", "pool.yaml")
    assert (run.status, run.out) == (1, "")
    assert "IPAddressPool 'lan' is defined twice" in run.err


def test_a_configmap_of_another_application_is_left_alone(here, capsys):
    Path("cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\n"
        "data:\n  config: |\n    log-level: debug\n"
        "---\n"
        f"apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        f"metadata: {{name: lan, namespace: {NS}}}\nspec: {{addresses: [10.9.0.0/24]}}\n"
    )
    spec, _, err = imported(capsys, "cm.yaml")
    assert [p["name"] for p in spec["clusters"][0]["pools"]] == ["lan"]
    assert "pre-0.13" not in err


def test_malformed_sections_are_each_reported_where_they_are(here, capsys):
    Path("config.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\n"
        "data:\n"
        "  config: |\n"
        "    address-pools:\n"
        "    - just-a-string\n"
        "    - protocol: layer2\n"
        "      addresses: [10.1.0.0/24]\n"
        "    peers:\n"
        "    - {peer-address: 10.0.0.1, peer-asn: 1, my-asn: 2, node-selectors: {a: b}}\n"
        "    bgp-communities: [x]\n"
    )
    run = cli(capsys, "import", "config.yaml")
    assert run.status == 1
    errors = [ln for ln in run.err.splitlines() if ": error: " in ln]
    assert errors == [
        "config.yaml:7:7: error: address-pools[0] must be a mapping",
        "config.yaml:8:7: error: an address pool has no name",
        "config.yaml:11:72: error: node-selectors must be a list",
        "config.yaml:12:22: error: bgp-communities must be a mapping of alias to community",
    ]


def test_an_input_without_metallb_configuration_says_so(here, capsys):
    Path("nodes.yaml").write_text(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {rack: r1}\n"
    )
    spec, _, err = imported(capsys, "nodes.yaml")
    assert "pools" not in spec["clusters"][0]
    assert "note: the input holds no MetalLB configuration" in err
