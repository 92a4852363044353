"""Existing MetalLB manifests (or a live `kubectl get -o yaml` dump) -> one site spec document.

The site spec compiles back to equivalent objects: the same pools, advertisements, peers,
communities and BFD profiles with the same names and specs (fields equal to MetalLB's defaults
are left out), and the LoadBalancer Services MetalLB serves. An advertisement named after the
one pool it names, selecting no other pool, becomes the pool's `l2:` / `bgp:` shorthand (the
compiler names shorthand advertisements after their pool); every other one keeps its full form.

Safe by default: Services become reservations (`emit: false`: the site spec records what they
request, their applications keep them) unless `services="manage"`; what the cluster assigns
(node ports, cluster IPs, health-check ports, status) is never copied; without a repository
URL `argocd.repoURL` is a marker that rule site-repo-url-unset reports until it is replaced.

What a site spec cannot hold is reported as a note (labels of advertisements, node addresses
without interface names, Service fields the site spec does not model); what would make the
output wrong stops the import (objects the reader dropped, duplicate names, names that are not
DNS-1123 labels).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from gitops_lb.config import ClusterConfig, Item
from gitops_lb.diagnostics import Location
from gitops_lb.metallb import models as m
from gitops_lb.metallb.services import (
    ADDRESS_POOL,
    DEPRECATED_PREFIX,
    LB_IPS,
    PREFIX,
    PREFIXES,
    SERVICE_KEYS,
    SHARED_IP,
    annotation_value,
    split_ips,
)
from gitops_lb.rules import all_rules, run_rules
from gitops_lb.rules.site_repo_url_unset import MARKER as REPO_URL_MARKER
from gitops_lb.site import models as sm
from gitops_lb.site.lower import HOSTNAME_LABEL

# annotations that belong to the live object, not to its configuration
ARGOCD_PREFIX = "argocd.argoproj.io/"  # sync waves and options: the compiler writes its own
LIVE_ANNOTATIONS = frozenset(
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "argocd.argoproj.io/tracking-id",
        "metallb.io/ip-allocated-from-pool",
        "metallb.universe.tf/ip-allocated-from-pool",
    }
)
LABEL = re.compile(sm.DNS1123_LABEL)
# Service spec fields the site spec holds, the API server fills in, or that have this default
SERVICE_MODELLED = frozenset(
    {
        "type",
        "ports",
        "selector",
        "loadBalancerIP",
        "loadBalancerClass",
        "externalTrafficPolicy",
        "ipFamilyPolicy",
        "ipFamilies",
    }
)
SERVICE_ASSIGNED = frozenset({"clusterIP", "clusterIPs", "healthCheckNodePort"})
SERVICE_DEFAULTS: dict[str, Any] = {
    "sessionAffinity": "None",
    "internalTrafficPolicy": "Cluster",
    "allocateLoadBalancerNodePorts": True,
    "publishNotReadyAddresses": False,
}
# reading findings that do not lose an object (the namespace is set where it is applied)
HARMLESS_INTAKE = frozenset({"object-no-namespace"})
# rules whose findings make the imported site spec invalid as written
REFUSED_RULES = frozenset(
    {
        "pool-invalid-address",
        "pool-ipv4-mapped",
        "peer-address",
        "peer-invalid-ip",
        "peer-ipv4-mapped",
        "service-invalid-ips",
        "service-ipv4-mapped",
    }
)

ServiceMode = Literal["reserve", "manage", "skip"]
SERVICE_MODES: tuple[ServiceMode, ...] = ("reserve", "manage", "skip")
Platform = Literal["acp", "metallb"]
# where a comment goes in the written site spec: the keys and list indexes down to one key
CommentPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class ImportOptions:
    site: str = "imported"
    cluster: str = "default"
    platform: Platform | None = None  # None: "metallb" (import_paths: what the input says)
    server: str = "https://kubernetes.default.svc"
    repo_url: str | None = None  # None: the marker rule site-repo-url-unset reports
    bgp_mode: Literal["native", "frr", "frr-k8s"] | None = None
    namespace: str = "metallb-system"
    version: str | None = None
    annotation_prefix: str | None = None  # None: the one the Services use
    services: ServiceMode = "reserve"


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment of the written site spec: on the lines above the key `path` ends with, or
    at the end of its line (`eol`)."""

    path: CommentPath
    text: str
    eol: bool = False


