"""Findings on a site spec speak the site spec's words, and give hints.

A site with mistakes for nearly every rule that can fire on a site spec: no message names a
generated MetalLB object or one of MetalLB's annotation keys (unless the user wrote that key),
every finding reports the site document and the path the user wrote, and that path leads to
the line the finding points at.
"""

from __future__ import annotations

import re
from typing import Any

from gitops_lb.check import validate_sites
from gitops_lb.diagnostics import Diagnostic
from gitops_lb.manifests import config_from_files
from gitops_lb.rules import all_rules, run_rules
from gitops_lb.rules._base import Input
from gitops_lb.site.lower import lower_all
from gitops_lb.yamlload import load_text, locate
from tests.site.helpers import check, line_of, load, site

NETWORKS = """\
networks:
  - name: vlan10
    cidr: 192.168.10.0/24
    gateway: 192.168.10.1
    reserved: [192.168.10.2-192.168.10.9]
  - {name: vlan20, cidr: 192.168.20.0/24}
"""
MORE_NETWORKS = """\
  - {name: vlan40, cidr: 192.168.40.0/24, gateway: 192.168.41.1}
"""
NODES = """\
    nodes:
      - name: n1
        labels: {rack: r1}
        interfaces:
          - {name: eth0, network: vlan10, address: 192.168.10.11}
      - name: n2
        labels: {rack: r2}
        interfaces:
          - {name: eth0, network: vlan10, address: 192.168.10.12}
          - {name: eth1, network: vlan10, address: 192.168.10.13}
"""
NATIVE_NODES = (
    NODES
    + """\
      - {name: n3, labels: {rack: r3}, interfaces: [{name: eth0, network: vlan99}]}
"""
)
ONE_SELECTOR = "{matchLabels: {rack: r1}}"
WEB_SELECTORS = "[{matchLabels: {rack: r3}}, {matchLabels: {kubernetes.io/hostname: n3}}]"
WEB2_SELECTORS = (
    f"[{ONE_SELECTOR}, {ONE_SELECTOR}, "
    "{matchExpressions: [{key: rack, operator: in, values: [r1]}]}]"
)
COMMUNITIES = ", ".join(f'"1:{i}"' for i in range(70))

