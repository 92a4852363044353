"""The comparison itself (no I/O): what counts as equal, what is drift, where it points."""

from __future__ import annotations

import textwrap
from typing import Any

from gitops_lb.reconcile.desired import Desired
from gitops_lb.reconcile.drift import compare
from gitops_lb.reconcile.state import LiveState
from tests.helpers import config
from tests.reconcile.scenario import NS, metallb, node, service

POOL = """\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: web
  namespace: metallb-system
  labels: {tier: front}
spec:
  addresses: [192.168.10.64/27, 192.168.10.200-192.168.10.210]
"""
L2 = """\
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: web, namespace: metallb-system}
spec:
  ipAddressPools: [web]
  interfaces: [eth3, eth4]
  nodeSelectors:
    - matchLabels: {lb: "yes"}
    - matchExpressions: [{key: zone, operator: In, values: [a, b]}]
"""


def diffs(git: str, live: list[dict[str, Any]], **desired: Any) -> list[tuple[Any, ...]]:
    cfg = config(textwrap.dedent(git))
    state = LiveState("test", NS)
    for obj in live:
        state.add(obj["kind"], obj)
    found = compare(Desired("c", cfg, **desired), state)
    return [(d.type, d.kind, d.name, d.path, d.desired, d.live) for d in found]


def live_pool(**spec: Any) -> dict[str, Any]:
    obj = metallb(
        "IPAddressPool",
        "web",
        {"addresses": ["192.168.10.64/27", "192.168.10.200-192.168.10.210"], **spec},
    )
    obj["metadata"]["labels"]["tier"] = "front"
    return obj


def live_l2(**spec: Any) -> dict[str, Any]:
    base = {
        "ipAddressPools": ["web"],
        "interfaces": ["eth3", "eth4"],
        "nodeSelectors": [
            {"matchLabels": {"lb": "yes"}},
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]},
        ],
    }
    return metallb("L2Advertisement", "web", {**base, **spec})


def test_defaults_server_metadata_and_status_are_equal():
    live = live_pool(autoAssign=True, avoidBuggyIPs=False, futureField={"x": 1})
    live["status"] = {"assignedIPv4": 3}
    assert diffs(POOL, [live]) == []


def test_default_written_in_git_equals_absent_live():
    git = POOL.replace("  addresses:", "  autoAssign: true\n  avoidBuggyIPs: false\n  addresses:")
    assert diffs(git, [live_pool()]) == []


def test_live_value_git_leaves_to_the_default():
    assert diffs(POOL, [live_pool(avoidBuggyIPs=True)]) == [
        ("changed", "IPAddressPool", "web", "spec.avoidBuggyIPs", False, True)
    ]


def test_nested_field():
    live = live_pool(serviceAllocation={"priority": 5, "namespaces": ["b", "a"]})
    git = POOL + "  serviceAllocation: {priority: 5, namespaces: [a, b, a]}\n"
    assert diffs(git, [live]) == []
    live["spec"]["serviceAllocation"]["priority"] = 1
    assert diffs(git, [live]) == [
        ("changed", "IPAddressPool", "web", "spec.serviceAllocation.priority", 5, 1)
    ]


def test_present_empty_service_allocation_differs_from_absent():
    """Any serviceAllocation, even empty, pins the pool (MetalLB internal/config/config.go,
    v0.15.1)."""
    assert diffs(POOL + "  serviceAllocation: {}\n", [live_pool()]) == [
        ("changed", "IPAddressPool", "web", "spec.serviceAllocation", {}, None)
    ]


def test_lists_metallb_reads_as_sets_are_unordered():
    live = live_l2(
        interfaces=["eth4", "eth3", "eth4"],
        nodeSelectors=[
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["b", "a"]}]},
            {"matchLabels": {"lb": "yes"}},
        ],
    )
    assert diffs(POOL + L2, [live_pool(), live]) == []


def test_address_order_matters():
    """MetalLB hands out addresses in the order of the entries."""
    live = live_pool()
    live["spec"]["addresses"].reverse()
    [diff] = diffs(POOL, [live])
    assert diff[:4] == ("changed", "IPAddressPool", "web", "spec.addresses")


def test_git_label_changed_live_points_at_the_line():
    live = live_pool()
    live["metadata"]["labels"]["tier"] = "back"
    cfg = config(POOL)
    state = LiveState("test", NS)
    state.add("IPAddressPool", live)
    [diff] = compare(Desired("c", cfg), state)
    assert (diff.path, diff.desired, diff.live) == ('metadata.labels["tier"]', "front", "back")
    assert diff.location is not None
    assert (diff.location.line, diff.location.column) == (6, 18)  # the value "front"
    assert diff.message == (
        'IPAddressPool metallb-system/web metadata.labels["tier"]: Git "front", live "back"'
    )


