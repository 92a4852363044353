"""The site spec asks for a BGP mode its MetalLB release does not have.

MetalLB's `frr-k8s` mode (BGP through a separate FRR-K8s daemon) came with v0.14.0; v0.13.x
knows only `native` and `frr`, so a site spec with `bgpMode: frr-k8s` and an older
`metallb.version` compiles to an installation that cannot work, and MetalLB's webhooks run
none of the mode's checks. Fix: use `frr` (or `native`), or target v0.14.0 or later. For
manifests the same combination is refused on the command line (`lint --bgp-mode frr-k8s
--metallb-version v0.13.12` is a usage error).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_lb.config import Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.versions import Version, VersionRange, first, has, previous, release
from gitops_lb.rules._base import Applicability, Input, Rule
from gitops_lb.site.facts import one_per_site, site_item

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "bgp-mode-unavailable"


def previous_release(feature: str) -> Version:
    before = previous(first(feature))
    assert before is not None
    return before


def needs(mode: str | None, version: Version) -> Version | None:
    """The first release with BGP mode `mode`, when `version` is older (else None)."""
    if mode == "frr-k8s" and not has(version, "frr_k8s_mode"):
        return first("frr_k8s_mode")
    return None


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        spec = target.site.spec
        version = release(spec.metallb.version)
        since = needs(spec.bgpMode, version)
        if since is not None:
            yield Finding(
                f"bgpMode {spec.bgpMode} needs MetalLB {since} or later; the target is {version} "
                "(use frr, or a later metallb.version)",
                site_item(target),
                ("spec", "bgpMode"),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check_sites=check_sites,
    enforced=True,
    applies=Applicability(
        inputs=frozenset({Input.SITES}),
        versions=VersionRange(until=previous_release("frr_k8s_mode")),
    ),
)
