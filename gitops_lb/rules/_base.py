"""The rule contract: a stable id, a severity, whether MetalLB itself enforces it, a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity

if TYPE_CHECKING:
    from gitops_lb.site.summary import SiteSummary
    from gitops_lb.site.target import ClusterTarget

Check = Callable[[ClusterConfig], Iterable[Finding]]
# whole-repository rules: one call over all the clusters of a site, for each site ...
SitesCheck = Callable[[Sequence["ClusterTarget"]], Iterable[Finding]]
# ... and one call comparing the summaries of all sites
AcrossCheck = Callable[[Sequence["SiteSummary"]], Iterable[Finding]]

# Rule.modes of the rules that apply to native mode only, or to both FRR-based modes
NATIVE = frozenset({"native"})
FRR = frozenset({"frr", "frr-k8s"})

CATEGORIES = {
    "input": "Reading the input",
    "metallb": "MetalLB parity (MetalLB rejects these)",
    "silent": "Silent mistakes (MetalLB accepts these, they never work as meant)",
    "service": "Services",
    "site": "Site spec",
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One check. `doc` (the rule module's docstring) is what `gitops-lb explain` prints.

    enforced: MetalLB (its CRD schema, webhook or configuration parser) rejects what this rule
    reports; under --metallb-compat every rule that is not enforced reports warnings only.
    modes: the BGP modes the rule applies to (None: all); mode rules are skipped when the mode
    is unknown.
    check_sites: set for rules that compare the clusters of a site with each other (overlaps
    between clusters, duplicate names); called once per site with all its clusters; `check` of
    such a rule finds nothing (see `no_check`).
    check_across: set for rules that compare sites with each other (duplicate site names,
    overlaps between clusters of two sites); called once with a summary of every site, since
    `validate` lets each site go once its own checks are done.
    replaces: manifest rules that report the same problem in other words; `validate` skips them
    on site specs while this rule is enabled.
    """

    id: str
    severity: Severity
    category: str
    doc: str
    check: Check
    enforced: bool = False
    modes: frozenset[str] | None = None
    check_sites: SitesCheck | None = None
    check_across: AcrossCheck | None = None
    replaces: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id


def intake(rule_id: str) -> Check:
    """Check for rules whose findings are made while reading the input (syntax, schema)."""

    def check(cfg: ClusterConfig) -> Iterable[Finding]:
        return cfg.intake.get(rule_id, ())

    return check


def no_check(cfg: ClusterConfig) -> Iterable[Finding]:
    """Per-cluster check of a whole-repository rule (it works in `check_sites`)."""
    return ()
