"""Kubernetes label selectors as MetalLB converts, compares and matches them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from gitops_lb.metallb.models import LabelSelector

_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z")
_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def qualified_name_error(key: str) -> str | None:
    """Why `key` is not a valid label key (optional DNS prefix + '/' + name), or None."""
    prefix, slash, name = key.rpartition("/")
    if slash:
        if not prefix:
            return f"label key {key!r}: prefix part must be non-empty"
        if len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix):
            return f"label key {key!r}: prefix part must be a DNS-1123 subdomain"
        if "/" in prefix:
            return f"label key {key!r}: at most one '/'"
    if not name:
        return f"label key {key!r}: name part must be non-empty"
    if len(name) > 63:
        return f"label key {key!r}: name part must be no more than 63 characters"
    if not _NAME.match(name):
        return (
            f"label key {key!r}: name part must consist of alphanumeric characters, '-', '_' "
            "or '.', and must start and end with an alphanumeric character"
        )
    return None


def label_value_error(value: str) -> str | None:
    if value == "":
        return None
    if len(value) > 63:
        return f"label value {value!r}: must be no more than 63 characters"
    if not _NAME.match(value):
        return (
            f"label value {value!r}: must consist of alphanumeric characters, '-', '_' or '.', "
            "and must start and end with an alphanumeric character"
        )
    return None


@dataclass(frozen=True, slots=True)
class SelectorProblem:
    path: tuple[str | int, ...]  # relative to the selector
    message: str


def selector_problems(sel: LabelSelector) -> Iterator[SelectorProblem]:
    """Everything metav1.LabelSelectorAsSelector would refuse, plus repeated expression values."""
    for key, value in sel.matchLabels.items():
        err = qualified_name_error(key)
        if err:
            yield SelectorProblem(("matchLabels", key), err)
        err = label_value_error(value)
        if err:
            yield SelectorProblem(("matchLabels", key), err)
    for i, expr in enumerate(sel.matchExpressions):
        here: tuple[str | int, ...] = ("matchExpressions", i)
        err = qualified_name_error(expr.key)
        if err:
            yield SelectorProblem((*here, "key"), err)
        if expr.operator in ("In", "NotIn"):
            if not expr.values:
                yield SelectorProblem(
                    (*here, "values"), f"operator {expr.operator} needs at least one value"
                )
        elif expr.operator in ("Exists", "DoesNotExist"):
            if expr.values:
                yield SelectorProblem(
                    (*here, "values"), f"operator {expr.operator} takes no values"
                )
        else:
            yield SelectorProblem(
                (*here, "operator"),
                f"{expr.operator!r} is not a valid label selector operator "
                f"(one of {', '.join(OPERATORS)}; case matters)",
            )
        for j, value in enumerate(expr.values):
            err = label_value_error(value)
            if err:
                yield SelectorProblem((*here, "values", j), err)


def expression_key(sel: LabelSelector, index: int) -> tuple[str, str, tuple[str, ...]]:
    expr = sel.matchExpressions[index]
    return (expr.key, expr.operator, tuple(sorted(expr.values)))


def selector_identity(sel: LabelSelector) -> tuple[object, ...]:
    """Equal for selectors MetalLB calls duplicates: same labels, same ordered expressions."""
    return (
        tuple(sorted(sel.matchLabels.items())),
        tuple(expression_key(sel, i) for i in range(len(sel.matchExpressions))),
    )


def duplicate_problems(sels: Sequence[LabelSelector]) -> Iterator[tuple[int, SelectorProblem]]:
    """MetalLB's validateLabelSelectorDuplicate over one list of selectors.

    Yields (selector index, problem) for a repeated value inside one expression, a repeated
    expression inside one selector and a selector equal to an earlier one of the list.
    """
    seen: dict[tuple[object, ...], int] = {}
    for i, sel in enumerate(sels):
        exprs: dict[tuple[str, str, tuple[str, ...]], int] = {}
        for j, expr in enumerate(sel.matchExpressions):
            values_seen: set[str] = set()
            for k, value in enumerate(expr.values):
                if value in values_seen:
                    yield (
                        i,
                        SelectorProblem(
                            ("matchExpressions", j, "values", k),
                            f"duplicate definition of match expression value {value!r}",
                        ),
                    )
                values_seen.add(value)
            ek = expression_key(sel, j)
            if ek in exprs:
                yield (
                    i,
                    SelectorProblem(
                        ("matchExpressions", j),
                        f"duplicate definition of match expression (same as #{exprs[ek]})",
                    ),
                )
            else:
                exprs[ek] = j
        ident = selector_identity(sel)
        if ident in seen:
            yield (
                i,
                SelectorProblem((), f"duplicate definition of selector (same as #{seen[ident]})"),
            )
        else:
            seen[ident] = i


def matches(sel: LabelSelector, labels: Mapping[str, str]) -> bool:
    """Kubernetes semantics: everything ANDed; an empty selector matches everything."""
    for key, value in sel.matchLabels.items():
        if labels.get(key) != value:
            return False
    for expr in sel.matchExpressions:
        op = expr.operator
        if op == "In":
            if key_missing(labels, expr.key) or labels[expr.key] not in expr.values:
                return False
        elif op == "NotIn":
            if not key_missing(labels, expr.key) and labels[expr.key] in expr.values:
                return False
        elif op == "Exists":
            if key_missing(labels, expr.key):
                return False
        elif op == "DoesNotExist":
            if not key_missing(labels, expr.key):
                return False
        else:
            return False
    return True


def key_missing(labels: Mapping[str, str], key: str) -> bool:
    return key not in labels


def any_matches(sels: Sequence[LabelSelector], labels: Mapping[str, str]) -> bool:
    """A list of selectors is an OR; an empty list selects everything."""
    return not sels or any(matches(s, labels) for s in sels)
