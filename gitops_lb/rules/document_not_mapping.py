"""A YAML document is not a mapping.

Every document of a manifest file must be one Kubernetes object (a mapping with `apiVersion`,
`kind` and `metadata`). A bare list or a scalar is not an object; `kubectl apply` rejects it.
Empty documents (a trailing `---`) are fine.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "document-not-mapping"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
