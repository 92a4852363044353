"""A BGP peer password is written in clear in the site spec.

Everything in the site spec lands in Git and in the compiled manifests. Put the BGP session
password in a Secret of type `kubernetes.io/basic-auth` in MetalLB's namespace (created outside
Git or by a secret manager) and reference it with `passwordSecret: {name: ...}` instead of
`password`. The message never repeats the password.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.words import title

ID = "site-password-in-clear"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for peer in cfg.peers:
        if peer.model.spec.password:
            yield Finding(
                f"{title(peer)} has its password in clear in the site spec; "
                "use passwordSecret with a kubernetes.io/basic-auth Secret",
                peer,
                ("spec", "password"),
            )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check, applies=SITES_ONLY)
