"""A pool range starts with an IPv4 address and ends with an IPv6 one.

MetalLB accepts a `start-end` range whose two ends are of different families (IPv4 first), but
it turns such a range into no address at all: the entry silently contributes nothing to the
pool. It can also break the BGP local-preference check. Write one range per family, e.g.
`192.168.10.10-192.168.10.20` and `fc00::10-fc00::20`. (A range written the other way round,
IPv6 first, is rejected by MetalLB and reported by `pool-invalid-address`.)
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "pool-range-mixed-family"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for pool in cfg.pools:
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            if entry.mixed_family:
                yield Finding(
                    f"range {entry.text!r} in {title(pool, 'pool')} mixes IPv4 and IPv6: MetalLB "
                    "accepts it but it contributes no address",
                    pool,
                    ("spec", "addresses", i),
                )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
