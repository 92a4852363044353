"""Automatic fixes (`gitops-lb fix`, `lint --fix`, the `fix` of JSON and SARIF findings).

This module is the one place that says which rules have a fix and how safe it is; it imports
nothing heavy, so that `explain` and docs/rules.md can say it. The fixes themselves are in
gitops_lb.fix.fixers (they locate nodes with ruamel.yaml and splice the text of the file, see
gitops_lb.fix.yamltext), and gitops_lb.fix.engine pairs them with the findings of a run.

A fix is *safe* when MetalLB makes of the file exactly what it made of it before (or the one
correction that fits a key MetalLB ignores); an *unsafe* fix changes what MetalLB does and is
applied only with --unsafe-fixes. docs/fixes.md documents every fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitops_lb.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class RuleFix:
    """How a rule's findings are fixed: `safety` is "safe", "unsafe" or "safe or unsafe"
    (which one depends on the finding, `when` says how)."""

    safety: str
    what: str
    when: str = ""


RULE_FIXES: dict[str, RuleFix] = {
    "peer-deprecated-version": RuleFix(
        "safe or unsafe",
        "writes `apiVersion: metallb.io/v1beta2`",
        "safe when the BGPPeer sets both holdTime and keepaliveTime; unsafe otherwise, since "
        "v1beta1 turns an absent timer into 0s and v1beta2 into MetalLB's default",
    ),
    "service-deprecated-annotation": RuleFix(
        "safe",
        "renames the `metallb.universe.tf/` key to `metallb.io/`, or deletes it when the "
        "`metallb.io/` key is there with the same value",
        "not offered when the two keys have different values (see "
        "service-annotation-prefix-conflict)",
    ),
    "service-annotation-prefix-conflict": RuleFix(
        "unsafe",
        "deletes the ignored `metallb.universe.tf/` annotation",
        "unsafe: the value it held may be the one meant",
    ),
    "service-unknown-annotation": RuleFix(
        "safe or unsafe",
        "renames the key to the one MetalLB reads",
        "safe when exactly one MetalLB key fits a misspelt one; unsafe when the key is right "
        "but under a prefix the target release does not read; not offered when no single "
        "correction fits or the corrected key is already written",
    ),
    "service-lbip-field": RuleFix(
        "safe",
        "moves the address from `spec.loadBalancerIP` to the `loadBalancerIPs` annotation",
        "not offered when the annotation is already written with another value",
    ),
    "service-lbip-and-annotation": RuleFix(
        "safe or unsafe",
        "deletes `spec.loadBalancerIP`, keeping the annotation",
        "safe when both ask for the same addresses; unsafe when they differ",
    ),
    "duplicate-list-entry": RuleFix(
        "safe",
        "deletes the repeated entry",
    ),
}


def fix_facts(rule_id: str) -> str:
    """The "fix:" line of a rule's documentation."""
    fix = RULE_FIXES.get(rule_id)
    if fix is None:
        return "none"
    return f"{fix.safety}, {fix.what}" + (f" ({fix.when})" if fix.when else "")


def fixable(d: Diagnostic) -> bool:
    """Whether some fixer may correct the finding (read from a file, by a rule with a fix)."""
    return d.rule in RULE_FIXES and d.location.file != "<stdin>"
