"""A MetalLB object is outside MetalLB's namespace.

MetalLB reads its configuration only from the namespace it runs in (`metallb-system` unless
`--namespace` says otherwise) and its admission webhook refuses to create configuration
objects anywhere else. An object elsewhere is never used.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "object-wrong-namespace"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
