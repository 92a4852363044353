"""BGPPeers running on the same node have different `routerID`s (FRR-based modes).

In FRR and FRR-K8s mode all peers of a node share one BGP router, so MetalLB rejects the whole
configuration when two peers that select a common node set different `routerID` values (even
in different VRFs; an unset `routerID` differs from a set one). Two peers share a node when
some Node matches the `nodeSelectors` of both (empty = every node); when the input has no Node
objects, every pair of peers is assumed to share one. Fix: use the same `routerID` on all of
them (or none), or separate them with `nodeSelectors`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import differing, first_conflicts, peer_groups, sharing_note, spec_field
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import short, title

ID = "frr-peer-router-id"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    peers = cfg.peers
    pairs = differing(peer_groups(cfg), lambda i: peers[i].model.spec.routerID)
    for later, earlier in first_conflicts(cfg, pairs):
        mine = later.model.spec.routerID or "none"
        theirs = earlier.model.spec.routerID or "none"
        path, key = spec_field(later, "routerID")
        other_path, _ = spec_field(earlier, "routerID")
        yield Finding(
            f"{title(later)} has routerID {mine} but {short(earlier)} has {theirs} "
            f"{sharing_note(cfg, later)}; in FRR mode the peers of a node must have the same "
            "routerID",
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
    applies=Applicability(modes=FRR),
)
