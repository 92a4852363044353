from gitops_lb.metallb.versions import NEWEST
from tests.builders import bgpadv, l2adv, line_of, peer
from tests.helpers import hits, lint, pool, released

POOL = pool("p", "10.0.0.0/24")
SELECTORS = "v0.16.0"  # the first MetalLB release with serviceSelectors on advertisements


def test_invalid_operator_and_value_counts():
    text = POOL + l2adv(
        "l2",
        "\n  nodeSelectors:\n"
        "    - matchExpressions: [{key: zone, operator: in, values: [a]}]\n"
        "    - matchExpressions: [{key: zone, operator: Exists, values: [a]}]\n"
        "    - matchExpressions: [{key: zone, operator: In, values: []}]\n"
        "    - matchLabels: {zone: a}\n",
    )
    assert hits(text, "selector-invalid") == [
        line_of(text, "operator: in"),
        line_of(text, "operator: Exists"),
        line_of(text, "values: []"),
    ]


def test_invalid_keys_and_values_in_every_field(monkeypatch):
    # preferredNodeSelectors is only on MetalLB's main branch: checked as main checks it, as
    # if the newest release had it
    released(monkeypatch, "L2Advertisement", "preferredNodeSelectors")
    bad = "[{matchLabels: {'-bad': x}}]"
    text = (
        pool("p", "10.0.0.0/24", extra=f"  serviceAllocation: {{namespaceSelectors: {bad}}}\n")
        + bgpadv("b", f"{{nodeSelectors: {bad}}}")
        + l2adv(
            "l",
            "{preferredNodeSelectors: [{weight: 5, preference: {matchLabels: {k: 'x y'}}}]}",
        )
        + peer("r", f"{{myASN: 1, peerASN: 2, peerAddress: 10.9.0.1, nodeSelectors: {bad}}}")
    )
    assert hits(text, "selector-invalid", version=str(NEWEST)) == [
        line_of(text, "serviceAllocation"),
        line_of(text, "spec: {nodeSelectors"),
        line_of(text, "preferredNodeSelectors"),
        line_of(text, "peerAddress"),
    ]


def test_finding_points_at_the_field():
    text = POOL + bgpadv("b", "{serviceSelectors: [{matchExpressions: [{key: a, operator: Foo}]}]}")
    (diag,) = [d for d in lint(text, version=SELECTORS) if d.rule == "selector-invalid"]
    assert diag.path == "spec.serviceSelectors[0].matchExpressions[0].operator"
    assert "'Foo' is not a valid" in diag.message


def test_valid_selectors():
    text = POOL + l2adv(
        "l2",
        "{nodeSelectors: [{matchLabels: {kubernetes.io/hostname: n1, empty: ''}},"
        " {matchExpressions: [{key: example.com/zone, operator: NotIn, values: [a, b]},"
        " {key: rack, operator: DoesNotExist}]}]}",
    )
    assert hits(text, "selector-invalid") == []


def test_duplicate_selectors_values_order_insensitive():
    text = POOL + bgpadv(
        "b",
        "\n  ipAddressPoolSelectors:\n"
        "    - matchExpressions: [{key: k, operator: In, values: [a, b]}]\n"
        "    - matchExpressions: [{key: k, operator: In, values: [b, a]}]\n",
    )
    diags = [d for d in lint(text) if d.rule == "selector-duplicate"]
    assert [d.location.line for d in diags] == [line_of(text, "values: [b, a]")]
    assert diags[0].related[0].location.line == line_of(text, "values: [a, b]")


def test_duplicate_expression_and_value_inside_one_selector():
    text = POOL + l2adv(
        "l2",
        "\n  serviceSelectors:\n"
        "    - matchExpressions:\n"
        "        - {key: k, operator: In, values: [a]}\n"
        "        - {key: k, operator: In, values: [a]}\n"
        "    - matchExpressions: [{key: j, operator: NotIn, values: [x, x]}]\n",
    )
    assert hits(text, "selector-duplicate", version=SELECTORS) == [
        line_of(text, "values: [a]", 2),
        line_of(text, "values: [x, x]"),
    ]


def test_expression_order_and_distinct_labels_are_not_duplicates():
    text = POOL + peer(
        "r",
        "\n  myASN: 1\n  peerASN: 2\n  peerAddress: 10.9.0.1\n  nodeSelectors:\n"
        "    - matchExpressions: [{key: a, operator: Exists}, {key: b, operator: Exists}]\n"
        "    - matchExpressions: [{key: b, operator: Exists}, {key: a, operator: Exists}]\n"
        "    - matchLabels: {a: '1'}\n"
        "    - matchLabels: {a: '2'}\n",
    )
    assert hits(text, "selector-duplicate") == []


def test_preferred_node_selectors_are_not_checked_for_duplicates(monkeypatch):
    pref = "{weight: 10, preference: {matchLabels: {a: b}}}"
    text = POOL + l2adv("l2", f"{{preferredNodeSelectors: [{pref}, {pref}]}}")
    released(monkeypatch, "L2Advertisement", "preferredNodeSelectors")
    assert hits(text, "selector-duplicate", version=str(NEWEST)) == []


def test_selectors_of_fields_the_release_lacks_are_not_checked():
    # the API server drops the field: field-unsupported-version says so, once
    bad = "[{matchExpressions: [{key: a, operator: Foo}]}]"
    text = POOL + bgpadv("b", f"{{serviceSelectors: {bad}}}")
    text += l2adv("l", f"{{preferredNodeSelectors: [{{weight: 1, preference: {bad[1:-1]}}}]}}")
    mine = {"field-unsupported-version", "selector-invalid"}
    found = [(d.rule, d.location.line) for d in lint(text, version="v0.15.3") if d.rule in mine]
    assert found == [
        ("field-unsupported-version", line_of(text, "serviceSelectors")),
        ("field-unsupported-version", line_of(text, "preferredNodeSelectors")),
    ]
    at = [(d.rule, d.location.line) for d in lint(text, version=SELECTORS) if d.rule in mine]
    assert at == [
        ("selector-invalid", line_of(text, "serviceSelectors")),
        ("field-unsupported-version", line_of(text, "preferredNodeSelectors")),
    ]


def test_duplicate_pool_service_selectors():
    sel = "{matchLabels: {app: web}}"
    text = pool(
        "p", "10.0.0.0/24", extra=f"  serviceAllocation: {{serviceSelectors: [{sel}, {sel}]}}\n"
    )
    assert hits(text, "selector-duplicate") == [line_of(text, "serviceSelectors")]
