"""Rule documentation from the rule docstrings: `explain` and docs/rules.md."""

from __future__ import annotations

import textwrap

from gitops_lb.fix import fix_facts
from gitops_lb.rules import all_rules
from gitops_lb.rules._base import CATEGORIES, Rule


def _facts(rule: Rule) -> str:
    modes = ", ".join(sorted(rule.applies.modes)) if rule.applies.modes else "all"
    enforced = "yes" if rule.enforced else "no (a warning under --metallb-compat)"
    out = f"- severity: {rule.severity}\n- enforced by MetalLB: {enforced}\n- BGP modes: {modes}\n"
    out += f"- applies to MetalLB: {rule.applies.versions.describe()}\n"
    out += f"- fix: {fix_facts(rule.id)}\n"
    if rule.applies.changes:
        shown = ", ".join(str(v) for v in rule.applies.changes)
        out += f"- changes with the release: at MetalLB {shown} (see above)\n"
    if rule.check_sites is not None:
        out += "- scope: all site specs given, compared with each other\n"
    replaced = sorted(r.id for r in all_rules().values() if r.applies.sites_replaced_by == rule.id)
    if replaced:
        out += f"- on site specs, reported instead of: {', '.join(replaced)}\n"
    return out


def explain(rule_id: str) -> str | None:
    rule = all_rules().get(rule_id)
    if rule is None:
        return None
    return f"{rule.id}\n\n{textwrap.dedent(rule.doc).strip()}\n\n{_facts(rule)}"


def rule_table() -> str:
    rules = all_rules().values()
    width = max(len(r.id) for r in rules)
    return "".join(f"{r.id:<{width}}  {r.severity!s:<7}  {r.summary}\n" for r in rules)


def rules_markdown() -> str:
    """docs/rules.md; a test keeps the committed file equal to this."""
    out = [
        "# Rules\n",
        "\n",
        "Generated from the rule docstrings by `python -m gitops_lb.docs > docs/rules.md`;\n",
        "`gitops-lb explain RULE` prints the same text. Do not edit by hand.\n",
    ]
    by_cat: dict[str, list[Rule]] = {}
    for rule in all_rules().values():
        by_cat.setdefault(rule.category, []).append(rule)
    for cat, title in CATEGORIES.items():
        rules = by_cat.get(cat)
        if not rules:
            continue
        out.append(f"\n## {title}\n\n| rule | severity | summary |\n|---|---|---|\n")
        out.extend(f"| [`{r.id}`](#{r.id}) | {r.severity} | {r.summary} |\n" for r in rules)
        for r in rules:
            out.append(f"\n### {r.id}\n\n{textwrap.dedent(r.doc).strip()}\n\n{_facts(r)}")
    return "".join(out)


if __name__ == "__main__":
    print(rules_markdown(), end="")
