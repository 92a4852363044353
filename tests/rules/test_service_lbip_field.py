"""Rule service-lbip-field: a Service that asks for its address with spec.loadBalancerIP."""

from __future__ import annotations

from tests.builders import line_of
from tests.helpers import lint, pool
from tests.rules.svc import IPS, OLD_IPS, l2, svc

RULE = "service-lbip-field"
POOLS = pool("web", "10.0.0.0/24") + l2("l2")


def found(text: str, version: str | None = None) -> list[tuple[int, str]]:
    return [(d.location.line, d.message) for d in lint(text, version=version) if d.rule == RULE]


def test_the_field_alone_is_reported_at_its_key():
    text = POOLS + svc("a", spec="  loadBalancerIP: 10.0.0.5\n")
    assert found(text) == [
        (
            line_of(text, "loadBalancerIP"),
            "Service web/a requests '10.0.0.5' with spec.loadBalancerIP, deprecated by "
            f"Kubernetes; use the {IPS} annotation",
        )
    ]


def test_before_v0_14_9_the_message_names_the_old_annotation():
    text = POOLS + svc("a", spec="  loadBalancerIP: 10.0.0.5\n")
    assert [m for _, m in found(text, "v0.14.8")] == [
        "Service web/a requests '10.0.0.5' with spec.loadBalancerIP, deprecated by "
        f"Kubernetes; use the {OLD_IPS} annotation"
    ]


def test_not_with_the_annotation_or_without_the_field():
    both = POOLS + svc("a", ann={IPS: "10.0.0.5"}, spec="  loadBalancerIP: 10.0.0.5\n")
    assert found(both) == []  # service-lbip-and-annotation reports that
    assert found(POOLS + svc("a", ann={IPS: "10.0.0.5"})) == []
    assert found(POOLS + svc("a")) == []


def test_an_address_another_rule_reports_comes_first():
    # outside every pool, or not an address at all: one finding on the field, the other rule's
    outside = POOLS + svc("a", spec="  loadBalancerIP: 10.9.0.5\n")
    assert found(outside) == []
    assert "service-ip-outside-pool" in {d.rule for d in lint(outside)}
    invalid = POOLS + svc("a", spec="  loadBalancerIP: 10.0.0.500\n")
    assert found(invalid) == []
