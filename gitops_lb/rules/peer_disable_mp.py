"""A BGPPeer sets the deprecated `disableMP`.

`disableMP` came with MetalLB v0.14.4 and worked up to v0.14.9 (one session per address
family instead of multiprotocol BGP), so nothing is reported for those releases. From v0.15.0
it is deprecated (MetalLB warns when the peer is created) and has no effect in FRR mode; from
v0.15.3 MetalLB's FRR-K8s backend passes it on again, so in `frr-k8s` mode it still works,
but it stays deprecated. To exchange IPv4 and IPv6 prefixes over one session use
`dualStackAddressFamily: true`; otherwise remove the field. In native BGP mode
`disableMP: true` is even an error (see `native-frr-only-field`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.versions import FEATURES, first, has, v
from gitops_lb.rules._base import Applicability, Rule

ID = "peer-disable-mp"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    still_works = cfg.bgp_mode == "frr-k8s" and has(cfg.metallb_version, "disable_mp_frr_k8s")
    for peer in cfg.peers:
        if not peer.model.spec.disableMP:
            continue
        if still_works:
            message = (
                f"disableMP of {peer_label(peer)} is deprecated; FRR-K8s applies it (from "
                f"MetalLB {first('disable_mp_frr_k8s')}) but FRR mode ignores it: prefer "
                "dualStackAddressFamily, or remove it"
            )
        else:
            message = (
                f"disableMP of {peer_label(peer)} is deprecated and has no effect; remove it "
                "(dualStackAddressFamily replaces it)"
            )
        yield Finding(message, peer, ("spec", "disableMP"))


RULE = Rule(
    ID,
    Severity.WARNING,
    "metallb",
    __doc__ or "",
    check,
    applies=Applicability(versions=FEATURES["disable_mp_deprecated"], changes=(v("0.15.3"),)),
)
