"""A MetalLB object has no namespace.

It lands in whatever namespace `kubectl` or Argo CD defaults to, which is MetalLB's only by
luck. Set `metadata.namespace` (or the kustomization's `namespace`). The object is still
checked as if it were in MetalLB's namespace.

`lint` reads the kustomizations among its inputs: an object that a `kustomization.yaml` with
`namespace:` lists (directly, or through a base it lists) gets that namespace, as
`kustomize build` gives it, and is not reported here.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "object-no-namespace"
RULE = Rule(ID, Severity.WARNING, "input", __doc__ or "", intake(ID), enforced=False)
