"""Site spec paths -> validated, lowered clusters: what compile and plan start from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gitops_lb.diagnostics import Diagnostic, Result
from gitops_lb.rules import run_rules
from gitops_lb.site.load import SiteLoad, load_sites
from gitops_lb.site.lower import lower_all
from gitops_lb.site.target import ClusterTarget


@dataclass(eq=False)
class Loaded:
    result: Result  # every finding of the checks `validate` runs
    targets: list[ClusterTarget]


def check(
    load: SiteLoad,
    targets: Sequence[ClusterTarget],
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
) -> list[Diagnostic]:
    """Reading findings plus every rule on each lowered cluster, deduplicated and sorted."""
    skip = set(disabled)
    found = run_rules(load.intake, compat=compat, disabled=skip)
    for target in targets:
        found.extend(run_rules(target.config, compat=compat, disabled=skip))
    return sorted(set(found), key=Diagnostic.sort_key)


def load_checked(
    paths: Iterable[str], *, compat: bool = False, disabled: Iterable[str] = ()
) -> Loaded:
    load = load_sites(paths)
    targets = lower_all(load)
    result = Result(files=len(load.files))
    result.fatal = load.fatal
    result.extend(check(load, targets, compat=compat, disabled=disabled))
    return Loaded(result, targets)


def select(targets: Sequence[ClusterTarget], wanted: str | None) -> list[ClusterTarget]:
    """The clusters named SITE/CLUSTER (all when None); empty when none matches."""
    return [t for t in targets if wanted is None or t.id == wanted]
