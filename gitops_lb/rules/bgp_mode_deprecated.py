"""The site spec uses FRR mode, which its MetalLB release deprecates.

MetalLB v0.16.0 deprecated `frr` mode (FRR running inside the speaker pods) in favour of
`frr-k8s` (a separate FRR-K8s daemon): the speaker and the controller warn at start-up, and
the Helm chart's default became frr-k8s. FRR mode still works, but a later release may drop
it. Plan the move to `bgpMode: frr-k8s`. For manifests, `lint --bgp-mode frr` says the same on
standard error for these releases.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.versions import FEATURES, Version, first, has, release
from gitops_lb.rules._base import Applicability, Input, Rule
from gitops_lb.site.facts import one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "bgp-mode-deprecated"


def deprecation(mode: str | None, version: Version, replacement: str) -> str | None:
    """The deprecation of BGP mode `mode` in MetalLB `version`, if any (`replacement`: how
    the reader selects frr-k8s)."""
    if mode == "frr" and has(version, "frr_mode_deprecated"):
        return (
            f"FRR mode is deprecated since MetalLB {first('frr_mode_deprecated')} (the target is "
            f"{version}); plan the move to {replacement}"
        )
    return None


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        spec = target.site.spec
        problem = deprecation(spec.bgpMode, release(spec.metallb.version), "bgpMode frr-k8s")
        if problem is not None:
            yield Finding(problem, site_item(target), ("spec", "bgpMode"))


RULE = Rule(
    ID,
    Severity.WARNING,
    "metallb",
    __doc__ or "",
    check_sites=check_sites,
    applies=Applicability(
        inputs=frozenset({Input.SITES}), versions=FEATURES["frr_mode_deprecated"]
    ),
)
