"""The MetalLB releases gitops-lb checks for, and what changes from one to the next.

Every rule runs for one target release: `spec.metallb.version` of a site spec, or
`--metallb-version` of the commands that read manifests (default DEFAULT, the release Alauda
Container Platform ships). The facts below were read from MetalLB's source at each release
tag (internal/config, the webhooks, the CRDs under config/crd/bases); releases are cut on
branches, so the tags are compared with each other, never with main.

- RELEASES: every release tag from v0.13.0 (the first without the ConfigMap configuration)
  to the newest; nothing else is a valid target.
- FEATURES: when a behaviour a rule depends on starts (or, for a few, ends).
- FIELDS: the CRD fields that are not in every release, by kind, with their first release
  (None: in no release yet). The API server drops (or, with strict validation, refuses) a
  field its CRD does not have, so an object that sets one is checked as that release sees it:
  without the field (gitops_lb.intake).

This module is a leaf: it imports nothing of gitops_lb, so the IR can carry a Version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Version:
    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"


def v(text: str) -> Version:
    """A Version from a literal such as "0.14.9" (for the tables below and for tests)."""
    major, minor, patch = (int(p) for p in text.removeprefix("v").split("."))
    return Version(major, minor, patch)


# (minor, last patch): every tag v0.<minor>.0 ... v0.<minor>.<last> exists, none else
_LINES = ((13, 12), (14, 9), (15, 3), (16, 1))
RELEASES: tuple[Version, ...] = tuple(
    Version(0, minor, patch) for minor, last in _LINES for patch in range(last + 1)
)
OLDEST = RELEASES[0]
NEWEST = RELEASES[-1]
DEFAULT = v("0.15.1")  # what Alauda Container Platform ships
SUPPORTED = f"{OLDEST} … {NEWEST}"

_SYNTAX = re.compile(r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


class UnsupportedVersion(ValueError):
    """Not a MetalLB release gitops-lb can target. str(): the text and why; `reason`: why
    (for a message that shows the text already), naming the releases that are."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text} is {reason}")
        self.reason = reason


def release(text: str) -> Version:
    """The release `text` names: "v0.15.1" or "0.15.1" (the chart's spelling) alike.

    Raises UnsupportedVersion for anything else: another spelling, a release outside
    RELEASES (older, newer, or a patch number MetalLB never released).
    """
    match = _SYNTAX.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise UnsupportedVersion(
            repr(text), f"not a MetalLB release; write one such as {DEFAULT} ({SUPPORTED})"
        )
    found = Version(*(int(g) for g in match.groups()))
    if found > NEWEST:
        raise UnsupportedVersion(
            str(found), f"newer than the MetalLB releases gitops-lb knows ({SUPPORTED})"
        )
    if found not in RELEASES:
        raise UnsupportedVersion(str(found), f"not a supported MetalLB release ({SUPPORTED})")
    return found


def previous(version: Version) -> Version | None:
    """The release before `version` (None for the oldest)."""
    at = RELEASES.index(version)
    return RELEASES[at - 1] if at else None


@dataclass(frozen=True, slots=True)
class VersionRange:
    """Releases from `since` to `until`, both included (None: no bound)."""

    since: Version | None = None
    until: Version | None = None

    def __contains__(self, version: object) -> bool:
        if not isinstance(version, Version):
            return False
        if self.since is not None and version < self.since:
            return False
        return self.until is None or version <= self.until

    @property
    def everywhere(self) -> bool:
        return (self.since is None or self.since <= OLDEST) and (
            self.until is None or self.until >= NEWEST
        )

    def releases(self) -> list[Version]:
        return [r for r in RELEASES if r in self]

    def describe(self) -> str:
        """In words: "v0.14.9 and later", "v0.13.0 to v0.15.3", "v0.15.0 only"..."""
        if self.everywhere:
            return f"every release ({OLDEST} to {NEWEST})"
        inside = self.releases()
        if not inside:
            return "no release"
        if len(inside) == 1:
            return f"{inside[0]} only"
        if inside[-1] == NEWEST:
            return f"{inside[0]} and later"
        if inside[0] == OLDEST:
            return f"up to {inside[-1]}"
        return f"{inside[0]} to {inside[-1]}"


ALL = VersionRange()


def since(text: str) -> VersionRange:
    return VersionRange(since=v(text))


def until(text: str) -> VersionRange:
    return VersionRange(until=v(text))


