"""BGP peer semantics as MetalLB computes them: Go durations, session timers, FRR peer groups.

Durations follow Go's `time.ParseDuration` to the nanosecond (MetalLB decodes holdTime,
keepaliveTime and connectTime as `metav1.Duration`), and the arithmetic on them follows Go's
int64 `time.Duration` (truncating division, wrap-around multiplication, float seconds).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_lb.memo import per_object
from gitops_lb.metallb import models as m
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.selectors import selector_identity, selector_problems
from gitops_lb.metallb.versions import Version, first, has
from gitops_lb.words import from_site, owner

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item

NANOSECOND = 1
MICROSECOND = 1000 * NANOSECOND
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE

_UNITS = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "\u00b5s": MICROSECOND,  # micro sign
    "\u03bcs": MICROSECOND,  # Greek small letter mu
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}
_2_63 = 1 << 63
INT64_MAX = _2_63 - 1

CONNECT_MIN_SECONDS = 1
CONNECT_MAX_SECONDS = 65535
MIN_HOLD_SECONDS = 3


class DurationError(ValueError):
    """The text is not a Go duration; the message says why, like Go's."""


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def parse_duration(text: str) -> int:
    """Go time.ParseDuration: nanoseconds, or DurationError.

    Accepts an optional sign and one or more `<number>[.<fraction>]<unit>` groups with unit
    ns, us, µs, μs, ms, s, m or h; the bare "0" (also "+0", "-0") is zero; "" is invalid.
    """
    orig = text
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    invalid = DurationError(f"invalid duration {_quote(orig)}")
    if s == "":
        raise invalid
    total = 0
    while s:
        if not (s[0] == "." or _is_digit(s[0])):
            raise invalid
        # leading integer, with Go's overflow guard
        value = 0
        i = 0
        while i < len(s) and _is_digit(s[i]):
            if value > _2_63 // 10:
                raise invalid
            value = value * 10 + ord(s[i]) - 48
            if value > _2_63:
                raise invalid
            i += 1
        pre = i > 0
        s = s[i:]
        frac = 0
        scale = 1.0
        post = False
        if s and s[0] == ".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and _is_digit(s[i]):
                if not overflow:
                    if frac > INT64_MAX // 10:
                        overflow = True
                    else:
                        y = frac * 10 + ord(s[i]) - 48
                        if y > _2_63:
                            overflow = True
                        else:
                            frac = y
                            scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or _is_digit(s[i])):
            i += 1
        if i == 0:
            raise DurationError(f"missing unit in duration {_quote(orig)}")
        unit_text, s = s[:i], s[i:]
        unit = _UNITS.get(unit_text)
        if unit is None:
            raise DurationError(f"unknown unit {_quote(unit_text)} in duration {_quote(orig)}")
        if value > _2_63 // unit:
            raise invalid
        value *= unit
        if frac > 0:
            value += int(float(frac) * (float(unit) / scale))
            if value > _2_63:
                raise invalid
        total += value
        if total > _2_63:
            raise invalid
    if neg:
        return -total
    if total > INT64_MAX:
        raise invalid
    return total


def try_duration(text: str | None) -> int | None:
    """Nanoseconds, or None when the text is absent or not a Go duration."""
    if text is None:
        return None
    try:
        return parse_duration(text)
    except DurationError:
        return None


# --- Go int64 Duration arithmetic ----------------------------------------------------------------


def wrap_int64(value: int) -> int:
    return (value + _2_63) % (1 << 64) - _2_63


def go_quo(a: int, b: int) -> int:
    """Go integer division: truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def go_rem(a: int, b: int) -> int:
    return a - go_quo(a, b) * b


def go_seconds(ns: int) -> float:
    """time.Duration.Seconds()."""
    sec = go_quo(ns, SECOND)
    return float(sec) + float(ns - sec * SECOND) / 1e9


def format_duration(ns: int) -> str:
    """time.Duration.String(): 0s, 500ms, 2.9s, 1m30s, 1h0m0s."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    u = abs(ns)

    def frac(value: int, digits: int) -> str:
        whole, rest = divmod(value, 10**digits)
        tail = f"{rest:0{digits}d}".rstrip("0")
        return f"{whole}.{tail}" if tail else str(whole)

    if u < MICROSECOND:
        return f"{sign}{u}ns"
    if u < MILLISECOND:
        return f"{sign}{frac(u, 3)}\u00b5s"
    if u < SECOND:
        return f"{sign}{frac(u, 6)}ms"
    secs, rest = divmod(u, SECOND)
    text = frac((secs % 60) * SECOND + rest, 9) + "s"
    minutes = secs // 60
    if minutes:
        text = f"{minutes % 60}m{text}"
        if minutes // 60:
            text = f"{minutes // 60}h{text}"
    return sign + text


# --- session timers (parseTimers, MetalLB internal/config/config.go, v0.14.9 and later) ----------