NATIVE = site(
    "bgpMode: native\n"
    + NETWORKS
    + MORE_NETWORKS
    + """\
clusters:
  - name: prod-a
    server: https://a:6443
"""
    + NATIVE_NODES
    + f"""\
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2:
          interfaces: [eth9]
          nodeSelectors: {WEB_SELECTORS}
          serviceSelectors: [{{matchLabels: {{app: shared}}}}]
      - name: web2
        addresses:
          - 192.168.10.80/28
          - "::ffff:192.168.10.200/128"
          - 192.168.10.210-fc00::1
          - 10.1.2.3.4
          - 192.168.30.0/28
        l2: {{interfaces: [eth0], nodeSelectors: {WEB2_SELECTORS}}}
      - {{name: far, addresses: [192.168.20.80/28], l2: {{interfaces: [eth0]}}}}
      - name: lonely
        addresses: [192.168.10.100/32]
      - name: typo
        addresses: [192.168.10.1/32]
        l2: {{interfaces: [eht0]}}
      - name: empty
        addresses: []
        l2: {{}}
      - name: edge
        addresses: [203.0.113.0/28, "fc00::/120"]
        bgp:
          peers: [tor1, tor1, tor9]
          aggregationLength: 24
          aggregationLengthV6: 129
          serviceSelectors: [{{matchLabels: {{a: b}}}}]
          communities: [nosuch, "1:2:3", "large:1:2:3"]
      - name: tiny
        addresses: [192.168.10.120/32]
        serviceAllocation: {{namespaces: [only-here]}}
        l2: {{}}
    bgpPeers:
      - name: tor1
        myASN: 64512
        peerASN: 64513
        peerAddress: 10.0.0.1
        vrf: red
        holdTime: 1s
        routerID: 1.2.3
        disableMP: true
        password: x
        passwordSecret: {{name: s}}
        nodeSelectors: [{{matchLabels: {{rack: r9}}}}]
      - name: tor2
        myASN: 0
        peerASN: 64512
        dynamicASN: external
        peerAddress: "::ffff:10.0.0.2"
        interface: eth0
        sourceAddress: nope
      - {{name: tor3, myASN: 64512, peerASN: 64512, ebgpMultiHop: true}}
      - {{name: tor4, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.4, holdTime: 9s,
         keepaliveTime: 10s}}
      - {{name: tor5, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.5, password: "a\\nb"}}
      - {{name: tor4, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.4, holdTime: 9s,
         keepaliveTime: 10s}}
    l2Advertisements:
      - {{name: nosel, ipAddressPoolSelectors: [{{matchLabels: {{tier: nope}}}}]}}
      - {{name: named, ipAddressPools: [wbe]}}
    bgpAdvertisements:
      - {{name: lp1, ipAddressPools: [edge], localPref: 100}}
      - {{name: lp2, ipAddressPools: [edge], localPref: 200}}
    communities:
      - name: c1
        communities:
          - {{name: a, value: "1:1"}}
          - {{name: a, value: "70000:1"}}
          - {{name: big, value: "large:1:2:3"}}
    bfdProfiles:
      - {{name: b1}}
    services:
      - {{name: outside, namespace: web, ips: [192.168.10.230], ports: [{{port: 80}}]}}
      - {{name: badip, namespace: web, ips: [not-an-ip]}}
      - {{name: v6, namespace: web, ips: ["fc00::5"], ipFamilies: [IPv4]}}
      - {{name: mapped, namespace: web, ips: ["::ffff:192.168.10.70"]}}
      - name: share1
        namespace: web
        ips: [192.168.10.70]
        sharingKey: k1
        ports: [{{port: 80}}]
        labels: {{app: shared}}
      - {{name: share2, namespace: web, ips: [192.168.10.70], sharingKey: k2,
         ports: [{{port: 80}}]}}
      - {{name: nopool, namespace: web, pool: wbe}}
      - {{name: wrongpool, namespace: web, ips: [192.168.10.71], pool: web2}}
      - {{name: incompatible, namespace: web, pool: tiny}}
      - name: odd
        namespace: web
        pool: web
        annotations:
          metallb.io/loadBalancerIP: 192.168.10.72
          metallb.universe.tf/address-pool: web2
  - name: prod-b
    server: https://user:token@b:6443
    pools:
      - {{name: nothing, addresses: [192.168.10.64/27], l2: {{}}}}
      - {{name: edge, addresses: [203.0.113.0/29], bgp: {{}}}}
      - {{name: nothing, addresses: [192.168.10.241/32], l2: {{}}}}
      - {{name: one, addresses: [192.168.10.240/32], l2: {{}}}}
    services:
      - {{name: auto, namespace: web, ipFamilies: [IPv6]}}
      - {{name: a1, namespace: web, pool: one}}
      - {{name: a2, namespace: web, pool: one}}
"""
)

FRR = site(
    "bgpMode: frr\n"
    + NETWORKS
    + """\
clusters:
  - name: prod-a
    server: https://a:6443
"""
    + NODES
    + f"""\
    pools:
      - name: edge
        addresses: ["fc00::/120"]
        bgp: {{peers: [tor1], communities: [{COMMUNITIES}]}}
    bgpPeers:
      - {{name: tor1, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1, bfdProfile: echo,
         routerID: 10.0.0.10}}
      - {{name: tor2, myASN: 64600, peerASN: 64513, peerAddress: 10.0.0.1, routerID: 10.0.0.11}}
      - {{name: tor3, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.3, bfdProfile: ech0,
         routerID: 10.0.0.10}}
    bfdProfiles:
      - {{name: echo, echoMode: true}}
"""
)

FRR_K8S = site("""\
bgpMode: frr-k8s
clusters:
  - name: prod-a
    server: https://a:6443
    pools:
      - {name: edge, addresses: [203.0.113.0/28], bgp: {}}
    bgpPeers:
      - {name: tor1, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1, localASN: 64999}
""")

SCHEMA = site("""\
clusters:
  - name: prod-a
    server: https://a:6443
    pools:
      - name: web
        addresses: [192.168.10.64/27]
      - name: web2
        autoAsign: false
""")

