"""What a change to the site specs does to address space: the semantic diff of two states.

Pure: it compares two lists of lowered clusters (ClusterTarget) by site/cluster id and object
name, so moving a site to another file, reordering or reformatting changes nothing. It reports
clusters added or removed; pools added, removed, grown, shrunk or moved (address counts per
family, and the ranges that come and go); Services whose requested address or pool changes;
advertisements, BGP peers, communities and BFD profiles added, removed or changed (field by
field; a password is never shown). Changes that can take an address away from a running
Service are flagged risky, each with its reason (MetalLB re-allocates a Service's address when
its pool or requested IPs change, or when the address leaves every pool: convergeBalancer in
MetalLB controller/service.go, v0.15.1).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.config import Item
from gitops_lb.metallb.ipnet import family_value, parse_entry, parse_ip
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.site.models import ServiceSpec
from gitops_lb.site.target import ClusterTarget

Ranges = list[tuple[int, int]]  # sorted, merged, inclusive
FAMILIES = (4, 6)
KIND_ORDER = (
    "Cluster",
    "IPAddressPool",
    "Service",
    "L2Advertisement",
    "BGPAdvertisement",
    "BGPPeer",
    "Community",
    "BFDProfile",
)
SECRET_FIELDS = frozenset({"password"})
MAX_RANGES_SHOWN = 4


@dataclass(frozen=True, slots=True)
class Change:
    cluster: str  # "site/cluster"
    kind: str
    name: str  # Services: "namespace/name"
    change: str  # added | removed | grown | shrunk | moved | changed
    details: tuple[str, ...] = ()
    risk: str | None = None  # why this can take an address from a running Service
    data: dict[str, Any] = field(default_factory=dict, compare=False)  # for --format json

    @property
    def risky(self) -> bool:
        return self.risk is not None

    def sort_key(self) -> tuple[str, int, str]:
        return (self.cluster, KIND_ORDER.index(self.kind), self.name)


@dataclass(slots=True)
class DiffResult:
    changes: list[Change] = field(default_factory=list)

    @property
    def risky(self) -> list[Change]:
        return [c for c in self.changes if c.risky]


# --- address sets ------------------------------------------------------------------------------


def address_ranges(addresses: Iterable[str]) -> dict[int, Ranges]:
    """The addresses of a pool per family, as merged ranges (invalid entries add nothing)."""
    spans: dict[int, Ranges] = {4: [], 6: []}
    for text in addresses:
        for net in parse_entry(text).nets:
            spans[net.family].append((net.first, net.last))
    return {fam: _merge(r) for fam, r in spans.items()}


def _merge(ranges: Ranges) -> Ranges:
    out: Ranges = []
    for first, last in sorted(ranges):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def subtract(a: Ranges, b: Ranges) -> Ranges:
    """The parts of a not in b."""
    out: Ranges = []
    j = 0
    for first, last in a:
        start = first
        while j < len(b) and b[j][1] < start:
            j += 1
        k = j
        while k < len(b) and b[k][0] <= last:
            if b[k][0] > start:
                out.append((start, b[k][0] - 1))
            start = max(start, b[k][1] + 1)
            k += 1
        if start <= last:
            out.append((start, last))
    return out


def count(ranges: Ranges) -> int:
    return sum(last - first + 1 for first, last in ranges)


def contains(spans: dict[int, Ranges], ip_text: str) -> bool:
    ip = parse_ip(ip_text.strip())
    if ip is None:
        return False
    fam, value = family_value(ip)
    return any(first <= value <= last for first, last in spans.get(fam, []))


def _ip(fam: int, value: int) -> str:
    return str(ipaddress.IPv4Address(value) if fam == 4 else ipaddress.IPv6Address(value))


def render_ranges(fam: int, ranges: Ranges) -> str:
    parts = []
    for first, last in ranges[:MAX_RANGES_SHOWN]:
        size = last - first + 1
        if size & (size - 1) == 0 and first % size == 0 and size > 1:
            bits = 32 if fam == 4 else 128
            parts.append(f"{_ip(fam, first)}/{bits - size.bit_length() + 1}")
        elif size == 1:
            parts.append(_ip(fam, first))
        else:
            parts.append(f"{_ip(fam, first)}-{_ip(fam, last)}")
    if len(ranges) > MAX_RANGES_SHOWN:
        parts.append(f"and {len(ranges) - MAX_RANGES_SHOWN} more")
    return ", ".join(parts)


def counts_text(spans: dict[int, Ranges]) -> str:
    parts = [f"IPv{fam} {count(spans[fam])}" for fam in FAMILIES if spans[fam]]
    return ", ".join(parts) or "no addresses"


# --- helpers -----------------------------------------------------------------------------------


def short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in SECRET_FIELDS:
            out.append(f"{key} changed")
        else:
            out.append(f"{key}: {short(old)} -> {short(new)}")
    return out


def _spec(item: Item[Any]) -> dict[str, Any]:
    spec: dict[str, Any] = item.model.spec.model_dump(mode="json")
    return spec


def _service_key(s: ServiceSpec) -> str:
    return f"{s.namespace}/{s.name}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


# --- the comparison ----------------------------------------------------------------------------


class _ClusterDiff:
    def __init__(self, base: ClusterTarget, head: ClusterTarget) -> None:
        self.base, self.head = base, head
        self.id = head.id
        self.out: list[Change] = []

    def add(
        self, kind: str, name: str, change: str, details: Sequence[str] = (), **kw: Any
    ) -> None:
        self.out.append(Change(self.id, kind, name, change, tuple(details), **kw))

    def run(self) -> list[Change]:
        self.pools()
        self.services()
        for kind, attr in (
            ("L2Advertisement", "l2advs"),
            ("BGPAdvertisement", "bgpadvs"),
            ("BGPPeer", "peers"),
            ("Community", "communities"),
            ("BFDProfile", "bfdprofiles"),
        ):
            self.objects(kind, getattr(self.base.config, attr), getattr(self.head.config, attr))
        return self.out

    # --- pools ---------------------------------------------------------------------------------

    def users(self, target: ClusterTarget, pool: str, spans: dict[int, Ranges]) -> list[str]:
        """Services of a cluster that hold or may hold an address of the pool."""
        auto = pool in {p.name for p in target.cluster.pools if p.autoAssign}
        out = []
        for s in target.cluster.services:
            if (
                s.pool == pool
                or any(contains(spans, ip) for ip in s.ips)
                or (auto and s.pool is None and not s.ips)
            ):
                out.append(_service_key(s))
        return out

    def announced(self, target: ClusterTarget) -> set[str]:
        sem = semantics_of(target.config)
        return {
            p.name
            for p in target.config.pools
            if sem.pool_l2advs.get(id(p)) or sem.pool_bgpadvs.get(id(p))
        }

    def pools(self) -> None:
        base = {p.name: p for p in reversed(self.base.config.pools)}
        head = {p.name: p for p in reversed(self.head.config.pools)}
        announced_before, announced_after = self.announced(self.base), self.announced(self.head)
        for name in sorted(set(base) | set(head)):
            old, new = base.get(name), head.get(name)
            if old is None:
                assert new is not None
                spans = address_ranges(new.model.spec.addresses)
                self.add(
                    "IPAddressPool",
                    name,
                    "added",
                    [counts_text(spans)],
                    data={"after": {f"ipv{f}": count(spans[f]) for f in FAMILIES}},
                )
                continue
            old_spans = address_ranges(old.model.spec.addresses)
            users = self.users(self.base, name, old_spans)
            if new is None:
                risk = None
                if users:
                    risk = f"removes a pool that {_service_list(users, 'draw')} from"
                self.add(
                    "IPAddressPool",
                    name,
                    "removed",
                    [counts_text(old_spans)],
                    risk=risk,
                    data={"before": {f"ipv{f}": count(old_spans[f]) for f in FAMILIES}},
                )
                continue
            found = self.pool_change(old, new, old_spans, users)
            if name in announced_before and name not in announced_after:
                head_users = self.users(self.head, name, address_ranges(new.model.spec.addresses))
                found = found or ("changed", [], None, {})
                change, details, risk, data = found
                details.append("no advertisement announces it any more")
                if head_users:
                    lost = f"nothing announces the addresses of {_service_list(head_users)}"
                    risk = f"{risk}; {lost}" if risk else lost
                found = (change, details, risk, data)
            if found:
                change, details, risk, data = found
                self.add("IPAddressPool", name, change, details, risk=risk, data=data)

    def pool_change(
        self,
        old: Item[Any],
        new: Item[Any],
        old_spans: dict[int, Ranges],
        users: list[str],
    ) -> tuple[str, list[str], str | None, dict[str, Any]] | None:
        """(change, details, risk, data) of a pool present on both sides; None: unchanged."""
        new_spans = address_ranges(new.model.spec.addresses)
        removed = {f: subtract(old_spans[f], new_spans[f]) for f in FAMILIES}
        added = {f: subtract(new_spans[f], old_spans[f]) for f in FAMILIES}
        details = []
        for f in FAMILIES:
            before, after = count(old_spans[f]), count(new_spans[f])
            if removed[f] or added[f]:
                details.append(f"IPv{f} {before} -> {after}")
            if added[f]:
                details.append(f"adds {render_ranges(f, added[f])}")
            if removed[f]:
                details.append(f"removes {render_ranges(f, removed[f])}")
        old_rest = {k: v for k, v in _spec(old).items() if k != "addresses"}
        new_rest = {k: v for k, v in _spec(new).items() if k != "addresses"}
        old_rest["labels"] = old.model.metadata.labels
        new_rest["labels"] = new.model.metadata.labels
        details += field_changes(old_rest, new_rest)
        if not details:
            return None
        any_removed = any(removed.values())
        any_added = any(added.values())
        if any_removed and any_added:
            change = "moved"
        elif any_removed:
            change = "shrunk"
        elif any_added:
            change = "grown"
        else:
            change = "changed"
        risk = None
        if any_removed and users:
            lost = [
                _service_key(s)
                for s in self.base.cluster.services
                if any(contains(removed, ip) for ip in s.ips)
            ]
            risk = f"takes addresses from a pool that {_service_list(users, 'draw')} from"
            if lost:
                risk += f"; {_service_list(lost, 'request')} a removed address"
        data = {
            "before": {f"ipv{f}": count(old_spans[f]) for f in FAMILIES},
            "after": {f"ipv{f}": count(new_spans[f]) for f in FAMILIES},
        }
        return change, details, risk, data

    # --- services ------------------------------------------------------------------------------

    def services(self) -> None:
        base = {_service_key(s): s for s in reversed(self.base.cluster.services)}
        head = {_service_key(s): s for s in reversed(self.head.cluster.services)}
        for key in sorted(set(base) | set(head)):
            old, new = base.get(key), head.get(key)
            if old is None:
                assert new is not None
                self.add("Service", key, "added", _service_summary(new))
            elif new is None:
                self.add("Service", key, "removed", _service_summary(old))
            else:
                self.service_change(key, old, new)

    def service_change(self, key: str, old: ServiceSpec, new: ServiceSpec) -> None:
        details = []
        risks = []
        change = "changed"
        if old.ips != new.ips:
            change = "moved"
            details.append(f"ips: {_ips(old.ips)} -> {_ips(new.ips)}")
            risks.append("its address changes")
        if old.pool != new.pool:
            change = "moved"
            details.append(f"pool: {old.pool or '(automatic)'} -> {new.pool or '(automatic)'}")
            risks.append("MetalLB re-allocates its address from the new pool")
        if old.emit and not new.emit:
            details.append("no longer emitted (a reservation only)")
            risks.append("Argo CD prunes the Service unless something else manages it")
        elif new.emit and not old.emit:
            details.append("now emitted by gitops-lb")
        skip = {"ips", "pool", "emit"}
        details += field_changes(
            old.model_dump(mode="json", exclude=skip), new.model_dump(mode="json", exclude=skip)
        )
        if details:
            risk = "; ".join(risks) if risks else None
            self.add("Service", key, change, details, risk=risk)

    # --- other objects -------------------------------------------------------------------------

    def objects(self, kind: str, base_items: list[Item[Any]], head_items: list[Item[Any]]) -> None:
        base = {it.name: it for it in reversed(base_items)}
        head = {it.name: it for it in reversed(head_items)}
        for name in sorted(set(base) | set(head)):
            old, new = base.get(name), head.get(name)
            if old is None:
                self.add(kind, name, "added")
            elif new is None:
                self.add(kind, name, "removed")
            else:
                details = field_changes(_spec(old), _spec(new))
                if details:
                    self.add(kind, name, "changed", details)


def _ips(ips: list[str]) -> str:
    return ",".join(ips) if ips else "(automatic)"


def _service_summary(s: ServiceSpec) -> list[str]:
    out = [f"ips: {_ips(s.ips)}"]
    if s.pool:
        out.append(f"pool: {s.pool}")
    if not s.emit:
        out.append("reservation only")
    return out


def _service_list(keys: list[str], verb: str = "") -> str:
    """ "2 Services (a/x, a/y) draw", "1 Service (a/x) draws" (verb in its plural form)."""
    shown = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
    text = f"{_plural(len(keys), 'Service')} ({shown})"
    if verb:
        text += f" {verb}s" if len(keys) == 1 else f" {verb}"
    return text


def compare(base: Sequence[ClusterTarget], head: Sequence[ClusterTarget]) -> DiffResult:
    """Every change from base to head, sorted by cluster, kind and name."""
    before = {t.id: t for t in reversed(base)}  # the first of duplicates, as validate reports
    after = {t.id: t for t in reversed(head)}
    out: list[Change] = []
    for cid in sorted(set(before) | set(after)):
        old, new = before.get(cid), after.get(cid)
        if old is None:
            assert new is not None
            c = new.cluster
            details = [_plural(len(c.pools), "pool"), _plural(len(c.services), "service")]
            out.append(Change(cid, "Cluster", cid, "added", tuple(details)))
        elif new is None:
            c = old.cluster
            risk = None
            if c.services:
                risk = (
                    f"its Argo CD Application and MetalLB objects go away while "
                    f"{_plural(len(c.services), 'Service')} use it"
                )
            details = [_plural(len(c.pools), "pool"), _plural(len(c.services), "service")]
            out.append(Change(cid, "Cluster", cid, "removed", tuple(details), risk))
        else:
            out.extend(_ClusterDiff(old, new).run())
    out.sort(key=Change.sort_key)
    return DiffResult(out)
