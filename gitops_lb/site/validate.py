"""Check site specs: reading findings, every rule on each lowered cluster, whole-repo rules.

Shared by `gitops-lb validate` and the commands that validate before they act (compile).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gitops_lb.diagnostics import Diagnostic
from gitops_lb.rules import all_rules, run_rules, run_site_rules
from gitops_lb.site.load import SiteLoad
from gitops_lb.site.target import ClusterTarget

# Manifest rules that need objects a site spec never holds: the BGP password Secret is
# delivered outside Git (sealed or external secrets), so its absence is not a mistake here.
NOT_FOR_SITES = frozenset({"peer-password-secret"})


def replaced_rules(disabled: Iterable[str]) -> set[str]:
    """Manifest rules that enabled site rules report in site terms (Rule.replaces)."""
    skip = set(disabled)
    return {r for rule in all_rules().values() if rule.id not in skip for r in rule.replaces}


def validate_sites(
    load: SiteLoad,
    targets: Sequence[ClusterTarget],
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
) -> list[Diagnostic]:
    """All diagnostics, deduplicated and sorted by location."""
    skip = set(disabled)
    on_clusters = skip | replaced_rules(skip) | NOT_FOR_SITES
    found: list[Diagnostic] = run_rules(load.intake, compat=compat, disabled=skip)
    for target in targets:
        found.extend(run_rules(target.config, compat=compat, disabled=on_clusters))
    found.extend(run_site_rules(targets, compat=compat, disabled=skip))
    return sorted(set(found), key=Diagnostic.sort_key)
