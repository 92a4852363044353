"""Site spec -> one ClusterConfig per cluster (the form every rule and the compiler read).

Each lowered object gets a LocMap in Kubernetes shape whose positions are those of the site
spec: values the user wrote keep their own positions (the LocMap/LocSeq of the site document is
reused as is), and what lowering adds (apiVersion, kind, metadata, the pool reference of a
shorthand advertisement, Service annotations) points at the site element it came from. Models
are validated from plain copies of those documents, so `model_dump(exclude_unset=True)` gives
back exactly what the user wrote.

Each object also records that element (Item.origin): its name in the words of the site spec
(gitops_lb.site.words) and where each of the object's fields was written in it, so findings
say "l2.interfaces of pool 'web' (cluster 'prod-a')" where the object would say
"spec.interfaces of L2Advertisement 'web'", and report the path in the site spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError

from gitops_lb.config import ClusterConfig, Item, Origin, Unread
from gitops_lb.diagnostics import FieldPath
from gitops_lb.intake import Gaps, add_item, report_validation_error, unread
from gitops_lb.metallb import models as m
from gitops_lb.metallb.versions import release
from gitops_lb.site.load import LoadedSite, SiteLoad
from gitops_lb.site.models import Site
from gitops_lb.site.target import NETWORK, ClusterTarget
from gitops_lb.site.words import CLUSTER_LISTS, place
from gitops_lb.words import SERVICE_FIELDS, ItemWords
from gitops_lb.yamlload import LocMap, LocSeq, Pos

HOSTNAME_LABEL = "kubernetes.io/hostname"

# site spec fields -> the MetalLB spec fields they become (same names)
POOL_SPEC_FIELDS = ("addresses", "autoAssign", "avoidBuggyIPs", "serviceAllocation")
SERVICE_SPEC_FIELDS = ("ports", "selector", "externalTrafficPolicy", "ipFamilyPolicy", "ipFamilies")


def lower_all(load: SiteLoad) -> list[ClusterTarget]:
    """Every cluster of every valid site, in input order."""
    out: list[ClusterTarget] = []
    for ls in load.sites:
        out.extend(lower_site(ls))
    return out


def lower_site(ls: LoadedSite) -> list[ClusterTarget]:
    return lower(ls.site, ls.file, ls.doc, ls.gaps)


def lower(site: Site, file: str, doc: LocMap, gaps: Gaps | None = None) -> list[ClusterTarget]:
    """One ClusterTarget per cluster of a validated (or salvaged) site document.

    What salvaging left out (`gaps`, see gitops_lb.intake.salvage) follows the lowered
    objects: a site element that could not be read is an unreadable object of its MetalLB kind
    (ClusterConfig.unreadable), a field not read as written is Item.unsure on the field it
    becomes, so that the rules stay quiet about consequences of the reported errors."""
    gaps = gaps if gaps is not None else Gaps()
    spec = _map(doc.get("spec"))
    clusters = _seq(spec.get("clusters"))
    site_unsure, site_partial = gaps.paths(doc)
    networks = lost_elements(gaps, spec, "networks", NETWORK)
    out: list[ClusterTarget] = []
    for i, cluster in enumerate(site.spec.clusters):
        cdoc = _map(clusters[i]) if i < len(clusters) else LocMap(doc.pos)
        cfg = ClusterConfig(
            name=f"{site.metadata.name}/{cluster.name}",
            namespace=site.spec.metallb.namespace,
            bgp_mode=site.spec.bgpMode,
            metallb_version=release(site.spec.metallb.version),
        )
        cfg.unreadable.extend(networks)
        where = _Where(f"Site/{site.metadata.name}", doc, ("spec", "clusters", i))
        _Lowering(cfg, file, site.spec.metallb.annotationPrefix, where, gaps).cluster(cdoc)
        cfg.sort()
        target = ClusterTarget(site, cluster, file, doc, ("spec", "clusters", i), cfg)
        target.site_unsure, target.site_partial = site_unsure, site_partial
        out.append(target)
    return out


# site lists -> the kind of what their elements lower to
ELEMENT_KINDS = {
    "pools": "IPAddressPool",
    "nodes": "Node",
    "services": "Service",
    "bgpPeers": "BGPPeer",
    "l2Advertisements": "L2Advertisement",
    "bgpAdvertisements": "BGPAdvertisement",
    "communities": "Community",
    "bfdProfiles": "BFDProfile",
}
SHORTHANDS = (("l2", "L2Advertisement"), ("bgp", "BGPAdvertisement"))


def lost_elements(gaps: Gaps, holder: LocMap, key: str, kind: str) -> list[Unread]:
    """The elements of holder[key] that could not be read, as unreadable objects; one of any
    name when the list itself was not read as written."""
    lost = gaps.lost_from(holder.get(key))
    if key in gaps.keys_of(holder) and not lost:
        if key == "pools":  # pools of unknown names, and their shorthands (for them alone)
            return [Unread(kind, ""), *(Unread(k, "", pools=()) for _, k in SHORTHANDS)]
        return [Unread(kind, "")]
    out: list[Unread] = []
    for raw in lost:
        name = raw.get("name") if isinstance(raw, dict) else None
        name = name if isinstance(name, str) else ""
        out.append(unread(kind, name, raw))
        if key == "pools":
            out.extend(
                Unread(k, name, pools=(name,))
                for short, k in SHORTHANDS
                if isinstance(raw, dict) and raw.get(short) is not None
            )
    return out


# --- LocMap construction -------------------------------------------------------------------------


def _map(value: Any) -> LocMap:
    return value if isinstance(value, LocMap) else LocMap()


def _seq(value: Any) -> LocSeq:
    return value if isinstance(value, LocSeq) else LocSeq()


def put(target: LocMap, key: str, value: Any, kpos: Pos, vpos: Pos | None = None) -> None:
    target[key] = value
    target.kpos[key] = kpos
    target.vpos[key] = kpos if vpos is None else vpos


def copy_fields(target: LocMap, src: LocMap, keys: Iterable[str] | None = None) -> None:
    """Copy fields the user wrote (all but `name` when keys is None), positions included.

    A null field is left out, as the API server drops it; the site models accept null only
    where the MetalLB models do, so nothing deeper needs pruning.
    """
    wanted = [k for k in src if k != "name"] if keys is None else [k for k in keys if k in src]
    for key in wanted:
        if src[key] is not None:
            put(target, key, src[key], src.kpos[key], src.vpos[key])


def name_pos(src: LocMap) -> tuple[Pos, Pos]:
    """(key, value) position of the element's `name:`, or of the element itself."""
    if "name" in src:
        return src.kpos["name"], src.vpos["name"]
    return src.pos, src.pos


