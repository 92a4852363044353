"""What the fleet holds now (`gitops-lb status`): per pool its size from Git and what MetalLB's
IPAddressPool status says is assigned and available, per Service its addresses and who
announces it against the speaker plan, and MetalLB's ConfigurationState verdicts.

The size of a pool is counted from Git, per family, as MetalLB hands addresses out: the
addresses of its CIDRs and ranges (netaddr IPSet), less the IPv4 addresses ending in .0 or
.255 when avoidBuggyIPs is set. Assigned and available come from the live pool's status
(MetalLB 0.15: assignedIPv4, availableIPv4, assignedIPv6, availableIPv6); without a status (an
older MetalLB, or a status not written yet) they are unknown. A pool's use is assigned over
assigned plus available, per family; a family used above the threshold is a warning.

A Service's pool is the pool of Git that holds its load-balancer addresses. Its announcers are
the ServiceL2Status (the node, and the interfaces when restricted) and ServiceBGPStatus (a node
and its peers) objects MetalLB writes. An announcer is checked against the plan compile writes
(compile/plan.py speaker_plan): a node that announces a pool the plan gives it no
advertisement for, on an interface the plan does not list, or to a peer the plan does not list,
is a warning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netaddr import IPAddress, IPRange, IPSet

from gitops_lb.compile.plan import speaker_plan
from gitops_lb.config import Item
from gitops_lb.diagnostics import Location, Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import parse_entry
from gitops_lb.printable import printable
from gitops_lb.reconcile.drift import check_configuration_state
from gitops_lb.reconcile.services import ingress_ips, normalise_ip, pool_containing
from gitops_lb.reconcile.state import LiveState, mapping, name_of, namespace_of
from gitops_lb.report import json_header
from gitops_lb.site.target import ClusterTarget

FAMILIES = {4: "IPv4", 6: "IPv6"}
DEFAULT_WARN_USED = 80.0

# rule ids of the findings (stable: JSON `rule`)
POOL_USED = "pool-used"
ANNOUNCER = "announcer-not-in-plan"
CONFIG_ERROR = "config-error"
UNREADABLE = "unreadable"


def parse_percent(text: str) -> float:
    """ "80%" or "80" -> 80.0; ValueError unless it is a number from 0 to 100."""
    number = text.strip().removesuffix("%").strip()
    value = float(number)
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise ValueError(text)
    return value


# --- sizes from Git -----------------------------------------------------------------------------


def pool_sets(pool: Item[m.IPAddressPool]) -> dict[int, IPSet]:
    """The addresses of a pool per family (IPv4-mapped IPv6 counted as IPv4, as MetalLB does)."""
    out: dict[int, IPSet] = {}
    for text in pool.model.spec.addresses:
        for net in parse_entry(text).nets:
            if net.family == 4:
                r = IPRange(IPAddress(net.first, 4), IPAddress(net.last, 4))
            else:
                r = IPRange(IPAddress(net.first, 6), IPAddress(net.last, 6))
            out.setdefault(net.family, IPSet()).add(r)
    return out


def buggy_count(addresses: IPSet) -> int:
    """How many IPv4 addresses of the set end in .0 or .255."""
    total = 0
    for cidr in addresses.iter_cidrs():
        if cidr.prefixlen <= 24:
            total += 2 << (24 - cidr.prefixlen)
        else:
            total += (cidr.first & 0xFF == 0) + (cidr.last & 0xFF == 255)
    return total


def pool_size(pool: Item[m.IPAddressPool]) -> dict[int, int]:
    """Per family, the addresses MetalLB may hand out from the pool."""
    out = {}
    for family, addresses in sorted(pool_sets(pool).items()):
        size = int(addresses.size)
        if family == 4 and pool.model.spec.avoidBuggyIPs:
            size -= buggy_count(addresses)
        out[family] = size
    return out


# --- the report ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    cluster: str
    object: str  # "IPAddressPool web", "Service web/nginx"
    message: str
    path: str | None = None
    location: Location | None = None

    def as_json(self) -> dict[str, Any]:
        loc = self.location
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "cluster": self.cluster,
            "object": self.object,
            "path": self.path,
            "message": self.message,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }


@dataclass(slots=True)
class ClusterStatus:
    cluster: str
    source: str | None = None
    error: str | None = None  # the cluster could not be read
    incomplete: list[str] = field(default_factory=list)  # kinds that could not be read
    pools: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    configuration: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.error is None and not self.incomplete

    def as_json(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "source": self.source,
            "readable": self.readable,
            "error": self.error,
            "unreadable": self.incomplete,
        }


@dataclass(slots=True)
class StatusReport:
    warn_used: float
    clusters: list[ClusterStatus] = field(default_factory=list)

    def exit_status(self) -> int:
        """3 when a cluster (or part of it) could not be read, else 1 when there is a finding
        (a pool used above the threshold, an announcer the plan does not allow, a
        ConfigurationState error), else 0."""
        if any(not c.readable for c in self.clusters):
            return 3
        return 1 if any(c.findings for c in self.clusters) else 0

    def as_json(self) -> dict[str, Any]:
        return {
            **json_header("status"),
            "warn_used": self.warn_used,
            "clusters": [c.as_json() for c in self.clusters],
            "pools": [p for c in self.clusters for p in c.pools],
            "services": [s for c in self.clusters for s in c.services],
            "configuration": [e for c in self.clusters for e in c.configuration],
            "findings": [f.as_json() for c in self.clusters for f in c.findings],
        }


def unreadable(target: ClusterTarget, message: str) -> ClusterStatus:
    status = ClusterStatus(target.id, error=message)
    status.findings.append(Finding(UNREADABLE, Severity.ERROR, target.id, "cluster", message))
    return status


def cluster_status(target: ClusterTarget, live: LiveState, warn_used: float) -> ClusterStatus:
    """The status of one cluster from its live state."""
    if not live.readable("IPAddressPool") and not live.readable("Service"):
        # nothing to show (the API server did not answer, or refused the credentials): the
        # first reason, not every kind that was not asked for after it
        reasons = sorted(live.unreadable.values(), key=lambda why: why.startswith("not read"))
        status = unreadable(target, reasons[0])
        status.source = live.source
        return status
    out = ClusterStatus(target.id, source=live.source)
    out.incomplete = sorted(
        k for k in live.unreadable if k in ("IPAddressPool", "Service", *_ANNOUNCE_KINDS)
    )
    for kind in out.incomplete:
        why = f"could not read {kind}: {live.unreadable[kind]}"
        out.findings.append(Finding(UNREADABLE, Severity.ERROR, target.id, kind, why))
    by_pool = _services_by_pool(target, live)
    out.pools = [
        _pool_entry(
            target,
            pool,
            live,
            by_pool.get(pool.name, []),
            warn_used=warn_used,
            findings=out.findings,
        )
        for pool in sorted(_pools(target), key=lambda p: p.name)
    ]
    out.services = _service_entries(target, live, out.findings)
    out.configuration = _configuration(target, live, out.findings)
    return out


_ANNOUNCE_KINDS = ("ServiceL2Status", "ServiceBGPStatus")


def _pools(target: ClusterTarget) -> list[Item[m.IPAddressPool]]:
    return [p for p in target.config.pools if p.model is not None]


def _location(item: Item[Any]) -> Location | None:
    pos = getattr(item.doc, "pos", None)
    return Location(item.file, pos[0], pos[1]) if pos else Location(item.file)


def _live_services(live: LiveState) -> list[tuple[str, list[str]]]:
    """("ns/name", addresses) of every live Service that holds a load-balancer address."""
    out = []
    for obj in live.get("Service"):
        ips = sorted({normalise_ip(ip) for ip in ingress_ips(obj)})
        if ips:
            out.append((f"{namespace_of(obj) or 'default'}/{name_of(obj)}", ips))
    return sorted(out)


def _services_by_pool(target: ClusterTarget, live: LiveState) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ref, ips in _live_services(live):
        for pool in sorted({p.name for p in _pools_of(target, ips)}):
            out.setdefault(pool, []).append(ref)
    return out


def _pools_of(target: ClusterTarget, ips: Iterable[str]) -> list[Item[m.IPAddressPool]]:
    found = (pool_containing(target.config, ip) for ip in ips)
    return [p for p in found if p is not None]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _pool_entry(
    target: ClusterTarget,
    pool: Item[m.IPAddressPool],
    live: LiveState,
    services: list[str],
    *,
    warn_used: float,
    findings: list[Finding],
) -> dict[str, Any]:
    sizes = pool_size(pool)
    live_pool = next((o for o in live.get("IPAddressPool") if name_of(o) == pool.name), None)
    status = mapping(live_pool, "status") if live_pool is not None else {}
    if live_pool is None:
        state = "missing" if live.readable("IPAddressPool") else "unknown"
    else:
        state = "ok" if status else "unknown"
    families: dict[str, dict[str, Any]] = {}
    for family, size in sizes.items():
        name = FAMILIES[family]
        assigned, available = (
            _int(status.get(f"assigned{name}")),
            _int(status.get(f"available{name}")),
        )
        used = None
        if assigned is not None and available is not None and assigned + available:
            used = round(100 * assigned / (assigned + available), 1)
        families[name] = {"size": size, "assigned": assigned, "available": available, "used": used}
        if used is None or used <= warn_used:
            continue
        state = "warning"
        findings.append(
            Finding(
                POOL_USED,
                Severity.WARNING,
                target.id,
                f"IPAddressPool {pool.name}",
                f"pool {pool.name}: {used:g}% of its {name} addresses are assigned ({assigned} "
                f"of {(assigned or 0) + (available or 0)}; --warn-used {warn_used:g}%)",
                path=f"status.assigned{name}",
                location=_location(pool),
            )
        )
    values = list(families.values())
    return {
        "cluster": target.id,
        "pool": pool.name,
        "size": sum(v["size"] for v in values),
        "assigned": _total(v["assigned"] for v in values),
        "available": _total(v["available"] for v in values),
        "used": max((v["used"] for v in values if v["used"] is not None), default=None),
        "families": families,
        "services": services,
        "state": state,
    }


def _total(values: Iterable[int | None]) -> int | None:
    found = list(values)
    return None if not found or any(v is None for v in found) else sum(v for v in found if v)


# --- Services and their announcers --------------------------------------------------------------


def _announcements(live: LiveState) -> dict[str, list[dict[str, Any]]]:
    """Per "ns/name", what the status objects say announces it."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, mode in (("ServiceL2Status", "L2"), ("ServiceBGPStatus", "BGP")):
        for obj in live.get(kind):
            status = mapping(obj, "status")
            ns, name, node = (status.get(k) for k in ("serviceNamespace", "serviceName", "node"))
            if not (isinstance(name, str) and isinstance(node, str)):
                continue
            entry: dict[str, Any] = {"mode": mode, "node": node}
            if mode == "L2":
                raw = status.get("interfaces")
                names = (
                    [i.get("name") for i in raw if isinstance(i, dict)]
                    if isinstance(raw, list)
                    else []
                )
                entry["interfaces"] = sorted(n for n in names if isinstance(n, str))
            else:
                raw = status.get("peers")
                entry["peers"] = (
                    sorted(p for p in raw if isinstance(p, str)) if isinstance(raw, list) else []
                )
            out.setdefault(f"{ns if isinstance(ns, str) and ns else 'default'}/{name}", []).append(
                entry
            )
    for entries in out.values():
        entries.sort(key=lambda e: (e["mode"], e["node"]))
    return out


