"""A Service requests an IP that MetalLB will not give it from any pool.

MetalLB assigns a requested address only if all of the Service's requested addresses lie in one
IPAddressPool. The Service stays pending ("... is not allowed in config") when an address is in
no pool, when its two addresses (dual stack) are in two different pools, or when the address
ends in .0 or .255 and its pool sets `avoidBuggyIPs`. With an address-pool annotation as well,
the addresses must be in that pool (from MetalLB v0.13.10; older releases ignore the
annotation when addresses are requested). `autoAssign: false` does not matter for requested
addresses. The input is taken as the cluster's whole configuration: when it holds no
IPAddressPool at all, the finding says so (lint the Services together with the pools).
Addresses a pool that could not be read (its schema errors are reported) may hold are not
reported.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.poolspace import IP, ip_text
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import ServiceSemantics, ServiceView, services_of
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import from_site, title

ID = "service-ip-outside-pool"


SHOWN_POOLS = 5  # pools named in the hint of a site spec's message
SHOWN_ADDRESSES = 3  # addresses of each


def cluster_pools(pools: Sequence[Item[Any]]) -> str:
    """ "web 192.168.10.64/27, web2 192.168.10.80/28 + 10.0.0.0/24": the cluster's pools and
    their addresses."""
    parts = []
    for pool in pools[:SHOWN_POOLS]:
        addresses = pool.model.spec.addresses
        shown = " + ".join(addresses[:SHOWN_ADDRESSES])
        more = " ..." if len(addresses) > SHOWN_ADDRESSES else ""
        parts.append(f"{pool.name} {shown}{more}" if addresses else f"{pool.name} (no addresses)")
    rest = len(pools) - SHOWN_POOLS
    return ", ".join(parts) + (f" and {rest} more" if rest > 0 else "")


def outside(ss: ServiceSemantics, view: ServiceView, ip: IP) -> str:
    """An address no pool holds; on a site spec, with the cluster's pools and ranges."""
    if from_site(view.item):
        return f"{ip_text(ip)} is in none of the cluster's pools: {cluster_pools(ss.cfg.pools)}"
    return f"{ip_text(ip)} is not inside any IPAddressPool"


def pool_rel(pool: Item[Any], text: str) -> Rel:
    return Rel(f"pool {pool.name!r} {text}", pool, ("metadata", "name"))


def problem(ss: ServiceSemantics, view: ServiceView) -> tuple[str, tuple[Rel, ...]] | None:
    request = view.desired
    assert request is not None
    pools: list[Item[Any]] = []
    for ip in request.ips:
        holders = ss.index.holders(ip)
        if not holders and semantics_of(ss.cfg).pool_may_hold(ip):
            return None  # a pool that could not be read may hold it
        if not holders and not ss.cfg.pools:
            return (
                f"{ip_text(ip)} is not inside any IPAddressPool (the input holds no IPAddressPool)",
                (),
            )
        if not holders:
            return outside(ss, view, ip), ()
        usable = [p for p in holders if ss.index.admits(p, ip)]
        if not usable:
            pool = holders[0]
            return (
                f"{ip_text(ip)} ends in .0 or .255 and pool {pool.name!r} sets avoidBuggyIPs",
                (Rel("avoidBuggyIPs set here", pool, ("spec", "avoidBuggyIPs")),),
            )
        pools.append(usable[0])
    found = ss.index.pool_for(request.ips)
    if found is None and pools[0] is not pools[-1]:
        a, b = pools[0], pools[-1]
        return (
            f"{request.shown()} are in two pools ({a.name!r} and {b.name!r}); both addresses "
            "must come from one pool",
            (pool_rel(a, "defined here"), pool_rel(b, "defined here")),
        )
    if found is None:
        return None  # only overlapping pools get here; pool-overlap reports them
    named = view.pool_annotation
    if (
        named is not None
        and has(ss.cfg.metallb_version, "pool_annotation_with_ips")
        and named.value != found.name
        and named.value in semantics_of(ss.cfg).pools_by_name
    ):
        not_in = (
            f"but the service names pool {named.value!r}"
            if from_site(view.item)
            else f"not in pool {named.value!r} named by {named.key}"
        )
        return (
            f"{request.shown()} is in pool {found.name!r}, {not_in}",
            (pool_rel(found, "holds the address"),),
        )
    return None


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    ss = services_of(cfg)
    for view in ss.views:
        if view.desired is None or not view.choice_known:
            continue
        found = problem(ss, view)
        if found is not None:
            message, related = found
            yield Finding(
                f"{title(view.item)}: {message}", view.item, view.desired.path, related=related
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "service",
    __doc__ or "",
    check,
    applies=Applicability(changes=(v("0.13.10"),)),
)
