"""A MetalLB object sets a field that the targeted MetalLB release does not have.

Fields come with releases: L2Advertisement `interfaces` with v0.13.6, IPAddressPool
`avoidBuggyIPs` with v0.13.4 and `serviceAllocation` with v0.13.8, BGPPeer `vrf` with v0.13.8,
`connectTime` and `disableMP` with v0.14.4, `enableGracefulRestart` with v0.14.6,
`dynamicASN` with v0.14.9, `interface` and `dualStackAddressFamily` with v0.15.0, and
`localASN` and the `serviceSelectors` of L2 and BGP advertisements with v0.16.0. L2Advertisement
`preferredNodeSelectors` is in no release yet (only on MetalLB's main branch). The CRD of an
older release does not have the field: `kubectl apply` (and Argo CD) with strict field
validation, the default of current kubectl, refuse the object, and without it the API server
drops the field silently, so the setting never takes effect. Either way it is an error. The
object is then checked without the field, as that release sees it. Fix: remove the field, or
target the release the cluster runs (`--metallb-version`, or `metallb.version` in a site
spec) and upgrade MetalLB first.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.intake import NEWER_FIELD
from gitops_lb.rules._base import Rule, intake

ID = NEWER_FIELD
RULE = Rule(ID, Severity.ERROR, "metallb", __doc__ or "", intake(ID), enforced=True)
