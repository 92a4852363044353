"""An advertisement selects pools by label, but no pool matches: it announces nothing.

An L2Advertisement or BGPAdvertisement with empty `ipAddressPools` and empty
`ipAddressPoolSelectors` applies to every pool. As soon as either field is set, it applies only
to the named pools that exist and the pools whose labels match a selector. When that is no pool
at all, MetalLB accepts the advertisement and it does nothing (the CRD description claims it
then applies to all pools; the code does not). Name an existing pool, fix the selector or the
pool labels, or delete the advertisement. Advertisements with an invalid pool selector are left
to `selector-invalid`, and pool names that match no pool to `adv-unknown-pool`: an advertisement
that only names pools, none of which exists, is reported there, once for each missing name.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import selectors_valid, semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "adv-selects-no-pool"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    advs: list[Item[Any]] = [*cfg.l2advs, *cfg.bgpadvs]
    for adv in advs:
        spec = adv.model.spec
        if not spec.ipAddressPoolSelectors:
            continue  # all pools, or only names: each missing name is adv-unknown-pool's
        if not selectors_valid(spec.ipAddressPoolSelectors) or sem.attached_pools(adv):
            continue
        if not sem.pool_labels_known:
            continue
        what = "has pool selectors that match no pool" + (
            " and names no existing pool" if spec.ipAddressPools else ""
        )
        yield Finding(
            f"{title(adv)} {what}, so it announces nothing",
            adv,
            ("spec", "ipAddressPoolSelectors"),
            key=True,
        )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
