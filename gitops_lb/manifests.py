"""Kubernetes manifests -> ClusterConfig (the `lint` input).

What site specs share with it (filing objects, validation errors) is in gitops_lb.intake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from gitops_lb.config import (
    DEFAULT_NAMESPACE,
    ClusterConfig,
    Finding,
    Item,
    SetNamespace,
    Unread,
    overlap,
)
from gitops_lb.diagnostics import FieldPath, Location
from gitops_lb.intake import (
    add_item,
    did_you_mean,
    report_validation_error,
    reported,
    salvage,
    unread,
)
from gitops_lb.kustomize import CLUSTER_SCOPED_KINDS
from gitops_lb.metallb import models as m
from gitops_lb.metallb.legacy import LEGACY_KEY
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION
from gitops_lb.metallb.versions import Version, has
from gitops_lb.yamlload import Document, LoadedFile, LocMap, LocSeq, load_paths, locate

CORE_KINDS = frozenset({"Service", "Node", "Namespace", "Secret"})
# reading problems that lose objects (a document that does not parse, a file not decoded)
LOSING = frozenset({"yaml-syntax", "yaml-too-complex", "file-encoding", "file-unreadable"})


def load_manifests(
    paths: Iterable[str],
    *,
    namespace: str = DEFAULT_NAMESPACE,
    bgp_mode: str | None = None,
    metallb_version: Version = DEFAULT_VERSION,
) -> tuple[ClusterConfig, list[LoadedFile]]:
    files = load_paths(paths)
    cfg = config_from_files(
        files, namespace=namespace, bgp_mode=bgp_mode, metallb_version=metallb_version
    )
    return cfg, files


def config_from_files(
    files: Iterable[LoadedFile],
    *,
    namespace: str = DEFAULT_NAMESPACE,
    bgp_mode: str | None = None,
    metallb_version: Version = DEFAULT_VERSION,
    kustomized: Mapping[str, SetNamespace] | None = None,
) -> ClusterConfig:
    """One cluster's configuration from files, for the MetalLB release `metallb_version`;
    `kustomized` names the files a kustomization puts into a namespace (gitops_lb.kustomize),
    as its build would."""
    cfg = ClusterConfig(
        namespace=namespace,
        bgp_mode=bgp_mode,
        metallb_version=metallb_version,
        kustomized=dict(kustomized or {}),
    )
    files = list(files)
    for lf in files:
        for issue in lf.issues:
            cfg.add_intake(issue.rule, Finding(issue.message, location=issue.location))
        if lf.lost or any(issue.rule in LOSING for issue in lf.issues):
            cfg.unreadable.append(Unread("", ""))  # what was lost may be anything
        for doc in lf.documents:
            add_document(cfg, doc)
    nothing = not any(doc.data is not None for lf in files for doc in lf.documents)
    if files and nothing and not any(lf.issues for lf in files):
        where = "standard input" if files[0].path == "-" else "the inputs"
        cfg.add_intake(
            "input-no-objects",
            Finding(
                f"no Kubernetes object found in {where} (empty or only comments)",
                location=Location("<stdin>" if files[0].path == "-" else files[0].path),
            ),
        )
    cfg.sort()
    return cfg


def add_document(cfg: ClusterConfig, doc: Document) -> None:
    data = doc.data
    if data is None:
        return  # an empty document ("---" at the end) is fine
    loc = Location(doc.file, *doc.pos)
    if not isinstance(data, LocMap):
        what = "a list" if isinstance(data, LocSeq) else f"a {type(data).__name__}"
        cfg.add_intake(
            "document-not-mapping",
            Finding(f"document {doc.index + 1} is {what}, not a Kubernetes object", location=loc),
        )
        return
    add_object(cfg, doc.file, data, loc)


def add_object(cfg: ClusterConfig, file: str, data: LocMap, loc: Location) -> None:
    api_version = data.get("apiVersion")
    kind = data.get("kind")
    if not isinstance(api_version, str) or not api_version or not isinstance(kind, str) or not kind:
        missing = [k for k, v in (("apiVersion", api_version), ("kind", kind)) if not v]
        what = " and ".join(missing) if missing else "apiVersion and kind as strings"
        cfg.add_intake("object-missing-type", Finding(f"object has no {what}", location=loc))
        # it may be anything (of its kind, when that is written)
        cfg.unreadable.append(unread_untyped(kind if isinstance(kind, str) else "", data))
        return
    items = data.get("items")
    if kind.endswith("List") and isinstance(items, LocSeq):
        for i, item in enumerate(items):
            if isinstance(item, LocMap):
                add_object(cfg, file, item, Location(file, *item.pos))
            else:
                line, col = items.ipos[i]
                cfg.add_intake(
                    "document-not-mapping",
                    Finding(
                        f"items[{i}] is not a Kubernetes object", location=Location(file, line, col)
                    ),
                )
        return
    group = api_version.partition("/")[0] if "/" in api_version else ""
    if group == m.METALLB_GROUP:
        if kind in m.STATUS_KINDS:
            return
        if kind == LEGACY_POOL and api_version in LEGACY_POOL_VERSIONS:
            add_legacy_pool(cfg, file, data, api_version)
            return
        model = m.MODELS.get((api_version, kind))
        if model is None and (api_version, kind) == (m.OPERATOR_API_VERSION, m.OPERATOR_KIND):
            from gitops_lb.metallb.operator import MetalLB  # noqa: PLC0415 - only when one is read

            model = MetalLB
        if model is None:
            cfg.add_intake(
                "schema-invalid",
                Finding(
                    f"{api_version} {kind} is not a MetalLB kind this version serves",
                    location=loc,
                ),
            )
            # the kind it most likely is (a misspelt kind, another version of one)
            meant = did_you_mean(kind, sorted({k for _, k in m.MODELS} | {m.OPERATOR_KIND}))
            cfg.unreadable.append(unread_untyped(meant or "", data))
            return
    elif api_version == "v1" and kind in CORE_KINDS:
        model = m.MODELS[("v1", kind)]
    elif api_version == "v1" and kind == "ConfigMap":
        add_configmap(cfg, file, data)
        return
    else:
        return  # not something MetalLB reads
    add_validated(cfg, file, data, model, kind)


def unread_untyped(kind: str, data: LocMap) -> Unread:
    """An object whose type could not be read, as an unreadable object of `kind` ("": any)."""
    meta = data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return unread(kind, name if isinstance(name, str) else "", data.get("spec"))


LEGACY_POOL = "AddressPool"
LEGACY_POOL_VERSIONS = ("metallb.io/v1alpha1", "metallb.io/v1beta1")


def add_legacy_pool(cfg: ClusterConfig, file: str, data: LocMap, api_version: str) -> None:
    """MetalLB's pre-0.13 pool kind: read (and deprecated) by v0.13.x, ignored by v0.14.0 to
    v0.14.2, its CRD gone from v0.14.3. gitops-lb does not check its contents."""
    version = cfg.metallb_version
    name, _ = name_and_namespace(cfg, file, data, LEGACY_POOL)
    (line, col), _ = locate(data, ("kind",))
    where = Location(file, line, col)
    convert = "write an IPAddressPool and an L2Advertisement or BGPAdvertisement instead"
    if has(version, "address_pool_read"):
        cfg.add_intake(
            "legacy-address-pool-deprecated",
            Finding(
                f"{api_version} AddressPool {name!r} is deprecated; MetalLB {version} still "
                f"reads it, gitops-lb does not check it: {convert}",
                location=where,
            ),
        )
        return
    what = (
        f"MetalLB {version} ignores it (the CRD is still installed, nothing reads it)"
        if has(version, "address_pool_crd")
        else f"MetalLB {version} has no AddressPool CRD (removed in v0.14.3)"
    )
    cfg.add_intake(
        "legacy-address-pool",
        Finding(f"{api_version} AddressPool {name!r}: {what}; {convert}", location=where),
    )


def prune_nulls(value: Any) -> Any:
    """The API server drops null fields of non-nullable schema properties before validation."""
    if isinstance(value, dict):
        return {k: prune_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [prune_nulls(v) for v in value]
    return value


def name_and_namespace(
    cfg: ClusterConfig, file: str, data: LocMap, kind: str
) -> tuple[str, str | None]:
    """The object's name and namespace as they are applied: a kustomization that sets a
    namespace overrides it, as `kustomize build` does."""
    meta = data.get("metadata")
    name = str(meta.get("name") or meta.get("generateName") or "") if isinstance(meta, dict) else ""
    namespace = meta.get("namespace") if isinstance(meta, dict) else None
    namespace = namespace if isinstance(namespace, str) and namespace else None
    set_by = cfg.kustomized.get(file)
    if set_by is not None:
        if kind == "Namespace":
            name = set_by.namespace
        elif kind not in CLUSTER_SCOPED_KINDS:
            namespace = set_by.namespace
    return name, namespace


def add_validated(
    cfg: ClusterConfig, file: str, data: LocMap, model: type[BaseModel], kind: str
) -> None:
    """Validate and file one object. One that does not validate has each error reported, and
    what can still be read of it is filed (intake.salvage), so that the other checks go on with
    it; when nothing can, it is remembered as unreadable, so that no rule reports its absence."""
    name, namespace = name_and_namespace(cfg, file, data, kind)
    doc: Any = data
    unsure: frozenset[FieldPath] = frozenset()
    partial: frozenset[FieldPath] = frozenset()
    try:
        obj = model.model_validate(prune_nulls(data))
    except ValidationError as exc:
        stub: Item[Any] = Item(None, kind, name, namespace, file, data)
        errors = exc.errors()
        for err in reported(model, errors):
            report_validation_error(cfg, stub, model, err)
        got = salvage(model, data, errors, drop_nulls=True)
        if got.model is None:
            cfg.unreadable.append(unread(kind, name, data.get("spec")))
            return
        obj, doc = got.model, got.doc
        unsure, partial = got.gaps.paths(doc)
        if any(overlap(("metadata", "name"), gap) for gap in unsure):
            cfg.unreadable.append(Unread(kind, ""))  # its name is not known: it may be any
    if isinstance(obj, m.BGPPeerV1Beta1):
        obj = convert_peer(obj)
    item: Item[Any] = Item(obj, kind, name, namespace, file, doc, unsure=unsure, partial=partial)
    add_item(cfg, item)


def add_configmap(cfg: ClusterConfig, file: str, data: LocMap) -> None:
    """Kept only when a `config` data key may hold MetalLB's pre-0.13 configuration. Other
    ConfigMaps, and one that does not validate, are not MetalLB's business: left alone."""
    body = data.get("data")
    if not isinstance(body, dict) or not isinstance(body.get(LEGACY_KEY), str):
        return
    try:
        obj = m.ConfigMap.model_validate(prune_nulls(data))
    except ValidationError:
        return
    name, namespace = name_and_namespace(cfg, file, data, "ConfigMap")
    add_item(cfg, Item(obj, "ConfigMap", name, namespace, file, data))


