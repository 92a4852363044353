"""A pool address is written in IPv4-mapped IPv6 notation (`::ffff:a.b.c.d`).

MetalLB treats such an address as IPv4, but a CIDR written that way keeps its 128-bit prefix
length: `::ffff:192.168.1.0/120` is the IPv4 block 192.168.1.0/24 counted as a /120, which
then fails the IPv4 BGP aggregation-length check (32 is shorter than 120) and confuses anyone
reading the pool. Write the plain IPv4 form instead; the message gives it.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.ipnet import Entry
from gitops_lb.metallb.poolspace import ip_text
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.words import title

ID = "pool-ipv4-mapped"


def plain_form(entry: Entry) -> str | None:
    """The same addresses in IPv4 notation, when the entry really is IPv4."""
    if not entry.nets or any(n.family != 4 for n in entry.nets):
        return None
    if entry.is_range:
        first, last = entry.nets[0].first, entry.nets[-1].last
        return f"{ip_text((4, first))}-{ip_text((4, last))}"
    net = entry.nets[0]
    return f"{ip_text((4, net.first))}/{net.prefixlen - 96}"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for pool in cfg.pools:
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            if not entry.mapped:
                continue
            plain = plain_form(entry)
            hint = f"; write {plain!r}" if plain else ""
            yield Finding(
                f"{entry.text!r} in {title(pool, 'pool')} uses IPv4-mapped IPv6 notation{hint}",
                pool,
                ("spec", "addresses", i),
            )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