# the site rules about networks, node addresses and the addresses a pool must keep clear of
ADDRESSES = site("""\
networks:
  - name: lan
    cidr: 10.20.0.9/24
    gateway: 10.20.0.1
    reserved: [10.20.0.2, 10.21.0.7]
  - name: lan6
    cidr: "fd00:20::/64"
clusters:
  - name: prod-a
    server: https://10.20.0.200:6443
    nodes:
      - name: n1
        labels: {rack: r1}
        interfaces: [{name: eth0, network: lan, address: 10.20.0.11}]
      - name: n2
        labels: {rack: r2}
        interfaces:
          - {name: eth0, network: lan, address: 10.20.0.11}
    pools:
      - name: web
        addresses: [10.20.0.192/27]
        l2: {interfaces: [eth0]}
      - name: web6
        addresses: ["fd00:20::100/120"]
        l2: {interfaces: [eth0]}
      - name: edge
        addresses: [10.20.0.128/28]
        bgp: {peers: [tor1]}
    bgpPeers:
      - {name: tor1, myASN: 64512, peerASN: 64513, peerAddress: 10.20.0.130}
""")

# the ApplicationSet layout's rollout names a cluster the site does not have
ROLLOUT = site("""\
clusters:
  - name: prod-a
    server: https://a:6443
    pools: [{name: web, addresses: [192.168.10.64/27], l2: {}}]
""").replace(
    "argocd: {repoURL: https://git.example.com/lb.git}",
    "argocd:\n    repoURL: https://git.example.com/lb.git\n    layout: applicationset\n"
    "    rollout:\n      - clusters: [prod-b]",
)

# rules whose replacement on site specs is disabled, so that they run there too
REPLACED = ("site-node-selector-no-node", "site-duplicate-name", "site-password-in-clear")

# words that name MetalLB's objects or annotations, not what the user wrote
METALLB_WORDS = re.compile(
    r"IPAddressPool|L2Advertisement|BGPAdvertisement|BGPPeer|BFDProfile|\bCommunity\b|"
    r"\bNodes?\b|metallb\.io/|metallb\.universe\.tf/|spec\.clusters|[a-zA-Z]\.\d+\."
)
# the user wrote these annotation keys themselves: messages quote them as written
QUOTES_USER_KEYS = {"service-unknown-annotation", "service-annotation-prefix-conflict"}


def at_release(text: str, version: str) -> str:
    """The site text targeting another MetalLB release."""
    return text.replace("spec:\n", f"spec:\n  metallb: {{version: {version}}}\n", 1)


# the rules of other releases than the default: v0.16 (serviceSelectors of advertisements,
# localASN, FRR mode deprecated) and v0.13 (no frr-k8s mode yet)
RELEASES = (
    at_release(NATIVE, "v0.16.1"),
    at_release(FRR, "v0.16.1"),
    at_release(FRR_K8S, "v0.16.1"),
    at_release(FRR_K8S, "v0.13.12"),
)


# the repoURL `gitops-lb import` writes when it is not told the URL (site-repo-url-unset)
UNSET_REPO = FRR_K8S.replace("https://git.example.com/lb.git", "REPLACE-ME-git-repository-url")


def everything() -> list[tuple[str, Diagnostic]]:
    """(site text, diagnostic) for every finding on the sites above, the replaced rules too."""
    out: list[tuple[str, Diagnostic]] = []
    for text in (NATIVE, FRR, FRR_K8S, SCHEMA, ADDRESSES, UNSET_REPO, ROLLOUT, *RELEASES):
        sl = load(text)
        out += [(text, d) for d in validate_sites(sl, lower_all(sl))]
        replaced = [
            d
            for d in validate_sites(sl, lower_all(sl), disabled=REPLACED)
            if all_rules()[d.rule].applies.sites_replaced_by is not None
        ]
        out += [(text, d) for d in replaced]
    return out


def test_the_sites_make_nearly_every_rule_fire():
    fired = {d.rule for _, d in everything()}
    manifests_only = {r.id for r in all_rules().values() if Input.SITES not in r.applies.inputs}
    never = {
        # made from what lowering never produces: ConfigMaps, the operator resource, Secrets
        "legacy-configmap",
        "operator-resource-ignored",
        "object-missing-name",  # the site spec requires names
        "peer-deprecated-version",  # lowering writes metallb.io/v1beta2
        "service-lbip-and-annotation",  # a site spec has no spec.loadBalancerIP
        "site-argocd-path-mismatch",  # compile's -o against argocd.path: tests/compile/
        "legacy-address-pool",  # lowering never writes the pre-0.13 AddressPool kind
        "legacy-address-pool-deprecated",
        "pool-contains-node-ip",  # v0.15.0 only; on sites site-pool-reserved says it
    }
    # reading the files: syntax, encoding, documents (not about a site's elements)
    reading = {r.id for r in all_rules().values() if r.category == "input"}
    expected = set(all_rules()) - manifests_only - never - reading
    expected |= {"schema-invalid", "schema-unknown-field", "object-duplicate"}
    assert expected - fired == set()


