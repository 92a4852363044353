"""A BGP peer with BFD echo mode would carry IPv6 addresses.

MetalLB does not allow BFD echo mode together with IPv6: it rejects a configuration in which
a pool with an IPv6 address is announced by a BGPAdvertisement towards a peer whose
`bfdProfile` has `echoMode: true`. An advertisement without `peers` announces to every
BGPPeer. Turn echo mode off in the profile, give the peer another profile, or restrict the
advertisement's `peers`. MetalLB finds this only when the speakers load the configuration,
not at admission. The check came with MetalLB v0.13.10; older releases accept the
combination.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import FieldPath, Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import title

ID = "bfd-echo-ipv6"


def echo_peers(
    cfg: ClusterConfig, adv: Item[m.BGPAdvertisement]
) -> Iterator[tuple[Item[Any], FieldPath]]:
    """Peers the advertisement announces to whose BFD profile has echo mode, and where."""
    sem = semantics_of(cfg)
    names = adv.model.spec.peers
    targets: list[tuple[Item[Any], FieldPath]]
    if names:
        targets = [
            (sem.peers_by_name[n], ("spec", "peers", i))
            for i, n in enumerate(names)
            if n in sem.peers_by_name and names.index(n) == i
        ]
    else:
        targets = [(p, ("spec",)) for p in sem.peers_by_name.values()]
    for peer, path in targets:
        profile = sem.bfd_by_name.get(peer.model.spec.bfdProfile)
        if profile is not None and profile.model.spec.echoMode:
            yield peer, path


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for adv in cfg.bgpadvs:
        v6_pools = [p for p in sem.attached_pools(adv) if 6 in sem.pool_families(p)]
        if not v6_pools:
            continue
        pools = ("pools " if len(v6_pools) > 1 else "pool ") + ", ".join(
            repr(p.name) for p in v6_pools
        )
        for peer, path in echo_peers(cfg, adv):
            profile = peer.model.spec.bfdProfile
            yield Finding(
                f"{title(adv)} announces IPv6 {pools} to peer "
                f"{peer.name!r}, whose BFD profile {profile!r} has echo mode enabled",
                adv,
                path,
                related=(
                    Rel(f"peer {peer.name!r} uses {profile!r} here", peer, ("spec", "bfdProfile")),
                ),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(versions=FEATURES["bfd_echo_ipv6"]),
)
