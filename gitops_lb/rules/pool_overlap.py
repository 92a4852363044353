"""Two pool addresses overlap.

MetalLB refuses a configuration in which any address block, after ranges are broken into
CIDRs, overlaps another one, whether in the same pool or in two pools; a repeated entry counts.
IPv4-mapped IPv6 addresses (`::ffff:10.0.0.0/120`) overlap the IPv4 addresses they map to.
Each overlapping entry is reported once per entry it overlaps (up to 16 of them), with the
other entry as a related location.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import short, title

ID = "pool-overlap"


PARTNERS = 16  # blocks reported per block: a thousand copies of one CIDR stay linear


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    # (family, first, -last, order, pool, entry index). Aligned blocks are nested or disjoint:
    # after sorting, the blocks still open when a block starts form a chain of containers, and
    # each of them overlaps it (the nearest PARTNERS are reported).
    sem = semantics_of(cfg)
    blocks: list[tuple[int, int, int, int, Item[Any], int]] = []
    order = 0
    for pool in cfg.pools:
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            for net in entry.nets:
                blocks.append((net.family, net.first, -net.last, order, pool, i))
                order += 1
    blocks.sort(key=lambda b: b[:4])
    pairs: dict[tuple[int, int, int, int], tuple[Item[Any], int, Item[Any], int]] = {}
    open_blocks: list[tuple[int, int, int, int, Item[Any], int]] = []
    for block in blocks:
        family, first = block[0], block[1]
        while open_blocks and (open_blocks[-1][0] != family or -open_blocks[-1][2] < first):
            open_blocks.pop()
        for holder in open_blocks[-PARTNERS:]:
            later, earlier = (block, holder) if block[3] > holder[3] else (holder, block)
            if (later[4], later[5]) == (earlier[4], earlier[5]):
                continue  # two CIDRs of one range never overlap; defensive
            key = (id(later[4]), later[5], id(earlier[4]), earlier[5])
            pairs.setdefault(key, (later[4], later[5], earlier[4], earlier[5]))
        open_blocks.append(block)
    for pool, i, other, j in pairs.values():
        text = pool.model.spec.addresses[i]
        other_text = other.model.spec.addresses[j]
        where = "the same pool" if other is pool else short(other, "pool")
        yield Finding(
            f"{text} in {title(pool, 'pool')} overlaps with {other_text} in {where}",
            pool,
            ("spec", "addresses", i),
            related=(Rel(f"{other_text} defined here", other, ("spec", "addresses", j)),),
        )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
