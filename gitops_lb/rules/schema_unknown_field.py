"""A field is not part of the schema.

A misspelt field (`adresses`, `nodeSelector`, `ipAdressPools`) is dropped by the API server or
refused by strict field validation; either way the setting you wrote has no effect. The message
suggests the closest known field.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "schema-unknown-field"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
