"""A MetalLB object is outside MetalLB's namespace.

MetalLB reads its configuration only from the namespace it runs in (`metallb-system` unless
`--namespace` says otherwise) and its admission webhook refuses to create configuration
objects anywhere else. An object elsewhere is never used. If MetalLB runs in another namespace
on your cluster, pass `--namespace NS`.

The namespace is the one the object gets when it is applied: a kustomization with `namespace:`
that lists the object overrides `metadata.namespace` (the outermost kustomization that sets one
wins, as in `kustomize build`), and the finding then notes the line of the kustomization that
sets it.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "object-wrong-namespace"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
