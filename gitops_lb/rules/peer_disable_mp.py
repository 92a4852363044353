"""A BGPPeer sets the deprecated `disableMP`.

`disableMP` is deprecated and has no effect any more: MetalLB ignores it (and warns when the
peer is created). To exchange IPv4 and IPv6 prefixes over one session use
`dualStackAddressFamily: true` instead; otherwise remove the field. In native BGP mode
`disableMP: true` is even an error (see `native-frr-only-field`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.rules._base import Rule

ID = "peer-disable-mp"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        if peer.model.spec.disableMP:
            yield Finding(
                f"disableMP of {peer_label(peer)} is deprecated and has no effect; remove it "
                "(dualStackAddressFamily replaces it)",
                peer,
                ("spec", "disableMP"),
            )


RULE = Rule(ID, Severity.WARNING, "metallb", __doc__ or "", check)
