"""A Service has a MetalLB-looking annotation that MetalLB does not read.

MetalLB reads three annotations on a LoadBalancer Service, `address-pool`, `loadBalancerIPs`
and `allow-shared-ip`, under the prefix `metallb.io/` (since 0.14.9) or the older
`metallb.universe.tf/`, and writes a fourth, `ip-allocated-from-pool`. Keys are exact and
case-sensitive: `metallb.io/loadBalancerIP` (singular), `metallb.universe.tf/adress-pool`,
`metallb.io/allow-shared-ips`, `metallb.io/Address-Pool` or a mistyped prefix such as
`metallb.universe/address-pool` are ignored without a word, so the Service silently gets no
pool, no requested address or no sharing. The message names the annotation meant. Only keys
under a prefix that spells MetalLB's name (`metallb.io`, `metal-lb.io`, `metallb.universe`), or
under one close to MetalLB's prefixes (`metalb.io`) with a MetalLB key name after it, are
considered; other annotations are not MetalLB's business.

The `metallb.io/` prefix came with MetalLB v0.14.9: older releases read only
`metallb.universe.tf/`, so there `metallb.io/address-pool`, `metallb.io/loadBalancerIPs` and
`metallb.io/allow-shared-ip` are ignored too, and the message names the
`metallb.universe.tf/` key.
"""

import difflib
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.intake import did_you_mean
from gitops_lb.metallb.services import PREFIXES, SERVICE_KEYS, services_of
from gitops_lb.metallb.versions import first, v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import service_setting, title

ID = "service-unknown-annotation"
ALLOCATED = "ip-allocated-from-pool"  # written by MetalLB's controller (which pool gave the IP)
KNOWN = (*SERVICE_KEYS, ALLOCATED)
# a prefix that spells MetalLB's name is MetalLB's in intent, whatever follows it ...
_HINTS = ("metallb", "universetf")
# ... one this close to one of MetalLB's prefixes only when a MetalLB key name follows
_CUTOFF = 0.75


@lru_cache(maxsize=4096)
def prefix_kind(prefix: str) -> int:
    """2: spells MetalLB's name; 1: close to one of MetalLB's prefixes; 0: another tool's.
    Remembered: the same few prefixes come back on every Service."""
    letters = re.sub("[^a-z]", "", prefix.lower())
    if any(h in letters for h in _HINTS):
        return 2
    return 1 if difflib.get_close_matches(prefix.lower(), PREFIXES, n=1, cutoff=_CUTOFF) else 0


def meant(prefix: str, name: str, prefixes: Sequence[str] = PREFIXES) -> str | None:
    """The MetalLB annotation key closest to prefix/name among those read under `prefixes`,
    or None when nothing is close."""
    right_name = did_you_mean(name, list(KNOWN))
    if right_name is None:
        return None
    if prefix in prefixes:
        right_prefix = prefix
    else:
        close = difflib.get_close_matches(prefix.lower(), prefixes, n=1, cutoff=0.0)
        right_prefix = close[0] if close else prefixes[0]
    return f"{right_prefix}/{right_name}"


def meant_words(item: Item[Any], hint: str | None) -> str:
    """ "; did you mean 'metallb.io/loadBalancerIPs'?", and on a site spec the Service field
    that writes it ("ips:"), when there is one."""
    if hint is None:
        return ""
    name = hint.partition("/")[2]
    setting = service_setting(item, name, "")
    if setting:
        return f"; did you mean {hint!r}? A site spec writes it as {setting}: of the service"
    return f"; did you mean {hint!r}?"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    version = cfg.metallb_version
    for view in services_of(cfg).views:
        read = view.prefixes
        for key in view.svc.metadata.annotations:
            prefix, slash, name = key.partition("/")
            if not slash or (prefix in read and name in KNOWN):
                continue
            if prefix in PREFIXES and name == ALLOCATED:
                continue  # MetalLB's own output, under either prefix
            if prefix in PREFIXES and name in KNOWN:  # a prefix this release does not read
                yield Finding(
                    f"Service {view.ref}: annotation {key!r} is not read by MetalLB {version} "
                    f"(the {prefix}/ prefix needs {first('metallb_io_annotations')} or later), "
                    f"so it has no effect; did you mean {meant(prefix, name, read)!r}?",
                    view.item,
                    ("metadata", "annotations", key),
                    key=True,
                )
                continue
            kind = prefix_kind(prefix)
            if kind == 0:
                continue  # another tool's annotation
            hint = meant(prefix, name, read)
            if kind == 1 and hint is None:
                continue  # near MetalLB's prefix, but no MetalLB key: another tool's too
            yield Finding(
                f"{title(view.item)}: annotation {key!r} is not one MetalLB reads, so it has no "
                "effect" + meant_words(view.item, hint),
                view.item,
                ("metadata", "annotations", key),
                key=True,
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "service",
    __doc__ or "",
    check,
    applies=Applicability(changes=(v("0.14.9"),)),
)
