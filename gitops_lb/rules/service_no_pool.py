"""A Service asks for an automatic address, but no pool can give it one.

A LoadBalancer Service with no requested IP and no address-pool annotation gets its address
from a pool MetalLB picks: first the pools whose `serviceAllocation` selects the Service, then
any pool with `autoAssign: true` and no serviceAllocation. A pool counts only if it offers the
Service's family (a dual-stack Service needs one pool with both families; PreferDualStack is
satisfied by either). When no pool qualifies, the Service stays pending with "no available
IPs". Typical causes: every pool has `autoAssign: false` (request a pool or an IP explicitly),
serviceAllocation reserves the pools for other namespaces or Services, or no pool has IPv6
addresses. Checked only when the input contains at least one IPAddressPool (Services linted
apart from MetalLB's objects ask for no address in particular), and not while a pool could not
be read as written (its schema errors are reported). A `serviceAllocation` that lists no
namespace and selects no Service (a `priority` alone) takes every Service from MetalLB
v0.15.0; older releases never assign from such a pool automatically.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import services_of
from gitops_lb.metallb.versions import v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import title

ID = "service-no-pool"
SHOWN = 3


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    if not cfg.pools or not semantics_of(cfg).pools_known:
        return  # Services linted apart from the pools; or a pool not read as written
    ss = services_of(cfg)
    for view in ss.views:
        if not view.automatic or not view.choice_known or ss.candidates(view):
            continue
        reasons = [f"pool {p.name!r} {ss.candidate(p, view)[1]}" for p in cfg.pools[:SHOWN]]
        more = len(cfg.pools) - SHOWN
        text = "; ".join(reasons) + (f"; and {more} more" if more > 0 else "")
        yield Finding(
            f"{title(view.item)} asks for an automatic address but no pool can give one: {text}",
            view.item,
            ("spec", "type"),
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "service",
    __doc__ or "",
    check,
    applies=Applicability(changes=(v("0.15.0"),)),
)
