"""A BGPPeer's AS numbers are missing or contradictory.

MetalLB needs the local AS number (`myASN`, not 0) and exactly one way to know the peer's AS:
either a fixed `peerASN` (not 0) or `dynamicASN` (`internal`: the neighbor must use `myASN`,
`external`: it must use another one; FRR-based modes only). A peer with `myASN: 0`, with
neither `peerASN` nor `dynamicASN`, or with both, makes MetalLB reject the whole
configuration. Fix: set `myASN`, then keep either `peerASN` or `dynamicASN`. `dynamicASN` came
with MetalLB v0.14.9: up to v0.14.8 `peerASN` is required and must not be 0 (and `dynamicASN`
is `field-unsupported-version`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label, spec_field
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import Applicability, Rule

ID = "peer-asn"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    dynamic = has(cfg.metallb_version, "dynamic_asn")
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
                f"{peer_label(peer)} sets neither peerASN nor dynamicASN; set one of them"
                if dynamic
                else f"{peer_label(peer)} has no peerASN (or 0); MetalLB "
                f"{cfg.metallb_version} needs the neighbor's AS number",
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


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(changes=(v("0.14.9"),)),
)