def k8s_object(
    api_version: str,
    kind: str,
    name: str,
    *,
    namespace: str | None,
    at: LocMap,
    spec: LocMap | None,
) -> LocMap:
    """A Kubernetes-shaped LocMap whose synthesised parts point at `at`'s name line."""
    kpos, vpos = name_pos(at)
    obj = LocMap(at.pos)
    put(obj, "apiVersion", api_version, kpos, vpos)
    put(obj, "kind", kind, kpos, vpos)
    meta = LocMap(vpos)
    put(meta, "name", name, kpos, vpos)
    if namespace is not None:
        put(meta, "namespace", namespace, kpos, vpos)
    put(obj, "metadata", meta, kpos, vpos)
    if spec is not None:
        put(obj, "spec", spec, at.pos, at.pos)
    return obj


def name_seq(name: str, pos: Pos) -> LocSeq:
    out = LocSeq(pos)
    out.append(name)
    out.ipos.append(pos)
    return out


# --- where each field of a lowered object was written ------------------------------------------
# object path -> path relative to the site element (Origin.fields)

Fields = Callable[[FieldPath], FieldPath]


def named_fields(path: FieldPath) -> FieldPath:
    """A pool or a full form: metadata.name <- name, metadata.labels <- labels, spec.X <- X."""
    if path[:1] == ("spec",):
        return path[1:]
    if path[:2] == ("metadata", "name"):
        return ("name",)
    if path[:2] == ("metadata", "labels"):
        return ("labels", *path[2:])
    return ()  # apiVersion, kind, the rest of metadata: made from the element itself


def shorthand_fields(key: str, path: FieldPath) -> FieldPath:
    """The `l2:` / `bgp:` shorthand of a pool: spec.X <- l2.X; the pool reference <- name."""
    if path[:2] == ("spec", "ipAddressPools"):
        return ("name",)
    if path[:1] == ("spec",):
        return (key, *path[1:])
    return (key,)