def _service_entries(
    target: ClusterTarget, live: LiveState, findings: list[Finding]
) -> list[dict[str, Any]]:
    plan = speaker_plan(target)
    nodes = {n["name"]: n for n in plan["nodes"]}
    announced = _announcements(live)
    declared = {f"{s.namespace or 'default'}/{s.name}": s for s in target.config.services}
    out = []
    for ref, ips in _live_services(live):
        pools = sorted({p.name for p in _pools_of(target, ips)})
        entries = announced.get(ref, [])
        for entry in entries:
            problem = _against_plan(entry, pools, nodes) if nodes else None
            entry["in_plan"] = None if not nodes else problem is None
            if problem is not None:
                item = declared.get(ref)
                findings.append(
                    Finding(
                        ANNOUNCER,
                        Severity.WARNING,
                        target.id,
                        f"Service {ref}",
                        f"Service {ref}: {problem}",
                        path="status.node",
                        location=_location(item) if item is not None else None,
                    )
                )
        out.append(
            {
                "cluster": target.id,
                "service": ref,
                "addresses": ips,
                "pool": pools[0] if len(pools) == 1 else (pools or None),
                "announcers": entries,
            }
        )
    return out


def _against_plan(
    entry: dict[str, Any], pools: Sequence[str], nodes: dict[str, dict[str, Any]]
) -> str | None:
    """Why the plan does not allow this announcer, or None."""
    node, mode = entry["node"], entry["mode"]
    planned = nodes.get(node)
    if planned is None:
        return f"announced ({mode}) by node {node}, which the node inventory does not list"
    if "excluded" in planned:
        return f"announced ({mode}) by node {node}, which is {planned['excluded']}"
    if not pools:
        return f"announced ({mode}) by node {node}, but its addresses are in no pool of Git"
    plans = [e for e in planned["l2" if mode == "L2" else "bgp"] if e["pool"] in pools]
    if not plans:
        return (
            f"announced ({mode}) by node {node}, which the plan gives no "
            f"{'L2' if mode == 'L2' else 'BGP'}Advertisement for pool {', '.join(pools)}"
        )
    if mode == "L2":
        if any(e.get("allInterfaces") for e in plans):
            return None
        allowed = {i for e in plans for i in e["interfaces"]}
        extra = [i for i in entry["interfaces"] if i not in allowed]
        if not entry["interfaces"] and allowed:
            extra = ["all interfaces"]
        if extra:
            return (
                f"announced by node {node} on {', '.join(extra)}, which the plan does not list "
                f"(plan: {', '.join(sorted(allowed)) or 'no interface'})"
            )
        return None
    peers = {p for e in plans for p in e["peers"]}
    extra = [p for p in entry["peers"] if p not in peers]
    if extra:
        return (
            f"announced by node {node} to peer {', '.join(extra)}, which the plan does not list "
            f"(plan: {', '.join(sorted(peers)) or 'no peer'})"
        )
    return None


