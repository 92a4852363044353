"""A BGPPeer's `bfdProfile` names a BFDProfile that does not exist.

MetalLB looks the profile up by name among the BFDProfile objects in its namespace and rejects
the whole configuration when there is none. The webhook does not catch it (it ignores
`bfdProfile`), so the peer is accepted by `kubectl apply` and the speakers then refuse the
configuration. Fix the name or add the BFDProfile (FRR-based modes only; native mode supports
no BFD at all).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.intake import did_you_mean
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import from_site

ID = "peer-unknown-bfd-profile"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    profiles = semantics_of(cfg).bfd_by_name
    for peer in cfg.peers:
        name = peer.model.spec.bfdProfile
        if name and name not in profiles and not cfg.may_exist("BFDProfile", name):
            hint = did_you_mean(name, sorted(profiles))
            missing = (
                f"the cluster has no bfdProfile {name!r}"
                if from_site(peer)
                else f"there is no BFDProfile {name!r} in namespace {cfg.namespace!r}"
            )
            yield Finding(
                f"{peer_label(peer)} uses bfdProfile {name!r}, but {missing}"
                + (f"; did you mean {hint!r}?" if hint else ""),
                peer,
                ("spec", "bfdProfile"),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
