"""Two BGPPeers talk to the same neighbor (FRR-based modes).

FRR keys a neighbor by its address (or, for unnumbered peering, its interface) within a VRF,
so MetalLB rejects the whole configuration when two BGPPeers it compares have the same
`peerAddress` (or `interface`) in the same `vrf`. Which peers it compares, and how it keys
them, depends on the release:

- up to v0.15.3, every BGPPeer of the cluster with every other one, whatever their
  `nodeSelectors` (the speakers and the BGPPeer webhook see all peers and no Nodes). Up to
  v0.13.7 the key is `peerAddress` alone; from v0.13.8 it is `peerAddress` (from v0.15.0,
  `interface` when there is no address), a `-` and the `vrf`, the dash written even in the
  default VRF (so `eth0-red` in the default VRF and `eth0` in VRF `red` differ);
- from v0.16.0, only two peers that select a common node (some Node matches the
  `nodeSelectors` of both; empty = every node; when the input has no Node objects, every
  pair of peers is assumed to share one), keyed by address or interface, with `-<vrf>` only
  in a named VRF (so the two above collide).

Fix: merge the two peers; from v0.16.0 they can also be separated with `nodeSelectors` (one
peer per rack, say).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import (
    duplicate_key,
    equal,
    first_conflicts,
    frr_groups,
    frr_scope_rule,
    frr_where,
)
from gitops_lb.metallb.versions import v
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import kind, short, title

ID = "frr-peer-duplicate"


def _field(spec: m.BGPPeerSpec) -> str:
    return "peerAddress" if spec.peerAddress or not spec.interface else "interface"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    peers = cfg.peers
    version = cfg.metallb_version
    pairs = equal(frr_groups(cfg), lambda i: duplicate_key(peers[i].model.spec, version))
    for later, earlier in first_conflicts(cfg, pairs):
        spec = later.model.spec
        field = _field(spec)
        neighbor = getattr(spec, field) or "(no address)"
        vrf = f" in VRF {spec.vrf!r}" if spec.vrf else ""
        yield Finding(
            f"{title(later)} peers with {neighbor}{vrf} like {short(earlier)}"
            f"{frr_where(cfg, later)}; "
            + frr_scope_rule(
                cfg,
                f"FRR mode allows one {kind(later)} per neighbor on a node",
                f"FRR mode allows one {kind(later)} per neighbor in the cluster",
                f"{kind(later)}s",
            ),
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
    applies=Applicability(modes=FRR, changes=(v("0.13.8"), v("0.15.0"), v("0.16.0"))),
)