# --- ConfigurationState -------------------------------------------------------------------------


def _configuration(
    target: ClusterTarget, live: LiveState, findings: list[Finding]
) -> list[dict[str, Any]]:
    why = live.unreadable.get("ConfigurationState")
    if why is None and "ConfigurationState" in live.not_served:
        why = "the cluster does not serve ConfigurationState (MetalLB before 0.15.3)"
    if why is not None:
        return [{"cluster": target.id, "name": None, "result": "unknown", "message": why}]
    out = []
    for obj in sorted(live.get("ConfigurationState"), key=name_of):
        result = mapping(obj, "status").get("result")
        out.append(
            {
                "cluster": target.id,
                "name": name_of(obj),
                "result": result if isinstance(result, str) else "unknown",
            }
        )
    for diff in check_configuration_state(live):
        findings.append(
            Finding(
                CONFIG_ERROR,
                diff.severity,
                target.id,
                f"ConfigurationState {diff.name}",
                diff.message,
                path=diff.path,
            )
        )
    return out


# --- rendering ----------------------------------------------------------------------------------

UNKNOWN = "unknown"


def _shown(value: Any) -> str:
    return UNKNOWN if value is None else str(value)


def _used(value: float | None) -> str:
    return "-" if value is None else f"{value:g}%"


