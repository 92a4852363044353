"""A BGPPeer's AS numbers are missing or contradictory.

MetalLB needs the local AS number (`myASN`, not 0) and exactly one way to know the peer's AS:
either a fixed `peerASN` (not 0) or `dynamicASN` (`internal`: the neighbor must use `myASN`,
`external`: it must use another one; FRR-based modes only). A peer with `myASN: 0`, with
neither `peerASN` nor `dynamicASN`, or with both, makes MetalLB reject the whole
configuration. Fix: set `myASN`, then keep either `peerASN` or `dynamicASN`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label, spec_field
from gitops_lb.rules._base import Rule

ID = "peer-asn"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        spec = peer.model.spec
        if spec.myASN == 0:
            path, key = spec_field(peer, "myASN")
            yield Finding(
                f"{peer_label(peer)} has myASN 0; MetalLB needs the local AS number",
                peer,
                path,
                key=key,
            )
        if spec.peerASN == 0 and spec.dynamicASN is None:
            path, key = spec_field(peer, "peerASN")
            yield Finding(
                f"{peer_label(peer)} sets neither peerASN nor dynamicASN; set one of them",
                peer,
                path,
                key=key,
            )
        if spec.peerASN != 0 and spec.dynamicASN is not None:
            yield Finding(
                f"{peer_label(peer)} sets both peerASN {spec.peerASN} and dynamicASN "
                f"{spec.dynamicASN!r}; keep only one",
                peer,
                ("spec", "dynamicASN"),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
