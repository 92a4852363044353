"""Two IPAddressPools, or two BFDProfiles, have the same name.

MetalLB's configuration parser refuses the whole configuration when two pools ("duplicate
definition of pool") or two BFD profiles share a name. In a cluster the API server keeps one
object per name, so this comes from manifests that define the same object twice: the later
copy silently replaces the earlier one when applied. Rename one, or delete the copy.
Other kinds are reported by `object-duplicate`.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "metallb-duplicate-name"
KINDS = ("IPAddressPool", "BFDProfile")


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for items in (cfg.pools, cfg.bfdprofiles):
        first: dict[str, Item[Any]] = {}
        for item in items:
            earlier = first.setdefault(item.name, item)
            if earlier is item or not item.name:
                continue
            yield Finding(
                f"duplicate definition of {title(item)}",
                item,
                ("metadata", "name"),
                related=(Rel("first defined here", earlier, ("metadata", "name")),),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
