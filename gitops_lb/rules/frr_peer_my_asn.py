"""BGPPeers on the same node and VRF have different `myASN`s (FRR-based modes).

In FRR and FRR-K8s mode the peers of a node share one BGP router per VRF, which has one local
AS number, so MetalLB rejects the whole configuration when two peers that select a common node
and have the same `vrf` set different `myASN` values. Two peers share a node when some Node
matches the `nodeSelectors` of both (empty = every node); when the input has no Node objects,
every pair of peers is assumed to share one. Fix: use one `myASN` per VRF (FRR mode can present
another AS to a single neighbor with `localASN`), or separate the peers with `nodeSelectors`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import differing, first_conflicts, peer_groups, sharing_note
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import short, title

ID = "frr-peer-my-asn"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    peers = cfg.peers
    pairs = differing(
        peer_groups(cfg),
        lambda i: peers[i].model.spec.myASN,
        part=lambda i: peers[i].model.spec.vrf,
    )
    for later, earlier in first_conflicts(cfg, pairs):
        spec = later.model.spec
        vrf = f"VRF {spec.vrf!r}" if spec.vrf else "the default VRF"
        yield Finding(
            f"{title(later)} has myASN {spec.myASN} but {short(earlier)} has "
            f"{earlier.model.spec.myASN} in {vrf} {sharing_note(cfg, later)}; in FRR mode the "
            "peers of a node need one myASN per VRF",
            later,
            ("spec", "myASN"),
            related=(Rel(f"myASN of {short(earlier)}", earlier, ("spec", "myASN")),),
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
