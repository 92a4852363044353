"""BGPPeers have different `routerID`s (FRR-based modes).

In FRR and FRR-K8s mode all peers of a node share one BGP router, so MetalLB rejects the whole
configuration when two BGPPeers it compares set different `routerID` values (even in
different VRFs; an unset `routerID` differs from a set one). Which peers it compares depends
on the release:

- up to v0.15.3, every BGPPeer of the cluster, whatever its `nodeSelectors`: all of them need
  the same `routerID` (or none);
- from v0.16.0, only peers that select a common node (some Node matches the `nodeSelectors`
  of both; empty = every node; when the input has no Node objects, every pair of peers is
  assumed to share one).

Fix: use the same `routerID` on all of them (or none); from v0.16.0 peers can also be
separated with `nodeSelectors`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import (
    differing,
    first_conflicts,
    frr_groups,
    frr_scope_rule,
    frr_where,
    spec_field,
)
from gitops_lb.metallb.versions import v
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import kind, short, title

ID = "frr-peer-router-id"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    peers = cfg.peers
    pairs = differing(frr_groups(cfg), lambda i: peers[i].model.spec.routerID)
    for later, earlier in first_conflicts(cfg, pairs):
        mine = later.model.spec.routerID or "none"
        theirs = earlier.model.spec.routerID or "none"
        path, key = spec_field(later, "routerID")
        other_path, _ = spec_field(earlier, "routerID")
        yield Finding(
            f"{title(later)} has routerID {mine} but {short(earlier)} has {theirs}"
            f"{frr_where(cfg, later)}; "
            + frr_scope_rule(
                cfg,
                "in FRR mode the peers of a node must have the same routerID",
                f"in FRR mode all {kind(later)}s of the cluster must have the same routerID",
                f"{kind(later)}s",
            ),
            later,
            path,
            key=key,
            related=(Rel(f"routerID of {short(earlier)}", earlier, other_path),),
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(modes=FRR, changes=(v("0.16.0"),)),
)
