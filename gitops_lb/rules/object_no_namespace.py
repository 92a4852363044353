"""A MetalLB object has no namespace.

It lands in whatever namespace `kubectl` or Argo CD defaults to, which is MetalLB's only by
luck. Set `metadata.namespace` (or the kustomization's `namespace`). The object is still
checked as if it were in MetalLB's namespace.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "object-no-namespace"
RULE = Rule(ID, Severity.WARNING, "input", __doc__ or "", intake(ID), enforced=False)
