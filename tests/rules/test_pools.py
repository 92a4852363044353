from tests.helpers import hits, pool


def test_invalid_address_forms():
    text = pool(
        "a",
        "10.0.0.1",
        "10.0.1.0/33",
        "10.0.2.0/255.255.255.0",
        " 10.0.3.0/24",
        "fe80::/64%eth0",
        "010.0.4.0/24",
        "10.0.5.9-10.0.5.1",
        "10.0.6.0/24",
    )
    # all entries are on line 6; every bad one is reported
    assert hits(text, "pool-invalid-address") == [6] * 7


def test_valid_address_forms():
    text = pool(
        "a",
        "192.168.1.10/24",
        "10.0.0.1-10.0.0.9",
        "10.1.0.1 - 10.1.0.2",
        "fc00::/124",
        "::ffff:10.2.0.0/120",
        "10.3.0.0/32",
    )
    assert hits(text, "pool-invalid-address") == []


def test_overlap_across_pools_points_at_later_pool():
    text = pool("a", "10.0.0.0/24") + pool("b", "10.0.0.128/25")
    assert hits(text, "pool-overlap") == [12]


def test_overlap_inside_pool_and_duplicates():
    assert hits(pool("a", "10.0.0.0/24", "10.0.0.0/24"), "pool-overlap") == [6]
    assert hits(pool("a", "10.0.0.0-10.0.0.10", "10.0.0.8/29"), "pool-overlap") == [6]


def test_mapped_ipv6_overlaps_ipv4():
    assert hits(pool("a", "1.2.3.0/24") + pool("b", "::ffff:1.2.3.0/120"), "pool-overlap") == [12]


def test_no_overlap():
    text = pool("a", "10.0.0.0/25", "fc00::/64") + pool("b", "10.0.0.128/25", "fc00:0:0:1::/64")
    assert hits(text, "pool-overlap") == []
