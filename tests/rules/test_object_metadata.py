from tests.helpers import hits, lint, pool


def test_invalid_label_key_and_value_and_name():
    text = pool("a", "10.0.0.0/24").replace(
        "metadata: {name: a,", 'metadata: {labels: {"a b": x, ok: "bad value"}, name: a,'
    )
    assert hits(text, "object-invalid-metadata") == [4, 4]
    assert "object-invalid-metadata" in [
        d.rule for d in lint(text, compat=True) if str(d.severity) == "error"
    ]
    assert hits(pool("Bad_Name", "10.0.0.0/24"), "object-invalid-metadata") == [4]


def test_valid_metadata():
    text = pool("web.pool-1", "10.0.0.0/24").replace(
        "metadata: {name:", 'metadata: {labels: {"example.com/tier": front-1}, name:'
    )
    assert hits(text, "object-invalid-metadata") == []