def convert_peer(old: m.BGPPeerV1Beta1) -> m.BGPPeer:
    """v1beta1 -> v1beta2 as MetalLB's conversion webhook does: absent timers become "0s"."""
    s = old.spec
    selectors = [
        m.LabelSelector.model_construct(
            matchLabels=sel.matchLabels,
            matchExpressions=[
                m.LabelSelectorRequirement.model_construct(
                    key=e.key, operator=e.operator, values=e.values
                )
                for e in sel.matchExpressions
            ],
        )
        for sel in s.nodeSelectors
    ]
    spec = m.BGPPeerSpec.model_construct(
        myASN=s.myASN,
        peerASN=s.peerASN,
        peerAddress=s.peerAddress,
        sourceAddress=s.sourceAddress,
        routerID=s.routerID,
        password=s.password,
        bfdProfile=s.bfdProfile,
        peerPort=s.peerPort or 179,  # 0 is omitted when stored, then v1beta2 defaults it
        holdTime="0s" if s.holdTime is None else s.holdTime,
        keepaliveTime="0s" if s.keepaliveTime is None else s.keepaliveTime,
        nodeSelectors=selectors,
        ebgpMultiHop=s.ebgpMultiHop,
    )
    return m.BGPPeer.model_construct(
        apiVersion="metallb.io/v1beta2", kind="BGPPeer", metadata=old.metadata, spec=spec
    )
