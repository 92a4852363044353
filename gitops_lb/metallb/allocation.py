"""Which pools' serviceAllocation names or selects a given Service, found without trying them all.

Whether automatic assignment may use a pool for a Service (services.ServiceSemantics.candidate)
depends on the Service only through its family, whether it has a namespace and whether that
namespace is a Namespace of the input, and, pool by pool, three facts: the namespace is listed
in the pool's `namespaces`, its Namespace is matched by the pool's (valid) `namespaceSelectors`,
its labels are matched by the pool's (valid) `serviceSelectors`. `AllocationIndex.hits` lists
the pools where one of these facts holds, from lookups by namespace and a label index of the
Services: every other pool answers the same for all Services alike in the first three points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_lb.metallb import models as m
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.selectors import any_matches
from gitops_lb.metallb.semantics import selectors_valid

if TYPE_CHECKING:
    from gitops_lb.config import Item

LabelSet = tuple[tuple[str, str], ...]


def label_set(labels: Mapping[str, str]) -> LabelSet:
    return tuple(sorted(labels.items()))


@dataclass(frozen=True, slots=True)
class Hit:
    """A pool whose serviceAllocation takes a Service's namespace or labels."""

    position: int  # in cfg.pools
    namespace: bool  # the namespace is listed in `namespaces` or its Namespace selected
    labels: bool  # the labels are matched by `serviceSelectors`


class AllocationIndex:
    def __init__(
        self,
        pools: Sequence[Item[m.IPAddressPool]],
        namespaces: LabelIndex[str],
        service_labels: Iterable[Mapping[str, str]],
    ) -> None:
        sets: dict[LabelSet, Mapping[str, str]] = {}
        for labels in service_labels:
            sets.setdefault(label_set(labels), labels)
        self._set_position = {key: i for i, key in enumerate(sets)}
        services = LabelIndex(enumerate(sets.values()))
        self._listed: dict[str, list[int]] = {}  # namespace -> pools listing it
        self._selected: dict[str, list[int]] = {}  # namespace -> pools selecting its Namespace
        self._by_labels: dict[int, list[int]] = {}  # label set -> pools selecting it
        self._selecting: list[tuple[int, Sequence[m.LabelSelector]]] = []
        for i, pool in enumerate(pools):
            sa = pool.model.spec.serviceAllocation
            if sa is None:
                continue
            for ns in dict.fromkeys(sa.namespaces):
                self._listed.setdefault(ns, []).append(i)
            if sa.namespaceSelectors and selectors_valid(sa.namespaceSelectors):
                for j in namespaces.positions(sa.namespaceSelectors):
                    self._selected.setdefault(namespaces.members[j], []).append(i)
            if sa.serviceSelectors and selectors_valid(sa.serviceSelectors):
                self._selecting.append((i, sa.serviceSelectors))
                for j in services.positions(sa.serviceSelectors):
                    self._by_labels.setdefault(j, []).append(i)

    def hits(self, namespace: str | None, labels: Mapping[str, str]) -> tuple[Hit, ...]:
        """The pools that list or select this namespace or select these labels, in order."""
        by_namespace: set[int] = set()
        if namespace is not None:
            by_namespace.update(self._listed.get(namespace, ()))
            by_namespace.update(self._selected.get(namespace, ()))
        position = self._set_position.get(label_set(labels))
        by_labels: set[int]
        if position is not None:
            by_labels = set(self._by_labels.get(position, ()))
        else:  # labels of no indexed Service: try the selecting pools one by one
            by_labels = {i for i, sels in self._selecting if any_matches(sels, labels)}
        return tuple(
            Hit(i, i in by_namespace, i in by_labels) for i in sorted(by_namespace | by_labels)
        )
