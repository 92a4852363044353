"""A BGPPeer address is written in IPv4-mapped IPv6 notation (`::ffff:a.b.c.d`).

MetalLB reads `::ffff:10.0.0.1` in `peerAddress`, `sourceAddress` or `routerID` as the IPv4
address 10.0.0.1 and the session comes up, but the peer then has two spellings: the one in
Git and the one routers, FRR's configuration and MetalLB's status show. Anyone searching for
the neighbor's address, and tools that compare the two, miss it. It also reads like an IPv6
session, which it is not. Write the plain IPv4 address; the message gives it.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.mapped import plain_form
from gitops_lb.rules._base import Rule

ID = "peer-ipv4-mapped"
FIELDS = ("peerAddress", "sourceAddress", "routerID")


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        spec = peer.model.spec
        for field in FIELDS:
            value = getattr(spec, field)
            plain = plain_form(value) if value and "/" not in value and "-" not in value else None
            if plain is not None:
                yield Finding(
                    f"{field} {value!r} of {peer_label(peer)} uses IPv4-mapped IPv6 notation; "
                    f"write {plain!r}",
                    peer,
                    ("spec", field),
                )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
