"""A BGPPeer sets `localASN`, which FRR-K8s mode ignores.

In FRR mode `localASN` presents another AS number to this one neighbor (FRR's `local-as`);
MetalLB's FRR-K8s backend does not pass it on, so the session silently uses `myASN` and the
neighbor may refuse it. Fix: remove `localASN` and configure the neighbor for `myASN`, or use
an FRR-K8s `FRRConfiguration` for the session. `localASN` came with MetalLB v0.16.0
(`field-unsupported-version` before).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule

ID = "peer-local-asn-ignored"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        spec = peer.model.spec
        if spec.localASN is not None:
            yield Finding(
                f"localASN {spec.localASN} of {peer_label(peer)} is ignored in FRR-K8s mode; "
                f"the session uses myASN {spec.myASN}",
                peer,
                ("spec", "localASN"),
            )


RULE = Rule(
    ID,
    Severity.WARNING,
    "metallb",
    __doc__ or "",
    check,
    applies=Applicability(modes=frozenset({"frr-k8s"}), versions=FEATURES["local_asn"]),
)