@dataclass(frozen=True, slots=True)
class Timers:
    """The hold and keepalive times MetalLB derives from a peer's holdTime/keepaliveTime."""

    hold: int  # nanoseconds
    keepalive: int
    hold_given: bool
    keepalive_given: bool
    hold_default: bool = False  # up to v0.14.8: the 90 s used for an absent or zero holdTime

    @property
    def hold_seconds(self) -> int:
        """The hold time truncated to whole seconds, as MetalLB compares it."""
        return int(go_seconds(self.hold))

    @property
    def hold_invalid(self) -> bool:
        """Not 0 and below 3 s after truncation to seconds (negative values included)."""
        return self.hold_seconds != 0 and self.hold_seconds < MIN_HOLD_SECONDS

    @property
    def keepalive_invalid(self) -> bool:
        return self.keepalive > self.hold


def derive_timers(hold: int | None, keepalive: int | None) -> Timers | None:
    """None when neither is set; otherwise a missing one is derived (hold = 3 x keepalive,
    keepalive = hold / 3) with Go's int64 arithmetic."""
    if hold is None and keepalive is None:
        return None
    if hold is not None and keepalive is not None:
        return Timers(hold, keepalive, True, True)
    if hold is not None:
        return Timers(hold, go_quo(hold, 3), True, False)
    assert keepalive is not None
    return Timers(wrap_int64(keepalive * 3), keepalive, False, True)


DEFAULT_HOLD = 90 * SECOND  # up to v0.14.8


def derive_timers_before_0_14_9(hold: int | None, keepalive: int | None) -> Timers:
    """The timers of MetalLB v0.13.0 to v0.14.8 (plain durations, not optional): an absent or
    zero hold time is 90 s, an absent or zero keepalive is hold / 3."""
    hold_given = hold is not None and hold != 0
    hold_ns = hold if hold is not None and hold_given else DEFAULT_HOLD
    keepalive_given = keepalive is not None and keepalive != 0
    keepalive_ns = keepalive if keepalive is not None and keepalive_given else hold_ns // 3
    return Timers(hold_ns, keepalive_ns, hold_given, keepalive_given, not hold_given)


def connect_time_problems(ns: int) -> list[str]:
    """The CRD's CEL rules on connectTime: getSeconds() within 1..65535 and
    getMilliseconds() % 1000 == 0 (so sub-millisecond remainders pass, as in the API server)."""
    out: list[str] = []
    seconds = int(go_seconds(ns))
    if not CONNECT_MIN_SECONDS <= seconds <= CONNECT_MAX_SECONDS:
        out.append(f"must be between {CONNECT_MIN_SECONDS} and {CONNECT_MAX_SECONDS} seconds")
    if go_rem(go_quo(ns, MILLISECOND), 1000) != 0:
        out.append("must be a whole number of seconds")
    return out


# --- FRR: peers compared with each other (MetalLB internal/config/validation.go) -----------------
#
# Up to v0.15.3 MetalLB compares every BGPPeer of the cluster with every other one, whatever
# their nodeSelectors; from v0.16.0 only peers that select a common node.


def peer_identifier(spec: m.BGPPeerSpec) -> str:
    """What FRR keys a neighbor by from v0.16.0: the address (or interface), suffixed -<vrf>
    in a VRF."""
    ident = spec.peerAddress or spec.interface
    return f"{ident}-{spec.vrf}" if spec.vrf else ident


def duplicate_key(spec: m.BGPPeerSpec, version: Version) -> str:
    """What MetalLB `version` takes two FRR peers to be duplicates by: the address alone up
    to v0.13.7 (no VRFs yet), then address (or interface, from v0.15.0) + "-" + vrf, the
    suffix written even for the default VRF, and from v0.16.0 without it there."""
    if not has(version, "vrf"):
        return spec.peerAddress
    if not has(version, "node_aware_frr_peers"):
        return f"{spec.peerAddress or spec.interface}-{spec.vrf}"
    return peer_identifier(spec)


def node_aware(cfg: ClusterConfig) -> bool:
    """Whether the target release compares only FRR peers that share a node (v0.16.0+)."""
    return has(cfg.metallb_version, "node_aware_frr_peers")


def frr_groups(cfg: ClusterConfig) -> list[list[int]]:
    """The sets of peers the target release compares: those sharing a node (v0.16.0+), or
    all peers of the cluster (before)."""
    if node_aware(cfg):
        return peer_groups(cfg)
    return [list(range(len(cfg.peers)))] if len(cfg.peers) > 1 else []


def frr_where(cfg: ClusterConfig, peer: Item[m.BGPPeer] | None = None) -> str:
    """Where two peers meet, for messages (" on a common node..."): nothing to say when the
    target release compares every peer of the cluster."""
    return f" {sharing_note(cfg, peer)}" if node_aware(cfg) else ""


def frr_scope_rule(
    cfg: ClusterConfig, per_node: str, cluster_wide: str, peers: str = "BGPPeers"
) -> str:
    """The end of an FRR peer message: what the target release requires, and where (`peers`
    names the peers in the words of the input)."""
    if node_aware(cfg):
        return per_node
    start = first("node_aware_frr_peers")
    return (
        f"{cluster_wide} (MetalLB {cfg.metallb_version} compares all {peers} whatever their "
        f"nodeSelectors; {start} and later only those sharing a node)"
    )


