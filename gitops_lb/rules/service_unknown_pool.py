"""A Service's address-pool annotation names an IPAddressPool that does not exist.

MetalLB answers "unknown pool" in an event and leaves the Service pending. Pool names are exact
and case-sensitive. Checked only when the input contains at least one IPAddressPool (otherwise
the MetalLB configuration is not part of what is being linted).
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.services import services_of
from gitops_lb.rules._base import Rule
from gitops_lb.rules._refs import close_hint
from gitops_lb.words import from_site, title

ID = "service-unknown-pool"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    if not cfg.pools:
        return
    known = semantics_of(cfg).pools_by_name
    for view in services_of(cfg).views:
        ann = view.pool_annotation
        if ann is None or ann.value in known or cfg.may_exist("IPAddressPool", ann.value):
            continue
        hint = close_hint(ann.value, known)
        what = (
            f"pool {ann.value!r} does not exist"
            if from_site(view.item)
            else f"{ann.key} names pool {ann.value!r}, which does not exist"
        )
        yield Finding(
            f"{title(view.item)}: {what}{hint}",
            view.item,
            ann.path,
        )


RULE = Rule(ID, Severity.ERROR, "service", __doc__ or "", check)
