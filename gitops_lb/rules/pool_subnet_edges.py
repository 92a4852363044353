"""An L2-announced pool hands out the network or broadcast address of a whole subnet.

An IPv4 CIDR of /24 or wider in a pool announced in layer 2 usually is the whole L2 segment
(the guide's `192.168.10.0/24`): its first address is the network address, its last the
broadcast address, and the gateway is normally inside it too. MetalLB allocates every address
of a CIDR, so a Service can end up on the broadcast address (unreachable, and MetalLB answers
ARP for it) or on the router's address (an outage for the whole segment). Use a range that
leaves out the edges and the gateway (`192.168.10.32-192.168.10.254`), or at least set
`avoidBuggyIPs: true`. Smaller blocks (a /27 carved out of a /24 segment) are not reported:
their first and last addresses are ordinary hosts of the segment. A site spec states the
network and its gateway, and `validate` checks the exact addresses instead. `avoidBuggyIPs`
came with MetalLB v0.13.4: for older releases only the range is suggested.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import has, v
from gitops_lb.rules._base import Applicability, Input, Rule

ID = "pool-subnet-edges"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for pool in cfg.pools:
        if not sem.pool_l2advs[id(pool)] or pool.model.spec.avoidBuggyIPs:
            continue
        if not pool.sure(("spec", "avoidBuggyIPs")):
            continue
        hint = "a range inside it"
        if has(cfg.metallb_version, "avoid_buggy_ips"):
            hint += " or avoidBuggyIPs: true"
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            if entry.is_range or len(entry.nets) != 1:
                continue
            net = entry.nets[0]
            if net.family == 4 and net.prefixlen <= 24 and not entry.mapped:
                yield Finding(
                    f"pool {pool.name!r}: {entry.text} is announced in L2 and looks like a whole "
                    "subnet: MetalLB can hand out its network and broadcast addresses (and "
                    f"probably the gateway); use {hint}",
                    pool,
                    ("spec", "addresses", i),
                )


# not on site specs: site-pool-reserved checks the declared networks exactly
RULE = Rule(
    ID,
    Severity.WARNING,
    "silent",
    __doc__ or "",
    check,
    applies=Applicability(inputs=frozenset({Input.MANIFESTS}), changes=(v("0.13.4"),)),
)
