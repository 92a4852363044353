"""A BGPPeer's `routerID` or `sourceAddress` is not an IP address.

When set, both must parse as an IP address the way Go does (IPv4 dotted quad without leading
zeros, or any IPv6 form, no zone, no prefix length, no spaces); MetalLB rejects the whole
configuration otherwise. MetalLB does not check the family of `routerID`, so an IPv6 text is
accepted here even though BGP router IDs are 32-bit values in practice.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.ipnet import parse_ip
from gitops_lb.rules._base import Rule

ID = "peer-invalid-ip"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        spec = peer.model.spec
        for field, value in (("routerID", spec.routerID), ("sourceAddress", spec.sourceAddress)):
            if value and parse_ip(value) is None:
                yield Finding(
                    f"{field} {value!r} of {peer_label(peer)} is not an IP address",
                    peer,
                    ("spec", field),
                )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
