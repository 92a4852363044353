"""A mapping repeats a key.

YAML parsers disagree about repeated keys: some keep the last value, strict Kubernetes field
validation rejects the object. Either way one of the two values is not what someone meant.
The finding points at the second occurrence and names the line of the first.

Objects written one after the other without `---` between them make one top-level mapping that
repeats apiVersion, kind, metadata and spec. That is one finding, "two objects in one
document", at the line where `---` is missing; each object is then checked on its own.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "yaml-duplicate-key"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
