from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules import run_rules
from gitops_lb.yamlload import plain
from tests.site.helpers import line_of, site, targets

TEXT = site("""\
bgpMode: frr
metallb: {namespace: lb, annotationPrefix: metallb.universe.tf}
clusters:
  - name: a
    server: https://a:6443
    nodes:
      - name: n1
        labels: {rack: r1}
        interfaces:
          - {name: eth0, network: vlan10, address: 192.168.10.11/24}
          - {name: eth1}
    pools:
      - name: web
        labels: {tier: front}
        addresses:
          - 192.168.10.64/27
          - 192.168.10.80/28
        l2:
          interfaces: [eth0]
      - name: edge
        autoAssign: false
        addresses: [203.0.113.0/28]
        bgp: {peers: [tor1], localPref: 100}
    bgpPeers:
      - {name: tor1, myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1}
    l2Advertisements:
      - name: all
        nodeSelectors: [{matchLabels: {rack: r1}}]
    communities:
      - name: c
        communities: [{name: no-export, value: "65535:65281"}]
    bfdProfiles:
      - {name: fast, receiveInterval: 100}
    services:
      - name: nginx
        namespace: web
        pool: web
        ips: [192.168.10.70, "fc00::1"]
        sharingKey: k
        ports: [{port: 80}]
        annotations: {team: a}
      - name: reserved
        emit: false
        ips: [192.168.10.71]
""")


def test_cluster_config_identity():
    (t,) = targets(TEXT)
    cfg = t.config
    assert (t.id, cfg.name, cfg.namespace, cfg.bgp_mode) == ("dc1/a", "dc1/a", "lb", "frr")
    assert not hasattr(cfg, "site")  # the IR does not refer back to its ClusterTarget
    assert t.cluster_path == ("spec", "clusters", 0)
    assert [p.name for p in cfg.pools] == ["edge", "web"]
    assert [a.name for a in cfg.l2advs] == ["all", "web"]
    assert [a.name for a in cfg.bgpadvs] == ["edge"]
    assert [p.name for p in cfg.peers] == ["tor1"]
    assert [c.name for c in cfg.communities] == ["c"]
    assert [b.name for b in cfg.bfdprofiles] == ["fast"]
    assert [(s.namespace, s.name) for s in cfg.services] == [
        ("web", "nginx"),
        ("default", "reserved"),
    ]
    assert [n.name for n in cfg.nodes] == ["n1"]
    assert cfg.intake == {}


def test_pool_positions_point_at_site_lines():
    (t,) = targets(TEXT)
    web = semantics_of(t.config).pools_by_name["web"]
    assert web.file == "site.yaml"
    loc = web.locate(("spec", "addresses", 1))
    line = line_of(TEXT, "192.168.10.80/28")
    column = TEXT.splitlines()[line - 1].index("192.168.10.80/28") + 1
    assert (loc.line, loc.column) == (line, column)
    name_line = line_of(TEXT, "- name: web")
    for path in [("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace")]:
        assert web.locate(path).line == name_line
    assert web.locate(("metadata", "labels", "tier")).line == line_of(TEXT, "tier: front")


def test_models_hold_only_what_was_written():
    (t,) = targets(TEXT)
    pools = semantics_of(t.config).pools_by_name
    assert pools["web"].model.model_dump(exclude_unset=True) == {
        "apiVersion": "metallb.io/v1beta1",
        "kind": "IPAddressPool",
        "metadata": {"name": "web", "namespace": "lb", "labels": {"tier": "front"}},
        "spec": {"addresses": ["192.168.10.64/27", "192.168.10.80/28"]},
    }
    assert pools["edge"].model.model_dump(exclude_unset=True)["spec"] == {
        "autoAssign": False,
        "addresses": ["203.0.113.0/28"],
    }
    bfd = t.config.bfdprofiles[0].model.model_dump(exclude_unset=True)
    assert bfd["spec"] == {"receiveInterval": 100}


def test_shorthand_advertisements():
    (t,) = targets(TEXT)
    l2 = next(a for a in t.config.l2advs if a.name == "web")
    assert l2.model.spec.ipAddressPools == ["web"]
    assert l2.model.spec.interfaces == ["eth0"]
    assert l2.locate(("metadata", "name")).line == line_of(TEXT, "l2:")
    assert l2.locate(("spec", "ipAddressPools", 0)).line == line_of(TEXT, "- name: web")
    assert l2.locate(("spec", "interfaces", 0)).line == line_of(TEXT, "interfaces: [eth0]")
    bgp = t.config.bgpadvs[0]
    assert plain(bgp.model.model_dump(exclude_unset=True)["spec"]) == {
        "ipAddressPools": ["edge"],
        "peers": ["tor1"],
        "localPref": 100,
    }
    assert bgp.locate(("spec", "localPref")).line == line_of(TEXT, "bgp: {peers")