def test_missing_and_extra():
    other = metallb("IPAddressPool", "old", {"addresses": ["10.0.0.0/24"], "autoAssign": True})
    assert diffs(POOL, [other]) == [
        ("extra", "IPAddressPool", "old", None, None, {"addresses": ["10.0.0.0/24"]}),
        (
            "missing",
            "IPAddressPool",
            "web",
            None,
            {"addresses": ["192.168.10.64/27", "192.168.10.200-192.168.10.210"]},
            None,
        ),
    ]


def test_unreadable_kind_is_not_compared():
    state = LiveState("test", NS, unreadable={"IPAddressPool": "GET x: forbidden (403): no"})
    found = compare(Desired("c", config(POOL)), state)
    assert [(d.type, d.kind, d.message) for d in found] == [
        ("unreadable", "IPAddressPool", "could not read IPAddressPool: GET x: forbidden (403): no")
    ]


SVC = """\
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
  namespace: web
  annotations: {metallb.io/loadBalancerIPs: "fc00::0010, 192.168.10.70", team: a}
spec: {type: LoadBalancer}
"""


def svc(ips: list[str], annotations: dict[str, str], **spec: Any) -> dict[str, Any]:
    obj = service("web", "nginx", ips, annotations=annotations)
    obj["spec"].update(spec)
    return obj


def test_service_requests_compare_by_meaning():
    """Deprecated prefix, spacing, order and IPv6 spelling do not matter."""
    live = svc(
        ["192.168.10.70", "fc00::10"],
        {"metallb.universe.tf/loadBalancerIPs": "192.168.10.70,fc00::10", "team": "a"},
    )
    assert diffs(POOL + SVC, [live_pool(), live]) == []


def test_new_prefix_wins_live():
    live = svc(
        ["192.168.10.70", "fc00::10"],
        {
            "metallb.universe.tf/loadBalancerIPs": "192.168.10.70,fc00::10",
            "metallb.io/loadBalancerIPs": "192.168.10.71",
            "team": "a",
        },
    )
    assert diffs(POOL + SVC, [live_pool(), live]) == [
        (
            "changed",
            "Service",
            "nginx",
            'metadata.annotations["metallb.io/loadBalancerIPs"]',
            ["192.168.10.70", "fc00::10"],
            ["192.168.10.71"],
        ),
    ]


def test_load_balancer_ip_field_counts_as_a_request():
    git = SVC.replace('"fc00::0010, 192.168.10.70"', "192.168.10.70")
    live = svc(["192.168.10.70"], {"team": "a"}, loadBalancerIP="192.168.10.70")
    assert diffs(POOL + git, [live_pool(), live]) == []


def test_other_git_annotations_and_live_only_ones():
    live = svc(
        ["192.168.10.70", "fc00::10"],
        {"metallb.io/loadBalancerIPs": "192.168.10.70,fc00::10", "team": "b", "extra": "x"},
    )
    assert diffs(POOL + SVC, [live_pool(), live]) == [
        ("changed", "Service", "nginx", 'metadata.annotations["team"]', "a", "b")
    ]


def test_address_in_pool_when_only_the_pool_is_requested():
    git = POOL + SVC.replace(
        '{metallb.io/loadBalancerIPs: "fc00::0010, 192.168.10.70", team: a}',
        "{metallb.universe.tf/address-pool: web}",
    )
    ok = svc(["192.168.10.205"], {"metallb.universe.tf/address-pool": "web"})
    assert diffs(git, [live_pool(), ok]) == []
    bad = svc(["192.168.10.99", "192.168.10.64"], {"metallb.universe.tf/address-pool": "web"})
    assert diffs(git, [live_pool(), bad]) == [
        (
            "misassigned",
            "Service",
            "nginx",
            "status.loadBalancer.ingress",
            "web",
            ["192.168.10.99", "192.168.10.64"],
        ),
    ]


def test_automatic_address_must_come_from_a_git_pool():
    git = POOL + SVC.replace(
        '{metallb.io/loadBalancerIPs: "fc00::0010, 192.168.10.70", team: a}', "{}"
    )
    assert diffs(git, [live_pool(), svc(["192.168.10.80"], {})]) == []
    [diff] = diffs(git, [live_pool(), svc(["10.9.9.9"], {})])
    assert diff[:3] == ("misassigned", "Service", "nginx")


def test_reserved_service_missing_is_a_warning():
    cfg = config(POOL + SVC)
    found = compare(
        Desired("c", cfg, reserved=frozenset({("web", "nginx")})), state_of([live_pool()])
    )
    assert [(d.type, str(d.severity)) for d in found] == [("missing", "warning")]


def state_of(objects: list[dict[str, Any]]) -> LiveState:
    state = LiveState("test", NS)
    for obj in objects:
        state.add(obj["kind"], obj)
    return state


def test_inventory_node_missing_or_relabelled():
    git = (
        POOL
        + L2
        + '---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {lb: "yes"}\n'
    )
    live = [live_pool(), live_l2(), node("n2", lb="yes")]
    assert diffs(git, live) == [
        ("node-labels", "L2Advertisement", "web", "spec.nodeSelectors", ["n1"], ["n2"]),
        ("missing", "Node", "n1", None, None, None),
    ]
    live[-1] = node("n1", lb="no")
    assert diffs(git, live) == [
        ("node-labels", "L2Advertisement", "web", "spec.nodeSelectors", ["n1"], []),
        ("node-labels", "Node", "n1", 'metadata.labels["lb"]', "yes", "no"),
    ]