def pool_rows(pool: dict[str, Any]) -> list[list[str]]:
    """One row per family: family, size, assigned, available, used."""
    rows = []
    for family, v in pool["families"].items():
        rows.append(
            [
                family,
                str(v["size"]),
                _shown(v["assigned"]),
                _shown(v["available"]),
                _used(v["used"]),
            ]
        )
    if pool["state"] == "missing":
        rows = [[r[0], r[1], "not in cluster", "", "-"] for r in rows]
    return rows or [["-", "0", UNKNOWN, UNKNOWN, "-"]]


def announcer_text(entry: dict[str, Any]) -> str:
    if entry["mode"] == "L2":
        where = f" ({', '.join(entry['interfaces'])})" if entry["interfaces"] else ""
        text = f"L2 {entry['node']}{where}"
    else:
        text = f"BGP {entry['node']} to {', '.join(entry['peers']) or 'no peer'}"
    return text + (" (not in plan)" if entry.get("in_plan") is False else "")


def service_row(svc: dict[str, Any]) -> list[str]:
    pool = svc["pool"]
    pools = pool if isinstance(pool, str) else ", ".join(pool or []) or "-"
    announcers = "; ".join(announcer_text(e) for e in svc["announcers"]) or "-"
    return [svc["service"], ", ".join(svc["addresses"]), pools, announcers]


