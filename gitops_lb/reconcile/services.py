"""Services: the ones Git declares (present, LoadBalancer, MetalLB requests, addresses) and
LoadBalancer Services Git does not declare that hold addresses of a managed pool; which pool
holds an address (MetalLB's poolFor, through gitops_lb.metallb.services)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.diagnostics import FieldPath, Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.ipnet import family_value, parse_ip
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import (
    ADDRESS_POOL,
    LB_IPS,
    PREFIXES,
    SHARED_IP,
    find_annotation,
    services_of,
    split_ips,
)
from gitops_lb.reconcile.desired import Desired
from gitops_lb.reconcile.difference import Difference, difference, show
from gitops_lb.reconcile.normalize import metadata_differences
from gitops_lb.reconcile.state import LiveState, mapping, meta, name_of, namespace_of, str_map

REQUESTS = {"pool": ADDRESS_POOL, "ips": LB_IPS, "sharing": SHARED_IP}
REQUEST_KEYS = frozenset(f"{p}/{k}" for p in PREFIXES for k in REQUESTS.values())
INGRESS: FieldPath = ("status", "loadBalancer", "ingress")


@dataclass(frozen=True, slots=True)
class Requests:
    """What a Service asks MetalLB for; `paths` says where each request was written."""

    pool: str | None
    ips: list[str] | None  # normalised, sorted
    sharing: str | None
    paths: Mapping[str, FieldPath]


def normalise_ip(text: str) -> str:
    ip = parse_ip(text.strip())
    return str(ip) if ip is not None else text.strip()


def read_requests(annotations: Mapping[str, str], load_balancer_ip: str) -> Requests:
    """metallb.io/<key> wins over metallb.universe.tf/<key> when present, even empty (MetalLB
    controller/service.go, v0.15.1);
    spec.loadBalancerIP counts as the requested IP when no annotation asks for IPs."""
    found = {field: find_annotation(annotations, short) for field, short in REQUESTS.items()}
    values = {field: a.value if a is not None else None for field, a in found.items()}
    paths: dict[str, FieldPath] = {field: a.path for field, a in found.items() if a is not None}
    raw_ips = values["ips"]
    ips: list[str] | None = None
    if raw_ips is not None:
        ips = sorted(normalise_ip(p) for p in split_ips(raw_ips))
    elif load_balancer_ip:
        ips, paths["ips"] = [normalise_ip(load_balancer_ip)], ("spec", "loadBalancerIP")
    return Requests(values["pool"], ips, values["sharing"], paths)


def pool_has(cfg: ClusterConfig, pool: Item[m.IPAddressPool], ip_text: str) -> bool:
    """Whether MetalLB may hand out `ip_text` from `pool` (avoidBuggyIPs respected)."""
    ip = parse_ip(ip_text.strip())
    return ip is not None and services_of(cfg).index.admits(pool, family_value(ip))


def pool_containing(cfg: ClusterConfig, ip_text: str) -> Item[m.IPAddressPool] | None:
    """The pool MetalLB takes `ip_text` from (its poolFor), or None."""
    ip = parse_ip(ip_text.strip())
    return services_of(cfg).index.pool_for([family_value(ip)]) if ip is not None else None


def ingress_ips(obj: Mapping[str, Any]) -> list[str]:
    ingress = mapping(obj, "status", "loadBalancer").get("ingress")
    if not isinstance(ingress, list):
        return []
    return [e["ip"] for e in ingress if isinstance(e, dict) and isinstance(e.get("ip"), str)]


def check_services(d: Desired, live: LiveState) -> Iterator[Difference]:
    if not live.readable("Service"):
        return
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for obj in live.get("Service"):
        found.setdefault((namespace_of(obj) or "default", name_of(obj)), obj)
    declared: set[tuple[str, str]] = set()
    for item in d.config.services:
        key = (item.namespace or "default", item.name)
        if key in declared:
            continue
        declared.add(key)
        if item.model.spec.type != "LoadBalancer":
            continue  # not a MetalLB concern
        current = found.get(key)
        if current is not None:
            yield from ServiceCheck(d.config, item, current).run()
            continue
        reserved = key in d.reserved
        yield difference(
            "missing",
            Severity.WARNING if reserved else Severity.ERROR,
            ("Service", *key),
            f"Service {key[0]}/{key[1]} "
            + (
                "is reserved in Git (emit: false) but does not exist in the cluster"
                if reserved
                else "is in Git but not in the cluster"
            ),
            item=item,
        )
    yield from unmanaged(d.config, found, declared)


class ServiceCheck:
    """One Service that Git declares and the cluster has."""

    def __init__(self, cfg: ClusterConfig, item: Item[m.Service], obj: Mapping[str, Any]) -> None:
        self.cfg = cfg
        self.item = item
        self.obj = obj
        self.ns = item.namespace or "default"
        self.ref = f"Service {self.ns}/{item.name}"

    def diff(self, type_: str, message: str, path: FieldPath, want: Any, have: Any) -> Difference:
        return difference(
            type_,
            Severity.ERROR,
            ("Service", self.ns, self.item.name),
            f"{self.ref} {message}",
            path=path,
            desired=want,
            live=have,
            item=self.item,
        )

    def run(self) -> Iterator[Difference]:
        spec = mapping(self.obj, "spec")
        live_type = spec.get("type") or "ClusterIP"
        if live_type != "LoadBalancer":
            message = f"is type {live_type} live, not LoadBalancer"
            yield self.diff("changed", message, ("spec", "type"), "LoadBalancer", live_type)
            return
        model = self.item.model
        want = read_requests(model.metadata.annotations, model.spec.loadBalancerIP)
        live_meta = meta(self.obj)
        have = read_requests(
            str_map(live_meta.get("annotations")), str(spec.get("loadBalancerIP") or "")
        )
        for field, short in REQUESTS.items():
            w, h = getattr(want, field), getattr(have, field)
            if w != h:
                path = want.paths.get(field) or have.paths.get(field)
                path = path or ("metadata", "annotations", f"{PREFIXES[0]}/{short}")
                message = f"{short}: Git {show(w)}, live {show(h)}"
                yield self.diff("changed", message, path, w, h)
        desired_meta = model.metadata.model_dump(mode="json")
        for path, w, h in metadata_differences(desired_meta, live_meta, skip=REQUEST_KEYS):
            message = f"{path[1]} {path[2]}: Git {show(w)}, live {show(h)}"
            yield self.diff("changed", message, path, w, h)
        yield from self.addresses(want, ingress_ips(self.obj))

    def addresses(self, want: Requests, ips: list[str]) -> Iterator[Difference]:
        if not ips:
            asked = want.ips or want.pool
            message = "has no load-balancer address (MetalLB assigned none)"
            yield self.diff("unassigned", message, INGRESS, asked, [])
        elif want.ips:
            if sorted(normalise_ip(ip) for ip in ips) != want.ips:
                message = f"has {show(ips)}; Git requests {show(want.ips)}"
                yield self.diff("misassigned", message, INGRESS, want.ips, ips)
        elif want.pool is not None:
            pool = semantics_of(self.cfg).pools_by_name.get(want.pool)
            if pool is None:
                return  # a pool Git does not declare: lint reports that
            outside = [ip for ip in ips if not pool_has(self.cfg, pool, ip)]
            if outside:
                addresses = show(list(pool.model.spec.addresses))
                message = f"has {show(outside)} outside its pool {want.pool} {addresses}"
                yield self.diff("misassigned", message, INGRESS, want.pool, ips)
        else:
            stray = [ip for ip in ips if pool_containing(self.cfg, ip) is None]
            if stray:
                message = f"has {show(stray)}, which no pool in Git contains"
                yield self.diff("misassigned", message, INGRESS, None, ips)


def unmanaged(
    cfg: ClusterConfig,
    found: Mapping[tuple[str, str], Mapping[str, Any]],
    declared: set[tuple[str, str]],
) -> Iterator[Difference]:
    for (ns, name), obj in sorted(found.items()):
        if (ns, name) in declared or mapping(obj, "spec").get("type") != "LoadBalancer":
            continue
        held = [(ip, pool) for ip in ingress_ips(obj) if (pool := pool_containing(cfg, ip))]
        if not held:
            continue
        ips = [ip for ip, _ in held]
        pools = ", ".join(sorted({pool.name for _, pool in held}))
        yield difference(
            "unmanaged",
            Severity.WARNING,
            ("Service", ns, name),
            f"Service {ns}/{name} is not in Git but holds {show(ips)} from pool {pools}",
            path=INGRESS,
            live=ips,
        )
