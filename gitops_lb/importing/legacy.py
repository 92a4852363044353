"""MetalLB's pre-0.13 configuration -> the custom resources MetalLB reads today.

Up to v0.12 MetalLB read one YAML document: the `config` key of a ConfigMap in its namespace
(the Helm chart wrote it from the `configInline` value). Its sections, and what each becomes:

- `address-pools[]` (`name`, `protocol: layer2|bgp`, `addresses`, `auto-assign`,
  `avoid-buggy-ips`, `bgp-advertisements[]`): an IPAddressPool each; a layer2 pool gets an
  L2Advertisement named after it, a bgp pool one BGPAdvertisement per entry of
  `bgp-advertisements` (`aggregation-length`, `aggregation-length-v6`, `localpref`,
  `communities`), or one plain BGPAdvertisement when it has none, as v0.12 announced it. The
  first advertisement of a pool takes the pool's name, so that import writes it as the pool's
  `l2:` / `bgp:` shorthand.
- `peers[]`: a BGPPeer (v1beta2) each, named `peer-1`, `peer-2`... in order (v0.12 peers had
  no names); `node-selectors` with `match-labels` / `match-expressions` become label selectors.
- `bgp-communities` (alias: value): one Community object, `bgp-communities`, holding every
  alias, so that advertisements keep naming them.
- `bfd-profiles[]`: a BFDProfile each.

The objects are built with the positions of the legacy text they come from, so a finding on
one of them (an address that does not parse, a field of the wrong type) points at the line of
the ConfigMap or values file that holds it. A key this translation does not know is a problem:
leaving it out would change what the configuration means.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.diagnostics import Location
from gitops_lb.metallb.legacy import PEERS_KEY, POOLS_KEY
from gitops_lb.yamlload import LocMap, LocSeq, Pos

COMMUNITIES_KEY = "bgp-communities"
BFD_KEY = "bfd-profiles"
SECTIONS = (PEERS_KEY, COMMUNITIES_KEY, POOLS_KEY, BFD_KEY)
COMMUNITY_OBJECT = "bgp-communities"
API = "metallb.io/v1beta1"
PEER_API = "metallb.io/v1beta2"

POOL_FIELDS = {"addresses": "addresses", "auto-assign": "autoAssign"}
POOL_FIELDS["avoid-buggy-ips"] = "avoidBuggyIPs"
POOL_OWN = frozenset({"name", "protocol", "bgp-advertisements"})
BGP_ADV_FIELDS = {
    "aggregation-length": "aggregationLength",
    "aggregation-length-v6": "aggregationLengthV6",
    "localpref": "localPref",
    "communities": "communities",
}
PEER_FIELDS = {
    "peer-address": "peerAddress",
    "peer-asn": "peerASN",
    "my-asn": "myASN",
    "peer-port": "peerPort",
    "source-address": "sourceAddress",
    "hold-time": "holdTime",
    "keepalive-time": "keepaliveTime",
    "router-id": "routerID",
    "password": "password",
    "bfd-profile": "bfdProfile",
    "ebgp-multihop": "ebgpMultiHop",
    "vrf": "vrf",
}
SELECTOR_FIELDS = {"match-labels": "matchLabels", "match-expressions": "matchExpressions"}
BFD_FIELDS = {
    "receive-interval": "receiveInterval",
    "transmit-interval": "transmitInterval",
    "detect-multiplier": "detectMultiplier",
    "echo-interval": "echoInterval",
    "echo-mode": "echoMode",
    "passive-mode": "passiveMode",
    "minimum-ttl": "minimumTtl",
}
PROTOCOLS = ("layer2", "bgp")


@dataclass(frozen=True, slots=True)
class LegacyProblem:
    location: Location
    message: str


@dataclass(slots=True)
class Translation:
    """The objects one legacy configuration becomes, and what could not be translated."""

    source: str  # "ConfigMap metallb-system/config", "configInline of the Helm values x.yaml"
    file: str  # where the objects are written
    objects: list[LocMap] = field(default_factory=list)
    problems: list[LegacyProblem] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for o in self.objects if o.get("kind") == kind)


def shifted(node: Any, line: int, column: int) -> Any:
    """`node` (loaded from text that starts at `line`, indented by `column` - 1 spaces in its
    file) with its positions made positions in that file (in place)."""

    def move(pos: Pos) -> Pos:
        return (pos[0] + line - 1, pos[1] + column - 1)

    if isinstance(node, LocMap):
        node.pos = move(node.pos)
        node.kpos = {k: move(p) for k, p in node.kpos.items()}
        node.vpos = {k: move(p) for k, p in node.vpos.items()}
        for value in node.values():
            shifted(value, line, column)
    elif isinstance(node, LocSeq):
        node.pos = move(node.pos)
        node.ipos = [move(p) for p in node.ipos]
        for value in node:
            shifted(value, line, column)
    return node


class _Translator:
    def __init__(self, file: str, namespace: str, source: str) -> None:
        self.file = file
        self.namespace = namespace
        self.out = Translation(source, file)
        self.names: dict[str, set[str]] = {}  # kind -> names given

    def problem(self, pos: Pos, message: str) -> None:
        self.out.problems.append(LegacyProblem(Location(self.file, *pos), message))

    def unknown_keys(self, node: LocMap, known: Collection[str], what: str) -> None:
        allowed = set(known)
        for key in node:
            if key not in allowed:
                self.problem(
                    node.kpos[key],
                    f"{what} has {key!r}, which the pre-0.13 configuration does not define (known: "
                    f"{', '.join(sorted(allowed))}); nothing was imported",
                )

    def unique(self, kind: str, wanted: str) -> str:
        taken = self.names.setdefault(kind, set())
        name, n = wanted, 1
        while name in taken:
            n += 1
            name = f"{wanted}-{n}"
        taken.add(name)
        return name

    def new(self, kind: str, name: str, pos: Pos, name_pos: Pos) -> LocMap:
        """An object of `kind` in MetalLB's namespace, written where `pos` is."""
        obj = LocMap(pos)
        meta = LocMap(pos)
        put(meta, "name", name, name_pos)
        put(meta, "namespace", self.namespace, pos)
        put(obj, "apiVersion", PEER_API if kind == "BGPPeer" else API, pos)
        put(obj, "kind", kind, pos)
        put(obj, "metadata", meta, pos)
        put(obj, "spec", LocMap(pos), pos)
        self.out.objects.append(obj)
        return obj

    def copy_fields(self, src: LocMap, dst: LocMap, names: Mapping[str, str]) -> None:
        for old, new in names.items():
            if old in src:
                put(dst, new, src[old], src.vpos[old])

    def entries(self, config: LocMap, key: str) -> Iterator[tuple[LocMap, Pos]]:
        """The mappings listed under `key`; anything else in the list is a problem."""
        value = config.get(key)
        if value is None:
            return
        if not isinstance(value, LocSeq):
            self.problem(config.vpos[key], f"{key} must be a list")
            return
        for i, entry in enumerate(value):
            if isinstance(entry, LocMap):
                yield entry, value.ipos[i]
            else:
                self.problem(value.ipos[i], f"{key}[{i}] must be a mapping")

    # --- sections ---------------------------------------------------------------------------

    def translate(self, config: LocMap) -> Translation:
        self.unknown_keys(config, frozenset(SECTIONS), "the configuration")
        self.communities(config)
        for entry, pos in self.entries(config, BFD_KEY):
            self.bfd_profile(entry, pos)
        for i, (entry, pos) in enumerate(self.entries(config, PEERS_KEY)):
            self.peer(entry, pos, i)
        for entry, pos in self.entries(config, POOLS_KEY):
            self.pool(entry, pos)
        return self.out

    def named(self, entry: LocMap, pos: Pos, what: str) -> str | None:
        name = entry.get("name")
        if isinstance(name, str) and name:
            return name
        self.problem(entry.vpos.get("name", pos), f"{what} has no name")
        return None

    def pool(self, entry: LocMap, pos: Pos) -> None:
        name = self.named(entry, pos, "an address pool")
        if name is None:
            return
        what = f"address pool {name!r}"
        self.unknown_keys(entry, POOL_OWN | set(POOL_FIELDS), what)
        protocol = entry.get("protocol")
        if protocol not in PROTOCOLS:
            where = entry.vpos.get("protocol", pos)
            self.problem(
                where,
                f"{what} has protocol {protocol!r}; the pre-0.13 configuration knew layer2 and bgp",
            )
            return
        name_pos = entry.vpos["name"]
        pool = self.new("IPAddressPool", self.unique("IPAddressPool", name), pos, name_pos)
        self.copy_fields(entry, pool["spec"], POOL_FIELDS)
        refs = LocSeq(name_pos)
        refs.append(pool["metadata"]["name"])
        refs.ipos.append(name_pos)
        if protocol == "layer2":
            if "bgp-advertisements" in entry:
                self.problem(
                    entry.kpos["bgp-advertisements"],
                    f"{what} is a layer2 pool with bgp-advertisements, which MetalLB 0.12 refused",
                )
                return
            adv = self.new("L2Advertisement", self.unique("L2Advertisement", name), pos, name_pos)
            put(adv["spec"], "ipAddressPools", refs, name_pos)
            return
        advertisements = list(self.entries(entry, "bgp-advertisements"))
        if not advertisements:
            advertisements = [(LocMap(pos), pos)]  # v0.12 announced such a pool as is
        for adv_entry, adv_pos in advertisements:
            self.unknown_keys(
                adv_entry, frozenset(BGP_ADV_FIELDS), f"a BGP advertisement of {what}"
            )
            adv = self.new(
                "BGPAdvertisement", self.unique("BGPAdvertisement", name), adv_pos, name_pos
            )
            put(adv["spec"], "ipAddressPools", refs, name_pos)
            self.copy_fields(adv_entry, adv["spec"], BGP_ADV_FIELDS)

    def peer(self, entry: LocMap, pos: Pos, index: int) -> None:
        what = f"peer {index + 1}"
        self.unknown_keys(entry, frozenset({*PEER_FIELDS, "node-selectors"}), what)
        name = self.unique("BGPPeer", f"peer-{index + 1}")
        obj = self.new("BGPPeer", name, pos, pos)
        spec = obj["spec"]
        self.copy_fields(entry, spec, PEER_FIELDS)
        if "node-selectors" not in entry:
            return
        selectors = LocSeq(entry.vpos["node-selectors"])
        for sel, sel_pos in self.entries(entry, "node-selectors"):
            self.unknown_keys(sel, frozenset(SELECTOR_FIELDS), f"a node selector of {what}")
            out = LocMap(sel_pos)
            self.copy_fields(sel, out, SELECTOR_FIELDS)
            selectors.append(out)
            selectors.ipos.append(sel_pos)
        put(spec, "nodeSelectors", selectors, entry.vpos["node-selectors"])

    def communities(self, config: LocMap) -> None:
        aliases = config.get(COMMUNITIES_KEY)
        if aliases is None:
            return
        pos = config.vpos[COMMUNITIES_KEY]
        if not isinstance(aliases, LocMap):
            self.problem(pos, f"{COMMUNITIES_KEY} must be a mapping of alias to community")
            return
        obj = self.new("Community", COMMUNITY_OBJECT, pos, config.kpos[COMMUNITIES_KEY])
        listed = LocSeq(pos)
        for alias, value in aliases.items():
            entry = LocMap(aliases.kpos[alias])
            put(entry, "name", alias, aliases.kpos[alias])
            put(entry, "value", value, aliases.vpos[alias])
            listed.append(entry)
            listed.ipos.append(aliases.kpos[alias])
        put(obj["spec"], "communities", listed, pos)

    def bfd_profile(self, entry: LocMap, pos: Pos) -> None:
        name = self.named(entry, pos, "a BFD profile")
        if name is None:
            return
        self.unknown_keys(entry, frozenset({"name", *BFD_FIELDS}), f"BFD profile {name!r}")
        obj = self.new("BFDProfile", self.unique("BFDProfile", name), pos, entry.vpos["name"])
        self.copy_fields(entry, obj["spec"], BFD_FIELDS)


def put(node: LocMap, key: str, value: Any, pos: Pos) -> None:
    node[key] = value
    node.kpos[key] = pos
    node.vpos[key] = pos


def translate(config: LocMap, *, file: str, namespace: str, source: str) -> Translation:
    """The objects of one legacy configuration (positions already in `file`)."""
    return _Translator(file, namespace, source).translate(config)
