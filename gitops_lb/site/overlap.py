"""Pool address overlaps between clusters (site-pool-overlap, site-pool-overlap-shared-network).

Every pool address block of every cluster is sorted once; aligned blocks are either nested or
disjoint, so a sweep keeping a stack of the open blocks finds, for each block, the blocks that
contain it. Identical blocks share one stack entry, so repeated copies cannot make the sweep
quadratic: O(n log n + n * nesting depth * clusters) for a whole fleet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Item
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


@dataclass(eq=False, slots=True)
class _Group:
    """The blocks of one address block (family, first, last), by input order, and the first
    block of each cluster among them."""

    net: Net
    first_of: dict[int, Block]  # id(target) -> its first block here


def overlaps(targets: Sequence[ClusterTarget]) -> Iterator[Overlap]:
    """Pairs of overlapping entries of two different clusters, once, on the later entry.

    Each entry is paired with the first entry of every other cluster at each distinct block
    containing it: repeated copies of one block (a thousand identical entries) add no pairs,
    so the sweep stays O(n log n + n * nesting depth * clusters) whatever the input.
    """
    ordered = sorted(
        blocks(targets), key=lambda b: (b.net.family, b.net.first, -b.net.last, b.order)
    )
    stack: list[_Group] = []
    seen: set[tuple[tuple[int, int, int], tuple[int, int, int]]] = set()
    memo: dict[tuple[int, int], set[str]] = {}
    for block in ordered:
        net = block.net
        while stack and (stack[-1].net.family != net.family or stack[-1].net.last < net.first):
            stack.pop()
        for group in stack:  # every open group contains this block (or equals it)
            for tid, other in group.first_of.items():
                if tid == id(block.target):
                    continue
                later, earlier = sorted((block, other), key=lambda b: b.order, reverse=True)
                key = (later.order, earlier.order)
                if key in seen:
                    continue
                seen.add(key)
                yield Overlap(later, earlier, shared_network(block, other, memo))
        if stack and stack[-1].net == net:
            stack[-1].first_of.setdefault(id(block.target), block)
        else:
            stack.append(_Group(net, {id(block.target): block}))
