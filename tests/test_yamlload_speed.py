"""The loader's speed-ups change nothing that is read."""

from __future__ import annotations

import gc
import weakref

import yaml
from hypothesis import given
from hypothesis import strategies as st
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from gitops_lb.manifests import config_from_files
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules import run_rules
from gitops_lb.yamlload import FastLoader, load_text, plain

SAMPLES = [
    "",
    "~",
    "null",
    "Null",
    "true",
    "yes",
    "on",
    "y",
    "No",
    "OFF",
    "1",
    "0x1f",
    "0o17",
    "1_000",
    "1.5",
    ".inf",
    "-.Inf",
    ".nan",
    "2001-12-14",
    "=",
    "<<",
    "10.0.0.1",
    "10.0.0.0/24",
    "fd00::1",
    "-",
    "+1",
    "abc",
    "TRUE",
    "tRue",
    "1e3",
    "1:20",
    "190:20:30",
    "0b101",
    "1.0e+3",
]
IMPLICIT = [(True, False), (False, True), (True, True), (False, False)]


def reference_tag(kind, value, implicit):
    return yaml.SafeLoader("").resolve(kind, value, implicit)


def test_resolver_agrees_with_pyyaml_on_known_values():
    fast = FastLoader("")
    for value in SAMPLES:
        for implicit in IMPLICIT:
            expected = reference_tag(ScalarNode, value, implicit)
            assert fast.resolve(ScalarNode, value, implicit) == expected, (value, implicit)
            assert fast.resolve(ScalarNode, value, implicit) == expected  # from the memo
    for kind in (MappingNode, SequenceNode):
        assert fast.resolve(kind, None, (True, False)) == reference_tag(kind, None, (True, False))


@given(st.text(alphabet="0123456789.:-+_eExXoObBtTrRuUfFaAlLsSnNyY~=<!&* /", max_size=12))
def test_resolver_agrees_with_pyyaml(value):
    fast = FastLoader("")
    assert fast.resolve(ScalarNode, value, (True, False)) == reference_tag(
        ScalarNode, value, (True, False)
    )


def test_documents_read_as_pyyaml_reads_them():
    text = "a: [1, 1.5, true, null, ~, 0x10, '1', .inf, x, yes, 10.0.0.1]\nb: {c: Off, d: ''}\n"
    (doc,) = load_text(text, "t.yaml").documents
    assert plain(doc.data) == yaml.safe_load(text)


def test_a_dropped_configuration_is_freed_without_the_cycle_collector():
    text = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
    text += "metadata: {name: a, namespace: metallb-system}\nspec: {addresses: [10.0.0.0/24]}\n"
    gc.disable()
    try:
        cfg = config_from_files([load_text(text, "t.yaml")])
        run_rules(cfg)  # fills semantics_of(cfg) and its caches
        assert semantics_of(cfg).cfg is cfg and semantics_of(cfg).pool_entries
        ref = weakref.ref(cfg)
        del cfg
        assert ref() is None  # freed by reference counting alone
    finally:
        gc.enable()
