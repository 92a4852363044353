from tests.builders import line_of
from tests.helpers import hits, pool


def test_empty_address_list():
    text = pool("ok", "10.0.0.0/24") + pool("empty")
    assert hits(text, "pool-empty") == [line_of(text, "addresses: []")]


def test_non_empty_address_list():
    assert hits(pool("a", "10.0.0.0/24"), "pool-empty") == []


def test_priority_accepts_64_bit_values():
    text = pool("a", "10.0.0.0/24", extra="  serviceAllocation: {priority: 3000000000}\n")
    assert hits(text, "schema-invalid") == []
