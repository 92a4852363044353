"""What MetalLB's controller makes of a LoadBalancer Service.

As MetalLB v0.15.1 does it in controller/service.go (annotations, requested IPs),
internal/ipfamily/ipfamily.go (the Service's family), internal/allocator/allocator.go (pool
choice, sharing) and internal/allocator/k8salloc/k8salloc.go (ports and backend key).

Annotations (two prefixes from v0.14.9, `metallb.io` winning when present even empty; before,
`metallb.universe.tf` alone), the requested IPs as `getDesiredLbIPs` parses them, the
Service's IP family, sharing and backend keys, whether a pool's serviceAllocation admits a
Service, and which pools the automatic choice may use (which
pool holds an address is gitops_lb.metallb.poolspace). Computed once per configuration
(`services_of(cfg)`) and shared by the service rules.

Namespaces are often unknown offline: a Service without metadata.namespace goes wherever it is
applied, and namespaceSelectors match Namespace objects that are rarely part of the input. Such
questions answer None ("cannot tell") and the rules report only what is certain.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING

from gitops_lb.diagnostics import FieldPath
from gitops_lb.memo import per_object
from gitops_lb.metallb import models as m
from gitops_lb.metallb.allocation import AllocationIndex, Hit
from gitops_lb.metallb.ipnet import Net, family_value, parse_ip
from gitops_lb.metallb.poolspace import IP, PoolIndex, capacity, ip_text
from gitops_lb.metallb.selectors import matches
from gitops_lb.metallb.semantics import Semantics, selectors_valid, semantics_of
from gitops_lb.metallb.versions import Version, first, has
from gitops_lb.words import field

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item

PREFIX = "metallb.io"
DEPRECATED_PREFIX = "metallb.universe.tf"
PREFIXES = (PREFIX, DEPRECATED_PREFIX)  # the first wins whenever present, even empty
ADDRESS_POOL = "address-pool"
LB_IPS = "loadBalancerIPs"
SHARED_IP = "allow-shared-ip"
SERVICE_KEYS = (ADDRESS_POOL, LB_IPS, SHARED_IP)  # the Service annotations MetalLB reads

# what decides a Service's IP family
FAMILY_FIELDS: tuple[FieldPath, ...] = (
    ("spec", "ipFamilies"),
    ("spec", "ipFamilyPolicy"),
    ("spec", "clusterIP"),
    ("spec", "clusterIPs"),
)
# what decides where a Service's address comes from
CHOICE_FIELDS: tuple[FieldPath, ...] = (
    ("metadata", "annotations"),
    ("metadata", "labels"),
    ("metadata", "namespace"),
    ("spec", "ipFamilies"),
    ("spec", "ipFamilyPolicy"),
    ("spec", "clusterIP"),
    ("spec", "clusterIPs"),
    ("spec", "loadBalancerIP"),
)

Candidates = list[tuple["Item[m.IPAddressPool]", bool | None]]
Family = frozenset[int]  # {4}, {6} or {4, 6} (dual stack)
# what candidates() depends on: family, PreferDualStack, no namespace, a known Namespace, hits
ChoiceKey = tuple[Family | None, bool, bool, bool, tuple[Hit, ...]]

V4: Family = frozenset({4})
V6: Family = frozenset({6})
DUAL: Family = frozenset({4, 6})


def family_name(family: Family | int) -> str:
    if isinstance(family, int):
        return f"IPv{family}"
    return "dual-stack" if family == DUAL else f"IPv{min(family)}"


# --- annotations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Annotation:
    key: str  # the full key as written
    value: str

    @property
    def path(self) -> FieldPath:
        return ("metadata", "annotations", self.key)


def prefixes_for(version: Version) -> tuple[str, ...]:
    """The prefixes MetalLB `version` reads, the winning one first: metallb.io/ then
    metallb.universe.tf/ from v0.14.9, metallb.universe.tf/ alone before."""
    return PREFIXES if has(version, "metallb_io_annotations") else (DEPRECATED_PREFIX,)


def find_annotation(
    annotations: Mapping[str, str], name: str, prefixes: Sequence[str] = PREFIXES
) -> Annotation | None:
    """The annotation MetalLB reads for `name`: the first of `prefixes` present wins (from
    v0.14.9 metallb.io/, whenever it is present)."""
    for prefix in prefixes:
        key = f"{prefix}/{name}"
        if key in annotations:
            return Annotation(key, annotations[key])
    return None


def annotation_value(annotations: Mapping[str, str], name: str) -> str | None:
    found = find_annotation(annotations, name)
    return found.value if found is not None else None


def annotation(svc: m.Service, name: str, prefixes: Sequence[str] = PREFIXES) -> Annotation | None:
    return find_annotation(svc.metadata.annotations, name, prefixes)


# --- requested IPs ----------------------------------------------------------------------------


def family_of(ips: Sequence[IP]) -> Family | None:
    """One address: its family; two of different families: dual; anything else: invalid."""
    if len(ips) == 1:
        return frozenset({ips[0][0]})
    if len(ips) == 2 and ips[0][0] != ips[1][0]:
        return DUAL
    return None


@dataclass(frozen=True, slots=True)
class Request:
    """IPs asked for in one place: the loadBalancerIPs annotation or spec.loadBalancerIP."""

    label: str  # "metallb.io/loadBalancerIPs" or "spec.loadBalancerIP" ("ips" on a site spec)
    path: FieldPath
    text: str
    ips: tuple[IP, ...] = ()
    error: str | None = None

    @property
    def family(self) -> Family | None:
        return family_of(self.ips)

    def shown(self) -> str:
        return ", ".join(ip_text(ip) for ip in self.ips)


def split_ips(text: str) -> list[str]:
    """The loadBalancerIPs annotation as MetalLB splits it: on ',', each part trimmed."""
    return [p.strip() for p in text.split(",")]


def parse_request(label: str, path: FieldPath, text: str, *, single: bool) -> Request:
    """MetalLB's parsing: split on ',' and trim (annotation) or one address as is (spec field)."""
    parts = [text] if single else split_ips(text)
    ips: list[IP] = []
    for part in parts:
        ip = parse_ip(part)
        if ip is None:
            what = "an empty element" if part == "" else f"{part!r}, which is not an IP address"
            return Request(label, path, text, error=f"{label} {text!r} has {what}")
        ips.append(family_value(ip))
    if len(ips) > 2:
        return Request(label, path, text, error=f"{label} {text!r} has more than two addresses")
    if family_of(ips) is None:
        fam = family_name(ips[0][0])
        return Request(
            label,
            path,
            text,
            error=f"{label} {text!r} has two {fam} addresses; a second address must be of "
            "the other family",
        )
    return Request(label, path, text, tuple(ips))


