"""gitops_lb.memo: computed once per object, let go with the object by reference counting."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gitops_lb import memo
from gitops_lb.check import check_paths
from gitops_lb.metallb.bgp import peer_groups
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import services_of
from gitops_lb.site.facts import facts
from tests.helpers import config

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def no_collector() -> Iterator[None]:
    """As the CLI runs: reference counting alone must free everything."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Unhashable:
    __hash__ = None  # type: ignore[assignment]  # like the pydantic site models

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable)


def test_computed_once_per_object_by_identity():
    calls: list[object] = []

    @memo.per_object
    def derived(key: Unhashable) -> list[int]:
        calls.append(key)
        return [len(calls)]

    a, b = Unhashable(), Unhashable()
    assert a == b
    assert derived(a) is derived(a)
    assert derived(b) is not derived(a)
    assert calls == [a, b] and len(derived) == 2
    assert derived in memo.memos()


def test_an_entry_goes_with_its_object():
    @memo.per_object
    def derived(key: Unhashable) -> dict[str, int]:
        return {"n": 1}

    with no_collector():
        a, b = Unhashable(), Unhashable()
        kept = derived(a)
        derived(b)
        assert len(derived) == 2
        del a
        assert len(derived) == 1
        del b
        assert len(derived) == 0
    assert kept == {"n": 1}  # what was handed out stays valid


def test_a_new_object_at_a_reused_address_is_computed_afresh():
    @memo.per_object
    def derived(key: Unhashable) -> Unhashable:
        return Unhashable()

    with no_collector():
        seen: dict[int, Unhashable] = {}
        for _ in range(50):  # freed objects' addresses are reused at once
            key = Unhashable()
            value = derived(key)
            assert id(key) not in seen or seen[id(key)] is not value
            seen[id(key)] = value
            del key
        assert len(derived) == 0


def test_the_shared_views_of_a_configuration_let_it_go():
    cfg = config(
        """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: a, namespace: metallb-system}
        spec: {addresses: [10.0.0.0/24]}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: p, namespace: metallb-system}
        spec: {myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.1}
        """
    )
    with no_collector():
        assert semantics_of(cfg).pool_entries and services_of(cfg).index is not None
        assert peer_groups(cfg) == [[0]]
        ref = weakref.ref(cfg)
        del cfg
        assert ref() is None


def test_validate_leaves_no_site_and_no_configuration_behind():
    """Every memo fills while a site is checked and holds nothing of it afterwards."""
    used = (semantics_of, services_of, facts)
    before = {m: len(m) for m in memo.memos()}
    during: list[bool] = []
    sites: list[weakref.ref[object]] = []

    def each_site(targets):
        during.append(all(len(m) > before[m] for m in used))
        sites.extend(weakref.ref(t.site) for t in targets)
        sites.extend(weakref.ref(t.config) for t in targets)

    with no_collector():
        result = check_paths([str(ROOT / "examples" / "sites")], each_site=each_site)
        assert during and all(during) and not result.errors
        assert all(r() is None for r in sites)
        assert all(len(m) <= before[m] for m in memo.memos())
