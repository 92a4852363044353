"""gitops-lb import: manifests -> site spec -> lowering gives the same MetalLB configuration."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gitops_lb.cli import main
from gitops_lb.importing.core import ImportOptions, import_config
from gitops_lb.importing.output import to_yaml
from gitops_lb.manifests import config_from_files
from gitops_lb.site.load import sites_from_files
from gitops_lb.site.lower import lower_all
from gitops_lb.site.schema import SCHEMA_COMMENT
from gitops_lb.yamlload import load_text
from tests.helpers import config
from tests.integrations.objects import objects

NS = "metallb-system"

MANIFESTS = f"""\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: web, namespace: {NS}, labels: {{tier: front}}}}
spec:
  addresses: [192.168.10.64/27, "fc00:f853:ccd:e799::/124", 192.168.10.200-192.168.10.210]
  autoAssign: true
  avoidBuggyIPs: false
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: edge, namespace: {NS}}}
spec:
  addresses: [203.0.113.0/28]
  autoAssign: false
  serviceAllocation: {{priority: 10, namespaces: [shop]}}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: spare, namespace: {NS}}}
spec:
  addresses: []
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {{name: web, namespace: {NS}, labels: {{team: net}}}}
spec:
  ipAddressPools: [web]
  interfaces: [eth3]
  nodeSelectors: [{{matchLabels: {{kubernetes.io/hostname: node-a}}}}]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {{name: by-label, namespace: {NS}}}
spec:
  ipAddressPoolSelectors: [{{matchLabels: {{tier: front}}}}]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {{name: everything, namespace: {NS}}}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {{name: edge, namespace: {NS}}}
spec:
  ipAddressPools: [edge]
  peers: [tor1]
  communities: ["65535:65282", no-export]
  localPref: 100
  aggregationLength: 32
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {{name: edge-agg, namespace: {NS}}}
spec:
  ipAddressPools: [edge]
  aggregationLength: 28
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {{name: tor1, namespace: {NS}}}
spec:
  myASN: 64512
  peerASN: 64513
  peerAddress: 10.0.0.1
  bfdProfile: fast
  holdTime: 90s
  nodeSelectors: [{{matchExpressions: [{{key: rack, operator: In, values: [r1]}}]}}]
---
apiVersion: metallb.io/v1beta1
kind: BGPPeer
metadata: {{name: tor2, namespace: {NS}}}
spec: {{myASN: 64512, peerASN: 64514, peerAddress: 10.0.0.2, peerPort: 179}}
---
apiVersion: metallb.io/v1beta1
kind: Community
metadata: {{name: aliases, namespace: {NS}}}
spec:
  communities: [{{name: no-export, value: "65535:65281"}}]
---
apiVersion: metallb.io/v1beta1
kind: BFDProfile
metadata: {{name: fast, namespace: {NS}}}
spec: {{receiveInterval: 100, transmitInterval: 100, echoMode: false}}
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
  namespace: web
  labels: {{app: nginx}}
  annotations:
    metallb.io/address-pool: web
    metallb.io/loadBalancerIPs: 192.168.10.70
    example.com/owner: team-a
spec:
  type: LoadBalancer
  selector: {{app: nginx}}
  ports: [{{name: http, port: 80, targetPort: 8080}}, {{port: 53, protocol: UDP}}]
  externalTrafficPolicy: Local
---
apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: web
  annotations:
    metallb.universe.tf/allow-shared-ip: dns
    metallb.universe.tf/address-pool: ignored-because-new-key-wins
    metallb.io/address-pool: web
spec:
  type: LoadBalancer
  ports: [{{port: 53, protocol: TCP}}]
---
apiVersion: v1
kind: Service
metadata: {{name: internal, namespace: web}}
spec:
  type: ClusterIP
  ports: [{{port: 80}}]
---
apiVersion: v1
kind: Service
metadata: {{name: other-lb, namespace: web}}
spec:
  type: LoadBalancer
  loadBalancerClass: example.com/other
  ports: [{{port: 80}}]
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {{kubernetes.io/hostname: node-a, rack: r1}}
status:
  addresses: [{{type: InternalIP, address: 192.168.10.11}}, {{type: Hostname, address: node-a}}]