def test_no_finding_on_a_site_speaks_metallb_words():
    spoken = []
    for _, d in everything():
        texts = [d.message, *(r.message for r in d.related)]
        if d.rule in QUOTES_USER_KEYS:
            texts = [re.sub(r"'metallb[^']*'|annotations\.\S+", "KEY", t) for t in texts]
        spoken += [(d.rule, t) for t in texts if METALLB_WORDS.search(t)]
    assert spoken == []


def path_parts(path: str) -> list[Any]:
    """ "spec.clusters[0].pools[1].l2" -> ["spec", "clusters", 0, "pools", 1, "l2"]."""
    parts: list[Any] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return parts


def test_every_site_finding_reports_the_site_path_of_its_line():
    for text, d in everything():
        assert d.object in ("Site/dc1", None), (d.rule, d.object)
        assert d.path is not None and d.path.startswith(("spec", "apiVersion", "metadata")), d
        if "annotations." in d.path:
            continue  # keys with dots: checked by test_annotation_paths below
        doc = load(text).files[0].documents[0].data
        (line, _), _ = locate(doc, path_parts(d.path), key=True)
        (vline, _), _ = locate(doc, path_parts(d.path))
        assert d.location.line in (line, vline), (d.rule, d.path, d.location.line, line)


def test_annotation_paths():
    (d,) = [d for d in check(NATIVE) if d.rule == "service-unknown-annotation"]
    assert d.path == "spec.clusters[0].services[9].annotations.metallb.io/loadBalancerIP"
    assert d.location.line == line_of(NATIVE, "metallb.io/loadBalancerIP:")


def message(rule: str, text: str, needle: str | None = None) -> str:
    found = [d.message for d in check(text) if d.rule == rule]
    if needle is not None:
        found = [m for m in found if needle in m]
    assert len(found) == 1, found
    return found[0]


# --- the words --------------------------------------------------------------------------------


def test_brief_example_interface_in_the_words_written():
    text = site("""\
networks:
  - {name: vlan10, cidr: 192.168.10.0/24}
clusters:
  - name: prod-a
    server: https://a:6443
    nodes:
      - {name: node-a, interfaces: [{name: eth3, network: vlan10, address: 192.168.10.11}]}
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2: {interfaces: [eth9]}
""")
    (d,) = [d for d in check(text) if d.rule == "site-interface-not-on-node"]
    assert d.message == (
        "interface 'eth9' in l2.interfaces of pool 'web' (cluster 'prod-a') is on none of the "
        "selected nodes (node-a); they have eth3"
    )
    assert (d.location.line, d.object, d.path) == (
        line_of(text, "eth9"),
        "Site/dc1",
        "spec.clusters[0].pools[0].l2.interfaces[0]",
    )


def test_full_forms_are_named_by_their_list():
    assert message("adv-unknown-pool", NATIVE) == (
        "l2Advertisement 'named' of cluster 'prod-a' names pool 'wbe', which does not exist; "
        "did you mean 'web'?"
    )
    assert message("bgpadv-localpref-conflict", NATIVE) == (
        "localPref 200 of bgpAdvertisement 'lp2' (cluster 'prod-a') conflicts with localPref "
        "100 of bgpAdvertisement 'lp1' for pool 'edge'"
    )
    assert message("peer-invalid-ip", NATIVE, "routerID") == (
        "routerID '1.2.3' of bgpPeer 'tor1' (cluster 'prod-a') is not an IP address"
    )


