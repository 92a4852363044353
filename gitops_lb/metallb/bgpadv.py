"""BGPAdvertisement relations MetalLB checks between advertisements sharing a pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gitops_lb.metallb import models as m
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import has

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item


def entry_families(cfg: ClusterConfig, pool: Item[m.IPAddressPool]) -> set[int]:
    """Families of a pool's address entries, each by its first CIDR (as MetalLB decides)."""
    return {e.nets[0].family for e in semantics_of(cfg).pool_entries[id(pool)] if e.nets}


def aggregation_differs(
    a: m.BGPAdvertisementSpec,
    b: m.BGPAdvertisementSpec,
    families: set[int],
    per_family: bool = True,
) -> bool:
    """The two advertisements announce different prefixes for every family of the pool (from
    MetalLB v0.15.0, `per_family`); before, only when both lengths differ, whatever the pool."""
    v4_differs = a.aggregationLength != b.aggregationLength
    v6_differs = a.aggregationLengthV6 != b.aggregationLengthV6
    if not per_family:
        return v4_differs and v6_differs
    if not families:
        return True
    if v4_differs and 6 not in families:
        return True
    if v6_differs and 4 not in families:
        return True
    return v4_differs and v6_differs


def node_names(cfg: ClusterConfig, adv: Item[m.BGPAdvertisement]) -> set[str]:
    """Known Nodes the advertisement announces from (no Nodes known: none)."""
    return {n.name for n in semantics_of(cfg).selected_nodes(adv.model.spec.nodeSelectors)}


def localpref_compatible(
    cfg: ClusterConfig,
    a: Item[m.BGPAdvertisement],
    b: Item[m.BGPAdvertisement],
    pool: Item[m.IPAddressPool],
) -> bool:
    """MetalLB's test whether two advertisements of one pool may carry their LOCAL_PREFs."""
    return compatible_specs(
        a.model.spec,
        b.model.spec,
        entry_families(cfg, pool),
        lambda: not node_names(cfg, a) & node_names(cfg, b),
        per_family=has(cfg.metallb_version, "localpref_per_family"),
    )


def compatible_specs(
    sa: m.BGPAdvertisementSpec,
    sb: m.BGPAdvertisementSpec,
    families: set[int],
    disjoint_nodes: Callable[[], bool],
    *,
    per_family: bool = True,
) -> bool:
    """localpref_compatible on the specs; the node test (the costly one) is asked last."""
    if sa.localPref == sb.localPref:
        return True
    if aggregation_differs(sa, sb, families, per_family):
        return True
    if sa.peers and sb.peers and not set(sa.peers) & set(sb.peers):
        return True
    return disjoint_nodes()
