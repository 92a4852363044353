"""A MetalLB name list repeats an entry.

MetalLB rejects the configuration when one of these lists holds the same string twice:
IPAddressPool `serviceAllocation.namespaces`, L2Advertisement `ipAddressPools`, and
BGPAdvertisement `ipAddressPools`, `communities` and `peers`. The comparison is on the exact
text, so `65000:1` and `65000:01` are not duplicates here. Delete the repeated entry.
(`interfaces` of an L2Advertisement may repeat names; MetalLB does not check them.) MetalLB
checks `serviceAllocation.namespaces` from v0.13.10 (the field came with v0.13.8).
"""

from collections.abc import Iterator, Sequence
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import FieldPath, Severity
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import field, title

ID = "duplicate-list-entry"

StringList = tuple[Item[Any], FieldPath, Sequence[str]]


def string_lists(cfg: ClusterConfig) -> Iterator[StringList]:
    checked = has(cfg.metallb_version, "allocation_duplicates")
    for pool in cfg.pools:
        alloc = pool.model.spec.serviceAllocation
        if alloc is not None and checked:
            yield pool, ("spec", "serviceAllocation", "namespaces"), alloc.namespaces
    for l2 in cfg.l2advs:
        yield l2, ("spec", "ipAddressPools"), l2.model.spec.ipAddressPools
    for bgp in cfg.bgpadvs:
        spec = bgp.model.spec
        yield bgp, ("spec", "ipAddressPools"), spec.ipAddressPools
        yield bgp, ("spec", "communities"), spec.communities
        yield bgp, ("spec", "peers"), spec.peers


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item, path, values in string_lists(cfg):
        first: dict[str, int] = {}
        for i, value in enumerate(values):
            j = first.setdefault(value, i)
            if j != i:
                yield Finding(
                    f"{title(item)} lists {value!r} twice in {field(item, path, str(path[-1]))}",
                    item,
                    (*path, i),
                    related=(Rel("first listed here", item, (*path, j)),),
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
