"""MetalLB's configuration before v0.13: YAML text under the `config` key of a ConfigMap.

Up to v0.12 MetalLB read `address-pools`, `peers`, `bgp-communities` and `bfd-profiles` from
one ConfigMap in its namespace: named `config` by the plain manifests, after the release by the
Helm chart (`configInline`). Since v0.13.0 only the custom resources are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitops_lb.yamlload import load_text

LEGACY_KEY = "config"  # the data key MetalLB read
POOLS_KEY = "address-pools"
PEERS_KEY = "peers"
PEER_FIELDS = frozenset({"peer-address", "peer-asn", "my-asn"})  # what a MetalLB peer has


@dataclass(frozen=True, slots=True)
class Legacy:
    pools: tuple[str, ...]  # the address pool names, in order
    peers: int


def parse_legacy(text: str) -> Legacy | None:
    """The legacy configuration in `text`, or None when it is not MetalLB's.

    MetalLB's when it is one YAML mapping with an `address-pools` list, or with a `peers` list
    of mappings that have a MetalLB peer field (`peer-address`, `peer-asn`, `my-asn`): many
    applications keep a `config` key in a ConfigMap, few of them with these.
    """
    loaded = load_text(text, "<config>")
    if loaded.issues or len(loaded.documents) != 1:
        return None
    data = loaded.documents[0].data
    if not isinstance(data, dict):
        return None
    pools = data.get(POOLS_KEY)
    peers = data.get(PEERS_KEY)
    if not isinstance(pools, list):
        pools = None
    if not (
        isinstance(peers, list)
        and peers
        and all(isinstance(p, dict) and PEER_FIELDS & p.keys() for p in peers)
    ):
        peers = None
    if pools is None and peers is None:
        return None
    names = tuple(str(p.get("name", "")) for p in pools or () if isinstance(p, dict))
    return Legacy(names, len(peers or ()))
