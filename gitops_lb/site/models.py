"""Pydantic models of the site spec (README.md, "the site spec"); schemas/site.schema.json comes
from here.

Field names follow MetalLB's where the concept is the same. Every MetalLB field stays
reachable through the full forms (bgpPeers, l2Advertisements, bgpAdvertisements, communities,
bfdProfiles: a name plus MetalLB's own spec), and the `l2:` / `bgp:` shorthands on a pool
cover the common case of one advertisement per pool.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from gitops_lb import names
from gitops_lb.metallb import models as m
from gitops_lb.metallb import versions
from gitops_lb.names import DNS1123_SUBDOMAIN, INTERFACE_NAME, REPO_PATH

PREFIX, DEPRECATED_PREFIX = "metallb.io", "metallb.universe.tf"  # Service annotations
DNS1123_LABEL = names.DNS1123_LABEL  # site names; gitops_lb.importing uses it too
Name = Annotated[str, Field(pattern=DNS1123_LABEL, description="DNS-1123 label")]


class SpecModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


# --- MetalLB full forms: MetalLB's spec plus a name ----------------------------------------------


class NamedBGPPeer(m.BGPPeerSpec):
    name: Name


class NamedL2Advertisement(m.L2AdvertisementSpec):
    name: Name


class NamedBGPAdvertisement(m.BGPAdvertisementSpec):
    name: Name


class NamedCommunity(m.CommunitySpec):
    name: Name


class NamedBFDProfile(m.BFDProfileSpec):
    name: Name


# --- pools and their shorthands ------------------------------------------------------------------


class L2Shorthand(SpecModel):
    """An L2Advertisement for this pool only (named after the pool)."""

    nodeSelectors: list[m.LabelSelector] = Field(default_factory=list)
    interfaces: list[str] = Field(default_factory=list)
    serviceSelectors: list[m.LabelSelector] = Field(default_factory=list)
    preferredNodeSelectors: list[m.PreferredNodeSelector] = Field(default_factory=list)


class BGPShorthand(SpecModel):
    """A BGPAdvertisement for this pool only (named after the pool)."""

    peers: list[str] = Field(default_factory=list)
    communities: list[str] = Field(default_factory=list)
    localPref: m.UInt32 = 0
    aggregationLength: Annotated[int, Field(ge=1, le=m.INT32_MAX)] = 32
    aggregationLengthV6: m.Int32 = 128
    nodeSelectors: list[m.LabelSelector] = Field(default_factory=list)
    serviceSelectors: list[m.LabelSelector] = Field(default_factory=list)


class Pool(SpecModel):
    name: Name
    addresses: list[str]
    autoAssign: bool = True
    avoidBuggyIPs: bool = False
    serviceAllocation: m.ServiceAllocation | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    l2: L2Shorthand | None = None
    bgp: BGPShorthand | None = None


# --- services ------------------------------------------------------------------------------------


class ServicePort(SpecModel):
    name: str = ""
    port: Annotated[int, Field(ge=1, le=65535)]
    targetPort: Annotated[int, Field(ge=1, le=65535)] | str | None = None
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    nodePort: Annotated[int, Field(ge=1, le=65535)] | None = None


class ServiceSpec(SpecModel):
    name: Name
    namespace: Name = "default"
    pool: str | None = Field(default=None, description="-> <prefix>/address-pool")
    ips: list[str] = Field(default_factory=list, description="-> <prefix>/loadBalancerIPs")
    sharingKey: str | None = Field(default=None, description="-> <prefix>/allow-shared-ip")
    ports: list[ServicePort] = Field(default_factory=list)
    selector: dict[str, str] = Field(default_factory=dict)
    externalTrafficPolicy: Literal["Cluster", "Local"] = "Cluster"
    ipFamilyPolicy: Literal["SingleStack", "PreferDualStack", "RequireDualStack"] | None = None
    ipFamilies: list[Literal["IPv4", "IPv6"]] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    emit: bool = Field(
        default=True, description="false: a reservation only; the Service lives elsewhere"
    )


# --- inventory -----------------------------------------------------------------------------------


class Interface(SpecModel):
    name: str = Field(pattern=INTERFACE_NAME, description="the Linux interface name")
    network: str | None = Field(default=None, description="name of a network of the site")
    address: str | None = Field(
        default=None,
        description="the node's address on this interface: an IP, or ip/prefix (gives the subnet "
        "when no network is named)",
    )


class Node(SpecModel):
    name: str = Field(
        pattern=DNS1123_SUBDOMAIN, max_length=253, description="the Kubernetes node name"
    )
    labels: dict[str, str] = Field(default_factory=dict)
    interfaces: list[Interface] = Field(default_factory=list)


class Network(SpecModel):
    name: Name
    cidr: str
    gateway: str | None = None
    reserved: list[str] = Field(
        default_factory=list, description="addresses pools must avoid: IPs, CIDRs or ranges"
    )


# --- cluster, site -------------------------------------------------------------------------------


class Cluster(SpecModel):
    name: Name
    server: str = Field(description="Argo CD destination server URL")
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="labels of the cluster; the rollout steps of argocd.rollout select "
        "clusters by them (matchLabels)",
    )
    context: str | None = Field(
        default=None,
        description="the kubeconfig context that reaches this cluster (reconcile and status "
        "read the live state through it; default: the context named like the cluster)",
    )
    clusterCIDRs: list[str] = Field(default_factory=list)
    serviceCIDRs: list[str] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    pools: list[Pool] = Field(default_factory=list)
    bgpPeers: list[NamedBGPPeer] = Field(default_factory=list)
    l2Advertisements: list[NamedL2Advertisement] = Field(default_factory=list)
    bgpAdvertisements: list[NamedBGPAdvertisement] = Field(default_factory=list)
    communities: list[NamedCommunity] = Field(default_factory=list)
    bfdProfiles: list[NamedBFDProfile] = Field(default_factory=list)
    services: list[ServiceSpec] = Field(default_factory=list)


def _release(text: str) -> str:
    """A supported MetalLB release, written vX.Y.Z whether or not the v was."""
    try:
        return str(versions.release(text))
    except versions.UnsupportedVersion as exc:
        raise PydanticCustomError("metallb_release", exc.reason) from None


MetalLBVersion = Annotated[
    str,
    AfterValidator(_release),
    Field(
        description="the MetalLB release the cluster runs: the checks follow it, and platform "
        f"metallb installs it ({versions.SUPPORTED}; the leading v is optional)",
        json_schema_extra={"pattern": r"^v?\d+\.\d+\.\d+$"},
    ),
]


class MetalLBSettings(SpecModel):
    namespace: Name = "metallb-system"
    version: MetalLBVersion = str(versions.DEFAULT)
    annotationPrefix: Literal["metallb.io", "metallb.universe.tf"] = Field(
        default="metallb.io",
        description="the prefix of the Service annotations compile writes (default: metallb.io, "
        "or metallb.universe.tf for a version before "
        f"{versions.first('metallb_io_annotations')}, which reads only that one)",
    )

    @model_validator(mode="before")
    @classmethod
    def _prefix_default(cls, data: Any) -> Any:
        """Before v0.14.9 MetalLB reads only metallb.universe.tf/ annotations: the default."""
        if isinstance(data, dict) and "annotationPrefix" not in data:
            try:
                version = versions.release(data.get("version", str(versions.DEFAULT)))
            except (versions.UnsupportedVersion, TypeError):
                return data  # the version's own error is reported
            if not versions.has(version, "metallb_io_annotations"):
                return {**data, "annotationPrefix": DEPRECATED_PREFIX}
        return data

    @field_validator("annotationPrefix")
    @classmethod
    def _prefix_read(cls, prefix: str, info: ValidationInfo) -> str:
        version = info.data.get("version")
        if prefix == PREFIX and isinstance(version, str):
            found = versions.release(version)
            if not versions.has(found, "metallb_io_annotations"):
                raise PydanticCustomError(
                    "metallb_prefix",
                    f"the {PREFIX}/ annotations need MetalLB "
                    f"{versions.first('metallb_io_annotations')} or later; {found} reads only "
                    f"{DEPRECATED_PREFIX}/ ones: write {DEPRECATED_PREFIX}, or leave "
                    "annotationPrefix out",
                )
        return prefix


# Argo CD reads a backoff duration as whole seconds ("30") or a Go duration ("10s", "1m30s")
ArgoDuration = Annotated[
    str,
    Field(
        pattern=r"^(\d+|(\d+(h|m|s))+)$",
        description='seconds ("30") or a duration in h/m/s ("10s", "5m", "1m30s")',
    ),
]


class RetryBackoff(SpecModel):
    duration: ArgoDuration = Field(default="10s", description="the wait before the first retry")
    factor: Annotated[int, Field(ge=1)] = Field(
        default=2, description="each further wait is the previous one times this"
    )
    maxDuration: ArgoDuration = Field(default="5m", description="the longest wait")


class RetrySettings(SpecModel):
    """spec.argocd.retry: the retry policy of the compiled Applications (docs/compile.md)."""

    limit: Annotated[int, Field(ge=-1)] = Field(
        default=5,
        description="retries of a failed sync before automated sync gives the revision up "
        "(0: none; -1: without end)",
    )
    backoff: RetryBackoff = Field(default_factory=RetryBackoff)
    refresh: bool = Field(
        default=False,
        description="retry with the newest revision of targetRevision rather than the one "
        "that failed (needs an Argo CD whose Application CRD has retry.refresh)",
    )


class RolloutStep(SpecModel):
    """One step of the ApplicationSet rollout: the clusters named, or those whose labels
    include matchLabels (one of the two)."""

    clusters: list[Name] = Field(default_factory=list, description="cluster names")
    matchLabels: dict[str, str] = Field(
        default_factory=dict, description="the clusters whose labels include all of these"
    )
    maxUpdate: Annotated[int, Field(ge=0)] | Annotated[str, Field(pattern=r"^\d+%$")] | None = (
        Field(
            default=None,
            description="how many Applications of the step sync at once (a number or a "
            "percentage; default: all)",
        )
    )


class ArgoCDSettings(SpecModel):
    namespace: Name = "argocd"
    project: str = "default"
    repoURL: str
    targetRevision: str = "HEAD"
    path: str = Field(
        default="deploy",
        pattern=REPO_PATH,
        description="where the compiled tree lives in the repository (relative, no '..')",
    )
    gateImage: str = Field(
        default="docker.io/alpine/k8s:1.31.2",
        min_length=1,
        description="image of the readiness gate Job (needs sh and kubectl); pin it by tag",
    )
    gateTimeoutSeconds: Annotated[int, Field(ge=30, le=7200)] = Field(
        default=600, description="the readiness gate fails after this long"
    )
    # -- retry (issue 14) --
    retry: RetrySettings = Field(
        default_factory=RetrySettings,
        description="how Argo CD retries a failed sync of the compiled Applications",
    )
    # --- layout and rollout (docs/compile.md, "ApplicationSet layout") ---
    layout: Literal["app-of-apps", "applicationset"] = Field(
        default="app-of-apps",
        description="app-of-apps: one Application per cluster in DIR/argocd/; applicationset: "
        "one ApplicationSet per site over parameter files DIR/<site>/<cluster>/cluster.json",
    )
    rollout: list[RolloutStep] = Field(
        default_factory=list,
        description="layout applicationset: the RollingSync steps, in order (a canary first); "
        "clusters no step selects sync in a last step of their own",
    )


class SiteSpec(SpecModel):
    platform: Literal["acp", "metallb"]
    bgpMode: Literal["native", "frr", "frr-k8s"] | None = None
    metallb: MetalLBSettings = Field(default_factory=MetalLBSettings)
    argocd: ArgoCDSettings
    networks: list[Network] = Field(default_factory=list)
    clusters: list[Cluster] = Field(default_factory=list)


class SiteMetadata(SpecModel):
    name: Name


class Site(SpecModel):
    apiVersion: Literal["gitops-lb.io/v1alpha1"]
    kind: Literal["Site"]
    metadata: SiteMetadata
    spec: SiteSpec
