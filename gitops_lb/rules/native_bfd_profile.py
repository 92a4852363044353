"""A BFDProfile exists while MetalLB runs in native BGP mode.

BFD is implemented only by the FRR-based modes. In native mode MetalLB rejects the whole
configuration as soon as any BFDProfile object exists, even one no peer uses. Fix: delete the
BFDProfile (and the peers' `bfdProfile`), or run MetalLB in FRR-K8s (or FRR) mode and lint
with that `--bgp-mode`.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import NATIVE, Applicability, Rule
from gitops_lb.words import title

ID = "native-bfd-profile"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for profile in cfg.bfdprofiles:
        yield Finding(
            f"{title(profile)}: BFD profiles are not supported in native BGP mode",
            profile,
            ("kind",),
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(modes=NATIVE),
)
