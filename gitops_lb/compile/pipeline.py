"""Site spec paths -> validated, lowered clusters: what validate, compile, plan and render
start from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gitops_lb.diagnostics import Diagnostic, Result
from gitops_lb.site.load import SiteLoad, load_sites
from gitops_lb.site.lower import lower_all
from gitops_lb.site.target import ClusterTarget
from gitops_lb.site.validate import validate_sites


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
    """Exactly the checks `validate` runs."""
    return validate_sites(load, targets, compat=compat, disabled=disabled)


def checked(load: SiteLoad, *, compat: bool = False, disabled: Iterable[str] = ()) -> Loaded:
    """Lower loaded site specs and run the checks `validate` runs on them."""
    targets = lower_all(load)
    result = Result(files=len(load.files), fatal=load.fatal)
    result.extend(check(load, targets, compat=compat, disabled=disabled))
    return Loaded(result, targets)


def load_checked(
    paths: Iterable[str], *, compat: bool = False, disabled: Iterable[str] = ()
) -> Loaded:
    return checked(load_sites(paths), compat=compat, disabled=disabled)


def select(targets: Sequence[ClusterTarget], wanted: str | None) -> list[ClusterTarget]:
    """The clusters named SITE/CLUSTER (all when None); empty when none matches."""
    return [t for t in targets if wanted is None or t.id == wanted]