def service_fields(
    prefix: str, written: frozenset[str], annotations: frozenset[str], path: FieldPath
) -> FieldPath:
    """A Service: the annotations lowering writes <- pool, ips, sharingKey. `written` holds
    the keys the element sets (annotations, pool, ips, sharingKey...), `annotations` the keys
    of its own annotations."""
    if path[:2] == ("metadata", "annotations") and len(path) > 2:
        key = str(path[2])
        own, _, name = key.partition("/")
        site_key = SERVICE_FIELDS.get(name) if own == prefix else None
        if site_key is not None and (site_key in written or key not in annotations):
            return (site_key,)
        return ("annotations", *path[2:])
    if path[:2] == ("metadata", "annotations"):
        return ("annotations",) if "annotations" in written else ()
    if path[:2] == ("metadata", "namespace"):
        return ("namespace",) if "namespace" in written else ()
    if path[:2] == ("spec", "type"):
        return ()
    return named_fields(path)


def node_fields(interfaces: tuple[int, ...], hostname: bool, path: FieldPath) -> FieldPath:
    """A Node: status.addresses[j] <- interfaces[k].address (`interfaces` maps j to k; only
    interfaces with an address give one); the hostname label lowering adds <- name."""
    if path[:2] == ("status", "addresses"):
        j = path[2] if len(path) > 2 else None
        if isinstance(j, int) and 0 <= j < len(interfaces):
            return ("interfaces", interfaces[j], "address")
        return ("interfaces",)
    if path[:1] == ("status",):
        return ("interfaces",)
    if hostname and path[:3] == ("metadata", "labels", HOSTNAME_LABEL):
        return ("name",)
    return named_fields(path)


class _Where:
    """Names lowered objects after the site element they come from (Item.origin)."""

    def __init__(self, ref: str, doc: LocMap, cluster_path: FieldPath) -> None:
        self.ref = ref
        self.doc = doc
        self.cluster_path = cluster_path

    def origin(self, key: str, index: int, fields: Fields, shorthand: str = "") -> Origin:
        """The origin of an object made from the index-th element of the cluster's `key` list
        (from its `shorthand` key, when given)."""
        at = place(self.doc, (*self.cluster_path, key, index))
        title = f"{shorthand} of {at.title}" if shorthand else at.title
        frame = (shorthand,) if shorthand else ()
        kind = CLUSTER_LISTS[key]
        return Origin(self.ref, kind, at.element, at.scope, title, at.path, fields, frame)


