"""A BGP community is not a valid community value or a known alias.

A community in a BGPAdvertisement is either the name of an alias defined in a Community
object (looked up first) or a literal: standard `<0-65535>:<0-65535>` such as `65535:65282`,
or large `large:<uint32>:<uint32>:<uint32>` such as `large:64512:1:2`. Numbers are plain
decimal digits. Every alias value in a Community object must be such a literal. MetalLB
rejects the configuration otherwise: `70000:1` (over 65535), `1:2:3` (three fields),
`Large:1:2:3` (the marker is lowercase), and a name without `:` that no Community defines
(the advertisement's admission webhook lets unknown names through, but the speakers then
refuse the whole configuration). Well-known names such as `no-advertise` are not built in:
write `65535:65282` or define an alias. Large communities came with MetalLB v0.13.10: for
older releases `large:64512:1:2` is invalid too.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.community import CommunityError, parse_community
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import from_site, title

ID = "community-invalid"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    aliases = sem.community_aliases
    for adv in cfg.bgpadvs:
        for i, text in enumerate(adv.model.spec.communities):
            if text in aliases:
                continue  # the alias's value is checked where it is defined
            if ":" not in text and not sem.aliases_known:
                continue  # may be an alias of a Community that could not be read
            parsed = parse_community(text, cfg.metallb_version)
            if not isinstance(parsed, CommunityError):
                continue
            if parsed.format_error and ":" not in text:
                where = "the cluster's communities" if from_site(adv) else "any Community object"
                message = f"community {text!r} is not an alias defined by {where}"
            else:
                message = f"invalid community: {parsed.message}"
            yield Finding(f"{title(adv)}: {message}", adv, ("spec", "communities", i))
    for item in cfg.communities:
        for i, alias in enumerate(item.model.spec.communities):
            parsed = parse_community(alias.value, cfg.metallb_version)
            if isinstance(parsed, CommunityError):
                yield Finding(
                    f"{title(item)} alias {alias.name!r}: invalid value: {parsed.message}",
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
    applies=Applicability(changes=(v("0.13.10"),)),
)