def test_shorthands_are_named_by_their_pool():
    assert message("bgpadv-unknown-peer", NATIVE) == (
        "bgp of pool 'edge' of cluster 'prod-a' sends to peer 'tor9', which does not exist; "
        "did you mean 'tor5'?"
    )
    assert message("bgpadv-aggregation-length", NATIVE, "V6") == (
        "bgp.aggregationLengthV6 129 of pool 'edge' (cluster 'prod-a') is longer than 128"
    )
    assert message("selector-duplicate", NATIVE) == (
        "l2.nodeSelectors[1] of pool 'web2' (cluster 'prod-a'): duplicate definition of "
        "selector (same as #0)"
    )


def test_services_say_ips_pool_and_sharing_key():
    assert message("service-invalid-ips", NATIVE) == (
        "service 'web/badip' of cluster 'prod-a': ips 'not-an-ip' has 'not-an-ip', which is "
        "not an IP address"
    )
    assert message("service-unknown-pool", NATIVE) == (
        "service 'web/nopool' of cluster 'prod-a': pool 'wbe' does not exist; did you mean 'web'?"
    )
    assert message("service-ip-sharing", NATIVE, "share2").endswith(
        "cannot share 192.168.10.70 with web/mapped: web/mapped has no sharingKey"
    )
    assert message("l2-shared-ip-service-selectors", at_release(NATIVE, "v0.16.1")).startswith(
        "service 'web/share1' of cluster 'prod-a' carries sharingKey and l2 of pool 'web' "
        "selects it by serviceSelectors"
    )
    assert message("service-unknown-annotation", NATIVE).endswith(
        "did you mean 'metallb.io/loadBalancerIPs'? A site spec writes it as ips: of the service"
    )


def test_schema_errors_name_the_element():
    found = {d.rule: d for d in check(SCHEMA)}
    unknown, missing = found["schema-unknown-field"], found["schema-invalid"]
    assert unknown.message == (
        "unknown field 'autoAsign' in pool 'web2' of cluster 'prod-a'; did you mean 'autoAssign'?"
    )
    assert (unknown.location.line, unknown.path) == (
        line_of(SCHEMA, "autoAsign"),
        "spec.clusters[0].pools[1].autoAsign",
    )
    assert missing.message == (
        "addresses of pool 'web2' (cluster 'prod-a'): required field is missing"
    )


def test_schema_errors_deeper_and_without_a_name():
    text = site("""\
networks:
  - {name: vlan10, cidr: 192.168.10.0/24, gatway: 192.168.10.1}
clusters:
  - name: prod-a
    server: https://a:6443
    nodes:
      - {name: n1, interfaces: [{name: eth0, adress: 192.168.10.11}]}
    pools:
      - {addresses: [192.168.10.64/27], l2: {interface: [eth0]}}
    services:
      - {name: s, namespace: web, ports: [{port: 80000}]}
""")
    got = sorted(d.message for d in check(text))
    assert got == [
        "name of pools[0] (cluster 'prod-a'): required field is missing",
        "ports[0].port of service 'web/s' (cluster 'prod-a'): input should be less than or "
        "equal to 65535 (got 80000)",
        "unknown field 'adress' in interface 'eth0' on node 'n1' of cluster 'prod-a'; did you "
        "mean 'address'?",
        "unknown field 'gatway' in network 'vlan10' of site 'dc1'; did you mean 'gateway'?",
        "unknown field 'interface' in l2 of pools[0] (cluster 'prod-a'); did you mean "
        "'interfaces'?",
    ]


def test_manifest_messages_keep_metallb_words():
    text = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: web, namespace: metallb-system}
spec: {addresses: [192.168.10.64/27]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: web, namespace: metallb-system}
spec: {ipAddressPools: [web, web]}
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
  namespace: web
  annotations: {metallb.io/loadBalancerIPs: 192.168.10.200}