def test_configuration_state_failing_condition_is_a_warning():
    state = metallb("ConfigurationState", "controller", {}) | {
        "status": {
            "result": "Valid",
            "conditions": [
                {
                    "type": "poolReconcilerValid",
                    "status": "False",
                    "reason": "UnknownError",
                    "message": "boom",
                }
            ],
        }
    }
    cfg = config(POOL)
    [diff] = compare(Desired("c", cfg), state_of([live_pool(), state]))
    assert (diff.type, str(diff.severity)) == ("config-error", "warning")
    assert diff.message == (
        "ConfigurationState metallb-system/controller: condition poolReconcilerValid is False "
        "(UnknownError): boom"
    )


def test_malformed_live_objects_never_raise():
    junk: list[dict[str, Any]] = [
        {"kind": "IPAddressPool", "metadata": "x", "spec": ["a"]},
        {"kind": "Service", "metadata": {"name": 3}, "spec": None, "status": {"loadBalancer": 1}},
        {"kind": "Node", "metadata": {"name": "n", "labels": {"a": 1}}},
        {"kind": "ServiceL2Status", "metadata": {}, "status": {"node": 5, "interfaces": "x"}},
        {"kind": "ConfigurationState", "status": {"conditions": ["x", {"status": "False"}]}},
    ]
    found = diffs(POOL + L2 + SVC, junk)
    assert ("missing", "IPAddressPool", "web", None) in [f[:4] for f in found]


PEER = """\
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: tor1, namespace: metallb-system}
spec: {myASN: 64512, peerASN: 64513, peerAddress: 10.0.0.1, password: git-secret-1}
"""


def test_bgp_passwords_are_compared_but_never_shown():
    spec = {"myASN": 64512, "peerASN": 64513, "peerAddress": "10.0.0.1"}
    live = metallb("BGPPeer", "tor1", {**spec, "password": "live-secret-2"}, "v1beta2")
    extra = metallb("BGPPeer", "tor2", {**spec, "password": "live-secret-3"}, "v1beta2")
    found = compare(Desired("c", config(PEER)), state_of([live, extra]))
    assert [(d.type, d.name, d.path, d.desired, d.live) for d in found] == [
        ("changed", "tor1", "spec.password", "<redacted>", "<redacted>"),
        ("extra", "tor2", None, None, {**spec, "password": "<redacted>"}),
    ]
    text = repr(found)
    assert "secret" not in text.replace("passwordSecret", "")
    live["spec"]["password"] = "git-secret-1"
    assert compare(Desired("c", config(PEER)), state_of([live])) == []


def test_avoid_buggy_ips_pool_never_hands_out_dot_255():
    """MetalLB skips .0 and .255 in such a pool (internal/allocator/allocator.go, v0.15.1): holding
    one is misassigned."""
    pool = POOL.replace("  addresses:", "  avoidBuggyIPs: true\n  addresses:")
    service = SVC.replace(
        '{metallb.io/loadBalancerIPs: "fc00::0010, 192.168.10.70", team: a}',
        "{metallb.io/address-pool: web}",
    )
    live = live_pool(avoidBuggyIPs=True)
    ok = svc(["192.168.10.200"], {"metallb.io/address-pool": "web"})
    assert diffs(pool + service, [live, ok]) == []
    live["spec"]["addresses"][1] = "192.168.10.200-192.168.10.255"
    bad = svc(["192.168.10.255"], {"metallb.io/address-pool": "web"})
    git = (pool + service).replace("192.168.10.210", "192.168.10.255")
    assert [d[0] for d in diffs(git, [live, bad])] == ["misassigned"]


def test_objects_in_expands_nested_lists_of_dumps_and_manifests():
    from gitops_lb.reconcile.desired import plugin_declared
    from gitops_lb.reconcile.state import objects_in
    from gitops_lb.yamlload import load_text

    a, b = {"kind": "Node", "metadata": {"name": "a"}}, {"kind": "Service"}
    inner = {"kind": "ServiceList", "items": [b, "not an object"]}
    assert list(objects_in({"kind": "List", "items": [a, inner]})) == [a, b]
    odd = {"kind": "List", "items": "none"}
    assert list(objects_in(odd)) == [odd]
    assert list(objects_in(["a list"])) == []
    text = textwrap.dedent(
        """\
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: List
          items:
          - apiVersion: cluster.alauda.io/v1alpha1
            kind: ClusterPluginInstance
            metadata: {name: metallb}
            spec: {pluginName: metallb}
        """
    )
    where = plugin_declared([load_text(text, "plugin.yaml")])
    assert where is not None and (where.file, where.line) == ("plugin.yaml", 7)
