"""An `AddressPool`, MetalLB's deprecated pool kind, for a v0.13.x release.

MetalLB v0.13 replaced `AddressPool` with `IPAddressPool` plus `L2Advertisement` and
`BGPAdvertisement`, and deprecated the old kind; v0.13.x still read it, v0.14.0 stopped
(see `legacy-address-pool`). gitops-lb does not check an AddressPool's contents, so its
addresses are left out of the overlap, pool and Service checks. Convert it into an
IPAddressPool with the same addresses and an L2Advertisement (protocol `layer2`) or a
BGPAdvertisement (protocol `bgp`) before upgrading MetalLB.
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule, intake

ID = "legacy-address-pool-deprecated"
RULE = Rule(
    ID,
    Severity.WARNING,
    "metallb",
    __doc__ or "",
    intake(ID),
    applies=Applicability(versions=FEATURES["address_pool_read"]),
)
