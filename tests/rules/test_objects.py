from tests.builders import l2adv, line_of, node, obj
from tests.helpers import NS, hits, lint, pool


def test_missing_name_on_pool_and_bfd_profile():
    text = (
        f"---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {{namespace: {NS}}}\n"
        "spec: {addresses: [10.0.0.0/24]}\n"
        + f"---\napiVersion: metallb.io/v1beta1\nkind: BFDProfile\n"
        f'metadata: {{name: "", namespace: {NS}}}\n'
    )
    assert hits(text, "object-missing-name") == [
        line_of(text, "metadata: {namespace"),
        line_of(text, 'name: ""'),
    ]


def test_other_kinds_without_name_are_not_reported():
    # MetalLB's parser does not need advertisement names (its own tests use nameless ones)
    text = pool("a", "10.0.0.0/24") + obj("BGPAdvertisement", '""', "{localPref: 100}")
    assert hits(text, "object-missing-name") == []


def test_generate_name_or_name_is_enough():
    text = (
        f"---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        f"metadata: {{generateName: pool-, namespace: {NS}}}\nspec: {{addresses: [10.0.0.0/24]}}\n"
    )
    assert hits(text, "object-missing-name") == []


def test_duplicate_object_points_at_second_with_first_related():
    text = pool("a", "10.0.0.0/24") + l2adv("x") + l2adv("x") + node("n1") + node("n1")
    diags = [d for d in lint(text) if d.rule == "object-duplicate"]
    assert [d.location.line for d in diags] == [
        line_of(text, "name: x,", 2),
        line_of(text, "name: n1,", 2),
    ]
    assert diags[0].related[0].location.line == line_of(text, "name: x,", 1)
    assert str(diags[0].severity) == "error"


def test_duplicate_counts_missing_namespace_as_metallb_namespace():
    text = (
        l2adv("x")
        + "---\napiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: x}\n"
    )
    assert hits(text, "object-duplicate") == [line_of(text, "metadata: {name: x}")]


def test_duplicate_is_a_warning_under_compat():
    text = l2adv("x") + l2adv("x")
    diags = [d for d in lint(text, compat=True) if d.rule == "object-duplicate"]
    assert [str(d.severity) for d in diags] == ["warning"]


def test_same_name_different_kind_or_namespace_is_fine():
    text = (
        l2adv("x")
        + obj("BGPAdvertisement", "x", "{}")
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\n"
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: b}\n"
    )
    assert hits(text, "object-duplicate") == []


def test_duplicate_pool_name_is_rejected_like_metallb():
    text = pool("a", "10.0.0.0/24") + pool("a", "10.0.1.0/24")
    assert hits(text, "metallb-duplicate-name") == [line_of(text, "name: a,", 2)]
    assert hits(text, "object-duplicate") == []
    assert "metallb-duplicate-name" in [
        d.rule for d in lint(text, compat=True) if str(d.severity) == "error"
    ]


def test_distinct_pool_names_are_fine():
    text = pool("a", "10.0.0.0/24") + pool("b", "10.0.1.0/24")
    assert hits(text, "metallb-duplicate-name") == []
