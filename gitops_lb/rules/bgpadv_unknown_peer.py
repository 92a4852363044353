"""A BGPAdvertisement limits its announcements to a BGPPeer that does not exist.

`spec.peers` lists the BGPPeer objects (by metadata.name) the advertisement's routes go to.
MetalLB never checks these names: a misspelt or deleted peer simply receives nothing, and when
every listed name is unknown the advertisement reaches no router at all. Fix the name or
remove the entry (an empty list means every peer).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import Rule
from gitops_lb.rules._refs import unknown_names
from gitops_lb.words import title

ID = "bgpadv-unknown-peer"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    for adv, path, name, hint in unknown_names(
        cfg, cfg.bgpadvs, "peers", "BGPPeer", sem.peers_by_name
    ):
        yield Finding(
            f"{title(adv)} sends to peer {name!r}, which does not exist{hint}",
            adv,
            path,
        )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