def requests_of(
    svc: m.Service,
    named: Callable[[FieldPath, str], str] | None = None,
    prefixes: Sequence[str] = PREFIXES,
) -> tuple[Request, ...]:
    """Every non-empty place the Service requests IPs (MetalLB refuses the Service if two),
    under the annotation `prefixes` the target release reads.

    `named(path, label)` names each place for messages (default: the annotation key, or
    `spec.loadBalancerIP`)."""
    out: list[Request] = []
    ann = annotation(svc, LB_IPS, prefixes)
    if ann is not None and ann.value != "":
        label = named(ann.path, ann.key) if named else ann.key
        out.append(parse_request(label, ann.path, ann.value, single=False))
    if svc.spec.loadBalancerIP != "":
        path = ("spec", "loadBalancerIP")
        label = named(path, "spec.loadBalancerIP") if named else "spec.loadBalancerIP"
        out.append(parse_request(label, path, svc.spec.loadBalancerIP, single=True))
    return tuple(out)


# --- the Service ------------------------------------------------------------------------------


def service_family(spec: m.ServiceSpec) -> Family | None:
    """From clusterIPs/clusterIP when written, else ipFamilyPolicy/ipFamilies (default IPv4)."""
    written = spec.clusterIPs or ([spec.clusterIP] if spec.clusterIP else [])
    if written:
        parsed = [parse_ip(t) for t in written]
        ips = [family_value(ip) for ip in parsed if ip is not None]
        return family_of(ips) if len(ips) == len(parsed) else None
    families = spec.ipFamilies
    if spec.ipFamilyPolicy == "RequireDualStack" or (
        spec.ipFamilyPolicy == "PreferDualStack" and len(set(families)) == 2
    ):
        return DUAL
    if families and families[0] == "IPv6":
        return V6
    return V4


