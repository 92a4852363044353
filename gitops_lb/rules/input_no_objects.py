"""The inputs hold no Kubernetes object at all.

Every file given (or standard input) is empty or holds only comments and `---` separators.
`kubectl apply` refuses such input ("no objects passed to apply"), and a check that passes
on nothing usually hides a broken step before it: `kustomize build` or `helm template`
failed and printed nothing, or the path points at the wrong folder. One empty file among
others is fine; this is reported only when nothing at all was found.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "input-no-objects"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID))
