"""An object has no `apiVersion` or `kind`.

Without both, nothing can tell what the object is and the API server refuses it.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "object-missing-type"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
