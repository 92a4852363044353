"""A label selector list repeats a selector, an expression or a value.

MetalLB rejects the configuration when a selector list holds the same selector twice, when a
selector holds the same match expression twice, or when one expression lists a value twice.
Selectors are compared by their labels and their expressions in order; the values of an
expression are compared as a set, so `values: [a, b]` and `values: [b, a]` are the same.
Delete the repetition. Applies to every selector list of pools, advertisements and BGPPeers
except L2 `preferredNodeSelectors`; MetalLB checks the selectors of a pool's
`serviceAllocation` from v0.13.10 (the field came with v0.13.8).
"""

from collections.abc import Iterator, Sequence

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import FieldPath, Severity, format_path
from gitops_lb.metallb.models import LabelSelector
from gitops_lb.metallb.selector_fields import selector_lists
from gitops_lb.metallb.selectors import duplicate_problems, expression_key, selector_identity
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import field_subject

ID = "selector-duplicate"


def first_copy(sels: Sequence[LabelSelector], index: int, rel: FieldPath) -> FieldPath:
    """Path (relative to the list) of the first occurrence of what `rel` repeats."""
    if not rel:
        ident = selector_identity(sels[index])
        return (next(i for i, s in enumerate(sels) if selector_identity(s) == ident),)
    sel = sels[index]
    j = rel[1]
    assert isinstance(j, int)
    if len(rel) == 2:
        key = expression_key(sel, j)
        first = next(i for i in range(j) if expression_key(sel, i) == key)
        return (index, "matchExpressions", first)
    values = sel.matchExpressions[j].values
    k = rel[3]
    assert isinstance(k, int)
    return (index, "matchExpressions", j, "values", values.index(values[k]))


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    allocation = has(cfg.metallb_version, "allocation_duplicates")
    for item, path, sels in selector_lists(cfg):
        if not allocation and path[:2] == ("spec", "serviceAllocation"):
            continue
        for index, problem in duplicate_problems(sels):
            where = (*path, index, *problem.path)
            first = (*path, *first_copy(sels, index, problem.path))
            yield Finding(
                f"{field_subject(item, where, format_path(where[1:]))}: {problem.message}",
                item,
                where,
                related=(Rel("first written here", item, first),),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(changes=(v("0.13.10"),)),
)
