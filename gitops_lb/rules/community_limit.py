"""A BGPAdvertisement carries more than 63 distinct communities.

The FRR-based speakers (`frr`, `frr-k8s`) attach at most 63 communities to one
advertisement and fail to apply a configuration with more ("max supported communities is
63"); MetalLB's admission does not check this, so the error shows up only in the speaker
logs. Aliases are counted by their value, and the same value written twice counts once.
Split the communities over several advertisements or drop some.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.community import Community, resolve
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.rules._base import FRR, Applicability, Rule
from gitops_lb.words import title

ID = "community-limit"
LIMIT = 63


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    aliases = semantics_of(cfg).community_aliases
    for adv in cfg.bgpadvs:
        version = cfg.metallb_version
        values = {resolve(text, aliases, version) for text in adv.model.spec.communities}
        count = sum(1 for v in values if isinstance(v, Community))
        if count > LIMIT:
            yield Finding(
                f"{title(adv)} has {count} distinct communities; the FRR "
                f"speakers support at most {LIMIT}",
                adv,
                ("spec", "communities"),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=False,
    applies=Applicability(modes=FRR),
)
