"""Pool address overlaps between clusters (site-pool-overlap, site-pool-overlap-shared-network).

Every pool address block of every cluster is sorted once; aligned blocks are either nested or
disjoint, so a sweep keeping a stack of the open blocks finds, for each block, exactly the
blocks that contain it: O(n log n + overlaps) for a whole fleet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Finding, Item, Rel
from gitops_lb.metallb.ipnet import Net
from gitops_lb.site.facts import cluster_index, facts

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget


@dataclass(frozen=True, slots=True)
class Block:
    net: Net
    order: tuple[int, int, int]  # target, pool, entry: input order
    target: ClusterTarget
    pool: Item[Any]
    entry: int


@dataclass(frozen=True, slots=True)
class Overlap:
    later: Block
    earlier: Block
    shared: str | None  # the network both clusters are on, when they share one

    def message(self) -> str:
        a, b = self.later, self.earlier
        text = (
            f"{a.pool.model.spec.addresses[a.entry]} in pool {a.pool.name!r} of {a.target.id} "
            f"overlaps {b.pool.model.spec.addresses[b.entry]} in pool {b.pool.name!r} of "
            f"{b.target.id}"
        )
        if self.shared:
            return f"{text}; both clusters are on network {self.shared!r}"
        return text

    def finding(self) -> Finding:
        """On the later entry, with the earlier one related."""
        a, b = self.later, self.earlier
        where = ("spec", "addresses", b.entry)
        earlier = Rel(f"pool {b.pool.name!r} of {b.target.id}", b.pool, where)
        return Finding(self.message(), a.pool, ("spec", "addresses", a.entry), related=(earlier,))


def blocks(targets: Sequence[ClusterTarget]) -> list[Block]:
    out: list[Block] = []
    for ti, target in enumerate(targets):
        cfg = target.config
        for pi, pool in enumerate(cfg.pools):
            for ei, entry in enumerate(cfg.sem.pool_entries[id(pool)]):
                out.extend(Block(n, (ti, pi, ei), target, pool, ei) for n in entry.nets)
    return out


def cluster_networks(target: ClusterTarget) -> set[str]:
    sf = facts(target.site)
    return {
        i.network.network.name
        for i in sf.cluster_interfaces(cluster_index(target))
        if i.network is not None
    }


def shared_network(a: Block, b: Block, memo: dict[tuple[int, int], set[str]]) -> str | None:
    """The network two clusters of the same site share, for blocks `a` (nested in) `b`."""
    if a.target.site is not b.target.site:
        return None
    key = (id(a.target), id(b.target))
    if key not in memo:
        memo[key] = cluster_networks(a.target) & cluster_networks(b.target)
    common = memo[key]
    if common:
        return sorted(common)[0]
    holder = facts(a.target.site).network_holding(a.net)
    return holder.network.name if holder is not None else None


def overlaps(targets: Sequence[ClusterTarget]) -> Iterator[Overlap]:
    """Each pair of overlapping entries of two different clusters once, on the later entry."""
    ordered = sorted(
        blocks(targets), key=lambda b: (b.net.family, b.net.first, -b.net.last, b.order)
    )
    stack: list[Block] = []
    seen: set[tuple[tuple[int, int, int], tuple[int, int, int]]] = set()
    memo: dict[tuple[int, int], set[str]] = {}
    for block in ordered:
        while stack and (
            stack[-1].net.family != block.net.family or stack[-1].net.last < block.net.first
        ):
            stack.pop()
        for open_block in stack:  # every open block contains this one
            if open_block.target is block.target:
                continue
            later, earlier = sorted((block, open_block), key=lambda b: b.order, reverse=True)
            key = (later.order, earlier.order)
            if key in seen:
                continue
            seen.add(key)
            yield Overlap(later, earlier, shared_network(block, open_block, memo))
        stack.append(block)


def overlap_findings(targets: Sequence[ClusterTarget], *, shared: bool) -> Iterator[Finding]:
    """The overlaps between clusters that share a network (`shared`) or share none."""
    for o in overlaps(targets):
        if (o.shared is not None) == shared:
            yield o.finding()
