"""An L2Advertisement or BGPAdvertisement names an IPAddressPool that does not exist.

MetalLB silently ignores pool names in `spec.ipAddressPools` that match no pool in its
namespace: the advertisement simply does not announce that pool, and nothing tells you. This is
usually a typo or a pool that was renamed or removed. Fix the name (pool names are exact and
case-sensitive) or remove the entry.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.rules._refs import unknown_names
from gitops_lb.words import title

ID = "adv-unknown-pool"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    advs: list[Item[Any]] = [*cfg.l2advs, *cfg.bgpadvs]
    for adv, path, name, hint in unknown_names(
        cfg, advs, "ipAddressPools", "IPAddressPool", sem.pools_by_name
    ):
        yield Finding(f"{title(adv)} names pool {name!r}, which does not exist{hint}", adv, path)


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