"""


def imported(text=MANIFESTS, **opts):
    """The import of `text`; Services managed unless `services` says otherwise (these tests
    check that the site spec reproduces them)."""
    opts.setdefault("services", "manage")
    result = import_config(config(text), ImportOptions(**opts))
    assert not result.problems, result.problems
    return result


def lowered(site_yaml):
    load = sites_from_files([load_text(site_yaml, "site.yaml")])
    assert not load.intake.intake, load.intake.intake
    (target,) = lower_all(load)
    return target.config


def test_round_trip_through_lowering():
    source = config(MANIFESTS)
    result = imported()
    back = lowered(to_yaml(result.site))
    want = objects(source)
    del want[("Service", "web/internal")], want[("Service", "web/other-lb")]
    assert objects(back) == want


def test_shorthands_only_when_named_after_their_only_pool():
    site = imported().site
    cluster = site["spec"]["clusters"][0]
    pools = {p["name"]: p for p in cluster["pools"]}
    assert pools["web"]["l2"] == {
        "nodeSelectors": [{"matchLabels": {"kubernetes.io/hostname": "node-a"}}],
        "interfaces": ["eth3"],
    }
    assert pools["edge"]["bgp"]["peers"] == ["tor1"]
    assert "aggregationLength" not in pools["edge"]["bgp"]  # MetalLB's default
    assert [a["name"] for a in cluster["l2Advertisements"]] == ["by-label", "everything"]
    assert [a["name"] for a in cluster["bgpAdvertisements"]] == ["edge-agg"]
    assert pools["web"]["labels"] == {"tier": "front"}
    assert "autoAssign" not in pools["web"]
    assert pools["spare"] == {"name": "spare", "addresses": []}


def test_service_fields():
    services = {s["name"]: s for s in imported().site["spec"]["clusters"][0]["services"]}
    assert sorted(services) == ["dns", "nginx"]  # not ClusterIP, not another LB class
    nginx = services["nginx"]
    assert (nginx["pool"], nginx["ips"], nginx["annotations"]) == (
        "web",
        ["192.168.10.70"],
        {"example.com/owner": "team-a"},
    )
    assert nginx["ports"] == [
        {"name": "http", "port": 80, "targetPort": 8080},
        {"port": 53, "protocol": "UDP"},
    ]
    assert services["dns"]["pool"] == "web"  # metallb.io/ wins over the deprecated key
    assert services["dns"]["sharingKey"] == "dns"


def test_annotation_prefix_follows_the_services():
    assert imported().site["spec"]["metallb"]["annotationPrefix"] == "metallb.io"
    svc = """\
    apiVersion: v1
    kind: Service
    metadata:
      name: old
      annotations: {metallb.universe.tf/loadBalancerIPs: 192.168.10.70}
    spec: {type: LoadBalancer}
    """
    result = imported(textwrap.dedent(svc))
    assert result.site["spec"]["metallb"]["annotationPrefix"] == "metallb.universe.tf"
    assert result.site["spec"]["clusters"][0]["services"][0]["ips"] == ["192.168.10.70"]
    forced = imported(textwrap.dedent(svc), annotation_prefix="metallb.io").site
    assert forced["spec"]["metallb"]["annotationPrefix"] == "metallb.io"


def test_notes_say_what_is_not_kept():
    notes = imported().notes
    assert any("L2Advertisement 'web': metadata team not kept" in n for n in notes)
    assert any("Node 'node-a' has address 192.168.10.11" in n for n in notes)
    assert any("set spec.bgpMode" in n for n in notes)
    assert not any("set spec.bgpMode" in n for n in imported(bgp_mode="frr").notes)


def test_v1beta1_peer_without_port_gets_the_bgp_port():
    text = MANIFESTS.replace(", peerPort: 179}", "}")
    result = imported(text)
    peers = {p["name"]: p for p in result.site["spec"]["clusters"][0]["bgpPeers"]}
    assert "peerPort" not in peers["tor2"]
    assert "BGPPeer 'tor2' has no peerPort; the site spec uses port 179" in result.notes


def test_node_inventory():
    (node,) = imported().site["spec"]["clusters"][0]["nodes"]
    assert node == {"name": "node-a", "labels": {"rack": "r1"}}  # hostname label implied


LIVE = f"""\
apiVersion: v1
kind: List
items:
  - apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata:
      name: web
      namespace: {NS}
      uid: 0b6d
      resourceVersion: "123"
      annotations:
        kubectl.kubernetes.io/last-applied-configuration: '{{}}'
    spec: {{addresses: [192.168.10.64/27], autoAssign: true, avoidBuggyIPs: false}}
    status: {{assignedIPv4: 1, availableIPv4: 31}}
  - apiVersion: v1
    kind: Service
    metadata:
      name: app
      namespace: shop
      annotations: {{metallb.io/ip-allocated-from-pool: web}}
    spec:
      type: LoadBalancer
      clusterIP: 10.96.0.10
      ports: [{{port: 443, nodePort: 31443, protocol: TCP, targetPort: 8443}}]
    status:
      loadBalancer: {{ingress: [{{ip: 192.168.10.64, ipMode: VIP}}]}}
