"""Pydantic models of the MetalLB CRDs (metallb.io) and of the core objects the rules read.

The MetalLB models follow the CRD OpenAPI schemas: strict types (a string is not a boolean),
required fields, enums and numeric bounds, no unknown fields. Go-parser rules (CIDR syntax,
duplicates, cross references) are rules in gitops_lb.rules, not model validators, so that every
problem is reported with its own rule id instead of the first one stopping the rest.
Fields keep MetalLB's JSON names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

UINT32_MAX = 4294967295
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
UInt32 = Annotated[int, Field(ge=0, le=UINT32_MAX)]
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Lax(BaseModel):
    """Core Kubernetes objects: only the fields the rules read are modelled; others are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, defer_build=True)


class ObjectMeta(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True, defer_build=True)

    name: str = ""
    generateName: str = ""
    namespace: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class LabelSelectorRequirement(Strict):
    key: str
    operator: str
    values: list[str] = Field(default_factory=list)


class LabelSelector(Strict):
    matchLabels: dict[str, str] = Field(default_factory=dict)
    matchExpressions: list[LabelSelectorRequirement] = Field(default_factory=list)


class Resource(Strict):
    apiVersion: str
    kind: str
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    status: dict[str, Any] | None = None


# --- IPAddressPool ---------------------------------------------------------------------------


class ServiceAllocation(Strict):
    # CRD `integer` without format or bounds, Go `int`: any 64-bit value is accepted
    priority: Int64 = 0
    namespaces: list[str] = Field(default_factory=list)
    namespaceSelectors: list[LabelSelector] = Field(default_factory=list)
    serviceSelectors: list[LabelSelector] = Field(default_factory=list)


class IPAddressPoolSpec(Strict):
    addresses: list[str]
    autoAssign: bool = True
    avoidBuggyIPs: bool = False
    serviceAllocation: ServiceAllocation | None = None


class IPAddressPool(Resource):
    spec: IPAddressPoolSpec


# --- L2Advertisement -------------------------------------------------------------------------


class PreferredNodeSelector(Strict):
    weight: Annotated[int, Field(ge=1, le=100)]
    preference: LabelSelector


class L2AdvertisementSpec(Strict):
    ipAddressPools: list[str] = Field(default_factory=list)
    ipAddressPoolSelectors: list[LabelSelector] = Field(default_factory=list)
    nodeSelectors: list[LabelSelector] = Field(default_factory=list)
    interfaces: list[str] = Field(default_factory=list)
    serviceSelectors: list[LabelSelector] = Field(default_factory=list)
    preferredNodeSelectors: list[PreferredNodeSelector] = Field(default_factory=list)


class L2Advertisement(Resource):
    spec: L2AdvertisementSpec = Field(default_factory=L2AdvertisementSpec)


# --- BGPAdvertisement ------------------------------------------------------------------------


class BGPAdvertisementSpec(Strict):
    aggregationLength: Annotated[int, Field(ge=1, le=INT32_MAX)] = 32
    aggregationLengthV6: Int32 = 128
    localPref: UInt32 = 0
    communities: list[str] = Field(default_factory=list)
    ipAddressPools: list[str] = Field(default_factory=list)
    ipAddressPoolSelectors: list[LabelSelector] = Field(default_factory=list)
    nodeSelectors: list[LabelSelector] = Field(default_factory=list)
    peers: list[str] = Field(default_factory=list)
    serviceSelectors: list[LabelSelector] = Field(default_factory=list)


class BGPAdvertisement(Resource):
    spec: BGPAdvertisementSpec = Field(default_factory=BGPAdvertisementSpec)


# --- BGPPeer ---------------------------------------------------------------------------------


class SecretReference(Strict):
    name: str = ""
    namespace: str = ""


class BGPPeerSpec(Strict):
    """metallb.io/v1beta2 (storage version)."""

    myASN: UInt32
    peerASN: UInt32 = 0
    dynamicASN: Literal["internal", "external"] | None = None
    localASN: Annotated[int, Field(ge=1, le=UINT32_MAX)] | None = None
    peerAddress: str = ""
    interface: str = ""
    sourceAddress: str = ""
    peerPort: Annotated[int, Field(ge=1, le=16384)] = 179
    holdTime: str | None = None
    keepaliveTime: str | None = None
    connectTime: str | None = None
    routerID: str = ""
    nodeSelectors: list[LabelSelector] = Field(default_factory=list)
    password: str = ""
    passwordSecret: SecretReference | None = None
    bfdProfile: str = ""
    enableGracefulRestart: bool = False
    ebgpMultiHop: bool = False
    vrf: str = ""
    disableMP: bool = False
    dualStackAddressFamily: bool = False


class BGPPeer(Resource):
    spec: BGPPeerSpec


class LegacyRequirement(Strict):
    key: str
    operator: str
    values: Annotated[list[str], Field(min_length=1)]


class LegacyNodeSelector(Strict):
    matchLabels: dict[str, str] = Field(default_factory=dict)
    matchExpressions: list[LegacyRequirement] = Field(default_factory=list)


