"""A BGPPeer uses a field that only the FRR-based modes support, in native BGP mode.

MetalLB's native BGP speaker rejects the whole configuration when any peer sets `bfdProfile`,
a non-zero `keepaliveTime`, `vrf`, `connectTime`, `enableGracefulRestart`, `disableMP`,
`dualStackAddressFamily`, `dynamicASN`, `interface` or `localASN`. Each such field is
reported. Fix: remove the field, or run MetalLB in FRR-K8s (or FRR) mode and lint with that
`--bgp-mode`. `holdTime` is supported in native mode. A field newer than the targeted release
(`vrf` before v0.13.8, `connectTime` and `disableMP` before v0.14.4, `enableGracefulRestart`
before v0.14.6, `dynamicASN` before v0.14.9, `interface` and `dualStackAddressFamily` before
v0.15.0, `localASN` before v0.16.0) is `field-unsupported-version` instead: that release drops
it, so its native mode never sees it.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import peer_label, try_duration
from gitops_lb.rules._base import NATIVE, Applicability, Rule
from gitops_lb.words import from_site

ID = "native-frr-only-field"


def frr_only_fields(spec: m.BGPPeerSpec) -> list[str]:
    """The FRR-only fields a peer sets, in MetalLB's order."""
    keepalive = try_duration(spec.keepaliveTime)
    used = {
        "bfdProfile": bool(spec.bfdProfile),
        "keepaliveTime": keepalive is not None and keepalive != 0,
        "vrf": bool(spec.vrf),
        "connectTime": spec.connectTime is not None,
        "enableGracefulRestart": spec.enableGracefulRestart,
        "disableMP": spec.disableMP,
        "dualStackAddressFamily": spec.dualStackAddressFamily,
        "dynamicASN": spec.dynamicASN is not None,
        "interface": bool(spec.interface),
        "localASN": spec.localASN is not None,
    }
    return [name for name, on in used.items() if on]


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        site = from_site(peer)
        for field in frr_only_fields(peer.model.spec):
            yield Finding(
                f"{field} of {peer_label(peer)} is not supported in native BGP mode; "
                f"remove it or {'set bgpMode: frr-k8s' if site else 'use the FRR-K8s mode'}",
                peer,
                ("spec", field),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(modes=NATIVE),
)
