"""An object's name, namespace, labels or annotations are not valid Kubernetes metadata.

The API server refuses any object whose `metadata.name` is not a DNS-1123 subdomain (lower
case letters, digits, `-` and `.`, at most 253 characters; a Service name is a DNS-1035 label
and a Namespace name a DNS-1123 label: no `.`), whose namespace is not a DNS-1123 label,
whose label keys are not qualified names or whose label values are longer than 63 characters
or use other characters than letters, digits, `-`, `_` and `.`; annotation keys follow the
label key rules. Such an object never reaches MetalLB, and pool labels are what
`ipAddressPoolSelectors` match. Names with `/`, `..`, spaces or letters from other scripts
that only look like Latin ones are named character by character in the message.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb import names
from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.selectors import label_value_error, qualified_name_error
from gitops_lb.rules._base import MANIFESTS_ONLY, Rule
from gitops_lb.rules.object_duplicate import all_items

ID = "object-invalid-metadata"
NAME_PATTERNS = {"Service": names.DNS1035_LABEL, "Namespace": names.DNS1123_LABEL}


def name_error(name: str, kind: str = "") -> str | None:
    """Why the API server refuses `name` for an object of `kind` (None: it does not)."""
    why = names.problem(name, NAME_PATTERNS.get(kind, names.DNS1123_SUBDOMAIN))
    return f"name {name!r} is invalid: {why}" if why else None


def problems(item: Item[Any]) -> Iterator[Finding]:
    meta = item.model.metadata
    if meta.name:
        err = name_error(meta.name, item.kind)
        if err:
            yield Finding(f"{item.kind} {err}", item, ("metadata", "name"))
    elif meta.generateName:  # the API server appends five characters
        err = name_error(meta.generateName.rstrip("-") + "x", item.kind)
        if err:
            yield Finding(f"{item.kind} generateName: {err}", item, ("metadata", "generateName"))
    if meta.namespace:
        why = names.problem(meta.namespace, names.DNS1123_LABEL)
        if why:
            yield Finding(
                f"{item.kind} {item.name!r}: namespace {meta.namespace!r} is invalid: {why}",
                item,
                ("metadata", "namespace"),
            )
    for key, value in meta.labels.items():
        err = qualified_name_error(key) or label_value_error(value)
        if err:
            yield Finding(f"{item.kind} {item.name!r}: {err}", item, ("metadata", "labels", key))
    for key in meta.annotations:
        err = qualified_name_error(key)
        if err:
            yield Finding(
                f"{item.kind} {item.name!r}: annotation {err.removeprefix('label ')}",
                item,
                ("metadata", "annotations", key),
                key=True,
            )


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item in all_items(cfg):
        yield from problems(item)


# not on site specs: the site spec models check names; lowering builds the metadata
RULE = Rule(
    ID, Severity.ERROR, "input", __doc__ or "", check, enforced=True, applies=MANIFESTS_ONLY
)