class _Lowering:
    def __init__(
        self, cfg: ClusterConfig, file: str, prefix: str, where: _Where, gaps: Gaps
    ) -> None:
        self.cfg = cfg
        self.file = file
        self.prefix = prefix
        self.ns = cfg.namespace
        self.where = where
        self.gaps = gaps

    def add(
        self,
        obj: LocMap,
        model: type[BaseModel],
        kind: str,
        origin: Origin,
        *,
        unsure: Iterable[FieldPath] = (),
        lost: Iterable[FieldPath] = (),
    ) -> None:
        """File a lowered object; `unsure` and `lost` (Item.unsure, Item.partial) name what of
        the site element it came from was not read as written (the walk finds what it shares
        with the site)."""
        meta = obj["metadata"]
        item: Item[Any] = Item(
            None, kind, meta["name"], meta.get("namespace"), self.file, obj, origin
        )
        if self.gaps:
            found_unsure, found_partial = self.gaps.paths(obj)
            item.unsure = found_unsure | frozenset(unsure)
            item.partial = found_partial | frozenset(lost)
        try:
            item.model = model.model_validate(obj)
        except ValidationError as exc:  # the site model accepted it: should not happen
            for err in exc.errors():
                report_validation_error(self.cfg, item, model, err, ItemWords(item))
            return
        add_item(self.cfg, item)

    def spec_keys(self, src: LocMap, exclude: Iterable[str] = ("name",)) -> list[FieldPath]:
        """The element's fields not read as written, as paths of the lowered object's spec."""
        return [("spec", k) for k in self.gaps.keys_of(src) if k not in exclude]

    def cluster(self, cdoc: LocMap) -> None:
        if self.gaps:
            for key, kind in ELEMENT_KINDS.items():
                self.cfg.unreadable.extend(lost_elements(self.gaps, cdoc, key, kind))
        for i, pdoc in enumerate(_seq(cdoc.get("pools"))):
            self.pool(_map(pdoc), i)
        full = (
            ("bgpPeers", "metallb.io/v1beta2", "BGPPeer", m.BGPPeer),
            ("l2Advertisements", "metallb.io/v1beta1", "L2Advertisement", m.L2Advertisement),
            ("bgpAdvertisements", "metallb.io/v1beta1", "BGPAdvertisement", m.BGPAdvertisement),
            ("communities", "metallb.io/v1beta1", "Community", m.Community),
            ("bfdProfiles", "metallb.io/v1beta1", "BFDProfile", m.BFDProfile),
        )
        for key, api, kind, model in full:
            for i, edoc in enumerate(_seq(cdoc.get(key))):
                e = _map(edoc)
                spec = LocMap(e.pos)
                copy_fields(spec, e)
                name = str(e.get("name", ""))
                obj = k8s_object(api, kind, name, namespace=self.ns, at=e, spec=spec)
                origin = self.where.origin(key, i, named_fields)
                self.add(obj, model, kind, origin, unsure=self.spec_keys(e))
        for i, sdoc in enumerate(_seq(cdoc.get("services"))):
            self.service(_map(sdoc), i)
        for i, ndoc in enumerate(_seq(cdoc.get("nodes"))):
            self.node(_map(ndoc), i)

    def pool(self, p: LocMap, index: int) -> None:
        name = str(p.get("name", ""))
        spec = LocMap(p.pos)
        copy_fields(spec, p, POOL_SPEC_FIELDS)
        api = "metallb.io/v1beta1"
        obj = k8s_object(api, "IPAddressPool", name, namespace=self.ns, at=p, spec=spec)
        if "labels" in p:
            put(obj["metadata"], "labels", p["labels"], p.kpos["labels"], p.vpos["labels"])
        origin = self.where.origin("pools", index, named_fields)
        gaps = self.gaps.keys_of(p)
        unsure: list[FieldPath] = [("spec", k) for k in POOL_SPEC_FIELDS if k in gaps]
        unsure += [("metadata", "labels")] if "labels" in gaps else []
        self.add(obj, m.IPAddressPool, "IPAddressPool", origin, unsure=unsure)
        _, npos = name_pos(p)
        for key, kind, model in (
            ("l2", "L2Advertisement", m.L2Advertisement),
            ("bgp", "BGPAdvertisement", m.BGPAdvertisement),
        ):
            short = p.get(key)
            if not isinstance(short, LocMap):
                if key in gaps:  # not read as written: it may announce the pool
                    self.cfg.unreadable.append(Unread(kind, name, pools=(name,)))
                continue  # absent or null: no advertisement
            spec = LocMap(short.pos)
            put(spec, "ipAddressPools", name_seq(name, npos), p.kpos[key], npos)
            copy_fields(spec, short)
            # the advertisement's synthesised parts point at the `l2:` / `bgp:` key
            at = LocMap(p.kpos[key])
            put(at, "name", name, p.kpos[key])
            obj = k8s_object(api, kind, name, namespace=self.ns, at=at, spec=None)
            put(obj, "spec", spec, p.kpos[key], p.vpos[key])
            origin = self.where.origin("pools", index, partial(shorthand_fields, key), key)
            whole: list[FieldPath] = [("spec",)] if key in gaps else []
            self.add(obj, model, kind, origin, unsure=[*whole, *self.spec_keys(short, ())])

    def service(self, s: LocMap, index: int) -> None:
        name = str(s.get("name", ""))
        kpos, vpos = name_pos(s)
        namespace = str(s.get("namespace", "default"))
        obj = k8s_object("v1", "Service", name, namespace=namespace, at=s, spec=LocMap(s.pos))
        meta: LocMap = obj["metadata"]
        if "namespace" in s:
            put(meta, "namespace", namespace, s.kpos["namespace"], s.vpos["namespace"])
        if "labels" in s:
            put(meta, "labels", s["labels"], s.kpos["labels"], s.vpos["labels"])
        annotations = self.annotations(s)
        if annotations:
            at = s.kpos.get("annotations", kpos)
            put(meta, "annotations", annotations, at, s.vpos.get("annotations", vpos))
        spec: LocMap = obj["spec"]
        put(spec, "type", "LoadBalancer", kpos, vpos)
        copy_fields(spec, s, SERVICE_SPEC_FIELDS)
        own = s.get("annotations")
        fields = partial(
            service_fields,
            self.prefix,
            frozenset(k for k in s if s[k] is not None),
            frozenset(own) if isinstance(own, dict) else frozenset(),
        )
        origin = self.where.origin("services", index, fields)
        unsure, lost = self.service_gaps(s)
        self.add(obj, m.Service, "Service", origin, unsure=unsure, lost=lost)

    def service_gaps(self, s: LocMap) -> tuple[list[FieldPath], list[FieldPath]]:
        """(unsure, partial) paths of a lowered Service from its site element's gaps."""
        gaps = self.gaps.keys_of(s)
        unsure: list[FieldPath] = [("spec", k) for k in SERVICE_SPEC_FIELDS if k in gaps]
        for key, name in (
            ("pool", "address-pool"),
            ("ips", "loadBalancerIPs"),
            ("sharingKey", "allow-shared-ip"),
        ):
            if key in gaps:
                unsure.append(("metadata", "annotations", f"{self.prefix}/{name}"))
        for key, path in (
            ("annotations", ("metadata", "annotations")),
            ("labels", ("metadata", "labels")),
            ("namespace", ("metadata", "namespace")),
        ):
            if key in gaps:
                unsure.append(path)
        own = s.get("annotations")
        lost = self.gaps.lost_from(own) or self.gaps.keys_of(own)
        return unsure, [("metadata", "annotations")] if lost else []

    def annotations(self, s: LocMap) -> LocMap:
        src = s.get("annotations")
        out = LocMap(src.pos if isinstance(src, LocMap) else s.pos)
        if isinstance(src, LocMap):
            copy_fields(out, src, list(src))
        pool = s.get("pool")
        if isinstance(pool, str):
            put(out, f"{self.prefix}/address-pool", pool, s.kpos["pool"], s.vpos["pool"])
        ips = s.get("ips")
        if isinstance(ips, list) and ips:
            text = ",".join(str(ip) for ip in ips)
            put(out, f"{self.prefix}/loadBalancerIPs", text, s.kpos["ips"], s.vpos["ips"])
        key = s.get("sharingKey")
        if isinstance(key, str):
            at = (s.kpos["sharingKey"], s.vpos["sharingKey"])
            put(out, f"{self.prefix}/allow-shared-ip", key, *at)
        return out

    def node(self, n: LocMap, index: int) -> None:
        name = str(n.get("name", ""))
        kpos, vpos = name_pos(n)
        obj = k8s_object("v1", "Node", name, namespace=None, at=n, spec=None)
        labels = LocMap(n.vpos.get("labels", vpos))
        src = n.get("labels")
        if isinstance(src, LocMap):
            copy_fields(labels, src, list(src))
        hostname = HOSTNAME_LABEL not in labels
        if hostname:  # the kubelet sets it; selectors use it
            put(labels, HOSTNAME_LABEL, name, kpos, vpos)
        put(obj["metadata"], "labels", labels, n.kpos.get("labels", kpos), labels.pos)
        addresses = LocSeq(n.pos)
        written: list[int] = []  # the interface each address comes from
        for k, idoc in enumerate(_seq(n.get("interfaces"))):
            iface = _map(idoc)
            address = iface.get("address")
            if not isinstance(address, str):
                continue
            entry = LocMap(iface.pos)
            at = (iface.kpos["address"], iface.vpos["address"])
            put(entry, "type", "InternalIP", *at)
            put(entry, "address", address.partition("/")[0], *at)
            addresses.append(entry)
            addresses.ipos.append(iface.vpos["address"])
            written.append(k)
        status = LocMap(n.pos)
        put(status, "addresses", addresses, n.kpos.get("interfaces", kpos), addresses.pos)
        put(obj, "status", status, n.kpos.get("interfaces", kpos), n.pos)
        fields = partial(node_fields, tuple(written), hostname)
        origin = self.where.origin("nodes", index, fields)
        unsure, lost = self.node_gaps(n)
        self.add(obj, m.Node, "Node", origin, unsure=unsure, lost=lost)

    def node_gaps(self, n: LocMap) -> tuple[list[FieldPath], list[FieldPath]]:
        """(unsure, partial) paths of a lowered Node: its labels, and its addresses when an
        interface was not read as written (its interfaces are read from the site spec)."""
        gaps = self.gaps.keys_of(n)
        unsure: list[FieldPath] = [("metadata", "labels")] if "labels" in gaps else []
        ifaces = n.get("interfaces")
        if (
            "interfaces" in gaps
            or self.gaps.lost_from(ifaces)
            or any(self.gaps.keys_of(i) for i in _seq(ifaces))
        ):
            unsure.append(("status", "addresses"))
        labels = n.get("labels")
        lost = self.gaps.lost_from(labels) or self.gaps.keys_of(labels)
        return unsure, [("metadata", "labels")] if lost else []
