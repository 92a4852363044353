"""LabelIndex picks exactly what any_matches picks, in member order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_lb.metallb import models as m
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.selectors import any_matches

# few keys and values, so that selectors and labels meet often
KEYS = st.sampled_from(["app", "team", "zone", "tier", "x/y"])
VALUES = st.sampled_from(["a", "b", "c", ""])
OPERATORS = st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "in", "Equals", ""])
LABELS = st.dictionaries(KEYS, VALUES, max_size=4)


@st.composite
def expressions(draw: st.DrawFn, operators: st.SearchStrategy[str] = OPERATORS) -> dict:
    # values on any operator, none on In: MetalLB refuses both, matching must not care
    return {
        "key": draw(KEYS),
        "operator": draw(operators),
        "values": draw(st.lists(VALUES, max_size=3)),
    }


@st.composite
def selectors(draw: st.DrawFn) -> m.LabelSelector:
    only_negative = draw(st.integers(0, 4)) == 0
    if only_negative:  # no indexed term: the fallback scan
        exprs = draw(st.lists(expressions(st.sampled_from(["NotIn", "DoesNotExist"])), min_size=1))
        return m.LabelSelector.model_validate({"matchExpressions": exprs})
    return m.LabelSelector.model_validate(
        {
            "matchLabels": draw(st.dictionaries(KEYS, VALUES, max_size=2)),
            "matchExpressions": draw(st.lists(expressions(), max_size=3)),
        }
    )


SELECTOR_LISTS = st.lists(selectors(), max_size=3)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(LABELS, max_size=12), st.lists(SELECTOR_LISTS, min_size=1, max_size=4))
def test_index_agrees_with_any_matches(members, queries):
    index = LabelIndex((f"m{i}", labels) for i, labels in enumerate(members))
    for sels in [*queries, *queries]:  # the second round is answered from the memo
        want = [f"m{i}" for i, labels in enumerate(members) if any_matches(sels, labels)]
        assert index.select(sels) == want, (sels, members)
        assert list(index.positions(sels)) == [int(n[1:]) for n in want]


def sel(**spec) -> m.LabelSelector:
    return m.LabelSelector.model_validate(spec)


MEMBERS = [
    ("n0", {"zone": "a", "role": "edge"}),
    ("n1", {"zone": "b"}),
    ("n2", {"zone": "a", "gpu": ""}),
    ("n3", {}),
]


def test_selector_semantics_by_example():
    index = LabelIndex(MEMBERS)
    assert index.select([]) == ["n0", "n1", "n2", "n3"]  # empty list: everything
    assert index.select([sel()]) == ["n0", "n1", "n2", "n3"]  # empty selector too
    assert index.select([sel(matchLabels={"zone": "a"})]) == ["n0", "n2"]
    assert index.select([sel(matchLabels={"zone": "a", "role": "edge"})]) == ["n0"]
    in_b_a = {"key": "zone", "operator": "In", "values": ["b", "a", "b"]}
    assert index.select([sel(matchExpressions=[in_b_a])]) == ["n0", "n1", "n2"]
    exists = {"key": "gpu", "operator": "Exists"}
    assert index.select([sel(matchExpressions=[exists])]) == ["n2"]
    absent = {"key": "zone", "operator": "DoesNotExist"}
    not_a = {"key": "zone", "operator": "NotIn", "values": ["a"]}
    assert index.select([sel(matchExpressions=[absent])]) == ["n3"]
    assert index.select([sel(matchExpressions=[not_a])]) == ["n1", "n3"]
    bad = {"key": "zone", "operator": "in", "values": ["a"]}
    assert index.select([sel(matchLabels={"zone": "a"}, matchExpressions=[bad])]) == []
    # a list is an OR, answered in member order whatever the order of the selectors
    either = [sel(matchLabels={"zone": "b"}), sel(matchExpressions=[exists])]
    assert index.select(either) == ["n1", "n2"]
    assert index.select([sel(matchLabels={"zone": "c"})]) == []
    assert len(index) == 4 and LabelIndex([]).select([]) == []


def test_identical_selector_lists_are_computed_once():
    index = LabelIndex(MEMBERS)
    first = index.positions([sel(matchLabels={"zone": "a", "role": "edge"})])
    again = index.positions([sel(matchLabels={"role": "edge", "zone": "a"})])
    assert again is first
