"""A community alias name is defined twice.

MetalLB merges the aliases of all Community objects into one table and rejects the
configuration when a name appears twice, in the same object or in two of them, even with the
same value. Keep each alias in one place.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule
from gitops_lb.words import kind, short

ID = "community-duplicate-alias"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    first: dict[str, tuple[Item[Any], int]] = {}
    for item in cfg.communities:
        for i, alias in enumerate(item.model.spec.communities):
            earlier = first.setdefault(alias.name, (item, i))
            if earlier[0] is item and earlier[1] == i:
                continue
            other, j = earlier
            where = f"this {kind(item)}" if other is item else short(other)
            yield Finding(
                f"community alias {alias.name!r} is already defined in {where}",
                item,
                ("spec", "communities", i, "name"),
                related=(
                    Rel(
                        f"alias {alias.name!r} first defined here",
                        other,
                        ("spec", "communities", j, "name"),
                    ),
                ),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