class BGPPeerV1Beta1Spec(Strict):
    """metallb.io/v1beta1 (deprecated; converted to v1beta2 before the rules run)."""

    myASN: UInt32
    peerASN: UInt32
    peerAddress: str
    sourceAddress: str = ""
    routerID: str = ""
    password: str = ""
    bfdProfile: str = ""
    peerPort: Annotated[int, Field(ge=0, le=16384)] = 0
    holdTime: str | None = None  # absent and "" differ: "" is not a duration
    keepaliveTime: str | None = None
    nodeSelectors: list[LegacyNodeSelector] = Field(default_factory=list)
    ebgpMultiHop: bool = False


class BGPPeerV1Beta1(Resource):
    spec: BGPPeerV1Beta1Spec


# --- BFDProfile, Community -------------------------------------------------------------------


class BFDProfileSpec(Strict):
    receiveInterval: Annotated[int, Field(ge=10, le=60000)] | None = None
    transmitInterval: Annotated[int, Field(ge=10, le=60000)] | None = None
    detectMultiplier: Annotated[int, Field(ge=2, le=255)] | None = None
    echoInterval: Annotated[int, Field(ge=10, le=60000)] | None = None
    echoMode: bool = False
    passiveMode: bool = False
    minimumTtl: Annotated[int, Field(ge=1, le=254)] | None = None


class BFDProfile(Resource):
    spec: BFDProfileSpec = Field(default_factory=BFDProfileSpec)


class CommunityAlias(Strict):
    name: str = ""
    value: str = ""


class CommunitySpec(Strict):
    communities: list[CommunityAlias] = Field(default_factory=list)


class Community(Resource):
    spec: CommunitySpec = Field(default_factory=CommunitySpec)


# --- core objects ----------------------------------------------------------------------------


class CoreObject(Lax):
    """What every core object has: its type and metadata."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)


class ServicePort(Lax):
    name: str = ""
    protocol: str = "TCP"
    # the API server refuses ports outside 1..65535 (nodePort 0: let it choose)
    port: Annotated[int, Field(ge=1, le=65535)]
    targetPort: Annotated[int, Field(ge=1, le=65535)] | str | None = None
    nodePort: Annotated[int, Field(ge=0, le=65535)] | None = None


class ServiceSpec(Lax):
    type: str = "ClusterIP"
    ports: list[ServicePort] = Field(default_factory=list)
    selector: dict[str, str] = Field(default_factory=dict)
    loadBalancerIP: str = ""
    loadBalancerClass: str | None = None
    externalTrafficPolicy: str = "Cluster"
    clusterIP: str = ""
    clusterIPs: list[str] = Field(default_factory=list)
    ipFamilies: list[str] = Field(default_factory=list)
    ipFamilyPolicy: str = ""


class LoadBalancerIngress(Lax):
    ip: str = ""
    hostname: str = ""


class LoadBalancerStatus(Lax):
    ingress: list[LoadBalancerIngress] = Field(default_factory=list)


class ServiceStatus(Lax):
    loadBalancer: LoadBalancerStatus = Field(default_factory=LoadBalancerStatus)


class Service(CoreObject):
    spec: ServiceSpec = Field(default_factory=ServiceSpec)
    status: ServiceStatus = Field(default_factory=ServiceStatus)


class NodeAddress(Lax):
    type: str = ""
    address: str = ""


class NodeStatus(Lax):
    addresses: list[NodeAddress] = Field(default_factory=list)


class Node(CoreObject):
    status: NodeStatus = Field(default_factory=NodeStatus)


class Namespace(CoreObject):
    """Read for its labels (namespaceSelectors)."""


class Secret(CoreObject):
    type: str = "Opaque"
    data: dict[str, str] = Field(default_factory=dict)
    stringData: dict[str, str] = Field(default_factory=dict)


class ConfigMap(CoreObject):
    """Read only for MetalLB's pre-0.13 configuration (legacy-configmap); other data ignored."""

    data: dict[str, Any] = Field(default_factory=dict)


METALLB_GROUP = "metallb.io"

# (group/version, kind) -> model; anything else of these groups is reported or ignored
MODELS: dict[tuple[str, str], type[BaseModel]] = {
    ("metallb.io/v1beta1", "IPAddressPool"): IPAddressPool,
    ("metallb.io/v1beta1", "L2Advertisement"): L2Advertisement,
    ("metallb.io/v1beta1", "BGPAdvertisement"): BGPAdvertisement,
    ("metallb.io/v1beta2", "BGPPeer"): BGPPeer,
    ("metallb.io/v1beta1", "BGPPeer"): BGPPeerV1Beta1,
    ("metallb.io/v1beta1", "BFDProfile"): BFDProfile,
    ("metallb.io/v1beta1", "Community"): Community,
    ("v1", "Service"): Service,
    ("v1", "Node"): Node,
    ("v1", "Namespace"): Namespace,
    ("v1", "Secret"): Secret,
}

# MetalLB kinds that carry only status; read by reconcile, ignored by lint
STATUS_KINDS = frozenset({"ConfigurationState", "ServiceL2Status", "ServiceBGPStatus"})


# --- the MetalLB Operator's own resource (metallb.io/v1beta1 MetalLB) --------------------
# Its models are in gitops_lb.metallb.operator, imported only when a manifest of that kind is
# read (validate and most lint runs never see one); what identifies it stays here.

OPERATOR_KIND = "MetalLB"
OPERATOR_API_VERSION = "metallb.io/v1beta1"
OPERATOR_NAME = "metallb"  # the only name the operator acts on
