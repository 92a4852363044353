"""Canonical forms for comparing Git with a live object.

A MetalLB spec is compared in its canonical form, derived from the pydantic models of the
CRDs: a field left out means MetalLB's default (so `autoAssign: true` written or not is the
same, in Git and live alike), unknown and null fields are dropped (a newer MetalLB may add
defaulted fields), and the lists MetalLB reads as sets are deduplicated and sorted.
`spec.addresses` is not a set: MetalLB hands out addresses in the order of its entries.

Metadata is compared as a subset: only the labels and annotations Git sets; Argo CD's and
kubectl's own annotations and the Argo CD tracking label are ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel

from gitops_lb.diagnostics import FieldPath, PathPart
from gitops_lb.intake import submodel

SET_FIELDS = frozenset(
    {
        "ipAddressPools",
        "ipAddressPoolSelectors",
        "nodeSelectors",
        "interfaces",
        "serviceSelectors",
        "preferredNodeSelectors",
        "communities",
        "peers",
        "namespaces",
        "namespaceSelectors",
        "matchExpressions",
        "values",
    }
)
IGNORED_PREFIXES = ("argocd.argoproj.io/", "kubectl.kubernetes.io/")
IGNORED_LABELS = frozenset({"app.kubernetes.io/instance"})


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


def spec_model(model: type[BaseModel]) -> type[BaseModel] | None:
    field = model.model_fields.get("spec")
    return submodel(field.annotation) if field is not None else None


def sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def canonical(value: Any, model: type[BaseModel]) -> dict[str, Any]:
    """The fields of `model` that differ from their defaults, each in canonical form."""
    if not isinstance(value, Mapping):
        return {}
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        raw = value.get(name)
        if raw is None:
            continue
        canon = _canonical_value(raw, field.annotation, name)
        if canon != default(model, name):
            out[name] = canon
    return out


def _canonical_value(value: Any, annotation: Any, name: str) -> Any:
    sub = submodel(annotation)
    if isinstance(value, Mapping):
        return canonical(value, sub) if sub is not None else dict(value)
    if isinstance(value, list):
        items = [
            _canonical_value(v, annotation, "") if isinstance(v, Mapping | list) else v
            for v in value
        ]
        if name in SET_FIELDS:
            unique = {sort_key(v): v for v in items}
            items = [unique[k] for k in sorted(unique)]
        return items
    return value


@cache
def _default(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    if field.is_required():
        return "null"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        value = canonical(value.model_dump(mode="json"), type(value))
    return json.dumps(value)


def default(model: type[BaseModel], name: str) -> Any:
    """MetalLB's default of a field, in canonical form (a fresh copy; None if required)."""
    return json.loads(_default(model, name))


def spec_differences(
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    model: type[BaseModel],
    path: FieldPath = (),
) -> Iterator[tuple[FieldPath, Any, Any]]:
    """(path, desired value, live value) for every field whose canonical values differ.

    Both sides are canonical forms; a field absent on one side has its default there.
    """
    for name, field in model.model_fields.items():
        want = desired.get(name, MISSING)
        have = live.get(name, MISSING)
        if want == have:
            continue
        fallback = default(model, name)
        sub = submodel(field.annotation)
        nested = (
            sub is not None
            and isinstance(want, dict | _Missing)
            and isinstance(have, dict | _Missing)
            and not (fallback is None and (want is MISSING or have is MISSING))
        )
        if nested:
            assert sub is not None
            yield from spec_differences(
                {} if want is MISSING else want,
                {} if have is MISSING else have,
                sub,
                (*path, name),
            )
            continue
        yield (
            (*path, name),
            fallback if want is MISSING else want,
            fallback if have is MISSING else have,
        )


def ignored_key(key: str, *, label: bool) -> bool:
    return key.startswith(IGNORED_PREFIXES) or (label and key in IGNORED_LABELS)


def metadata_differences(
    desired: Mapping[str, Any], live: Mapping[str, Any], *, skip: frozenset[str] = frozenset()
) -> Iterator[tuple[FieldPath, Any, Any]]:
    """Labels and annotations Git sets whose live value differs (None: absent live)."""
    for field in ("labels", "annotations"):
        want = desired.get(field)
        have = live.get(field)
        want = want if isinstance(want, Mapping) else {}
        have = have if isinstance(have, Mapping) else {}
        for key in sorted(want):
            if key in skip or ignored_key(key, label=field == "labels"):
                continue
            if have.get(key) != want[key]:
                yield ("metadata", field, key), want[key], have.get(key)


MAP_FIELDS = frozenset({"labels", "annotations", "matchLabels"})
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def path_text(path: FieldPath) -> str:
    """("metadata", "labels", "a/b") -> 'metadata.labels["a/b"]'; ("spec", "x", 1) -> spec.x[1].

    Keys of label and annotation maps are always quoted, field names never are."""
    out = ""
    previous: PathPart = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif previous not in MAP_FIELDS and _IDENT.match(part):
            out += ("." if out else "") + part
        else:
            out += f"[{json.dumps(part)}]"
        previous = part
    return out