@dataclass(eq=False)
class ServiceView:
    """One LoadBalancer Service as MetalLB's controller sees it."""

    item: Item[m.Service]
    prefixes: tuple[str, ...] = PREFIXES  # the annotation prefixes the release reads

    @property
    def svc(self) -> m.Service:
        return self.item.model

    @property
    def namespace(self) -> str | None:
        return self.item.namespace

    @property
    def labels(self) -> dict[str, str]:
        return self.svc.metadata.labels

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.item.name}" if self.namespace else self.item.name

    @cached_property
    def family(self) -> Family | None:
        if not self.item.sure(*FAMILY_FIELDS):
            return None  # not read as written (schema errors): cannot tell
        return service_family(self.svc.spec)

    @property
    def prefer_dual(self) -> bool:
        return self.svc.spec.ipFamilyPolicy == "PreferDualStack" and self.family == DUAL

    @cached_property
    def requests(self) -> tuple[Request, ...]:
        return requests_of(self.svc, partial(field, self.item), self.prefixes)

    @property
    def desired(self) -> Request | None:
        """The one valid request MetalLB acts on (none when absent, invalid or doubled)."""
        if len(self.requests) == 1 and self.requests[0].error is None:
            return self.requests[0]
        return None

    @cached_property
    def pool_annotation(self) -> Annotation | None:
        ann = annotation(self.svc, ADDRESS_POOL, self.prefixes)
        return ann if ann is not None and ann.value != "" else None

    @property
    def automatic(self) -> bool:
        return not self.requests and self.pool_annotation is None

    @cached_property
    def sharing(self) -> Annotation | None:
        return annotation(self.svc, SHARED_IP, self.prefixes)

    @property
    def sharing_key(self) -> str:
        return self.sharing.value if self.sharing is not None else ""

    @property
    def backend_key(self) -> str:
        """ "" for Cluster; the sorted pod selector for Local (empty selector: like Cluster)."""
        if self.svc.spec.externalTrafficPolicy != "Local":
            return ""
        return ",".join(f"{k}={v}" for k, v in sorted(self.svc.spec.selector.items()))

    @property
    def ports(self) -> list[tuple[str, int]]:
        return [(p.protocol, p.port) for p in self.svc.spec.ports]

    @cached_property
    def choice_known(self) -> bool:
        """What decides where its address comes from was read as written (annotations,
        labels, namespace, IP family, requested IPs): not salvaged from schema errors."""
        return self.item.sure(*CHOICE_FIELDS)


def is_metallb_service(svc: m.Service) -> bool:
    return svc.spec.type == "LoadBalancer" and not svc.spec.loadBalancerClass


# --- serviceAllocation ------------------------------------------------------------------------


