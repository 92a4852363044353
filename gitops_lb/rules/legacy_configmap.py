"""A ConfigMap holds MetalLB's pre-0.13 configuration, which MetalLB no longer reads.

Up to v0.12 MetalLB was configured by YAML text under the `config` key of a ConfigMap
(`address-pools:`, `peers:`, `bgp-communities:`, `bfd-profiles:`). MetalLB 0.13.0 and later
read only the custom resources and ignore that ConfigMap without a word: none of its addresses
is handed out and none of its peers is dialled. Convert it with MetalLB's `configmaptocrs` tool
(a container image, `quay.io/metallb/configmaptocrs`, that writes the equivalent
IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer, BFDProfile and Community objects),
or write those objects by hand; then delete the ConfigMap.

Which ConfigMaps: any whose `config` key parses as one YAML mapping with an `address-pools`
list, or with a `peers` list whose entries have `peer-address`, `peer-asn` or `my-asn`,
whatever its name (the plain manifests named it `config`, the Helm chart after the release) and
namespace. A ConfigMap named `config` for another application (a `config` key holding other
settings) is not reported.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.legacy import LEGACY_KEY, Legacy, parse_legacy
from gitops_lb.rules._base import Rule

ID = "legacy-configmap"
SHOWN = 3  # pool names in a message


def holds(legacy: Legacy) -> str:
    parts = []
    if legacy.pools:
        names = ", ".join(repr(n) for n in legacy.pools[:SHOWN])
        more = f" and {len(legacy.pools) - SHOWN} more" if len(legacy.pools) > SHOWN else ""
        parts.append(f"address pool{'s' if len(legacy.pools) > 1 else ''} {names}{more}")
    if legacy.peers:
        parts.append(f"{legacy.peers} BGP peer{'s' if legacy.peers > 1 else ''}")
    return " and ".join(parts) if parts else "no address pool"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    for item in cfg.configmaps:
        legacy = parse_legacy(item.model.data[LEGACY_KEY])
        if legacy is None:
            continue
        if cfg.pools:
            todo = (
                "make sure IPAddressPool and advertisement objects replace it (MetalLB's "
                "configmaptocrs tool converts it), then delete it"
            )
        else:
            todo = (
                "no IPAddressPool replaces it: convert it with MetalLB's configmaptocrs tool "
                "or write IPAddressPool, advertisement and BGPPeer objects"
            )
        yield Finding(
            f"ConfigMap {item.name!r} holds MetalLB's pre-0.13 configuration "
            f"({holds(legacy)}), which MetalLB 0.13.0 and later ignore; {todo}",
            item,
            ("data", LEGACY_KEY),
            key=True,
        )


RULE = Rule(ID, Severity.WARNING, "silent", __doc__ or "", check)
