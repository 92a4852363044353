"""Where MetalLB objects carry label selectors, and which of them MetalLB checks how.

MetalLB converts every selector below (an invalid one fails the configuration) and runs its
duplicate detection on every selector list, except on L2Advertisement preferredNodeSelectors,
whose preferences are only converted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gitops_lb.metallb.models import LabelSelector

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item
    from gitops_lb.diagnostics import FieldPath

SelectorList = tuple["Item[Any]", "FieldPath", Sequence[LabelSelector]]
OneSelector = tuple["Item[Any]", "FieldPath", LabelSelector]


def selector_lists(cfg: ClusterConfig) -> Iterator[SelectorList]:
    """(object, path of the list, selectors) for every list MetalLB checks for duplicates."""
    for pool in cfg.pools:
        alloc = pool.model.spec.serviceAllocation
        if alloc is not None:
            here = ("spec", "serviceAllocation")
            yield pool, (*here, "namespaceSelectors"), alloc.namespaceSelectors
            yield pool, (*here, "serviceSelectors"), alloc.serviceSelectors
    for l2 in cfg.l2advs:
        spec = l2.model.spec
        yield l2, ("spec", "ipAddressPoolSelectors"), spec.ipAddressPoolSelectors
        yield l2, ("spec", "nodeSelectors"), spec.nodeSelectors
        yield l2, ("spec", "serviceSelectors"), spec.serviceSelectors
    for bgp in cfg.bgpadvs:
        bspec = bgp.model.spec
        yield bgp, ("spec", "ipAddressPoolSelectors"), bspec.ipAddressPoolSelectors
        yield bgp, ("spec", "nodeSelectors"), bspec.nodeSelectors
        yield bgp, ("spec", "serviceSelectors"), bspec.serviceSelectors
    for peer in cfg.peers:
        yield peer, ("spec", "nodeSelectors"), peer.model.spec.nodeSelectors


def all_selectors(cfg: ClusterConfig) -> Iterator[OneSelector]:
    """(object, path, selector) for every selector MetalLB converts."""
    for item, path, sels in selector_lists(cfg):
        for i, sel in enumerate(sels):
            yield item, (*path, i), sel
    for l2 in cfg.l2advs:
        for i, pref in enumerate(l2.model.spec.preferredNodeSelectors):
            yield l2, ("spec", "preferredNodeSelectors", i, "preference"), pref.preference
