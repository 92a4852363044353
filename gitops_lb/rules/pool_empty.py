"""An IPAddressPool has an empty address list.

`spec.addresses: []` passes the CRD schema, but MetalLB rejects a pool without any address
("pool has no prefixes defined") and with it the whole configuration, so no other pool or
advertisement change takes effect either. Add at least one CIDR or range, or delete the pool.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "pool-empty"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for pool in cfg.pools:
        if not pool.model.spec.addresses:
            yield Finding(f"{title(pool, 'pool')} has no addresses", pool, ("spec", "addresses"))


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
