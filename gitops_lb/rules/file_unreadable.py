"""An input file or folder cannot be read.

The path does not exist, is not readable, or is a folder without any `*.yaml`/`*.yml` file.
This makes the command exit with status 3 (could not run) rather than 1.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "file-unreadable"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
