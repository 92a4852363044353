"""A Service sets the same MetalLB annotation under both prefixes with different values.

For address-pool, loadBalancerIPs and allow-shared-ip, MetalLB reads `metallb.io/<key>` and,
only when that key is absent, the deprecated `metallb.universe.tf/<key>`. When both are
written, the `metallb.universe.tf` value is ignored even if the `metallb.io` one is empty, so
the Service does not get what the old annotation says. Delete the `metallb.universe.tf`
annotation (or make the two agree while migrating). That is MetalLB v0.14.9 and later; older
releases read only the `metallb.universe.tf/` keys (see `service-unknown-annotation`).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.services import (
    DEPRECATED_PREFIX,
    PREFIX,
    services_of,
)
from gitops_lb.metallb.services import SERVICE_KEYS as KEYS  # the annotations MetalLB reads
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import field, title

ID = "service-annotation-prefix-conflict"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for view in services_of(cfg).views:
        annotations = view.svc.metadata.annotations
        for old_key, old in annotations.items():
            prefix, _, name = old_key.partition("/")
            new_key = f"{PREFIX}/{name}"
            if prefix != DEPRECATED_PREFIX or name not in KEYS or new_key not in annotations:
                continue
            new = annotations[new_key]
            if new == old:
                continue
            old_path = ("metadata", "annotations", old_key)
            new_path = ("metadata", "annotations", new_key)
            new_field = field(view.item, new_path, new_key)
            yield Finding(
                f"{title(view.item)}: {field(view.item, old_path, old_key)} {old!r} is ignored "
                f"because {new_field} {new!r} is set",
                view.item,
                old_path,
                related=(Rel(f"{new_field} set here", view.item, new_path),),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "service",
    __doc__ or "",
    check,
    applies=Applicability(versions=FEATURES["metallb_io_annotations"]),
)
