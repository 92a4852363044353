"""An IPv6 address would be announced over BGP in native mode.

MetalLB's native BGP speaker announces IPv4 only. In native mode MetalLB rejects the
configuration when any pool that a BGPAdvertisement applies to (by name, by label selector,
or because the advertisement names and selects no pool and so applies to all) has an IPv6
address. Move the IPv6 addresses to pools announced by L2Advertisements only, narrow the
advertisement's pool selection, or switch to the FRR-based modes.

That is MetalLB v0.14.9 and later. Up to v0.14.8 native mode refuses every pool with an IPv6
address as soon as the cluster has any BGPAdvertisement, whichever pools it selects: there the
IPv6 addresses must go, or the BGPAdvertisements.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import first, has, v
from gitops_lb.rules._base import NATIVE, Applicability, Rule
from gitops_lb.words import kind, short, title

ID = "native-ipv6-bgp-pool"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    selected_only = has(cfg.metallb_version, "native_ipv6_selected_pools")
    selected_by: dict[int, Item[Any]] = {}
    for adv in cfg.bgpadvs:
        for pool in sem.attached_pools(adv) if selected_only else cfg.pools:
            selected_by.setdefault(id(pool), adv)
    for pool in cfg.pools:
        owner = selected_by.get(id(pool))
        if owner is None:
            continue
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            if not any(net.family == 6 for net in entry.nets):
                continue
            if selected_only:
                message = (
                    f"{title(pool, 'pool')} has IPv6 address {entry.text!r} and is announced "
                    f"by {short(owner)}; native BGP mode supports IPv4 only"
                )
                related = Rel(f"{short(owner)} selects the pool", owner, ("spec",))
            else:
                message = (
                    f"{title(pool, 'pool')} has IPv6 address {entry.text!r} and the cluster has "
                    f"{short(owner)}; in native BGP mode MetalLB {cfg.metallb_version} refuses "
                    f"IPv6 pools as soon as any {kind(owner)} exists (from "
                    f"{first('native_ipv6_selected_pools')} only in the pools one selects)"
                )
                related = Rel(short(owner), owner, ("spec",))
            yield Finding(message, pool, ("spec", "addresses", i), related=(related,))


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(modes=NATIVE, changes=(v("0.14.9"),)),
)
