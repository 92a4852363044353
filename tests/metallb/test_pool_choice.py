"""The automatic pool choice, answered from indexes, agrees with trying every pool.

ServiceSemantics.candidates looks up which pools' serviceAllocation list, select or pick a
Service and reuses one answer for all other pools; the reference below is the straightforward
version (every pool, every selector, for every Service) it replaced.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_lb.metallb import models as m
from gitops_lb.metallb.selectors import matches
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from gitops_lb.metallb.services import (
    ServiceSemantics,
    ServiceView,
    both,
    either,
    family_name,
    services_of,
)
from tests.helpers import config
from tests.metallb.test_labelindex import LABELS, SELECTOR_LISTS

NAMESPACES = ["a", "b", "c"]


def doc(kind: str, name: str, namespace: str | None, spec: dict, **meta: object) -> str:
    api = "v1" if kind in ("Service", "Namespace") else "metallb.io/v1beta1"
    metadata = {"name": name, **({"namespace": namespace} if namespace else {}), **meta}
    body = {"apiVersion": api, "kind": kind, "metadata": metadata}
    if spec:
        body["spec"] = spec
    return "---\n" + json.dumps(body) + "\n"


@st.composite
def allocations(draw: st.DrawFn) -> dict | None:
    if draw(st.integers(0, 3)) == 0:
        return None
    out: dict = {}
    if draw(st.booleans()):
        out["namespaces"] = draw(st.lists(st.sampled_from(NAMESPACES), max_size=2, unique=True))
    if draw(st.booleans()):
        out["namespaceSelectors"] = [s.model_dump() for s in draw(SELECTOR_LISTS)]
    if draw(st.booleans()):
        out["serviceSelectors"] = [s.model_dump() for s in draw(SELECTOR_LISTS)]
    return out


@st.composite
def manifests(draw: st.DrawFn) -> str:
    text = ""
    for ns in draw(st.lists(st.sampled_from(NAMESPACES), unique=True)):
        text += doc("Namespace", ns, None, {}, labels=draw(LABELS))
    for i in range(draw(st.integers(0, 7))):
        families = draw(st.sampled_from(["4", "6", "46"]))
        addresses = [f"10.0.{i}.0/24"] if "4" in families else []
        addresses += [f"fc00::{i}:0/120"] if "6" in families else []
        spec: dict = {"addresses": addresses, "autoAssign": draw(st.booleans())}
        sa = draw(allocations())
        if sa is not None:
            spec["serviceAllocation"] = sa
        text += doc("IPAddressPool", f"p{i}", "metallb-system", spec)
    for j in range(draw(st.integers(1, 8))):
        spec = {"type": "LoadBalancer", "ports": [{"port": 80}]}
        policy = draw(st.sampled_from([None, "SingleStack", "PreferDualStack", "RequireDualStack"]))
        if policy:
            spec["ipFamilyPolicy"] = policy
        spec["ipFamilies"] = draw(st.sampled_from([[], ["IPv4"], ["IPv6"], ["IPv6", "IPv4"]]))
        namespace = draw(st.sampled_from([None, *NAMESPACES, "d"]))
        text += doc("Service", f"s{j}", namespace, spec, labels=draw(LABELS))
    return text


# --- the reference: every pool tried for every Service ------------------------------------------


def ref_in_namespaces(ss: ServiceSemantics, sa: m.ServiceAllocation, ns: str | None):
    if ns is not None and ns in sa.namespaces:
        return True
    if not sa.namespaceSelectors:
        return False if ns is not None else None
    labels = semantics_of(ss.cfg).namespace_labels
    if ns is None or ns not in labels or not selectors_valid(sa.namespaceSelectors):
        return None
    return any(matches(s, labels[ns]) for s in sa.namespaceSelectors)


def ref_compatible(ss: ServiceSemantics, pool, view: ServiceView):
    sa = pool.model.spec.serviceAllocation
    if sa is None:
        return True
    nonempty: bool | None = True
    if not sa.namespaces:
        labels = semantics_of(ss.cfg).namespace_labels.values()
        nonempty = False
        if sa.namespaceSelectors:
            valid = selectors_valid(sa.namespaceSelectors)
            hit = any(matches(s, lbl) for lbl in labels for s in sa.namespaceSelectors)
            nonempty = True if valid and hit else None
    empty = None if nonempty is None else not nonempty
    ns_ok = either(ref_in_namespaces(ss, sa, view.namespace), empty)
    labels_ok: bool | None = True
    if sa.serviceSelectors:
        labels_ok = None
        if selectors_valid(sa.serviceSelectors):
            labels_ok = any(matches(s, view.labels) for s in sa.serviceSelectors)
    return both(ns_ok, labels_ok)


def ref_candidate(ss: ServiceSemantics, pool, view: ServiceView):
    spec = pool.model.spec
    if not spec.autoAssign:
        return False
    ok: bool | None = True
    sa = spec.serviceAllocation
    if sa is not None:
        select_all = not (sa.namespaces or sa.namespaceSelectors or sa.serviceSelectors)
        by_selector = bool(sa.serviceSelectors) or select_all
        pinned = either(ref_in_namespaces(ss, sa, view.namespace), by_selector)
        ok = both(pinned, ref_compatible(ss, pool, view))
        if ok is False:
            return False
    families = ss.families(pool)
    if view.family is not None:
        if view.prefer_dual and families & view.family:
            pass
        elif not view.family <= families:
            return False
    return ok


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_candidates_agree_with_trying_every_pool(text):
    cfg = config(text)
    ss = services_of(cfg)
    for view in ss.views:
        want = [(p, ok) for p in cfg.pools if (ok := ref_candidate(ss, p, view)) is not False]
        assert ss.candidates(view) == want
        assert ss.candidates(view) == want  # asked again: from the cache
        for p in cfg.pools:
            assert ss.compatible(p, view) == ref_compatible(ss, p, view)
            assert ss.candidate(p, view)[0] == ref_candidate(ss, p, view)


def test_the_reason_names_what_refuses_the_service():
    cfg = config(
        doc("IPAddressPool", "v6", "metallb-system", {"addresses": ["fc00::/120"]})
        + doc(
            "IPAddressPool",
            "team",
            "metallb-system",
            {"addresses": ["10.0.0.0/24"], "serviceAllocation": {"namespaces": ["b"]}},
        )
        + doc("Service", "s", "a", {"type": "LoadBalancer", "ports": [{"port": 80}]})
    )
    ss = services_of(cfg)
    (view,) = ss.views
    team, v6 = cfg.pools  # sorted by name
    assert ss.candidates(view) == []
    assert ss.candidate(team, view) == (
        False,
        "is not for it (its serviceAllocation admits only namespaces b)",
    )
    assert ss.candidate(v6, view) == (False, f"has no {family_name(4)} addresses")
