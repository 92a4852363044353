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

from gitops_lb.config import Finding, Item, Rel
from gitops_lb.metallb.ipnet import Net
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.site.facts import cluster_index, facts
from gitops_lb.yamlload import positions_only

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget


@dataclass(frozen=True, slots=True)
class Block:
    net: Net
    order: tuple[int, int, int]  # target, pool, entry: input order (the target number is unique)
    cluster: str  # SITE/CLUSTER, for messages
    site: int  # identity of the site document the cluster is in
    pool: Item[Any]  # in the blocks of summaries: only the name and the address positions
    entry: int
    text: str  # the address entry as written
    # the lowered cluster; None in the blocks kept to compare sites after they are dropped
    target: ClusterTarget | None = None


@dataclass(frozen=True, slots=True)
class Overlap:
    later: Block
    earlier: Block
    shared: str | None  # the network both clusters are on, when they share one

    def message(self) -> str:
        a, b = self.later, self.earlier
        text = (
            f"{a.text} in pool {a.pool.name!r} of {a.cluster} "
            f"overlaps {b.text} in pool {b.pool.name!r} of "
            f"{b.cluster}"
        )
        if self.shared:
            return f"{text}; both clusters are on network {self.shared!r}"
        return text

    def finding(self) -> Finding:
        """On the later entry, with the earlier one related."""
        a, b = self.later, self.earlier
        where = ("spec", "addresses", b.entry)
        earlier = Rel(f"pool {b.pool.name!r} of {b.cluster}", b.pool, where)
        return Finding(self.message(), a.pool, ("spec", "addresses", a.entry), related=(earlier,))


def blocks(
    targets: Sequence[ClusterTarget],
    first: int = 0,
    site: int | None = None,
    *,
    keep_targets: bool = True,
) -> list[Block]:
    """Every pool address block; targets are numbered from `first` (input order). `site` is
    the number of the site all targets belong to (default: told apart by their document).
    Without keep_targets the blocks do not hold on to the clusters (summaries)."""
    out: list[Block] = []
    for ti, target in enumerate(targets, first):
        cfg = target.config
        site_key = id(target.site_doc) if site is None else site
        cluster = target.id
        for pi, pool in enumerate(cfg.pools):
            kept = pool if keep_targets else slim_pool(pool)
            addresses = pool.model.spec.addresses
            for ei, entry in enumerate(semantics_of(cfg).pool_entries[id(pool)]):
                out.extend(
                    Block(
                        n,
                        (ti, pi, ei),
                        cluster,
                        site_key,
                        kept,
                        ei,
                        addresses[ei],
                        target if keep_targets else None,
                    )
                    for n in entry.nets
                )
    return out


ADDRESSES_PATH = ("spec", "addresses")


def slim_pool(pool: Item[Any]) -> Item[Any]:
    """What a summary needs of a pool: its name and where its addresses are written, without
    the model and the rest of its document (a fleet keeps one per pool until the end)."""
    doc = positions_only(pool.doc, ADDRESSES_PATH)
    return Item(None, pool.kind, pool.name, pool.namespace, pool.file, doc, pool.origin)


def cluster_networks(target: ClusterTarget) -> set[str]:
    sf = facts(target.site)
    return {
        i.network.network.name
        for i in sf.cluster_interfaces(cluster_index(target))
        if i.network is not None
    }


def shared_network(a: Block, b: Block, memo: dict[tuple[int, int], set[str]]) -> str | None:
    """The network two clusters of the same site share, for blocks `a` (nested in) `b`."""
    if a.site != b.site or a.target is None or b.target is None:
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
    """The blocks of one address block (family, first, last): the first block of each cluster
    among them, by input order."""

    net: Net
    first_of: dict[int, Block]  # cluster number (order[0]) -> its first block here


def pairs(found: Sequence[Block], *, across_sites: bool = False) -> Iterator[tuple[Block, Block]]:
    """(block, earlier-sorted block containing or equal to it) for blocks of two different
    clusters, each pair once (of two different sites only, with across_sites).

    Each block is paired with the first block of every other cluster at each distinct open
    block containing it: repeated copies of one block (a thousand identical entries) add no
    pairs, so the sweep stays O(n log n + n * nesting depth * clusters) whatever the input.
    """
    ordered = sorted(found, key=lambda b: (b.net.family, b.net.first, -b.net.last, b.order))
    stack: list[_Group] = []
    seen: set[tuple[tuple[int, int, int], tuple[int, int, int]]] = set()
    for block in ordered:
        net = block.net
        while stack and (stack[-1].net.family != net.family or stack[-1].net.last < net.first):
            stack.pop()
        for group in stack:  # every open group contains this block (or equals it)
            for cluster, other in group.first_of.items():
                if cluster == block.order[0]:
                    continue
                if across_sites and other.site == block.site:
                    continue
                later, earlier = (block, other) if block.order > other.order else (other, block)
                key = (later.order, earlier.order)
                if key in seen:
                    continue
                seen.add(key)
                yield block, other
        if stack and stack[-1].net == net:
            stack[-1].first_of.setdefault(block.order[0], block)
        else:
            stack.append(_Group(net, {block.order[0]: block}))


def overlaps(targets: Sequence[ClusterTarget]) -> Iterator[Overlap]:
    """Each pair of overlapping entries of two different clusters once, on the later entry."""
    memo: dict[tuple[int, int], set[str]] = {}
    for block, open_block in pairs(blocks(targets)):
        later, earlier = (
            (block, open_block) if block.order > open_block.order else (open_block, block)
        )
        yield Overlap(later, earlier, shared_network(block, open_block, memo))


def overlaps_across(found: Sequence[Block]) -> Iterator[Overlap]:
    """Overlaps between clusters of different sites (which never share a network)."""
    for block, open_block in pairs(found, across_sites=True):
        later, earlier = (
            (block, open_block) if block.order > open_block.order else (open_block, block)
        )
        yield Overlap(later, earlier, None)


def overlap_findings(targets: Sequence[ClusterTarget], *, shared: bool) -> Iterator[Finding]:
    """The overlaps between clusters that share a network (`shared`) or share none."""
    for o in overlaps(targets):
        if (o.shared is not None) == shared:
            yield o.finding()
