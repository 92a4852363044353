"""A BGPPeer has no usable neighbor: no address or interface, both, or an invalid address.

MetalLB dials the neighbor at `peerAddress`, or peers unnumbered over the node interface named
in `interface` (FRR-based modes). Exactly one of the two must be set, and `peerAddress` must be
a plain IPv4 or IPv6 address as Go parses it: no prefix length, no leading zeros in IPv4
octets, no IPv6 zone (`fe80::1%eth0`; use `interface` for link-local peering), no spaces.
Otherwise MetalLB rejects the whole configuration. `interface` came with MetalLB v0.15.0: up
to v0.14.9 `peerAddress` is required (and `interface` is `field-unsupported-version`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.ipnet import parse_ip
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import Applicability, Rule

ID = "peer-address"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    unnumbered = has(cfg.metallb_version, "peer_interface")
    for peer in cfg.peers:
        spec = peer.model.spec
        if not spec.peerAddress and not spec.interface:
            yield Finding(
                f"{peer_label(peer)} has neither peerAddress nor interface; set one of them"
                if unnumbered
                else f"{peer_label(peer)} has no peerAddress; MetalLB {cfg.metallb_version} "
                "needs the neighbor's address",
                peer,
                ("spec",),
                key=True,
            )
        if spec.peerAddress and spec.interface:
            yield Finding(
                f"{peer_label(peer)} sets both peerAddress and interface "
                f"{spec.interface!r}; keep only one",
                peer,
                ("spec", "interface"),
                related=(Rel("peerAddress set here", peer, ("spec", "peerAddress")),),
            )
        if spec.peerAddress and parse_ip(spec.peerAddress) is None:
            hint = ""
            if "%" in spec.peerAddress:
                hint = " (zones are not accepted; use interface for link-local peering)"
            elif "/" in spec.peerAddress:
                hint = " (write the address without a prefix length)"
            yield Finding(
                f"peerAddress {spec.peerAddress!r} of {peer_label(peer)} is not an IP "
                f"address{hint}",
                peer,
                ("spec", "peerAddress"),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(changes=(v("0.15.0"),)),
)