# What changes between releases (the rules name these; each boundary has tests on both sides).
FEATURES: dict[str, VersionRange] = {
    # the legacy AddressPool kind: read by 0.13.x, ignored by 0.14.0-0.14.2, its CRD gone after
    "address_pool_read": until("0.13.12"),
    "address_pool_crd": until("0.14.2"),
    # IPAddressPool avoidBuggyIPs; L2Advertisement interfaces
    "avoid_buggy_ips": since("0.13.4"),
    "l2_interfaces": since("0.13.6"),
    # BGPPeer vrf; FRR: the duplicate-peer key gets the VRF, myASN must agree per VRF only
    "vrf": since("0.13.8"),
    "service_allocation": since("0.13.8"),
    # repeated entries in serviceAllocation (namespaces, selectors) refused; large
    # communities, the localPref conflict check, BFD echo vs IPv6
    "allocation_duplicates": since("0.13.10"),
    "large_communities": since("0.13.10"),
    "localpref_check": since("0.13.10"),
    "bfd_echo_ipv6": since("0.13.10"),
    # the address-pool annotation must agree with loadBalancerIPs (before: it is ignored)
    "pool_annotation_with_ips": since("0.13.10"),
    # the frr-k8s BGP mode
    "frr_k8s_mode": since("0.14.0"),
    "connect_time": since("0.14.4"),
    "disable_mp": since("0.14.4"),
    "graceful_restart": since("0.14.6"),
    # dynamicASN (peerASN no longer required), hold/keepalive as optional values, the
    # metallb.io/ Service annotations, BGPPeer v1beta1 deprecated, native mode refuses IPv6
    # only in the pools a BGPAdvertisement selects
    "dynamic_asn": since("0.14.9"),
    "optional_timers": since("0.14.9"),
    "metallb_io_annotations": since("0.14.9"),
    "v1beta1_peer_deprecated": since("0.14.9"),
    "native_ipv6_selected_pools": since("0.14.9"),
    # unnumbered peering (interface) and dualStackAddressFamily; disableMP deprecated; the
    # localPref check looks at the pool's address families; an empty serviceAllocation
    # matches every Service
    "peer_interface": since("0.15.0"),
    "dual_stack_address_family": since("0.15.0"),
    "disable_mp_deprecated": since("0.15.0"),
    "localpref_per_family": since("0.15.0"),
    "empty_allocation_matches_all": since("0.15.0"),
    # a pool must not hold a Node's InternalIP: v0.15.0 only (reverted in v0.15.1)
    "pool_excludes_node_ips": VersionRange(v("0.15.0"), v("0.15.0")),
    # disableMP passed on to FRR-K8s again
    "disable_mp_frr_k8s": since("0.15.3"),
    # the FRR peer rules look at the nodes peers share; serviceSelectors on advertisements;
    # localASN; FRR mode deprecated in favour of FRR-K8s
    "node_aware_frr_peers": since("0.16.0"),
    "advertisement_service_selectors": since("0.16.0"),
    "local_asn": since("0.16.0"),
    "frr_mode_deprecated": since("0.16.0"),
}


def has(version: Version, feature: str) -> bool:
    """Whether `version` has the feature (KeyError for a name FEATURES does not define)."""
    return version in FEATURES[feature]


def first(feature: str) -> Version:
    """The first release of a feature that starts in some release."""
    start = FEATURES[feature].since
    assert start is not None, feature
    return start


# The CRD fields that are not in every release: kind -> spec path -> first release (None: in
# no release; L2Advertisement preferredNodeSelectors is only on MetalLB's main branch).
FIELDS: dict[str, dict[tuple[str, ...], Version | None]] = {
    "IPAddressPool": {
        ("spec", "avoidBuggyIPs"): first("avoid_buggy_ips"),
        ("spec", "serviceAllocation"): first("service_allocation"),
    },
    "L2Advertisement": {
        ("spec", "interfaces"): first("l2_interfaces"),
        ("spec", "serviceSelectors"): first("advertisement_service_selectors"),
        ("spec", "preferredNodeSelectors"): None,
    },
    "BGPAdvertisement": {
        ("spec", "serviceSelectors"): first("advertisement_service_selectors"),
    },
    "BGPPeer": {
        ("spec", "vrf"): first("vrf"),
        ("spec", "connectTime"): first("connect_time"),
        ("spec", "disableMP"): first("disable_mp"),
        ("spec", "enableGracefulRestart"): first("graceful_restart"),
        ("spec", "dynamicASN"): first("dynamic_asn"),
        ("spec", "interface"): first("peer_interface"),
        ("spec", "dualStackAddressFamily"): first("dual_stack_address_family"),
        ("spec", "localASN"): first("local_asn"),
    },
}


def field_release(kind: str, path: tuple[str, ...]) -> Version | None:
    """The first release whose CRD has the field (OLDEST for fields every release has)."""
    return FIELDS.get(kind, {}).get(path, OLDEST)


def unknown_fields(kind: str, version: Version) -> dict[tuple[str, ...], Version | None]:
    """The fields of `kind` that `version`'s CRD does not have, with their first release."""
    return {
        path: start
        for path, start in FIELDS.get(kind, {}).items()
        if start is None or version < start
    }
