"""BGPPeers in the same VRF have different `myASN`s (FRR-based modes).

In FRR and FRR-K8s mode the peers of a node share one BGP router per VRF, which has one local
AS number, so MetalLB rejects the whole configuration when two BGPPeers it compares have the
same `vrf` and different `myASN` values. Which peers it compares depends on the release:

- up to v0.13.7 (no VRFs yet), all BGPPeers of the cluster must have one `myASN`;
- from v0.13.8 to v0.15.3, all BGPPeers of the cluster in the same VRF, whatever their
  `nodeSelectors`;
- from v0.16.0, only peers in the same VRF that select a common node (some Node matches the
  `nodeSelectors` of both; empty = every node; when the input has no Node objects, every pair
  of peers is assumed to share one).

Fix: use one `myASN` per VRF (FRR mode can present another AS to a single neighbor with
`localASN`, from v0.16.0); from v0.16.0 peers can also be separated with `nodeSelectors`.
"""

from collections.abc import Hashable, Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import differing, first_conflicts, frr_groups, frr_scope_rule, frr_where
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import kind, short, title

ID = "frr-peer-my-asn"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    peers = cfg.peers
    per_vrf = has(cfg.metallb_version, "vrf")

    def part(i: int) -> Hashable:
        return peers[i].model.spec.vrf if per_vrf else None

    pairs = differing(frr_groups(cfg), lambda i: peers[i].model.spec.myASN, part=part)
    for later, earlier in first_conflicts(cfg, pairs):
        spec = later.model.spec
        if not per_vrf:
            yield Finding(
                f"BGPPeer {later.name!r} has myASN {spec.myASN} but BGPPeer {earlier.name!r} "
                f"has {earlier.model.spec.myASN}; MetalLB {cfg.metallb_version} in FRR mode "
                "needs one myASN for all BGPPeers of the cluster",
                later,
                ("spec", "myASN"),
                related=(Rel(f"myASN of BGPPeer {earlier.name!r}", earlier, ("spec", "myASN")),),
            )
            continue
        vrf = f"VRF {spec.vrf!r}" if spec.vrf else "the default VRF"
        yield Finding(
            f"{title(later)} has myASN {spec.myASN} but {short(earlier)} has "
            f"{earlier.model.spec.myASN} in {vrf}{frr_where(cfg, later)}; "
            + frr_scope_rule(
                cfg,
                "in FRR mode the peers of a node need one myASN per VRF",
                "in FRR mode the peers of the cluster need one myASN per VRF",
                f"{kind(later)}s",
            ),
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
    applies=Applicability(modes=FRR, changes=(v("0.13.8"), v("0.16.0"))),
)
