"""A BGPPeer is written as the deprecated `metallb.io/v1beta1`.

MetalLB still serves `metallb.io/v1beta1` BGPPeers (with a deprecation warning from v0.14.9,
the release that deprecated it; nothing is reported for older ones) and converts them to
`metallb.io/v1beta2`, the version it stores. The old version lacks the newer fields
(`passwordSecret`, `vrf`, `connectTime`, `dynamicASN`...), turns absent `holdTime` and
`keepaliveTime` into `0s`, and will eventually be removed. Fix: write
`apiVersion: metallb.io/v1beta2`; the v1beta1 fields keep their names and meaning.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule

ID = "peer-deprecated-version"
OLD = "metallb.io/v1beta1"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        doc = peer.doc
        if isinstance(doc, dict) and doc.get("apiVersion") == OLD:
            yield Finding(
                f"{peer_label(peer)} uses the deprecated {OLD}; write metallb.io/v1beta2",
                peer,
                ("apiVersion",),
            )


RULE = Rule(
    ID,
    Severity.WARNING,
    "metallb",
    __doc__ or "",
    check,
    applies=Applicability(versions=FEATURES["v1beta1_peer_deprecated"]),
)