spec: {type: LoadBalancer, ports: [{port: 80}]}
"""
    found = {d.rule: d for d in run_rules(config_from_files([load_text(text, "m.yaml")]))}
    outside = found["service-ip-outside-pool"]
    assert outside.message == "Service web/nginx: 192.168.10.200 is not inside any IPAddressPool"
    assert (outside.object, outside.path) == (
        "Service/web/nginx",
        "metadata.annotations.metallb.io/loadBalancerIPs",
    )
    assert found["duplicate-list-entry"].message == (
        "L2Advertisement 'web' lists 'web' twice in ipAddressPools"
    )


# --- hints ------------------------------------------------------------------------------------

INVENTORY = """\
clusters:
  - name: prod-a
    server: https://a:6443
    nodes:
      - {name: node-a, labels: {rack: r1, zone: east}, interfaces: [{name: eth3}, {name: ens4}]}
      - {name: node-b, labels: {rack: r2, zone: west}, interfaces: [{name: eth3}]}
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2: {nodeSelectors: [SELECTOR], interfaces: [eth3]}
"""


def selector_message(selector: str) -> str:
    return message("site-node-selector-no-node", site(INVENTORY.replace("SELECTOR", selector)))


def test_interface_hint_lists_the_interfaces_of_the_selected_nodes():
    text = INVENTORY.replace("SELECTOR", "{}")
    text = site(text.replace("interfaces: [eth3]}", "interfaces: [eth9]}"))
    assert message("site-interface-not-on-node", text).endswith(
        "is on none of the selected nodes (node-a, node-b); they have ens4, eth3"
    )


def test_no_interface_hint_when_the_nodes_list_no_interfaces():
    text = site(
        INVENTORY.replace("SELECTOR", "{}")
        .replace(", interfaces: [{name: eth3}, {name: ens4}]", "")
        .replace(", interfaces: [{name: eth3}]", "")
        .replace("interfaces: [eth3]}", "interfaces: [eth9]}")
    )
    assert [d for d in check(text) if d.rule == "site-interface-not-on-node"] == []


def test_node_name_hint():
    assert selector_message("{matchLabels: {kubernetes.io/hostname: nod-a}}").endswith(
        "matches none of the cluster's 2 inventory nodes; no node is named 'nod-a'; did you "
        "mean 'node-a'?"
    )
    assert selector_message("{matchLabels: {kubernetes.io/hostname: web-1}}").endswith(
        "; no node is named 'web-1' (the nodes are node-a, node-b)"
    )


def test_label_key_hint():
    assert selector_message("{matchLabels: {rak: r1}}").endswith(
        "; no node has label 'rak'; did you mean 'rack'?"
    )
    assert selector_message("{matchExpressions: [{key: zon, operator: Exists}]}").endswith(
        "; no node has label 'zon'; did you mean 'zone'?"
    )


def test_label_value_hint():
    assert selector_message("{matchLabels: {zone: eats}}").endswith(
        "; no node has zone=eats; did you mean zone=east?"
    )
    # nothing close: the values the nodes have
    assert selector_message("{matchLabels: {rack: r3}}").endswith(
        "; no node has rack=r3 (they have r1, r2)"
    )
    assert selector_message(
        "{matchExpressions: [{key: zone, operator: In, values: [north, wets]}]}"
    ).endswith("; no node has one of the zone values; did you mean zone=west?")


def test_no_label_hint_when_each_label_matches_some_node():
    text = selector_message("{matchLabels: {rack: r1, zone: west}}")
    assert text == (
        "l2.nodeSelectors[0] of pool 'web' (cluster 'prod-a') matches none of the cluster's 2 "
        "inventory nodes"
    )


def test_outside_pool_hint_names_the_pools_and_their_addresses():
    text = site("""\
clusters:
  - name: prod-a
    server: https://a:6443
    pools:
      - {name: web, addresses: [192.168.10.64/27], l2: {}}
      - {name: web2, addresses: [192.168.10.96/28, 10.0.0.0/24], l2: {}}
    services:
      - {name: nginx, namespace: web, ips: [192.168.10.200]}
""")
    assert message("service-ip-outside-pool", text) == (
        "service 'web/nginx' of cluster 'prod-a': 192.168.10.200 is in none of the cluster's "
        "pools: web 192.168.10.64/27, web2 192.168.10.96/28 + 10.0.0.0/24"
    )


def test_outside_pool_hint_is_cut_short_on_many_pools():
    pools = "".join(
        f"      - {{name: p{i}, addresses: [10.0.{i}.0/24], l2: {{}}}}\n" for i in range(8)
    )
    text = site(
        "clusters:\n  - name: a\n    server: https://a:6443\n    pools:\n"
        + pools
        + "    services:\n      - {name: s, ips: [192.168.10.200]}\n"
    )
    assert message("service-ip-outside-pool", text).endswith(
        "p3 10.0.3.0/24, p4 10.0.4.0/24 and 3 more"
    )
