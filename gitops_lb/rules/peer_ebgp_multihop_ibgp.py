"""An iBGP peer sets `ebgpMultiHop`.

`ebgpMultiHop` tells FRR that an eBGP neighbor is more than one hop away. MetalLB rejects the
configuration when it is set on a peer whose `peerASN` equals `myASN` (an iBGP session, which
is multi-hop capable anyway). Fix: remove `ebgpMultiHop`, or correct the AS numbers if the peer
really is external. (With `dynamicASN` the check does not apply, since `peerASN` is then 0.)
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.rules._base import Rule

ID = "peer-ebgp-multihop-ibgp"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        spec = peer.model.spec
        if spec.ebgpMultiHop and spec.peerASN == spec.myASN:
            yield Finding(
                f"{peer_label(peer)} is iBGP (peerASN {spec.peerASN} equals myASN) and sets "
                "ebgpMultiHop, which MetalLB allows only for eBGP peers",
                peer,
                ("spec", "ebgpMultiHop"),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
