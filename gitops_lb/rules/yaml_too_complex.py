"""A document is nested too deeply or expands to too many nodes.

Anchors and aliases can make a small file expand exponentially (the "billion laughs" attack),
and documents nested hundreds of levels deep are never real configuration. gitops-lb stops
reading such a document instead of exhausting memory.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "yaml-too-complex"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
