"""An input file or folder cannot be read.

The path does not exist, is not readable (permissions, a symbolic link loop), is a folder
without any `*.yaml`/`*.yml` file, is a FIFO, socket or device found inside a folder, or is
larger than 8 MiB (set `GITOPS_LB_MAX_FILE_MIB` to read larger files). Live dumps given to
`reconcile --live` are read as a stream, one object at a time, and may be far larger (see
docs/reconcile.md). This makes the command exit with status 3 (could not run) rather than 1.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "file-unreadable"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
