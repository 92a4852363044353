"""The rule contract: a stable id, a severity, whether MetalLB itself enforces it, a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity

Check = Callable[[ClusterConfig], Iterable[Finding]]

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
    """

    id: str
    severity: Severity
    category: str
    doc: str
    check: Check
    enforced: bool = False
    modes: frozenset[str] | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id


def intake(rule_id: str) -> Check:
    """Check for rules whose findings are made while reading the input (syntax, schema)."""

    def check(cfg: ClusterConfig) -> Iterable[Finding]:
        return cfg.intake.get(rule_id, ())

    return check
