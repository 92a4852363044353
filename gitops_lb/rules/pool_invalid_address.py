"""An IPAddressPool address is neither a CIDR nor a valid `start-end` range.

MetalLB accepts two forms in `spec.addresses`: a CIDR (`192.168.10.0/24`, `fc00::/124`) and a
range of two addresses joined by `-` (`192.168.9.1-192.168.9.5`, spaces around the dash
allowed). It rejects the whole configuration when an entry is a bare address without a prefix
length (write `/32` or `/128`), has a prefix length out of range (`/33`), uses a netmask
(`/255.255.255.0`), has surrounding spaces, an IPv6 zone (`%eth0`) or an IPv4 octet with a
leading zero, or is a range whose start is after its end. Host bits in a CIDR are accepted and
masked (`192.168.1.10/24` means all of `192.168.1.0/24`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "pool-invalid-address"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for pool in cfg.pools:
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            if entry.error:
                yield Finding(
                    f"{entry.error} in {title(pool, 'pool')}", pool, ("spec", "addresses", i)
                )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
