"""An IPAddressPool or BFDProfile has no name.

MetalLB's parser rejects a pool without a name ("missing pool name") and a BFD profile
without a name ("missing bfd profile name"), and with them the whole configuration. Pools
and profiles are referenced by name (`ipAddressPools`, the `metallb.io/address-pool`
annotation, a peer's `bfdProfile`), so give each a stable, unique `metadata.name`. A
`generateName` alone is not reported: the API server turns it into a name.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule

ID = "object-missing-name"


def named_kinds(cfg: ClusterConfig) -> Iterator[Item[Any]]:
    """The kinds whose names MetalLB's own parser requires."""
    yield from cfg.pools
    yield from cfg.bfdprofiles


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item in named_kinds(cfg):
        meta = item.model.metadata
        if not meta.name and not meta.generateName:
            yield Finding(f"{item.kind} has no metadata.name", item, ("metadata", "name"))


RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", check, enforced=True)
