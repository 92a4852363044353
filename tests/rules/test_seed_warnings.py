from tests.helpers import hits, pool

L2 = (
    "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
    "metadata: {name: l2, namespace: metallb-system}\n"
)


def service(annotations: str) -> str:
    return (
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: web\n"
        f"  annotations:\n{annotations}spec:\n  type: LoadBalancer\n  ports: [{{port: 80}}]\n"
    )


def test_deprecated_annotation_prefix_is_a_warning_on_its_key():
    text = pool("a", "10.0.0.0/28") + L2 + service("    metallb.universe.tf/address-pool: a\n")
    assert hits(text, "service-deprecated-annotation") == [18]


def test_current_annotation_prefix_is_fine():
    text = pool("a", "10.0.0.0/28") + L2 + service("    metallb.io/address-pool: a\n")
    assert hits(text, "service-deprecated-annotation") == []


def test_l2_pool_with_whole_subnet_warns():
    assert hits(pool("a", "192.168.10.0/24") + L2, "pool-subnet-edges") == [6]


def test_ranges_single_addresses_and_avoid_buggy_ips_are_fine():
    assert (
        hits(pool("a", "192.168.10.32-192.168.10.254", "10.0.0.7/32") + L2, "pool-subnet-edges")
        == []
    )
    avoid = pool("a", "192.168.10.0/24", extra="  avoidBuggyIPs: true\n") + L2
    assert hits(avoid, "pool-subnet-edges") == []
    # BGP-only pools are routed, not ARPed: network and broadcast addresses are usable
    bgp = (
        "---\napiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\n"
        "metadata: {name: b, namespace: metallb-system}\n"
    )
    assert hits(pool("a", "192.168.10.0/24") + bgp, "pool-subnet-edges") == []
