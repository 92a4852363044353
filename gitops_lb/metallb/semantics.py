"""What MetalLB makes of a configuration: parsed pools, pool attachment, lookups.

Computed once per ClusterConfig (`semantics_of(cfg)`) and shared by the rules, so each rule
stays a few lines and no two rules parse the same thing twice.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gitops_lb.diagnostics import FieldPath
from gitops_lb.memo import per_object
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import Entry, parse_entry
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.selectors import selector_problems

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item


# the fields of an advertisement that choose its pools
POOL_CHOICE: tuple[FieldPath, ...] = (
    ("spec", "ipAddressPools"),
    ("spec", "ipAddressPoolSelectors"),
)


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
            # "all pools" only when that is what was written, not what salvaging left
            return list(pools) if adv.sure(*POOL_CHOICE) else []
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

    # --- what could not be read ---------------------------------------------------------------
    # Objects with schema errors are filed with what could be read of them, or remembered as
    # unreadable (ClusterConfig.unreadable); their errors are reported. A rule that would
    # report a consequence of them (a name that "does not exist", a pool "nobody announces")
    # asks here (or ClusterConfig.may_exist, for a name) first, so that every rule keeps quiet
    # in the same cases.

    @cached_property
    def pools_known(self) -> bool:
        """Every pool was read, its spec and labels as written."""
        return not self.cfg.incomplete("IPAddressPool") and all(
            p.sure(("spec",), ("metadata", "labels")) for p in self.cfg.pools
        )

    @cached_property
    def pool_labels_known(self) -> bool:
        """Every pool was read, its labels (that pool selectors look at) as written."""
        return not self.cfg.incomplete("IPAddressPool") and all(
            p.sure(("metadata", "labels")) for p in self.cfg.pools
        )

    @cached_property
    def aliases_known(self) -> bool:
        """Every Community was read, with all its aliases."""
        return not self.cfg.incomplete("Community") and all(
            c.sure(("spec", "communities")) for c in self.cfg.communities
        )

    def pool_may_hold(self, ip: tuple[int, int]) -> bool:
        """A pool that could not be read, or whose addresses were not all read, may hold ip."""
        if any(not p.sure(("spec", "addresses")) for p in self.cfg.pools):
            return True
        for u in self.cfg.unread("IPAddressPool"):
            if u.addresses is None:
                return True
            entries = [parse_entry(a) for a in u.addresses]
            if any(e.error for e in entries):
                return True
            if any(n.contains(*ip) for e in entries for n in e.nets):
                return True
        return False

    def may_announce(self, pool: Item[m.IPAddressPool]) -> bool:
        """An advertisement that could not be read, or whose choice of pools was not read as
        written, may announce the pool; or the pool's labels, that selectors look at, were not."""
        for kind in ("L2Advertisement", "BGPAdvertisement"):
            for u in self.cfg.unread(kind):
                if u.pools is None or pool.name in u.pools:
                    return True
        advs: list[Item[Any]] = [*self.cfg.l2advs, *self.cfg.bgpadvs]
        if any(not adv.sure(*POOL_CHOICE) for adv in advs):
            return True
        if not pool.sure(("metadata", "labels")):
            return any(adv.model.spec.ipAddressPoolSelectors for adv in advs)
        return False

    @cached_property
    def nodes_known(self) -> bool:
        """Every Node was read, its labels as written."""
        return not self.cfg.incomplete("Node") and all(
            n.sure(("metadata", "labels")) for n in self.cfg.nodes
        )

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
