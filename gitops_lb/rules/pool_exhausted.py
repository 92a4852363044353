"""More Services draw from a pool than it has addresses.

Counted per address family, against the capacity MetalLB reports in the pool status (.0 and
.255 addresses left out when `avoidBuggyIPs` is set): the distinct addresses Services request
inside the pool, one address per family for each Service naming the pool in its address-pool
annotation, and one for each Service asking for an automatic address that this pool alone can
serve. Services without a requested IP that carry the same allow-shared-ip key (and backends)
are counted as one address, or as many as needed to keep each protocol/port once per address;
they are not counted at all when a Service requesting an address in the pool has their key.
The result is a lower bound: when it exceeds the capacity, some Services stay pending with "no
available IPs". Grow the pool or move Services to another one.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.poolspace import UNLIMITED
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import (
    Family,
    ServiceSemantics,
    ServiceView,
    family_name,
    services_of,
)
from gitops_lb.rules._base import Rule
from gitops_lb.words import from_site, title

ID = "pool-exhausted"


@dataclass
class Demand:
    requested: dict[int, set[int]] = field(default_factory=lambda: {4: set(), 6: set()})
    request_keys: set[tuple[str, str]] = field(default_factory=set)
    # (family, "named" | "automatic", Service) for Services without a requested IP
    drawers: list[tuple[int, str, ServiceView]] = field(default_factory=list)


def needed(ss: ServiceSemantics, pool: Item[Any], view: ServiceView) -> Family:
    """The families the Service takes from the pool (none when the family is unknown)."""
    if view.family is None:
        return frozenset()
    have = ss.families(pool)
    if view.prefer_dual:
        return view.family & have
    return view.family if view.family <= have else frozenset()


def collect(ss: ServiceSemantics) -> dict[int, Demand]:
    demand: dict[int, Demand] = {id(p): Demand() for p in ss.cfg.pools}
    for view in ss.views:
        if not view.choice_known:
            continue  # what it asks for is not known
        if view.requests:
            request = view.desired
            pool = ss.index.pool_for(request.ips) if request is not None else None
            if request is None or pool is None or request.family != view.family:
                continue
            for family, value in request.ips:
                demand[id(pool)].requested[family].add(value)
            if view.sharing_key:
                demand[id(pool)].request_keys.add((view.sharing_key, view.backend_key))
            continue
        how = "named"
        if view.pool_annotation is not None:
            target = semantics_of(ss.cfg).pools_by_name.get(view.pool_annotation.value)
        else:
            how, options = "automatic", ss.candidates(view)
            target = options[0][0] if len(options) == 1 and options[0][1] is True else None
        if target is not None and ss.compatible(target, view) is not False:
            for family in needed(ss, target, view):
                demand[id(target)].drawers.append((family, how, view))
    return demand


def count(d: Demand, family: int) -> Counter[str]:
    """Addresses needed per kind of draw ("requested", "named", "automatic")."""
    out: Counter[str] = Counter(requested=len(d.requested[family]))
    groups: dict[tuple[str, str, str], Counter[tuple[str, int]]] = {}
    for fam, how, view in d.drawers:
        if fam != family:
            continue
        if not view.sharing_key:
            out[how] += 1
            continue
        if (view.sharing_key, view.backend_key) in d.request_keys:
            continue
        ports = groups.setdefault((how, view.sharing_key, view.backend_key), Counter())
        ports.update(dict.fromkeys(view.ports, 1))
    for (how, _, _), ports in groups.items():
        out[how] += max(ports.values(), default=1)
    return out


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    ss = services_of(cfg)
    demand = collect(ss)
    for pool in cfg.pools:
        if not pool.sure(("spec", "avoidBuggyIPs")):
            continue  # its capacity is not known
        site = from_site(pool)
        for family in (4, 6):
            have = ss.capacity(pool, family)
            parts = count(demand[id(pool)], family)
            total = sum(parts.values())
            if have == UNLIMITED or total <= have:
                continue
            detail = ", ".join(
                f"{parts[k]} {text}"
                for k, text in (
                    ("requested", "requested"),
                    ("named", "naming it as their pool" if site else "by address-pool annotation"),
                    ("automatic", "automatic with no other pool"),
                )
                if parts[k]
            )
            yield Finding(
                f"{title(pool, 'pool')} has {have} {family_name(family)} address"
                f"{'' if have == 1 else 'es'} but Services need at least {total} ({detail})",
                pool,
                ("spec", "addresses"),
            )


RULE = Rule(ID, Severity.WARNING, "service", __doc__ or "", check)
