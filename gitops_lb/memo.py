"""Data derived from one object (a ClusterConfig, a Site), computed once and kept while it lives.

Commands run with the cycle collector off (gitops_lb.cli.no_cycle_collection), so memory is
freed by reference counting alone, the moment nothing refers to an object any more. A memo
keeps its entries by the identity of the object (Site models are not hashable) and refers to
the object only weakly: when the object goes, its entry goes with it. What is computed must not
refer to the object strongly either, or the entry would keep its own key alive for good: a
derived view that needs the object (metallb.semantics.Semantics) holds a weakref.ref to it.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """compute(key), computed once per key object while that object lives."""

    def __init__(self, compute: Callable[[K], V]) -> None:
        self._compute = compute
        self._entries: dict[int, tuple[weakref.ref[K], V]] = {}
        functools.update_wrapper(self, compute)
        _MEMOS.append(self)

    def __call__(self, key: K) -> V:
        entry = self._entries.get(id(key))
        if entry is not None and entry[0]() is key:
            return entry[1]
        value = self._compute(key)
        ref = weakref.ref(key, functools.partial(_forget, self._entries, id(key)))
        self._entries[id(key)] = (ref, value)
        return value

    def __len__(self) -> int:
        """How many objects have an entry (tests check that they are let go)."""
        return len(self._entries)


def _forget(entries: dict[int, tuple[weakref.ref[K], V]], key: int, ref: weakref.ref[K]) -> None:
    """Weakref callback: the object is gone, so is its entry."""
    entry = entries.get(key)
    if entry is not None and entry[0] is ref:
        del entries[key]


_MEMOS: list[Memo[Any, Any]] = []


def per_object(compute: Callable[[K], V]) -> Memo[K, V]:
    """Decorator: memoise a function of one object (a ClusterConfig, a Site) per object."""
    return Memo(compute)


def memos() -> tuple[Memo[Any, Any], ...]:
    """Every memo made so far."""
    return tuple(_MEMOS)
