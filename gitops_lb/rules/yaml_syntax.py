"""The file is not valid YAML.

The parser's complaint is reported where it stopped. Kubernetes cannot read the file, so nothing
in it is applied; everything after the error in the same file is not checked.

Fix the YAML (an unclosed bracket, a tab used for indentation, a key without a value...).
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "yaml-syntax"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
