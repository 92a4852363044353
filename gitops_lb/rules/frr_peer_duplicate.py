"""Two BGPPeers on the same node talk to the same neighbor (FRR-based modes).

FRR keys a neighbor by its address (or, for unnumbered peering, its interface) within a VRF,
so MetalLB rejects the whole configuration when two peers that select a common node have the
same `peerAddress` (or `interface`) in the same `vrf`. Two peers share a node when some Node
matches the `nodeSelectors` of both (empty = every node); when the input has no Node objects,
every pair of peers is assumed to share one. Fix: merge the two peers, or separate them with
`nodeSelectors` (e.g. one peer per rack).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import equal, first_conflicts, peer_groups, peer_identifier, sharing_note
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import kind, short, title

ID = "frr-peer-duplicate"


def _field(spec: m.BGPPeerSpec) -> str:
    return "peerAddress" if spec.peerAddress or not spec.interface else "interface"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    peers = cfg.peers
    pairs = equal(peer_groups(cfg), lambda i: peer_identifier(peers[i].model.spec))
    for later, earlier in first_conflicts(cfg, pairs):
        spec = later.model.spec
        field = _field(spec)
        neighbor = getattr(spec, field) or "(no address)"
        vrf = f" in VRF {spec.vrf!r}" if spec.vrf else ""
        yield Finding(
            f"{title(later)} peers with {neighbor}{vrf} like {short(earlier)} "
            f"{sharing_note(cfg, later)}; FRR mode allows one {kind(later)} per neighbor "
            "on a node",
            later,
            ("spec", field),
            related=(Rel(short(earlier), earlier, ("spec", _field(earlier.model.spec))),),
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
