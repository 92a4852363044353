"""A document given to `validate` is not a site spec, or no site spec was found at all.

`gitops-lb validate` reads site specs (`apiVersion: gitops-lb.io/v1alpha1`, `kind: Site`).
A Kubernetes object among them (a MetalLB pool, a Service, a kustomization) is not checked and
not compiled; check manifests with `gitops-lb lint` instead, or move them out of the site
folder. When the inputs hold no site spec at all, this rule reports that too, so a wrong path
never passes silently. YAML files that do not look like Kubernetes objects or site specs at all
(lists, plain settings files without apiVersion, kind or spec) are ignored.

The tree `gitops-lb compile` wrote is not read at all: in a folder given (at any depth), the
files that a compiled tree's `.gitops-lb-manifest` lists are skipped, with one line on standard
error saying so. Files a person added to that tree are read, and so is a file named on its own.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "site-not-a-site"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID))
