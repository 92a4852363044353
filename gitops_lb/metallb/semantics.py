"""What MetalLB makes of a configuration: parsed pools, pool attachment, lookups.

Computed once per ClusterConfig (`semantics_of(cfg)`) and shared by the rules, so each rule
stays a few lines and no two rules parse the same thing twice.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gitops_lb.memo import per_object
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import Entry, parse_entry
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.selectors import selector_problems

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item


def first_by_name(items: Iterable[Item[Any]]) -> dict[str, Item[Any]]:
    out: dict[str, Item[Any]] = {}
    for it in items:
        out.setdefault(it.name, it)
    return out


def selectors_valid(sels: Sequence[m.LabelSelector]) -> bool:
    return all(next(selector_problems(s), None) is None for s in sels)


class Semantics:
    """Kept by `semantics_of` while its ClusterConfig lives, it refers to it weakly (see
    gitops_lb.memo): a configuration and everything read for it are freed as soon as it is
    dropped, without waiting for (and paying for) a full garbage collection."""

    def __init__(self, cfg: ClusterConfig) -> None:
        self._cfg = weakref.ref(cfg)

    @property
    def cfg(self) -> ClusterConfig:
        cfg = self._cfg()
        if cfg is None:  # pragma: no cover - only reachable through semantics_of(cfg)
            raise ReferenceError("the configuration of these semantics is gone")
        return cfg

    # --- lookups ------------------------------------------------------------------------------

    @cached_property
    def pools_by_name(self) -> dict[str, Item[m.IPAddressPool]]:
        return first_by_name(self.cfg.pools)

    @cached_property
    def peers_by_name(self) -> dict[str, Item[m.BGPPeer]]:
        return first_by_name(self.cfg.peers)

    @cached_property
    def bfd_by_name(self) -> dict[str, Item[m.BFDProfile]]:
        return first_by_name(self.cfg.bfdprofiles)

    @cached_property
    def secrets_by_name(self) -> dict[str, Item[m.Secret]]:
        return first_by_name(self.cfg.secrets)

    @cached_property
    def community_aliases(self) -> dict[str, str]:
        """Alias name -> value over all Community objects (first definition wins)."""
        out: dict[str, str] = {}
        for it in self.cfg.communities:
            for alias in it.model.spec.communities:
                out.setdefault(alias.name, alias.value)
        return out

    @cached_property
    def node_labels(self) -> list[tuple[Item[m.Node], dict[str, str]]]:
        return [(n, n.model.metadata.labels) for n in self.cfg.nodes]

    @cached_property
    def namespace_labels(self) -> dict[str, dict[str, str]]:
        return {n.name: n.model.metadata.labels for n in self.cfg.namespaces}

    # label indexes: which objects a selector list picks, without trying each one

    @cached_property
    def node_index(self) -> LabelIndex[Item[m.Node]]:
        return LabelIndex(self.node_labels)

    @cached_property
    def namespace_index(self) -> LabelIndex[str]:
        return LabelIndex(self.namespace_labels.items())

    @cached_property
    def pool_index(self) -> LabelIndex[Item[m.IPAddressPool]]:
        return LabelIndex((p, p.model.metadata.labels) for p in self.cfg.pools)

    @cached_property
    def pool_positions_by_name(self) -> dict[str, list[int]]:
        """Pool name -> positions in cfg.pools (several when the name is repeated)."""
        out: dict[str, list[int]] = {}
        for i, p in enumerate(self.cfg.pools):
            out.setdefault(p.name, []).append(i)
        return out

    # --- pools --------------------------------------------------------------------------------

    def entries(self, pool: Item[m.IPAddressPool]) -> list[Entry]:
        """Parsed spec.addresses of a pool, in order (parse errors carried in Entry.error)."""
        return [parse_entry(a) for a in pool.model.spec.addresses]

    @cached_property
    def pool_entries(self) -> dict[int, list[Entry]]:
        return {id(p): self.entries(p) for p in self.cfg.pools}

    def pool_families(self, pool: Item[m.IPAddressPool]) -> set[int]:
        return {n.family for e in self.pool_entries[id(pool)] for n in e.nets}

    # --- advertisements -> pools (MetalLB internal/config/config.go, v0.15.1) ------------------

    def attached_pools(
        self, adv: Item[m.L2Advertisement] | Item[m.BGPAdvertisement]
    ) -> list[Item[m.IPAddressPool]]:
        """Pools an advertisement applies to: all pools when it names and selects none."""
        spec = adv.model.spec
        pools = self.cfg.pools
        if not spec.ipAddressPools and not spec.ipAddressPoolSelectors:
            return list(pools)
        by_name = self.pool_positions_by_name
        named = [i for name in dict.fromkeys(spec.ipAddressPools) for i in by_name.get(name, ())]
        sels = spec.ipAddressPoolSelectors
        picked = self.pool_index.positions(sels) if sels and selectors_valid(sels) else ()
        if not picked:
            positions: Sequence[int] = sorted(named)
        elif not named:
            positions = picked
        else:
            positions = sorted({*named, *picked})
        return [pools[i] for i in positions]

    @cached_property
    def pool_l2advs(self) -> dict[int, list[Item[m.L2Advertisement]]]:
        out: dict[int, list[Item[m.L2Advertisement]]] = {id(p): [] for p in self.cfg.pools}
        for adv in self.cfg.l2advs:
            for p in self.attached_pools(adv):
                out[id(p)].append(adv)
        return out

    @cached_property
    def pool_bgpadvs(self) -> dict[int, list[Item[m.BGPAdvertisement]]]:
        out: dict[int, list[Item[m.BGPAdvertisement]]] = {id(p): [] for p in self.cfg.pools}
        for adv in self.cfg.bgpadvs:
            for p in self.attached_pools(adv):
                out[id(p)].append(adv)
        return out

    # --- nodes --------------------------------------------------------------------------------

    def selected_nodes(self, sels: Sequence[m.LabelSelector]) -> list[Item[m.Node]]:
        """Known Nodes a selector list picks (empty list: all; invalid selectors: none)."""
        if not selectors_valid(sels):
            return []
        return self.node_index.select(sels)


@per_object
def semantics_of(cfg: ClusterConfig) -> Semantics:
    """The shared Semantics of a configuration (computed once)."""
    return Semantics(cfg)
