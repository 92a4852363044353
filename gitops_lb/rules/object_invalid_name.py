"""An object's name or namespace is not a valid Kubernetes name.

The API server refuses the object: `metadata.name` must be a DNS-1123 subdomain (lower-case
letters, digits, `-` and `.`; a DNS-1035 label for a Service, a DNS-1123 label for a
Namespace) and `metadata.namespace` a DNS-1123 label. Names with `/`, `..`, spaces, upper-case
letters or letters from other scripts that only look like Latin ones (a Cyrillic "a", U+0430,
in "pool") never reach MetalLB; the message names the offending character. References by name
(`ipAddressPools`, `bfdProfile`, the address-pool annotation) must then be fixed too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item
from gitops_lb.diagnostics import Severity
from gitops_lb.names import DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, problem
from gitops_lb.rules._base import Rule

ID = "object-invalid-name"
NAME_PATTERNS = {"Service": DNS1035_LABEL, "Namespace": DNS1123_LABEL}


def items(cfg: ClusterConfig) -> Iterator[Item[Any]]:
    for group in (
        cfg.pools,
        cfg.l2advs,
        cfg.bgpadvs,
        cfg.peers,
        cfg.bfdprofiles,
        cfg.communities,
        cfg.services,
        cfg.nodes,
        cfg.namespaces,
        cfg.secrets,
    ):
        yield from group


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item in items(cfg):
        meta = item.model.metadata
        pattern = NAME_PATTERNS.get(item.kind, DNS1123_SUBDOMAIN)
        if meta.name:
            why = problem(meta.name, pattern)
            if why:
                yield Finding(
                    f"{item.kind} name {meta.name!r} is invalid: {why}", item, ("metadata", "name")
                )
        elif meta.generateName:
            why = problem(meta.generateName.rstrip("-") + "x", pattern)
            if why:
                yield Finding(
                    f"{item.kind} generateName {meta.generateName!r} is invalid: {why}",
                    item,
                    ("metadata", "generateName"),
                )
        if meta.namespace:
            why = problem(meta.namespace, DNS1123_LABEL)
            if why:
                yield Finding(
                    f"{item.kind} {meta.name!r}: namespace {meta.namespace!r} is invalid: {why}",
                    item,
                    ("metadata", "namespace"),
                )


RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", check, enforced=True)
