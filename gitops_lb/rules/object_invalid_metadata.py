"""An object's name, labels or annotations are not valid Kubernetes metadata.

The API server refuses any object whose `metadata.name` is not a DNS-1123 subdomain (lower
case letters, digits, `-` and `.`, at most 253 characters), whose label keys are not qualified
names or whose label values are longer than 63 characters or use other characters than
letters, digits, `-`, `_` and `.`; annotation keys follow the label key rules. Such an object
never reaches MetalLB, and pool labels are what `ipAddressPoolSelectors` match.
"""

import re
from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.selectors import label_value_error, qualified_name_error
from gitops_lb.rules._base import Rule
from gitops_lb.rules.object_duplicate import all_items

ID = "object-invalid-metadata"
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")


def name_error(name: str) -> str | None:
    if len(name) > 253 or not _SUBDOMAIN.match(name):
        return (
            f"name {name!r} is not a DNS-1123 subdomain (lower case letters, digits, '-' and "
            "'.', starting and ending with a letter or digit, at most 253 characters)"
        )
    return None


def problems(item: Item[Any]) -> Iterator[Finding]:
    meta = item.model.metadata
    if meta.name:
        err = name_error(meta.name)
        if err:
            yield Finding(f"{item.kind} {err}", item, ("metadata", "name"))
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
    if cfg.site is not None:
        return  # the site spec models check names; lowering builds the metadata
    for item in all_items(cfg):
        yield from problems(item)


RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", check, enforced=True)