@dataclass(slots=True)
class ImportResult:
    site: dict[str, Any] = field(default_factory=dict)  # plain data, keys in output order
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def spec_fields(model: BaseModel, *, drop: Iterable[str] = ()) -> dict[str, Any]:
    """The fields of a spec that differ from MetalLB's defaults, in schema order."""
    out = model.model_dump(mode="json", exclude_defaults=True)
    for key in drop:
        out.pop(key, None)
    return out


def _managed_annotation(key: str) -> bool:
    """Written by a tool (kubectl, Argo CD, MetalLB, the compiler), not configuration."""
    return key in LIVE_ANNOTATIONS or key.startswith(ARGOCD_PREFIX)


class _Importer:
    def __init__(self, cfg: ClusterConfig, opts: ImportOptions, origins: Mapping[int, str]) -> None:
        self.cfg = cfg
        self.opts = opts
        self.origins = origins  # id() of an object's document -> where it was translated from
        self.out = ImportResult()

    def comment(self, path: CommentPath, text: str, *, eol: bool = False) -> None:
        self.out.comments.append(Comment(path, text, eol))

    def note(self, message: str) -> None:
        self.out.notes.append(message)

    def problem(
        self,
        where: Item[Any] | Location,
        message: str,
        path: tuple[str, ...] = ("metadata", "name"),
    ) -> None:
        loc = where if isinstance(where, Location) else where.locate(path)
        self.out.problems.append(Problem(loc, message))

    # --- checks ----------------------------------------------------------------------------------

    def check_values(self) -> None:
        """Addresses that do not parse, or are written in IPv4-mapped notation, would be copied
        into a site spec that fails validation: refuse them here (names: check_input)."""
        everything = set(all_rules())
        skip = everything - REFUSED_RULES
        for d in run_rules(self.cfg, disabled=skip):
            self.out.problems.append(Problem(d.location, f"{d.message} [{d.rule}]"))

    def check_input(self) -> None:
        for rule, findings in sorted(self.cfg.intake.items()):
            if rule in HARMLESS_INTAKE:
                continue
            for f in findings:
                self.out.problems.append(Problem(f.where(), f"{f.message} [{rule}]"))
        self.check_values()
        groups = (
            self.cfg.pools,
            self.cfg.l2advs,
            self.cfg.bgpadvs,
            self.cfg.peers,
            self.cfg.communities,
            self.cfg.bfdprofiles,
            self.services(),
            self.cfg.nodes,
        )
        for items in groups:
            seen: dict[str, Item[Any]] = {}
            for it in items:
                if it.kind != "Node" and not LABEL.match(it.name):
                    self.problem(
                        it,
                        f"{it.kind} name {it.name!r} is not a DNS-1123 label "
                        "(lower case letters, digits and '-'), which site specs require",
                    )
                key = it.name
                if it.kind == "Service":
                    key = f"{it.namespace or 'default'}/{it.name}"
                    if not LABEL.match(it.namespace or "default"):
                        self.problem(
                            it, f"Service namespace {it.namespace!r} is not a DNS-1123 label"
                        )
                first = seen.setdefault(key, it)
                if first is not it:
                    also = first.locate(("metadata", "name"))
                    self.problem(it, f"{it.kind} {key!r} is defined twice (also at {also})")

    # --- the site document -----------------------------------------------------------------------

    def site(self) -> dict[str, Any]:
        o = self.opts
        metallb: dict[str, Any] = {"namespace": o.namespace}
        metallb["annotationPrefix"] = o.annotation_prefix or self.annotation_prefix()
        if o.version:
            metallb["version"] = o.version
        spec: dict[str, Any] = {"platform": o.platform or "metallb"}
        if o.bgp_mode:
            spec["bgpMode"] = o.bgp_mode
        elif self.cfg.peers:
            self.note("BGP peers were imported: set spec.bgpMode (native, frr or frr-k8s)")
        spec["metallb"] = metallb
        if o.repo_url:
            spec["argocd"] = {"repoURL": o.repo_url}
        else:
            spec["argocd"] = {"repoURL": REPO_URL_MARKER}
            self.comment(
                ("spec", "argocd", "repoURL"),
                "REPLACE the marker below with the URL of the Git repository Argo CD reads the\n"
                "compiled tree from: `gitops-lb validate` reports site-repo-url-unset (an error)\n"
                "and `compile` writes nothing until it is set (or import with --repo-url URL).",
            )
        spec["clusters"] = [self.cluster()]
        return {
            "apiVersion": "gitops-lb.io/v1alpha1",
            "kind": "Site",
            "metadata": {"name": o.site},
            "spec": spec,
        }

    def annotation_prefix(self) -> str:
        used: Counter[str] = Counter()
        for svc in self.services():
            for key in svc.model.metadata.annotations:
                prefix, _, rest = key.partition("/")
                if prefix in PREFIXES and rest in SERVICE_KEYS:
                    used[prefix] += 1
        if used[DEPRECATED_PREFIX] and not used[PREFIX]:
            return DEPRECATED_PREFIX
        return PREFIX

    def cluster(self) -> dict[str, Any]:
        c: dict[str, Any] = {"name": self.opts.cluster, "server": self.opts.server}
        nodes = [self.node(n) for n in self.cfg.nodes]
        if nodes:
            c["nodes"] = nodes
        pools = {p.name: self.pool(p) for p in self.cfg.pools}
        l2 = [a for a in self.cfg.l2advs if not self.shorthand(a, pools, "l2", m.L2Advertisement)]
        bgp = [
            a for a in self.cfg.bgpadvs if not self.shorthand(a, pools, "bgp", m.BGPAdvertisement)
        ]
        if pools:
            c["pools"] = list(pools.values())
            for i, p in enumerate(self.cfg.pools):
                origin = self.origins.get(id(p.doc))
                if origin is not None:
                    self.comment(
                        ("spec", "clusters", 0, "pools", i, "name"), f"from {origin}", eol=True
                    )
        full: list[tuple[str, list[Item[Any]]]] = [
            ("bgpPeers", list(self.cfg.peers)),
            ("l2Advertisements", l2),
            ("bgpAdvertisements", bgp),
            ("communities", list(self.cfg.communities)),
            ("bfdProfiles", list(self.cfg.bfdprofiles)),
        ]
        for key, items in full:
            if items:
                c[key] = [self.full_form(it) for it in items]
        if self.opts.services != "skip":
            services = [self.service(s, i) for i, s in enumerate(self.services())]
            if services:
                c["services"] = services
                if self.opts.services == "reserve":
                    self.comment(
                        ("spec", "clusters", 0, "services"),
                        "Reservations (emit: false): these Services stay with their applications;\n"
                        "gitops-lb writes none of them and only records the pool and addresses\n"
                        "they request, so that the address checks and reconcile know of them.\n"
                        "Import with --services manage to have gitops-lb write them instead.",
                    )
        return c

    def labels_note(self, it: Item[Any], *, keep_labels: bool = False) -> None:
        meta = it.model.metadata
        lost = [] if keep_labels else sorted(meta.labels)
        lost += sorted(k for k in meta.annotations if not _managed_annotation(k))
        if lost:
            self.note(
                f"{it.kind} {it.name!r}: metadata {', '.join(lost)} not kept "
                "(site specs keep the labels of pools only; MetalLB reads no other metadata)"
            )

    def pool(self, it: Item[m.IPAddressPool]) -> dict[str, Any]:
        self.labels_note(it, keep_labels=True)
        out: dict[str, Any] = {"name": it.name, "addresses": list(it.model.spec.addresses)}
        out.update(spec_fields(it.model.spec, drop=("addresses",)))
        labels = it.model.metadata.labels
        if labels:
            out["labels"] = dict(sorted(labels.items()))
        return out  # the l2: / bgp: shorthands are added after these keys

    def shorthand(
        self,
        adv: Item[Any],
        pools: dict[str, dict[str, Any]],
        key: str,
        model: type[m.L2Advertisement] | type[m.BGPAdvertisement],
    ) -> bool:
        """Fold an advertisement into its pool's shorthand when that compiles to the same object."""
        spec = adv.model.spec
        pool = pools.get(adv.name)
        if (
            pool is None
            or key in pool
            or spec.ipAddressPools != [adv.name]
            or spec.ipAddressPoolSelectors
        ):
            return False
        self.labels_note(adv)
        pool[key] = spec_fields(spec, drop=("ipAddressPools",))
        return True

    def full_form(self, it: Item[Any]) -> dict[str, Any]:
        self.labels_note(it)
        spec = it.model.spec
        out = {"name": it.name, **spec_fields(spec)}
        if isinstance(spec, m.BGPPeerSpec):
            if spec.password:  # never written anywhere: a Secret takes its place
                out.pop("password", None)
                if spec.passwordSecret is None:
                    out["passwordSecret"] = {"name": f"{it.name}-bgp-password"}
                    ns = self.opts.namespace
                    self.note(
                        f"BGPPeer {it.name!r} has its password in clear, which gitops-lb never "
                        f"writes: the site spec refers to Secret '{it.name}-bgp-password' "
                        f"instead; create it: kubectl -n {ns} create secret generic "
                        f"{it.name}-bgp-password --type=kubernetes.io/basic-auth "
                        "--from-literal=password=..."
                    )
            if spec.passwordSecret is not None:
                self.note(
                    f"BGPPeer {it.name!r} uses Secret {spec.passwordSecret.name!r}: "
                    "the site spec does not hold Secrets; keep applying it separately"
                )
        if isinstance(spec, m.BGPPeerSpec) and _v1beta1_without_port(it):
            out.pop("peerPort", None)  # conversion gave it MetalLB's default, 179
            self.note(f"BGPPeer {it.name!r} has no peerPort; the site spec uses port 179")
        return out

    # --- services --------------------------------------------------------------------------------

    def services(self) -> list[Item[m.Service]]:
        """LoadBalancer Services of no load-balancer class: the ones MetalLB serves."""
        out = []
        for s in self.cfg.services:
            spec = s.model.spec
            if spec.type == "LoadBalancer" and spec.loadBalancerClass is None:
                out.append(s)
        return sorted(out, key=lambda s: (s.namespace or "default", s.name))

    def service(self, it: Item[m.Service], index: int) -> dict[str, Any]:
        meta, spec = it.model.metadata, it.model.spec
        annotations = dict(meta.annotations)
        pool = annotation_value(annotations, ADDRESS_POOL)
        ips_text = annotation_value(annotations, LB_IPS)
        sharing = annotation_value(annotations, SHARED_IP)
        for prefix in PREFIXES:
            for key in SERVICE_KEYS:
                annotations.pop(f"{prefix}/{key}", None)
        annotations = {k: v for k, v in annotations.items() if not _managed_annotation(k)}
        ips = split_ips(ips_text) if ips_text else []
        if not ips and spec.loadBalancerIP:
            ips = [spec.loadBalancerIP]
            self.note(
                f"Service {it.namespace or 'default'}/{it.name}: spec.loadBalancerIP "
                "(deprecated) becomes the loadBalancerIPs annotation"
            )
        out: dict[str, Any] = {"name": it.name, "namespace": it.namespace or "default"}
        if pool is not None:
            out["pool"] = pool
        if ips:
            out["ips"] = ips
        if sharing is not None:
            out["sharingKey"] = sharing
        if self.opts.services == "reserve":
            out["emit"] = False
            held = [i.ip for i in it.model.status.loadBalancer.ingress if i.ip]
            if held and not ips:
                # what the cluster assigned is not what the Service asks for: not pinned
                self.comment(
                    ("spec", "clusters", 0, "services", index, "name"),
                    f"holds {', '.join(held)} now (assigned by MetalLB, not requested)",
                    eol=True,
                )
            return out
        self.check_service_spec(it)
        ports = [self.port(p) for p in spec.ports]
        if ports:
            out["ports"] = ports
        if spec.selector:
            out["selector"] = dict(sorted(spec.selector.items()))
        if spec.externalTrafficPolicy != "Cluster":
            out["externalTrafficPolicy"] = spec.externalTrafficPolicy
        if spec.ipFamilyPolicy:
            out["ipFamilyPolicy"] = spec.ipFamilyPolicy
        if spec.ipFamilies:
            out["ipFamilies"] = list(spec.ipFamilies)
        if meta.labels:
            out["labels"] = dict(sorted(meta.labels.items()))
        if annotations:
            out["annotations"] = dict(sorted(annotations.items()))
        return out

    def check_service_spec(self, it: Item[m.Service]) -> None:
        """Service fields a site spec cannot hold, set to something else than the default."""
        spec = it.doc.get("spec") if isinstance(it.doc, dict) else None
        if not isinstance(spec, dict):
            return
        for key, value in spec.items():
            if key in SERVICE_MODELLED or SERVICE_DEFAULTS.get(key, object()) == value:
                continue
            if key in SERVICE_ASSIGNED or value in (None, [], {}):
                continue
            self.problem(
                it,
                f"Service {it.namespace or 'default'}/{it.name} sets spec.{key}, which a site "
                "spec cannot hold; import with --services reserve to leave the Service where "
                "it is",
                ("spec", key),
            )

    @staticmethod
    def port(p: m.ServicePort) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if p.name:
            out["name"] = p.name
        out["port"] = p.port
        if p.targetPort is not None:
            out["targetPort"] = p.targetPort
        if p.protocol != "TCP":
            out["protocol"] = p.protocol
        return out  # never the nodePort: the cluster assigns it, a copy would pin it

    # --- nodes -----------------------------------------------------------------------------------

    def node(self, it: Item[m.Node]) -> dict[str, Any]:
        labels = dict(sorted(it.model.metadata.labels.items()))
        if labels.get(HOSTNAME_LABEL) == it.name:
            del labels[HOSTNAME_LABEL]  # lowering adds it back, as the kubelet does
        out: dict[str, Any] = {"name": it.name}
        if labels:
            out["labels"] = labels
        addresses = [a.address for a in it.model.status.addresses if a.type == "InternalIP"]
        if addresses:
            self.note(
                f"Node {it.name!r} has address {', '.join(addresses)}: add its interfaces "
                "(name, network, address) to the inventory to enable the interface checks"
            )
        return out


def import_config(
    cfg: ClusterConfig, opts: ImportOptions, origins: Mapping[int, str] | None = None
) -> ImportResult:
    """Build the site document; problems, when any, mean the document must not be used.
    `origins` names where objects were translated from (by id() of their document)."""
    imp = _Importer(cfg, opts, origins or {})
    imp.check_input()
    imp.out.site = imp.site()
    if not imp.out.problems:
        try:
            sm.Site.model_validate(imp.out.site)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                message = f"the site spec would be invalid: {where}: {err['msg']}"
                imp.out.problems.append(Problem(Location("<import>"), message))
    return imp.out


def _v1beta1_without_port(it: Item[Any]) -> bool:
    doc = it.doc
    spec = doc.get("spec") if isinstance(doc, dict) else None
    return (
        isinstance(doc, dict)
        and doc.get("apiVersion") == "metallb.io/v1beta1"
        and isinstance(spec, dict)
        and not spec.get("peerPort")
    )