def test_full_forms_keep_their_positions():
    (t,) = targets(TEXT)
    peer = t.config.peers[0]
    assert peer.model.apiVersion == "metallb.io/v1beta2"
    assert peer.model.spec.peerAddress == "10.0.0.1"
    assert peer.locate(("spec", "peerAddress")).line == line_of(TEXT, "name: tor1, myASN")
    adv = next(a for a in t.config.l2advs if a.name == "all")
    assert adv.locate(("spec", "nodeSelectors", 0)).line == line_of(TEXT, "matchLabels: {rack")
    assert adv.locate(("metadata", "name")).line == line_of(TEXT, "- name: all")


def test_services_get_annotations_from_the_site_fields():
    (t,) = targets(TEXT)
    svc = {s.name: s for s in t.config.services}
    nginx = svc["nginx"]
    assert nginx.model.spec.type == "LoadBalancer"
    assert nginx.model.metadata.annotations == {
        "team": "a",
        "metallb.universe.tf/address-pool": "web",
        "metallb.universe.tf/loadBalancerIPs": "192.168.10.70,fc00::1",
        "metallb.universe.tf/allow-shared-ip": "k",
    }
    ann = ("metadata", "annotations")
    assert nginx.locate((*ann, "metallb.universe.tf/loadBalancerIPs")).line == line_of(
        TEXT, "ips: [192.168.10.70"
    )
    assert nginx.locate((*ann, "metallb.universe.tf/address-pool")).line == line_of(
        TEXT, "pool: web"
    )
    reserved = svc["reserved"]  # emit: false services are reservations, still lowered
    assert reserved.model.metadata.annotations == {
        "metallb.universe.tf/loadBalancerIPs": "192.168.10.71"
    }
    assert reserved.locate(("metadata", "namespace")).line == line_of(TEXT, "- name: reserved")


def test_nodes_from_the_inventory():
    (t,) = targets(TEXT)
    node = t.config.nodes[0]
    assert node.model.metadata.labels == {"rack": "r1", "kubernetes.io/hostname": "n1"}
    assert [(a.type, a.address) for a in node.model.status.addresses] == [
        ("InternalIP", "192.168.10.11")
    ]
    assert node.locate(("status", "addresses", 0, "address")).line == line_of(TEXT, "eth0, network")


def test_metallb_rule_finds_site_line():
    text = TEXT.replace("192.168.10.80/28", "192.168.10.72/29")
    (t,) = targets(text)
    found = [d for d in run_rules(t.config) if d.rule == "pool-overlap"]
    assert [(d.location.file, d.location.line) for d in found] == [
        ("site.yaml", line_of(text, "192.168.10.72/29"))
    ]
    # reported as the site spec wrote it: the site document, and the path in it
    assert found[0].object == "Site/dc1"
    assert found[0].path == "spec.clusters[0].pools[0].addresses[1]"


def test_invalid_element_is_left_out_and_remembered():
    (t,) = targets(TEXT.replace("myASN: 64512", 'myASN: "x"'))
    assert t.config.peers == [] and t.config.may_exist("BGPPeer", "tor1")
    assert not t.config.may_exist("BGPPeer", "tor2")
    assert [p.name for p in t.config.pools] == ["edge", "web"]  # the rest is read


def test_every_cluster_is_lowered():
    text = site("""\
clusters:
  - {name: a, server: https://a:6443}
  - {name: b, server: https://b:6443}
""")
    assert [t.id for t in targets(text)] == ["dc1/a", "dc1/b"]
    assert all(
        t.config.namespace == "metallb-system" and t.config.bgp_mode is None for t in targets(text)
    )


def test_null_fields_are_left_out_and_models_hold_plain_values():
    text = site("""\
clusters:
  - name: a
    server: https://a:6443
    pools:
      - {name: p, addresses: [10.0.0.0/28], serviceAllocation: null, l2: null}
    services:
      - {name: s, ipFamilyPolicy: null, ports: [{port: 80, nodePort: null}]}
""")
    (t,) = targets(text)
    pool = t.config.pools[0]
    assert pool.model.model_dump(exclude_unset=True)["spec"] == {"addresses": ["10.0.0.0/28"]}
    assert type(pool.model.spec.addresses) is list
    assert t.config.l2advs == []  # l2: null is no advertisement
    svc = t.config.services[0].model
    assert svc.spec.ipFamilyPolicy == "" and svc.spec.ports[0].nodePort is None
