"""A Service uses the deprecated `metallb.universe.tf/` annotation prefix.

MetalLB 0.14.9 renamed its Service annotations to `metallb.io/address-pool`,
`metallb.io/loadBalancerIPs` and `metallb.io/allow-shared-ip`. The old
`metallb.universe.tf/` keys still work, but only while the `metallb.io/` key is absent, and
MetalLB records a deprecation event on every Service that carries them. Alauda's guides still
use the old prefix; a site spec's `metallb.annotationPrefix` chooses which one `compile`
writes. Rename the key to the `metallb.io/` prefix when every cluster runs 0.14.9 or later.
Nothing is reported for older releases: they read only the `metallb.universe.tf/` keys (and
ignore the `metallb.io/` ones, see `service-unknown-annotation`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import (
    DEPRECATED_PREFIX,
    services_of,
)
from gitops_lb.metallb.services import PREFIX as CURRENT_PREFIX
from gitops_lb.metallb.services import SERVICE_KEYS as KEYS  # the annotations MetalLB reads
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Input, Rule

ID = "service-deprecated-annotation"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        annotations = view.svc.metadata.annotations
        for name in KEYS:
            key = f"{DEPRECATED_PREFIX}/{name}"
            if key in annotations:
                yield Finding(
                    f"Service {view.ref}: {key} is deprecated since MetalLB 0.14.9; "
                    f"use {CURRENT_PREFIX}/{name}",
                    view.item,
                    ("metadata", "annotations", key),
                    key=True,
                )


# not on site specs: they choose the prefix with metallb.annotationPrefix on purpose
RULE = Rule(
    ID,
    Severity.WARNING,
    "service",
    __doc__ or "",
    check,
    applies=Applicability(
        inputs=frozenset({Input.MANIFESTS}), versions=FEATURES["metallb_io_annotations"]
    ),
)