"""


def test_live_dump_reserve_mode_records_requests_not_assignments():
    """A reservation holds what the Service asks for; the address MetalLB gave it (status)
    is said in a comment, not pinned, and node ports are copied in no mode."""
    result = imported(LIVE, services="reserve")
    cluster = result.site["spec"]["clusters"][0]
    assert cluster["pools"] == [{"name": "web", "addresses": ["192.168.10.64/27"]}]
    assert cluster["services"] == [{"name": "app", "namespace": "shop", "emit": False}]
    assert result.notes == []  # live bookkeeping annotations are not "lost" metadata
    assert "holds 192.168.10.64 now" in to_yaml(result.site, result.comments)
    emitted = imported(LIVE).site["spec"]["clusters"][0]["services"][0]
    assert "ips" not in emitted and "annotations" not in emitted
    assert emitted["ports"] == [{"port": 443, "targetPort": 8443}]
    assert "services" not in imported(LIVE, services="skip").site["spec"]["clusters"][0]


def problems(text):
    opts = ImportOptions(services="manage")
    return [(p.location.line, p.message) for p in import_config(config(text), opts).problems]


def test_problems_stop_the_import():
    dup = MANIFESTS + "---\n" + MANIFESTS.split("---\n")[1]
    assert any("IPAddressPool 'edge' is defined twice" in m for _, m in problems(dup))
    bad_name = MANIFESTS.replace("name: spare", "name: Spare.Pool")
    assert any("'Spare.Pool' is not a DNS-1123 label" in m for _, m in problems(bad_name))
    wrong_ns = MANIFESTS.replace(f"name: spare, namespace: {NS}", "name: spare, namespace: x")
    assert any("[object-wrong-namespace]" in m for _, m in problems(wrong_ns))
    typo = MANIFESTS.replace("avoidBuggyIPs: false", "avoidBuggyIps: false")
    assert any("[schema-unknown-field]" in m for _, m in problems(typo))


def test_service_fields_a_site_spec_cannot_hold():
    extra = MANIFESTS.replace(
        "  externalTrafficPolicy: Local\n",
        "  externalTrafficPolicy: Local\n  loadBalancerSourceRanges: [10.0.0.0/8]\n"
        "  sessionAffinity: None\n  clusterIP: 10.96.0.5\n",
    )
    line = extra.splitlines().index("  loadBalancerSourceRanges: [10.0.0.0/8]") + 1
    assert problems(extra) == [
        (
            line,
            "Service web/nginx sets spec.loadBalancerSourceRanges, which a site spec cannot "
            "hold; import with --services reserve to leave the Service where it is",
        )
    ]
    result = import_config(config(extra), ImportOptions())  # reserve, the default
    assert not result.problems


@pytest.mark.slow
def test_deterministic_output_across_processes(tmp_path):
    src = tmp_path / "in.yaml"
    src.write_text(MANIFESTS)
    outs = set()
    for seed in ("0", "1", "42"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "gitops_lb", "import", str(src), "--cluster", "dc1/a"],
            env=env,
            capture_output=True,
            check=True,
        )
        outs.add(proc.stdout)
    assert len(outs) == 1
    out = next(iter(outs))
    assert out.startswith(f"{SCHEMA_COMMENT}\n".encode())
    assert b"\napiVersion: gitops-lb.io/v1alpha1\nkind: Site\n" in out


def test_cli_writes_file_and_refuses_to_overwrite(tmp_path, capsys):
    src = tmp_path / "in.yaml"
    src.write_text(MANIFESTS)
    out = tmp_path / "site.yaml"
    args = ["import", str(src), "-o", str(out), "--cluster", "dc1/prod-a"]
    assert main(args) == 0
    assert "note: L2Advertisement 'web'" in capsys.readouterr().err
    text = out.read_text()
    assert "name: dc1" in text and "- name: prod-a" in text
    assert main(args) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


def test_cli_errors(tmp_path, capsys):
    src = tmp_path / "in.yaml"
    src.write_text(MANIFESTS + "---\n" + MANIFESTS.split("---\n")[1])
    assert main(["import", str(src)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{src}:" in captured.err and "defined twice" in captured.err
    assert main(["import", str(tmp_path / "missing.yaml")]) == 3
    assert main(["import", str(src), "--cluster", "Not_A_Label/a"]) == 2


@pytest.mark.parametrize("services", ["manage", "reserve"])
def test_imported_site_validates_as_a_site(services):
    text = to_yaml(imported(services=services).site)
    load = sites_from_files([load_text(textwrap.dedent(text), "s.yaml")])
    assert len(load.sites) == 1 and not load.intake.intake


# --- import then compile reproduces the compiled examples ------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sites"


def compiled_examples():
    from gitops_lb.check import load_checked
    from gitops_lb.compile.tree import compile_targets

    loaded = load_checked([str(EXAMPLES)])
    assert not loaded.result.errors
    return loaded.targets, compile_targets(loaded.targets)


def cluster_config(files, cluster_id):
    """The manifests of DIR/<site>/<cluster>/ read back as `lint` reads them."""
    prefix = f"{cluster_id}/"
    docs = [
        load_text(data.decode(), name)
        for name, data in sorted(files.items())
        # lint reads the *.yaml files of a folder (not cluster.json, the ApplicationSet's)
        if name.startswith(prefix)
        and name.endswith(".yaml")
        and name != f"{prefix}speaker-plan.yaml"
    ]
    return config_from_files(docs)


EXAMPLE_TARGETS, EXAMPLE_FILES = compiled_examples()


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=lambda t: t.id)
def test_import_then_compile_reproduces_the_compiled_objects(target):
    from gitops_lb.check import validate_sites
    from gitops_lb.compile.tree import compile_targets

    source = cluster_config(EXAMPLE_FILES, target.id)
    assert source.pools and source.services
    opts = ImportOptions(
        site=target.site.metadata.name,
        cluster=target.cluster.name,
        platform=target.site.spec.platform,
        bgp_mode=target.site.spec.bgpMode,
        namespace=target.site.spec.metallb.namespace,
        repo_url=target.site.spec.argocd.repoURL,
        services="manage",
    )
    result = import_config(source, opts)
    assert not result.problems
    assert not result.notes  # the compiler's own metadata (waves, sync options) is not "lost"
    assert "argocd.argoproj.io" not in to_yaml(result.site)
    load = sites_from_files([load_text(to_yaml(result.site), "imported.yaml")])
    targets = lower_all(load)
    assert not [d for d in validate_sites(load, targets) if str(d.severity) == "error"]
    again = cluster_config(compile_targets(targets), target.id)
    assert objects(again) == objects(source)
