"""References by name to other objects: what the unknown-name rules share."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.diagnostics import FieldPath


def close_hint(name: str, known: Iterable[str]) -> str:
    """ "; did you mean 'x'?" naming the closest known name, or "" when none is close."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def unknown_names(
    cfg: ClusterConfig, items: Iterable[Item[Any]], field: str, kind: str, known: Collection[str]
) -> Iterator[tuple[Item[Any], FieldPath, str, str]]:
    """(item, path, name, hint) for every entry of an item's spec.<field> list that names
    no object of `kind` in `known`, nor one that may be among those that could not be read
    (their schema errors are reported: the name would be a consequence)."""
    for item in items:
        for i, name in enumerate(getattr(item.model.spec, field)):
            if name not in known and not cfg.may_exist(kind, name):
                yield item, ("spec", field, i), name, close_hint(name, known)
