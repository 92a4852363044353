"""Apply suppression comments (gitops_lb.yamlload.find_directives) to the findings of a run.

A finding is suppressed when a comment of its file names its rule for its line (or for the
whole file); it stays in the result, marked `suppressed`, so that the machine formats can say
so, and counts towards no exit status. A comment, or a rule named in one, that suppresses
nothing is itself a finding (rule unused-suppression).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from gitops_lb.diagnostics import Diagnostic, Directive, Result
from gitops_lb.intake import did_you_mean
from gitops_lb.rules import all_rules
from gitops_lb.rules.unused_suppression import RULE as UNUSED


def _matches(directive: Directive, rule: str, d: Diagnostic) -> bool:
    if d.location.file != directive.location.file or d.rule != rule:
        return False
    return directive.line is None or directive.line == d.location.line


def _unknown(rule: str) -> str:
    meant = did_you_mean(rule, sorted(all_rules()))
    hint = f" (did you mean {meant}?)" if meant else " (see `gitops-lb explain --list`)"
    return f"suppression names {rule!r}, which is not a gitops-lb rule{hint}"


def _unused(directive: Directive, rule: str) -> str:
    if directive.line is None:
        return f"suppression of {rule} silences nothing: no {rule} finding in this file"
    return f"suppression of {rule} silences nothing: no {rule} finding on line {directive.line}"


def _finding(directive: Directive, message: str) -> Diagnostic:
    return Diagnostic(UNUSED.id, UNUSED.severity, message, directive.location)


def apply_suppressions(result: Result, disabled: Collection[str] = ()) -> None:
    """Mark the suppressed findings of `result` and add the unused-suppression findings."""
    directives = result.directives
    if not directives:
        return
    known = all_rules()
    used: set[tuple[int, str]] = set()
    out: list[Diagnostic] = []
    for d in result.diagnostics:
        hit = False
        for i, directive in enumerate(directives):
            for rule in directive.rules:
                if _matches(directive, rule, d):
                    used.add((i, rule))
                    hit = True
        out.append(dataclasses.replace(d, suppressed=True) if hit else d)
    if UNUSED.id not in disabled:
        out.extend(_report(directives, used, known, disabled))
    result.diagnostics = out


def _report(
    directives: list[Directive],
    used: set[tuple[int, str]],
    known: Collection[str],
    disabled: Collection[str],
) -> Iterable[Diagnostic]:
    quiet = {
        d.location.file for d in directives if d.line is None and UNUSED.id in d.rules
    }  # disable-file=unused-suppression
    for i, directive in enumerate(directives):
        if directive.location.file in quiet:
            continue
        if not directive.rules:
            yield _finding(directive, "suppression names no rule: write `disable=RULE[,RULE]`")
        for rule in directive.rules:
            if rule not in known:
                yield _finding(directive, _unknown(rule))
            elif (i, rule) not in used and rule not in disabled and rule != UNUSED.id:
                yield _finding(directive, _unused(directive, rule))
