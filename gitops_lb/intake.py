"""What the two readers of a cluster's configuration share: Kubernetes manifests
(gitops_lb.manifests) and site specs (gitops_lb.site.load, gitops_lb.site.lower).

Filing a validated object into its ClusterConfig, pydantic validation errors turned into
located findings, and the "did you mean" hint for misspelt names.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from gitops_lb import names
from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import FieldPath
from gitops_lb.metallb import models as m
from gitops_lb.metallb import operator as op
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
        op.MetalLB: cfg.operators,
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
                f"{item.kind} {'.'.join(path)} {when}; the target is {cfg.metallb_version}",
                item,
                path,
                key=True,
            ),
        )
    kept = {name: getattr(spec, name) for name in written - dropped}
    pruned = type(spec).model_construct(_fields_set=set(kept), **kept)
    item.model = item.model.model_copy(update={"spec": pruned})


# --- pydantic errors -> located findings ---------------------------------------------------------


def report_validation_error(
    cfg: ClusterConfig, item: Item[Any], model: type[BaseModel], err: Any
) -> None:
    loc: FieldPath = tuple(err["loc"])
    where = shorten(".".join(str(p) for p in loc))
    if err["type"] == "extra_forbidden":
        field = str(loc[-1])
        allowed = allowed_fields(model, loc[:-1])
        hint = did_you_mean(field, allowed)
        cfg.add_intake(
            "schema-unknown-field",
            Finding(
                f"unknown field {where!r} in {item.kind}"
                + (f"; did you mean {hint!r}?" if hint else ""),
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
