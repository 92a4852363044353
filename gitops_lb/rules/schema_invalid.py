"""A field does not match the CRD schema.

MetalLB's CRDs declare the type of every field, the required ones, enumerations and numeric
bounds; the API server rejects objects that do not match. Examples: `autoAssign: "true"` (a
string where a boolean is expected), `peerPort: 20000` (over 16384), a `BGPPeer` without
`myASN`, a `preferredNodeSelectors` weight outside 1-100, `dynamicASN: both`, a
`BFDProfile.receiveInterval` below 10. The same rule reports MetalLB kinds or versions that
do not exist. The MetalLB Operator's own resource (`kind: MetalLB`) is checked against the
operator's CRD and webhook the same way (`logLevel: trace`, `bgpBackend: frrk8s`). An object
with a schema error is not checked further.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.rules._base import Rule, intake

ID = "schema-invalid"
RULE = Rule(ID, Severity.ERROR, "input", __doc__ or "", intake(ID), enforced=True)