def both(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued AND (None: cannot tell)."""
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def either(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued OR."""
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


class ServiceSemantics:
    """Kept by `services_of` while its ClusterConfig lives, so it must not hold the
    configuration strongly (see gitops_lb.memo): it would never be freed."""

    def __init__(self, cfg: ClusterConfig) -> None:
        self._cfg = weakref.ref(cfg)
        self._version = cfg.metallb_version
        # from v0.15.0 a serviceAllocation that names and selects nothing takes every Service
        self._select_all = has(cfg.metallb_version, "empty_allocation_matches_all")
        self._candidates: dict[ChoiceKey, Candidates] = {}
        self._base: dict[tuple[object, ...], tuple[list[int], Candidates]] = {}
        self._keys: dict[ServiceView, ChoiceKey] = {}

    @property
    def cfg(self) -> ClusterConfig:
        cfg = self._cfg()
        if cfg is None:  # pragma: no cover - only reachable through services_of(cfg)
            raise ReferenceError("the configuration of these semantics is gone")
        return cfg

    @property
    def sem(self) -> Semantics:
        return semantics_of(self.cfg)

    @cached_property
    def views(self) -> list[ServiceView]:
        prefixes = prefixes_for(self.cfg.metallb_version)
        return [ServiceView(s, prefixes) for s in self.cfg.services if is_metallb_service(s.model)]

    @cached_property
    def index(self) -> PoolIndex:
        blocks: list[tuple[Net, int, Item[m.IPAddressPool]]] = []
        for order, pool in enumerate(self.cfg.pools):
            for entry in self.sem.pool_entries[id(pool)]:
                blocks.extend((net, order, pool) for net in entry.nets)
        return PoolIndex(blocks)

    @cached_property
    def _families(self) -> dict[int, set[int]]:
        return {id(p): self.sem.pool_families(p) for p in self.cfg.pools}

    def families(self, pool: Item[m.IPAddressPool]) -> set[int]:
        return self._families[id(pool)]

    def nets(self, pool: Item[m.IPAddressPool]) -> list[Net]:
        return [n for e in self.sem.pool_entries[id(pool)] for n in e.nets]

    def capacity(self, pool: Item[m.IPAddressPool], family: int) -> int:
        return capacity(self.nets(pool), family, pool.model.spec.avoidBuggyIPs)

    # namespace membership in a pool's resolved namespace set (MetalLB v0.15.1 resolves it in
    # internal/config/config.go and checks it in internal/allocator/allocator.go) -----------

    def in_namespaces(self, sa: m.ServiceAllocation, ns: str | None) -> bool | None:
        """Is ns in `namespaces` or a Namespace namespaceSelectors match? None: unknown."""
        if ns is not None and ns in sa.namespaces:
            return True
        labels = self.sem.namespace_labels
        known = ns is not None and ns in labels
        unlisted = unlisted_in_namespaces(sa, ns is None, known)
        if unlisted is False and ns is not None and known:
            return any(matches(s, labels[ns]) for s in sa.namespaceSelectors)
        return unlisted

    def namespace_set_nonempty(self, sa: m.ServiceAllocation) -> bool | None:
        if sa.namespaces:
            return True
        if not sa.namespaceSelectors:
            return False
        if selectors_valid(sa.namespaceSelectors) and semantics_of(
            self.cfg
        ).namespace_index.positions(sa.namespaceSelectors):
            return True
        return None  # Namespaces outside the input may match

    def namespace_ok(self, sa: m.ServiceAllocation, ns: str | None) -> bool | None:
        """The namespace is in the resolved set, or the set is empty."""
        nonempty = self.namespace_set_nonempty(sa)
        empty = None if nonempty is None else not nonempty
        return either(self.in_namespaces(sa, ns), empty)

    def labels_ok(self, sa: m.ServiceAllocation, view: ServiceView) -> bool | None:
        """No serviceSelectors, or one of them matches the Service's labels."""
        unselected = unselected_labels(sa)
        if unselected is False and any(matches(s, view.labels) for s in sa.serviceSelectors):
            return True
        return unselected

    def compatible(self, pool: Item[m.IPAddressPool], view: ServiceView) -> bool | None:
        """isPoolCompatibleWithService: namespace set (when non-empty) AND serviceSelectors."""
        sa = pool.model.spec.serviceAllocation
        if sa is None:
            return True
        return self._compatible(
            sa, self.in_namespaces(sa, view.namespace), self.labels_ok(sa, view)
        )

    def _compatible(
        self, sa: m.ServiceAllocation, in_ns: bool | None, labels_ok: bool | None
    ) -> bool | None:
        """compatible() from what in_namespaces and labels_ok answered."""
        nonempty = self.namespace_set_nonempty(sa)
        empty = None if nonempty is None else not nonempty
        return both(either(in_ns, empty), labels_ok)

    def why_incompatible(self, pool: Item[m.IPAddressPool], view: ServiceView) -> str:
        sa = pool.model.spec.serviceAllocation
        parts = []
        if sa is not None and self.namespace_ok(sa, view.namespace) is False:
            if sa.namespaces:
                parts.append("namespaces " + ", ".join(sorted(sa.namespaces)))
            else:
                parts.append("the Namespaces its namespaceSelectors match")
        if sa is not None and self.labels_ok(sa, view) is False:
            parts.append("Services its serviceSelectors match")
        return "its serviceAllocation admits only " + " and ".join(parts or ["other Services"])

    # automatic assignment (MetalLB internal/allocator/allocator.go, v0.15.1) ---------------

    def pinned(self, pool: Item[m.IPAddressPool], view: ServiceView) -> bool | None:
        sa = pool.model.spec.serviceAllocation
        if sa is None:
            return False
        return pinned(sa, self.in_namespaces(sa, view.namespace), self._select_all)

    def candidate(self, pool: Item[m.IPAddressPool], view: ServiceView) -> tuple[bool | None, str]:
        """Can automatic assignment give this Service an address from the pool? And why not."""
        sa = pool.model.spec.serviceAllocation
        in_ns = labels_ok = None
        if sa is not None:
            in_ns, labels_ok = self.in_namespaces(sa, view.namespace), self.labels_ok(sa, view)
        ok, why = self._verdict(pool, view.family, view.prefer_dual, in_ns, labels_ok)
        if why == ALLOCATION:
            if self.compatible(pool, view) is False:
                return False, f"is not for it ({self.why_incompatible(pool, view)})"
            if sa is not None and not self._select_all and selects_nothing(sa):
                return False, (
                    "has a serviceAllocation that lists no namespace and selects no Service: "
                    f"MetalLB {self._version} never assigns from it automatically (from "
                    f"{first('empty_allocation_matches_all')} it takes every Service)"
                )
            return False, "has a serviceAllocation whose namespaceSelectors skip its namespace"
        return ok, why

    def _verdict(
        self,
        pool: Item[m.IPAddressPool],
        family: Family | None,
        prefer_dual: bool,
        in_ns: bool | None,
        labels_ok: bool | None,
    ) -> tuple[bool | None, str]:
        """candidate() from the Service's family and what in_namespaces and labels_ok answered
        for the pool's serviceAllocation; ALLOCATION when that refuses the Service."""
        spec = pool.model.spec
        if not spec.autoAssign and pool.sure(("spec", "autoAssign")):
            return False, "has autoAssign false"
        if not pool.sure(("spec",)):
            return None, ""  # read in part (schema errors): cannot tell
        ok: bool | None = True
        sa = spec.serviceAllocation
        if sa is not None:
            ok = both(pinned(sa, in_ns, self._select_all), self._compatible(sa, in_ns, labels_ok))
            if ok is False:
                return False, ALLOCATION
        families = self.families(pool)
        if family is not None:
            if prefer_dual and families & family:
                pass
            elif not family <= families:
                missing = ", ".join(family_name(f) for f in sorted(family - families))
                return False, f"has no {missing} addresses"
        return ok, ""

    def candidates(self, view: ServiceView) -> Candidates:
        """Pools automatic assignment may use (True) or might use (None: cannot tell)."""
        key = self._keys.get(view)
        if key is None:
            ns = view.namespace
            known = ns is not None and ns in self.sem.namespace_labels
            hits = self._allocation.hits(ns, view.labels)
            key = self._keys[view] = (view.family, view.prefer_dual, ns is None, known, hits)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = self._choose(*key)
        return found

    @cached_property
    def _allocation(self) -> AllocationIndex:
        labels = (v.labels for v in self.views)
        return AllocationIndex(self.cfg.pools, self.sem.namespace_index, labels)

    def _choose(
        self,
        family: Family | None,
        prefer_dual: bool,
        no_ns: bool,
        known_ns: bool,
        hits: tuple[Hit, ...],
    ) -> Candidates:
        """candidates() for Services alike in family, kind of namespace and `hits`: the pools
        that take no notice of such Services (computed once for all of them), with the
        verdicts of the pools in `hits` put in their places."""
        positions, base = self._unnoticed(family, prefer_dual, no_ns, known_ns)
        if not hits:
            return base
        pools = self.cfg.pools
        out: Candidates = []
        start = 0
        for hit in hits:
            at = bisect_left(positions, hit.position, start)
            out.extend(base[start:at])
            start = at + 1 if at < len(positions) and positions[at] == hit.position else at
            pool = pools[hit.position]
            sa = pool.model.spec.serviceAllocation
            assert sa is not None  # only pools with a serviceAllocation are hit
            in_ns = True if hit.namespace else unlisted_in_namespaces(sa, no_ns, known_ns)
            labels_ok = True if hit.labels else unselected_labels(sa)
            ok, _ = self._verdict(pool, family, prefer_dual, in_ns, labels_ok)
            if ok is not False:
                out.append((pool, ok))
        out.extend(base[start:])
        return out

    def _unnoticed(
        self, family: Family | None, prefer_dual: bool, no_ns: bool, known_ns: bool
    ) -> tuple[list[int], Candidates]:
        """(positions, candidates) for a Service no serviceAllocation lists, selects or picks
        by label (the same for every such Service of this family and kind of namespace)."""
        key = (family, prefer_dual, no_ns, known_ns)
        found = self._base.get(key)
        if found is None:
            positions: list[int] = []
            out: Candidates = []
            for i, pool in enumerate(self.cfg.pools):
                sa = pool.model.spec.serviceAllocation
                in_ns = labels_ok = None
                if sa is not None:
                    in_ns = unlisted_in_namespaces(sa, no_ns, known_ns)
                    labels_ok = unselected_labels(sa)
                ok, _ = self._verdict(pool, family, prefer_dual, in_ns, labels_ok)
                if ok is not False:
                    positions.append(i)
                    out.append((pool, ok))
            found = self._base[key] = (positions, out)
        return found

    def landing(self, view: ServiceView) -> list[Item[m.IPAddressPool]]:
        """The pools the Service's address may come from (empty: none, or cannot tell)."""
        if view.requests:
            pool = self.index.pool_for(view.desired.ips) if view.desired else None
            return [pool] if pool is not None else []
        if view.pool_annotation is not None:
            named = self.sem.pools_by_name.get(view.pool_annotation.value)
            return [named] if named is not None else []
        return [pool for pool, _ in self.candidates(view)]


ALLOCATION = "allocation"  # _verdict: the serviceAllocation refuses the Service


def selects_nothing(sa: m.ServiceAllocation) -> bool:
    """No namespaces, namespaceSelectors or serviceSelectors (a priority only, say)."""
    return not (sa.namespaces or sa.namespaceSelectors or sa.serviceSelectors)


def pinned(sa: m.ServiceAllocation, in_ns: bool | None, select_all: bool = True) -> bool | None:
    """The pool prefers the Service: its namespace is in the set, or the pool selects Services
    by label (or, from MetalLB v0.15.0, `select_all`, selects everything when it names and
    selects nothing; before, such a pool is never used automatically)."""
    by_selector = bool(sa.serviceSelectors) or (select_all and selects_nothing(sa))
    return either(in_ns, by_selector)


def unlisted_in_namespaces(sa: m.ServiceAllocation, no_ns: bool, known_ns: bool) -> bool | None:
    """in_namespaces for a namespace the pool neither lists nor selects: no_ns for a Service
    without one, known_ns when it is a Namespace of the input."""
    if not sa.namespaceSelectors:
        return None if no_ns else False
    if no_ns or not known_ns or not selectors_valid(sa.namespaceSelectors):
        return None
    return False


def unselected_labels(sa: m.ServiceAllocation) -> bool | None:
    """labels_ok for labels no serviceSelector matches."""
    if not sa.serviceSelectors:
        return True
    if not selectors_valid(sa.serviceSelectors):
        return None
    return False


@per_object
def services_of(cfg: ClusterConfig) -> ServiceSemantics:
    """The shared ServiceSemantics of a configuration (computed once)."""
    return ServiceSemantics(cfg)
