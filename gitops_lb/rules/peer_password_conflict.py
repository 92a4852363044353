"""A BGPPeer sets both `password` and `passwordSecret`.

The TCP MD5 password comes either from `spec.password` (in clear text) or from the Secret named
in `spec.passwordSecret`, never both: MetalLB rejects the whole configuration when both are set.
The admission webhook does not catch this, so the peer is accepted by `kubectl apply` and the
speakers then refuse the configuration. Fix: remove `password` and keep `passwordSecret`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.bgp import peer_label
from gitops_lb.rules._base import Rule

ID = "peer-password-conflict"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        spec = peer.model.spec
        if spec.password and spec.passwordSecret is not None and spec.passwordSecret.name:
            yield Finding(
                f"{peer_label(peer)} sets both password and passwordSecret "
                f"{spec.passwordSecret.name!r}; keep only passwordSecret",
                peer,
                ("spec", "passwordSecret"),
                related=(Rel("password set here", peer, ("spec", "password")),),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
