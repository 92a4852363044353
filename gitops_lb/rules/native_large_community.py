"""A large BGP community is used in native mode.

MetalLB's native BGP speaker sends standard communities (`65000:100`) only. In native mode
MetalLB rejects the configuration when a BGPAdvertisement lists a large community literal
(`large:65000:1:2`) or a Community object defines an alias with a large value, even an alias
nothing uses. Use standard communities, or switch to the FRR-based modes. Large communities
came with MetalLB v0.13.10; for older releases they are invalid in every mode
(`community-invalid`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.community import Community, parse_community
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import NATIVE, Applicability, Rule
from gitops_lb.words import title

ID = "native-large-community"


def is_large(text: str) -> bool:
    parsed = parse_community(text)
    return isinstance(parsed, Community) and parsed.kind == "large"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for adv in cfg.bgpadvs:
        for i, text in enumerate(adv.model.spec.communities):
            if is_large(text):
                yield Finding(
                    f"{title(adv)} uses large community {text!r}; native BGP "
                    "mode supports standard communities only",
                    adv,
                    ("spec", "communities", i),
                )
    for item in cfg.communities:
        for i, alias in enumerate(item.model.spec.communities):
            if is_large(alias.value):
                yield Finding(
                    f"{title(item)} alias {alias.name!r} has large value "
                    f"{alias.value!r}; native BGP mode supports standard communities only",
                    item,
                    ("spec", "communities", i, "value"),
                )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(modes=NATIVE, versions=FEATURES["large_communities"]),
)
