"""Advertisements -> pools and selectors -> nodes, answered from indexes, agree with trying
every pool and every node (the straightforward versions, kept here as the reference)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_lb.metallb.selectors import any_matches, matches
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from tests.helpers import config
from tests.metallb.test_labelindex import LABELS, SELECTOR_LISTS

NAMES = st.sampled_from(["p0", "p1", "p2", "p3", "nope"])


def doc(kind: str, name: str, spec: dict | None, labels: dict) -> str:
    api = "v1" if kind == "Node" else "metallb.io/v1beta1"
    metadata = {"name": name, "labels": labels}
    if kind != "Node":
        metadata["namespace"] = "metallb-system"
    body: dict = {"apiVersion": api, "kind": kind, "metadata": metadata}
    if spec is not None:
        body["spec"] = spec
    return "---\n" + json.dumps(body) + "\n"


@st.composite
def manifests(draw: st.DrawFn) -> str:
    text = ""
    for i in range(draw(st.integers(0, 6))):  # names repeat now and then
        name = draw(st.sampled_from(["p0", "p1", "p2", "p3"])) if i > 3 else f"p{i}"
        text += doc("IPAddressPool", name, {"addresses": [f"10.0.{i}.0/24"]}, draw(LABELS))
    for i in range(draw(st.integers(0, 5))):
        text += doc("Node", f"n{i}", None, draw(LABELS))
    for i in range(draw(st.integers(1, 5))):
        spec: dict = {}
        if draw(st.booleans()):
            spec["ipAddressPools"] = draw(st.lists(NAMES, max_size=3))
        if draw(st.booleans()):
            spec["ipAddressPoolSelectors"] = [s.model_dump() for s in draw(SELECTOR_LISTS)]
        if draw(st.booleans()):
            spec["nodeSelectors"] = [s.model_dump() for s in draw(SELECTOR_LISTS)]
        kind = draw(st.sampled_from(["L2Advertisement", "BGPAdvertisement"]))
        text += doc(kind, f"a{i}", spec, {})
    return text


def ref_attached(cfg, adv):
    spec = adv.model.spec
    if not spec.ipAddressPools and not spec.ipAddressPoolSelectors:
        return list(cfg.pools)
    names = set(spec.ipAddressPools)
    sels = spec.ipAddressPoolSelectors if selectors_valid(spec.ipAddressPoolSelectors) else []
    return [
        p
        for p in cfg.pools
        if p.name in names or (sels and any(matches(s, p.model.metadata.labels) for s in sels))
    ]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(manifests())
def test_attachment_and_node_selection_agree_with_trying_everything(text):
    cfg = config(text)
    advs: list[Any] = [*cfg.l2advs, *cfg.bgpadvs]
    for adv in advs:
        assert semantics_of(cfg).attached_pools(adv) == ref_attached(cfg, adv)
        sels = adv.model.spec.nodeSelectors
        want = [n for n in cfg.nodes if any_matches(sels, n.model.metadata.labels)]
        assert semantics_of(cfg).selected_nodes(sels) == (want if selectors_valid(sels) else [])
    for pool in cfg.pools:
        l2 = [a for a in cfg.l2advs if any(p is pool for p in ref_attached(cfg, a))]
        assert semantics_of(cfg).pool_l2advs[id(pool)] == l2
