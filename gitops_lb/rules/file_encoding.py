"""A file is not UTF-8.

Kubernetes manifests are UTF-8. UTF-16 files (often written by Windows editors) and files with
bytes that are not valid UTF-8 are reported at the first offending byte. Such a file cannot
be read, so the command exits with status 3 (could not run), as for a missing file.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "file-encoding"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
