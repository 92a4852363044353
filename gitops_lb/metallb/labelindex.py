"""Which of many labelled things a list of label selectors picks, without trying every one.

`LabelIndex` files each member under its labels (key=value pairs, and keys). A selector takes its
candidates from its most selective indexed term (a matchLabels pair, the values of an In
expression, an Exists key) and checks only those with `matches`; a selector made only of NotIn
and DoesNotExist expressions has no such term and is checked against every member (they are
rare). The answer is exactly `any_matches`: an empty list picks every member, each selector
ANDs its terms, the list ORs its selectors, and an unknown operator matches nothing. Members come
back in the order they were given. Answers are remembered per selector list (by
`selector_identity`), since the same selectors are usually written on many objects.

Validity is not checked here: callers that treat an invalid selector list as selecting nothing
(as MetalLB does) check `selectors_valid` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from gitops_lb.metallb.models import LabelSelector
from gitops_lb.metallb.selectors import matches, selector_identity

T = TypeVar("T")

Positions = tuple[int, ...]  # ascending positions of members


class LabelIndex(Generic[T]):
    def __init__(self, members: Iterable[tuple[T, Mapping[str, str]]]) -> None:
        self.members: list[T] = []
        self.labels: list[Mapping[str, str]] = []
        self._by_pair: dict[tuple[str, str], list[int]] = {}
        self._by_key: dict[str, list[int]] = {}
        for position, (member, labels) in enumerate(members):
            self.members.append(member)
            self.labels.append(labels)
            for key, value in labels.items():
                self._by_pair.setdefault((key, value), []).append(position)
                self._by_key.setdefault(key, []).append(position)
        self._all: Positions = tuple(range(len(self.members)))
        self._memo: dict[tuple[object, ...], Positions] = {}

    def __len__(self) -> int:
        return len(self.members)

    def positions(self, sels: Sequence[LabelSelector]) -> Positions:
        """Ascending positions of the members the selector list picks (empty list: all)."""
        key = tuple(selector_identity(s) for s in sels)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._compute(sels)
        return found

    def select(self, sels: Sequence[LabelSelector]) -> list[T]:
        """The members the selector list picks, in their order (empty list: all)."""
        members = self.members
        return [members[i] for i in self.positions(sels)]

    def _compute(self, sels: Sequence[LabelSelector]) -> Positions:
        if not sels:
            return self._all
        picked: list[Positions] = []
        for sel in sels:
            one = self._one(sel)
            if len(one) == len(self.members):
                return self._all
            if one:
                picked.append(one)
        if len(picked) == 1:
            return picked[0]
        return tuple(sorted({i for one in picked for i in one}))

    def _one(self, sel: LabelSelector) -> Positions:
        """Positions one selector picks: candidates from its narrowest term, each checked."""
        by_pair, by_key = self._by_pair, self._by_key
        # the narrowest indexed term so far: (how many members it allows, the In expression's
        # key and values or None, the members when not an In expression)
        narrowest: tuple[int, tuple[str, list[str]] | None, Sequence[int]] | None = None
        for pair in sel.matchLabels.items():
            found = by_pair.get(pair, [])
            if narrowest is None or len(found) < narrowest[0]:
                narrowest = (len(found), None, found)
        for expr in sel.matchExpressions:
            op = expr.operator
            if op == "In":
                values = list(dict.fromkeys(expr.values))
                size = sum(len(by_pair.get((expr.key, v), ())) for v in values)
                if narrowest is None or size < narrowest[0]:
                    narrowest = (size, (expr.key, values), ())
            elif op == "Exists":
                found = by_key.get(expr.key, [])
                if narrowest is None or len(found) < narrowest[0]:
                    narrowest = (len(found), None, found)
            elif op not in ("NotIn", "DoesNotExist"):
                return ()  # an unknown operator matches nothing
        candidates: Sequence[int]
        if narrowest is None:
            if not sel.matchExpressions and not sel.matchLabels:
                return self._all  # the empty selector matches everything
            candidates = self._all  # only NotIn / DoesNotExist: try every member
        elif narrowest[1] is not None:  # a member has one value per key: the lists are disjoint
            key, values = narrowest[1]
            candidates = sorted(i for v in values for i in by_pair.get((key, v), ()))
        else:
            candidates = narrowest[2]
        labels = self.labels
        return tuple(i for i in candidates if matches(sel, labels[i]))
