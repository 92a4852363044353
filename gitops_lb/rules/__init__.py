"""Rule registry: every module in this package that defines RULE is a rule.

A rule is a small module whose docstring is its user documentation (`gitops-lb explain`,
docs/rules.md) and whose RULE names its id, severity and check.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Diagnostic, Related, Severity
from gitops_lb.errors import GitopsLbError
from gitops_lb.printable import printable
from gitops_lb.rules._base import READING, Input, Rule

if TYPE_CHECKING:
    from gitops_lb.site.summary import SiteSummary
    from gitops_lb.site.target import ClusterTarget

T = TypeVar("T")


@cache
def all_rules() -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            if rule.id in found:  # pragma: no cover - guarded by tests
                raise RuntimeError(f"rule id {rule.id} defined twice")
            found[rule.id] = rule
    return dict(sorted(found.items()))


def to_diagnostic(rule: Rule, severity: Severity, finding: Finding) -> Diagnostic:
    related = tuple(
        Related(
            r.location or (r.item.locate(r.path) if r.item else finding.where()),
            printable(r.message),
        )
        for r in finding.related
    )
    return Diagnostic(
        rule=rule.id,
        severity=severity,
        message=printable(finding.message),
        location=finding.where(),
        object=printable(finding.item.reported_ref) if finding.item is not None else None,
        path=printable(path) if (path := finding.path_text()) is not None else None,
        related=related,
    )


def about_what_was_written(finding: Finding) -> bool:
    """A finding on a field that was not read as written (salvaged from an object with schema
    errors, which are reported) would report a consequence of those errors: it is left out."""
    if finding.item is not None and not finding.item.as_written(finding.path):
        return False
    return all(r.item is None or r.item.as_written(r.path) for r in finding.related)


def run_rules(
    cfg: ClusterConfig,
    *,
    compat: bool = False,
    disabled: Iterable[str] = (),
    categories: Iterable[str] | None = None,
    source: Input = Input.MANIFESTS,
) -> list[Diagnostic]:
    """Run every rule that applies on one cluster's configuration, read from `source`."""
    skip = set(disabled)
    wanted = set(categories) if categories is not None else None
    out: list[Diagnostic] = []
    for rule in all_rules().values():
        if rule.id in skip or (wanted is not None and rule.category not in wanted):
            continue
        if rule.applies.covers(source, cfg.bgp_mode, skip, cfg.metallb_version):
            out.extend(_run(rule, compat, rule.check, cfg))
    return out


def run_target_rules(
    target: ClusterTarget, *, compat: bool = False, disabled: Iterable[str] = ()
) -> list[Diagnostic]:
    """Every rule that applies to site specs on one lowered cluster: Rule.check on its
    configuration and Rule.check_target on the cluster."""
    skip = set(disabled)
    cfg = target.config
    out: list[Diagnostic] = []
    for rule in all_rules().values():
        applies = rule.applies.covers(Input.SITES, cfg.bgp_mode, skip, cfg.metallb_version)
        if rule.id in skip or not applies:
            continue
        out.extend(_run(rule, compat, rule.check, cfg))
        if rule.check_target is not None:
            out.extend(_run(rule, compat, rule.check_target, target))
    return out


def run_one_site_rules(
    targets: Sequence[ClusterTarget], *, compat: bool = False, disabled: Iterable[str] = ()
) -> list[Diagnostic]:
    """Rule.check_sites on the clusters of one site (which share its MetalLB release)."""
    skip = set(disabled)
    out: list[Diagnostic] = []
    version = targets[0].config.metallb_version if targets else None
    for rule in all_rules().values():
        check = rule.check_sites
        if check is None or rule.id in skip:
            continue
        if version is not None and version not in rule.applies.versions:
            continue
        out.extend(_run(rule, compat, check, targets))
    return out


def run_across_rules(
    summaries: Sequence[SiteSummary], *, compat: bool = False, disabled: Iterable[str] = ()
) -> list[Diagnostic]:
    """Rule.check_across on the summaries of all sites."""
    skip = set(disabled)
    out: list[Diagnostic] = []
    for rule in all_rules().values():
        check = rule.check_across
        if check is None or rule.id in skip:
            continue
        out.extend(_run(rule, compat, check, summaries))
    return out


def _run(
    rule: Rule, compat: bool, check: Callable[[T], Iterable[Finding]], arg: T
) -> list[Diagnostic]:
    severity = rule.severity
    if compat and not rule.enforced:
        severity = Severity.WARNING
    try:
        found = check(arg)
        if check not in READING:
            found = (f for f in found if about_what_was_written(f))
        return [to_diagnostic(rule, severity, f) for f in found]
    except Exception as exc:  # a bug, not bad input: say which rule, exit 3
        raise GitopsLbError(
            f"internal error in rule {rule.id}: {type(exc).__name__}: {exc} "
            "(please report this with the input that caused it)"
        ) from exc