def finding_text(f: Finding) -> str:
    where = f"{f.location}: " if f.location is not None else ""
    return f"{where}{f.severity}: {f.cluster}: {f.message} [{f.rule}]"


def _table(header: list[str], rows: list[list[str]], indent: str) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


POOL_HEADER = ["POOL", "FAMILY", "SIZE", "ASSIGNED", "AVAILABLE", "USED", "SERVICES"]
SERVICE_HEADER = ["SERVICE", "ADDRESSES", "POOL", "ANNOUNCED BY"]


def render_text(report: StatusReport) -> str:
    out: list[str] = []
    for c in report.clusters:
        if c.error is not None:
            out.append(f"{c.cluster}: could not be read: {c.error}")
            continue
        out.append(f"{c.cluster} ({c.source})")
        rows = []
        for p in c.pools:
            services = ", ".join(p["services"]) or "-"
            for i, r in enumerate(pool_rows(p)):
                rows.append([p["pool"] if i == 0 else "", *r, services if i == 0 else ""])
        out.extend(_table(POOL_HEADER, rows, "  ") if rows else ["  no pool in Git"])
        if c.services:
            out.extend(_table(SERVICE_HEADER, [service_row(s) for s in c.services], "  "))
        config = ", ".join(
            f"{e['name']} {e['result']}" if e["name"] else f"{e['result']} ({e['message']})"
            for e in c.configuration
        )
        out.append(f"  configuration: {config or 'no ConfigurationState'}")
        out.extend(f"  {finding_text(f)}" for f in c.findings)
    out.append(summary(report))
    return "".join(f"{printable(line)}\n" for line in out)


def summary(report: StatusReport) -> str:
    clusters = report.clusters
    failed = sum(not c.readable for c in clusters)
    findings = [f for c in clusters for f in c.findings]
    counts = {
        rule: sum(f.rule == rule for f in findings) for rule in (POOL_USED, ANNOUNCER, CONFIG_ERROR)
    }
    return (
        f"{_n(len(clusters), 'cluster')}, {failed} not read completely; "
        f"{_n(counts[POOL_USED], 'pool family', 'ies', 1)} above {report.warn_used:g}% used, "
        f"{_n(counts[ANNOUNCER], 'announcer')} not in the plan, "
        f"{_n(counts[CONFIG_ERROR], 'configuration error')}"
    )


def _n(count: int, word: str, plural: str = "s", cut: int = 0) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[: len(word) - cut] if cut else word}{plural}"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(_md(c) for c in row) + " |" for row in rows)
    return lines


def render_markdown(report: StatusReport) -> str:
    """Tables for a pull request comment or a wiki page."""
    out = ["## MetalLB status", ""]
    pools = [
        [p["cluster"], p["pool"], *r, ", ".join(p["services"]) or "-"]
        for c in report.clusters
        for p in c.pools
        for r in pool_rows(p)
    ]
    header = ["Cluster", "Pool", "Family", "Size", "Assigned", "Available", "Used", "Services"]
    out += ["### Pools", "", *(_md_table(header, pools) if pools else ["No pool."]), ""]
    services = [[s["cluster"], *service_row(s)] for c in report.clusters for s in c.services]
    header = ["Cluster", "Service", "Addresses", "Pool", "Announced by"]
    out += ["### Services", "", *(_md_table(header, services) if services else ["No Service."])]
    config = [
        [e["cluster"], e["name"] or "-", e["result"], e.get("message", "")]
        for c in report.clusters
        for e in c.configuration
    ]
    if config:
        header = ["Cluster", "ConfigurationState", "Result", "Note"]
        out += ["", "### Configuration", "", *_md_table(header, config)]
    findings = [f for c in report.clusters for f in c.findings]
    if findings:
        out += ["", "### Findings", ""]
        out += [
            f"- **{f.severity}** `{f.rule}` {_md(f.cluster)}: {_md(f.message)}" for f in findings
        ]
    out += ["", summary(report)]
    return "".join(f"{printable(line)}\n" for line in out)
