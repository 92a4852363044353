"""What the two readers of a cluster's configuration share: Kubernetes manifests
(gitops_lb.manifests) and site specs (gitops_lb.site.load, gitops_lb.site.lower).

Filing a validated object into its ClusterConfig, pydantic validation errors turned into
located findings, and the "did you mean" hint for misspelt names.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any, Protocol

from pydantic import BaseModel

from gitops_lb import names, words
from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import FieldPath
from gitops_lb.metallb import models as m
from gitops_lb.metallb.versions import unknown_fields
from gitops_lb.secrecy import HIDDEN, is_secret_path, shorten, shown


def add_item(cfg: ClusterConfig, item: Item[Any]) -> None:
    """File an object under its kind; MetalLB objects outside MetalLB's namespace are not read.
    A MetalLB object is filed as the target release keeps it (see without_newer_fields)."""
    without_newer_fields(cfg, item)
    obj = item.model
    if isinstance(obj, m.Resource):
        set_by = cfg.kustomized.get(item.file)
        if item.namespace is not None and item.namespace != cfg.namespace:
            cfg.add_intake(
                "object-wrong-namespace",
                Finding(
                    f"{item.kind} {item.name!r} is in namespace {item.namespace!r}"
                    f"{' (set by its kustomization)' if set_by else ''}; MetalLB reads its "
                    f"configuration only from {cfg.namespace!r} (and its webhook denies it); "
                    "if MetalLB runs in another namespace, pass --namespace NS",
                    item,
                    ("metadata", "namespace"),
                    related=(Rel("the namespace is set here", location=set_by.location),)
                    if set_by
                    else (),
                ),
            )
            return
        if item.namespace is None:
            cfg.add_intake(
                "object-no-namespace",
                Finding(
                    f"{item.kind} {item.name!r} has no namespace; it must be applied to "
                    f"{cfg.namespace!r}",
                    item,
                    ("metadata",),
                    key=True,
                ),
            )
    target: dict[type[Any], list[Item[Any]]] = {
        m.IPAddressPool: cfg.pools,
        m.L2Advertisement: cfg.l2advs,
        m.BGPAdvertisement: cfg.bgpadvs,
        m.BGPPeer: cfg.peers,
        m.BFDProfile: cfg.bfdprofiles,
        m.Community: cfg.communities,
        m.Service: cfg.services,
        m.Node: cfg.nodes,
        m.Namespace: cfg.namespaces,
        m.Secret: cfg.secrets,
        m.MetalLB: cfg.operators,
        m.ConfigMap: cfg.configmaps,
    }
    target[type(obj)].append(item)


# --- fields the target release does not have ----------------------------------------------------

NEWER_FIELD = "field-unsupported-version"


def without_newer_fields(cfg: ClusterConfig, item: Item[Any]) -> None:
    """Report the fields of a MetalLB object that the CRD of the target release does not have
    (rule field-unsupported-version), and drop them, as that release's API server does: the
    rules then check the object as MetalLB sees it, and no rule reports what the missing field
    was meant to do."""
    unknown = unknown_fields(item.kind, cfg.metallb_version)
    spec = getattr(item.model, "spec", None)
    if not unknown or not isinstance(spec, BaseModel):
        return
    written = spec.model_fields_set
    dropped = {path[-1] for path in unknown if len(path) == 2 and path[-1] in written}
    if not dropped:
        return
    for path, since in unknown.items():
        if path[-1] not in dropped:
            continue
        when = (
            "is in no MetalLB release yet (only on MetalLB's main branch)"
            if since is None
            else f"needs MetalLB {since} or later"
        )
        cfg.add_intake(
            NEWER_FIELD,
            Finding(
                f"{_field_of(item, path)} {when}; the target is {cfg.metallb_version}",
                item,
                path,
                key=True,
            ),
        )
    kept = {name: getattr(spec, name) for name in written - dropped}
    pruned = type(spec).model_construct(_fields_set=set(kept), **kept)
    item.model = item.model.model_copy(update={"spec": pruned})


def _field_of(item: Item[Any], path: FieldPath) -> str:
    """ "L2Advertisement spec.interfaces"; on a site spec, the field as the user wrote it."""
    if item.origin is None:
        return f"{item.kind} {'.'.join(str(p) for p in path)}"
    return f"{words.field(item, path)} of {words.title(item)}"


# --- pydantic errors -> located findings ---------------------------------------------------------


class FieldWords(Protocol):
    """How schema findings name a field of the document: the words of the input read."""

    def field(self, path: FieldPath) -> str:
        """The field as the subject of a message ("spec.addresses: ...")."""
        ...

    def unknown(self, path: FieldPath) -> str:
        """The start of the message on an unknown field ("unknown field 'x' in Kind")."""
        ...


class ObjectWords:
    """Kubernetes manifests: the dotted path in the object, and the object's kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def field(self, path: FieldPath) -> str:
        return shorten(".".join(str(p) for p in path))

    def unknown(self, path: FieldPath) -> str:
        return f"unknown field {self.field(path)!r} in {self.kind}"


def report_validation_error(
    cfg: ClusterConfig,
    item: Item[Any],
    model: type[BaseModel],
    err: Any,
    words: FieldWords | None = None,
) -> None:
    """One pydantic error as a schema finding on `item`, its field named by `words` (by
    default: the path in the object, as for manifests; site specs pass their own)."""
    loc: FieldPath = tuple(err["loc"])
    words = words if words is not None else ObjectWords(item.kind)
    where = words.field(loc)
    if err["type"] == "extra_forbidden":
        field = str(loc[-1])
        allowed = allowed_fields(model, loc[:-1])
        hint = did_you_mean(field, allowed)
        cfg.add_intake(
            "schema-unknown-field",
            Finding(
                words.unknown(loc) + (f"; did you mean {hint!r}?" if hint else ""),
                item,
                loc,
                key=True,
            ),
        )
        return
    if err["type"] == "missing":
        message = f"{where}: required field is missing"
    else:
        got = err.get("input")
        echo = ""
        if is_secret_path(loc, item.kind):
            echo = f" {HIDDEN}"
        elif isinstance(got, str | int | float | bool):
            echo = f" (got {shown(got)})"
        message = f"{where}: {err['msg'][:1].lower()}{err['msg'][1:]}{echo}"
        pattern = (err.get("ctx") or {}).get("pattern")
        if isinstance(pattern, str) and isinstance(got, str) and names.describe(pattern):
            why = names.problem(got, pattern)  # the name patterns, explained in words
            if why:
                message = f"{where}: {shown(got)} is invalid: {why}"
    cfg.add_intake("schema-invalid", Finding(message, item, loc))


def did_you_mean(name: str, allowed: list[str]) -> str | None:
    lower = {a.lower(): a for a in allowed}
    if name.lower() in lower:
        return lower[name.lower()]
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def allowed_fields(model: type[BaseModel], loc: FieldPath) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = submodel(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside X, list[X], X | None, Annotated[X, ...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = submodel(arg)
        if found is not None:
            return found
    return None
