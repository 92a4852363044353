import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_lb.compile.yamlout import dump, dump_all, quote, scalar


def roundtrip(value):
    return yaml.safe_load(dump(value))


def test_head_keys_first_then_sorted():
    text = dump({"zeta": 1, "spec": {"b": 1, "a": 2}, "kind": "K", "apiVersion": "v1"})
    assert text.splitlines() == [
        "apiVersion: v1",
        "kind: K",
        "spec:",
        "  a: 2",
        "  b: 1",
        "zeta: 1",
    ]


def test_ambiguous_strings_are_quoted():
    for s in [
        "2",
        "0x1F",
        "1e3",
        "yes",
        "No",
        "on",
        "null",
        "~",
        "true",
        "",
        " x",
        "a: b",
        "a #b",
        "-c",
        "1:20",
        "2024-01-01",
        "0o17",
        ".inf",
        "fc00::",
        "*x",
        "&a",
        "!t",
        "%x",
        "@x",
        "x\ty",
        "=",
        "<<",
    ]:
        assert scalar(s) != s or not s, s
        assert roundtrip({"k": s}) == {"k": s}, s


def test_common_values_stay_plain():
    for s in [
        "metallb-system",
        "192.168.10.0/24",
        "fc00:f853:ccd:e799::/124",
        "10.0.0.1",
        "argocd.argoproj.io/sync-wave",
        "SkipDryRunOnMissingResource=true",
        "https://10.0.0.10:6443",
        "65535:65282",
        "v0.15.1",
        "docker.io/alpine/k8s:1.31.2",
    ]:
        assert scalar(s) == s
        assert roundtrip({"k": s}) == {"k": s}


def test_multiline_literal_block():
    script = 'set -eu\necho "$x"\n\n  indented\nlast\n'
    text = dump({"command": ["/bin/sh", "-c", script]})
    assert "- |\n" in text
    assert roundtrip({"command": ["/bin/sh", "-c", script]}) == {
        "command": ["/bin/sh", "-c", script]
    }
    for s in ["a\nb", "a\nb\n\n", "a\n\n\n", " lead\nx", "a\r\nb", "x\n   \ny"]:
        assert roundtrip({"k": s}) == {"k": s}, repr(s)


def test_empty_collections_and_nesting():
    value = {"a": {}, "b": [], "c": [{"x": [1, {"y": None}]}, [True, False]], "d": [[]]}
    assert roundtrip(value) == value


def test_unprintable_characters_are_escaped():
    s = "a\x00b\x7f\ufeffc\U0001f600"
    assert roundtrip({"k": s}) == {"k": s}
    assert "\x00" not in quote(s)


def test_dump_all_header_and_separators():
    text = dump_all([{"a": 1}, {"b": 2}], header="one\ntwo")
    assert text == "# one\n# two\na: 1\n---\nb: 2\n"
    assert list(yaml.safe_load_all(text)) == [{"a": 1}, {"b": 2}]


scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.text(max_size=30))
keys = st.text(min_size=1, max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=5))
def test_roundtrip_property(value):
    assert yaml.safe_load(dump(value)) == (value or {})


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, values, max_size=5))
def test_deterministic(value):
    assert dump(value) == dump(dict(reversed(list(value.items()))))
