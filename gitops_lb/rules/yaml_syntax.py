"""The file is not valid YAML.

The parser's complaint is reported where it stopped (at the tab, when a tab indents the line:
YAML forbids tabs for indentation). Kubernetes cannot read the file, so nothing in it is
applied. gitops-lb reads on from the next `---` line, so the other documents of the file are
still checked; the broken document is not, and the rules that report something missing (a pool
nobody announces, a name that does not exist) keep quiet, since it may hold that very thing.

Fix the YAML (an unclosed bracket, a tab used for indentation, a key without a value...).
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "yaml-syntax"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
