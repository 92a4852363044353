"""An `AddressPool`, MetalLB's pool kind before IPAddressPool, for v0.14.0 or later.

MetalLB v0.13 replaced `AddressPool` with `IPAddressPool` plus `L2Advertisement` and
`BGPAdvertisement`. v0.13.x still read AddressPools (see `legacy-address-pool-deprecated`);
v0.14.0 to v0.14.2 ship the CRD but nothing reads it, so its addresses are never assigned;
v0.14.3 removed the CRD, so the object cannot be applied. Fix: convert each AddressPool into an
IPAddressPool with the same addresses and an L2Advertisement (protocol `layer2`) or a
BGPAdvertisement (protocol `bgp`, with its `bgpAdvertisements` settings).
"""

from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.versions import since, v
from gitops_lb.rules._base import Applicability, Rule, intake

ID = "legacy-address-pool"
RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    intake(ID),
    enforced=True,
    applies=Applicability(versions=since("0.14.0"), changes=(v("0.14.3"),)),
)
