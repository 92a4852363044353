"""The MetalLB Operator ignores this MetalLB resource: wrong name or namespace.

With the MetalLB Operator (OperatorHub, OpenShift), MetalLB itself is deployed from one
`metallb.io/v1beta1` `MetalLB` object. The operator acts only on the one named `metallb`: any
other name gets the condition `Degraded` (reason `IncorrectMetalLBResourceName`) and nothing is
deployed from it. It also watches only its own namespace, the one MetalLB runs in
(`--namespace`): a MetalLB resource elsewhere is never seen. Either way the speaker settings
(`nodeSelector`, tolerations, `logLevel`, `bgpBackend`) never take effect, and if no other
MetalLB resource exists, MetalLB is not deployed at all. Name it `metallb` and put it in
MetalLB's namespace. A MetalLB resource without a namespace is not reported: it goes wherever it
is applied. Its fields are checked against the operator's CRD by `schema-unknown-field` and
`schema-invalid`; it is not MetalLB configuration, so no other rule reads it.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.models import OPERATOR_NAME
from gitops_lb.rules._base import Rule

ID = "operator-resource-ignored"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item in cfg.operators:
        if item.namespace is not None and item.namespace != cfg.namespace:
            yield Finding(
                f"MetalLB {item.name!r} is in namespace {item.namespace!r}; the MetalLB Operator "
                f"looks for its MetalLB resource only in {cfg.namespace!r} and never sees this one",
                item,
                ("metadata", "namespace"),
            )
        elif item.name != OPERATOR_NAME:
            meta = item.model.metadata
            field = "name" if meta.name or not meta.generateName else "generateName"
            yield Finding(
                f"MetalLB {item.name!r}: the MetalLB Operator deploys MetalLB only from the "
                f"MetalLB resource named {OPERATOR_NAME!r}; it marks this one Degraded "
                "(IncorrectMetalLBResourceName) and deploys nothing from it",
                item,
                ("metadata", field),
            )


RULE = Rule(ID, Severity.ERROR, "silent", __doc__ or "", check)
