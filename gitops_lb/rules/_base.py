"""The rule contract: a stable id, a severity, whether MetalLB itself enforces it, a check."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.versions import ALL, Version, VersionRange

if TYPE_CHECKING:
    from gitops_lb.site.summary import SiteSummary
    from gitops_lb.site.target import ClusterTarget

Check = Callable[[ClusterConfig], Iterable[Finding]]
# site rules that need the site spec a cluster was lowered from (its networks, inventory...)
TargetCheck = Callable[["ClusterTarget"], Iterable[Finding]]
# whole-repository rules: one call over all the clusters of a site, for each site ...
SitesCheck = Callable[[Sequence["ClusterTarget"]], Iterable[Finding]]
# ... and one call comparing the summaries of all sites
AcrossCheck = Callable[[Sequence["SiteSummary"]], Iterable[Finding]]

# Applicability.modes of the rules that apply to native mode only, or to both FRR-based modes
NATIVE = frozenset({"native"})
FRR = frozenset({"frr", "frr-k8s"})


class Input(enum.Enum):
    """What a cluster's configuration was read from."""

    MANIFESTS = "manifests"  # Kubernetes manifests (lint, import, reconcile of manifests)
    SITES = "sites"  # site specs, lowered (validate, compile, plan, render...)


@dataclass(frozen=True, slots=True)
class Applicability:
    """Where a rule runs.

    inputs: the inputs whose clusters it checks.
    modes: the BGP modes it applies to (None: all); rules for some modes only are skipped when
    the mode is unknown.
    sites_replaced_by: a site rule that reports the same problem in site terms; on site specs
    this rule runs only while that one is disabled.
    versions: the MetalLB releases the rule applies to (the target release of the cluster,
    ClusterConfig.metallb_version, must be in it).
    changes: the releases where what the rule checks changes (its docstring says how); each
    one is tested on both sides.
    """

    inputs: frozenset[Input] = frozenset(Input)
    modes: frozenset[str] | None = None
    sites_replaced_by: str | None = None
    versions: VersionRange = ALL
    changes: tuple[Version, ...] = ()

    def covers(
        self,
        source: Input,
        bgp_mode: str | None,
        disabled: Collection[str],
        version: Version | None = None,
    ) -> bool:
        """Whether the rule runs on a cluster read from `source` in `bgp_mode`, for the
        MetalLB release `version` (None: whatever the release)."""
        if source not in self.inputs:
            return False
        if self.modes is not None and bgp_mode not in self.modes:
            return False
        if version is not None and version not in self.versions:
            return False
        if source is Input.SITES and self.sites_replaced_by is not None:
            return self.sites_replaced_by in disabled
        return True


EVERYWHERE = Applicability()
SITES_ONLY = Applicability(inputs=frozenset({Input.SITES}))
MANIFESTS_ONLY = Applicability(inputs=frozenset({Input.MANIFESTS}))

CATEGORIES = {
    "input": "Reading the input",
    "metallb": "MetalLB parity (MetalLB rejects these)",
    "silent": "Silent mistakes (MetalLB accepts these, they never work as meant)",
    "service": "Services",
    "site": "Site spec",
}


def no_check(cfg: ClusterConfig) -> Iterable[Finding]:
    """Per-cluster check of a rule that works elsewhere (`check_target`, `check_sites`)."""
    return ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One check. `doc` (the rule module's docstring) is what `gitops-lb explain` prints.

    check: called once per cluster configuration the rule applies to (see `applies`).
    enforced: MetalLB (its CRD schema, webhook or configuration parser) rejects what this rule
    reports; under --metallb-compat every rule that is not enforced reports warnings only.
    applies: the inputs and BGP modes the rule runs on (Applicability).
    check_target: set for site rules that need the site spec a cluster was lowered from (its
    networks, inventory...); called once per lowered cluster, after `check`.
    check_sites: set for rules that compare the clusters of a site with each other (overlaps
    between clusters, duplicate names); called once per site with all its clusters; `check` of
    such a rule finds nothing (see `no_check`).
    check_across: set for rules that compare sites with each other (duplicate site names,
    overlaps between clusters of two sites); called once with a summary of every site, since
    `validate` lets each site go once its own checks are done.
    """

    id: str
    severity: Severity
    category: str
    doc: str
    check: Check = no_check
    enforced: bool = False
    applies: Applicability = EVERYWHERE
    check_target: TargetCheck | None = None
    check_sites: SitesCheck | None = None
    check_across: AcrossCheck | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id


def intake(rule_id: str) -> Check:
    """Check for rules whose findings are made while reading the input (syntax, schema)."""

    def check(cfg: ClusterConfig) -> Iterable[Finding]:
        return cfg.intake.get(rule_id, ())

    READING.add(check)
    return check


# the checks of reading findings: they report what was not read, so they are never among the
# findings about what was not read as written (gitops_lb.rules.about_what_was_written)
READING: set[Check] = set()
