"""Two BGPPeers, or two BGPAdvertisements, are identical, name included.

MetalLB's configuration parser refuses the whole configuration when two BGPPeers describe
exactly the same session ("peer ... already exists") or two BGPAdvertisements are equal
including their metadata. Objects with different names never collide, so this only happens
when manifests carry the same object twice (a copied document that was not renamed) or
objects without a name. Delete the copy, or give every object its own `metadata.name`.
Copies that differ in some field are reported by `object-duplicate`. In a site spec, the
`bgp:` shorthands of two pools with one name are reported as that name's duplicate
(`metallb-duplicate-name`), not again here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgp import derive_timers, try_duration
from gitops_lb.metallb.ipnet import family_value, parse_ip
from gitops_lb.rules._base import Rule
from gitops_lb.words import kind, title

ID = "metallb-duplicate-object"


def _ip(text: str) -> Hashable:
    ip = parse_ip(text)
    return family_value(ip) if ip is not None else text


def _selector(sel: m.LabelSelector) -> Hashable:
    reqs: list[tuple[str, str, tuple[str, ...]]] = [
        (k, "=", (v,)) for k, v in sel.matchLabels.items()
    ]
    reqs += [(e.key, e.operator, tuple(sorted(set(e.values)))) for e in sel.matchExpressions]
    return tuple(sorted(reqs)) if reqs else "everything"


def _selectors(sels: Sequence[m.LabelSelector]) -> Hashable:
    return tuple(_selector(s) for s in sels) if sels else ("everything",)


def peer_key(peer: Item[m.BGPPeer]) -> Hashable:
    """What MetalLB compares: the parsed session settings, name included."""
    s = peer.model.spec
    timers = derive_timers(try_duration(s.holdTime), try_duration(s.keepaliveTime))
    ref = s.passwordSecret or m.SecretReference()
    return (
        peer.name,
        s.myASN,
        s.peerASN,
        s.dynamicASN or "",
        _ip(s.peerAddress) if s.peerAddress else "",
        s.interface,
        _ip(s.sourceAddress) if s.sourceAddress else "",
        s.peerPort,
        (timers.hold, timers.keepalive) if timers else None,
        try_duration(s.connectTime),
        _ip(s.routerID) if s.routerID else "",
        _selectors(s.nodeSelectors),
        s.password,
        (ref.name, ref.namespace),
        s.bfdProfile,
        s.enableGracefulRestart,
        s.ebgpMultiHop,
        s.vrf,
        s.dualStackAddressFamily,
        s.disableMP,
        s.localASN or 0,
    )


def bgpadv_key(adv: Item[m.BGPAdvertisement], namespace: str) -> Hashable:
    """The whole object (defaults applied), metadata included."""
    meta = adv.model.metadata.model_dump()
    meta["namespace"] = meta.get("namespace") or namespace
    return (_freeze(meta), _freeze(adv.model.spec.model_dump()))


def _freeze(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return repr(value)


def identical(cfg: ClusterConfig, a: Item[Any], b: Item[Any]) -> bool:
    """Whether MetalLB's parser sees two BGPPeers or two BGPAdvertisements as the same."""
    if a.kind != b.kind or not isinstance(a.model, m.BGPPeer | m.BGPAdvertisement):
        return False
    return _key(cfg, a) == _key(cfg, b)


def _key(cfg: ClusterConfig, item: Item[Any]) -> Hashable:
    if isinstance(item.model, m.BGPPeer):
        return peer_key(item)
    return bgpadv_key(item, cfg.namespace)


def _shorthand(item: Item[Any]) -> bool:
    """Made by a site spec pool's `bgp:` shorthand, which is named after its pool."""
    return item.origin is not None and bool(item.origin.frame)


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for items in (cfg.peers, cfg.bgpadvs):
        first: dict[Hashable, Item[Any]] = {}
        for item in items:
            if not item.sure(()):
                continue  # read in part: what made it differ may be what was left out
            earlier = first.setdefault(_key(cfg, item), item)
            if earlier is item or (_shorthand(item) and _shorthand(earlier)):
                continue  # two pools' `bgp:` with one name: metallb-duplicate-name's mistake
            named = title(item) if item.name else f"a {kind(item)} without a name"
            yield Finding(
                f"{named} is identical to an earlier one; MetalLB rejects the duplicate",
                item,
                ("metadata",),
                key=True,
                related=(Rel("first defined here", earlier, ("metadata",)),),
            )


RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", check, enforced=True)