@per_object
def peer_groups(cfg: ClusterConfig) -> list[list[int]]:
    """`node_groups`, computed once per configuration (three FRR rules use it)."""
    return node_groups(cfg)


def node_groups(cfg: ClusterConfig) -> list[list[int]]:
    """Sets of peers (indexes into cfg.peers, ascending) that run together on some node.

    Without Node objects every peer is assumed to share a node with every other one. With
    Nodes, one group per distinct set of peers selecting a node (empty nodeSelectors = all
    nodes; a peer with invalid selectors selects none). Each pair of peers sharing a node is in
    at least one group.
    """
    peers = cfg.peers
    if not peers:
        return []
    if not cfg.nodes:
        return [[i for i, p in enumerate(peers) if p.sure(("spec",))]]
    # peers with the same selectors select the same nodes: evaluate each selector list once
    by_selectors: dict[tuple[object, ...], list[int]] = {}
    selector_lists: dict[tuple[object, ...], Sequence[m.LabelSelector]] = {}
    for i, p in enumerate(peers):
        sels = p.model.spec.nodeSelectors
        if not p.sure(("spec",)):
            continue  # read in part (schema errors): not compared
        if any(next(selector_problems(s), None) is not None for s in sels):
            continue  # an invalid selector list selects nothing
        sig = tuple(selector_identity(s) for s in sels)
        by_selectors.setdefault(sig, []).append(i)
        selector_lists.setdefault(sig, sels)
    # nodes with the same labels have the same peers: one member per distinct label set
    label_sets: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    for node in cfg.nodes:
        labels = node.model.metadata.labels
        label_sets.setdefault(tuple(sorted(labels.items())), labels)
    index = LabelIndex(enumerate(label_sets.values()))
    peers_of: list[list[int]] = [[] for _ in label_sets]
    for key, members in by_selectors.items():
        for at in index.positions(selector_lists[key]):
            peers_of[at].extend(members)
    groups: dict[tuple[int, ...], None] = {}
    for peers_here in peers_of:
        if len(peers_here) > 1:
            groups.setdefault(tuple(sorted(peers_here)), None)
    return [list(g) for g in groups]


def sharing_note(cfg: ClusterConfig, peer: Item[m.BGPPeer] | None = None) -> str:
    """How "on a common node" was decided, for messages (about `peer`)."""
    if cfg.nodes:
        return "on a common node"
    if from_site(peer):
        return "on a common node (the cluster lists no nodes: all peers are assumed to share nodes)"
    return "on a common node (no Nodes given: all peers are assumed to share nodes)"


def first_conflicts(
    cfg: ClusterConfig, conflicts: Iterable[tuple[int, int]]
) -> Iterator[tuple[Item[m.BGPPeer], Item[m.BGPPeer]]]:
    """(later peer, earliest peer it conflicts with), one per later peer, in name order."""
    earliest: dict[int, int] = {}
    for later, earlier in conflicts:
        if later not in earliest or earlier < earliest[later]:
            earliest[later] = earlier
    for later in sorted(earliest):
        yield cfg.peers[later], cfg.peers[earliest[later]]


def _partitions(group: Sequence[int], part: Callable[[int], Hashable]) -> Iterator[list[int]]:
    parts: dict[Hashable, list[int]] = {}
    for i in group:
        parts.setdefault(part(i), []).append(i)
    yield from parts.values()


def differing(
    groups: Iterable[Sequence[int]],
    value: Callable[[int], Hashable],
    part: Callable[[int], Hashable] = lambda _: None,
) -> Iterator[tuple[int, int]]:
    """(later, earlier) pairs of a group whose `value` differs, within each `part` partition.

    Each peer is compared with the first peer of its partition, so every partition holding two
    values yields at least one pair, without looking at all pairs.
    """
    for group in groups:
        for members in _partitions(group, part):
            ref = members[0]
            for i in members[1:]:
                if value(i) != value(ref):
                    yield i, ref


def equal(
    groups: Iterable[Sequence[int]], key: Callable[[int], Hashable]
) -> Iterator[tuple[int, int]]:
    """(later, earlier) pairs of a group with the same `key` (the first one is the earlier)."""
    for group in groups:
        for members in _partitions(group, key):
            for i in members[1:]:
                yield i, members[0]


# --- where a peer field was written ---------------------------------------------------------------


def written(item: Item[m.BGPPeer], name: str) -> bool:
    """Whether spec.<name> is in the source document (converted v1beta1 timers are not)."""
    doc = item.doc
    spec = doc.get("spec") if isinstance(doc, dict) else None
    return isinstance(spec, dict) and name in spec


def spec_field(item: Item[m.BGPPeer], name: str) -> tuple[tuple[str, ...], bool]:
    """(path, key) for a finding on spec.<name>: the value when written, else the `spec` key."""
    if written(item, name):
        return ("spec", name), False
    return ("spec",), True


def peer_label(item: Item[m.BGPPeer]) -> str:
    """ "BGPPeer 'tor1'"; "bgpPeer 'tor1' (cluster 'prod-a')" on a site spec."""
    return owner(item)
