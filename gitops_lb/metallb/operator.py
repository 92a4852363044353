"""Pydantic models of the MetalLB Operator's own resource (metallb.io/v1beta1 MetalLB).

Kept apart from gitops_lb.metallb.models: only a manifest of that kind needs them, so the
commands that never read one (validate, a lint without it) do not pay for building them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator
from pydantic_core import PydanticCustomError

from gitops_lb.metallb.models import (
    Int32,
    Int64,
    ObjectMeta,
    Strict,
)

# Pydantic model of the MetalLB Operator's own resource (metallb.io/v1beta1 MetalLB).
#
# The operator (github.com/metallb/metallb-operator) deploys MetalLB from one `MetalLB` object:
# where the speaker and controller run, their log level, which BGP implementation is deployed.
# It is not configuration MetalLB reads, so it is kept apart from the pools, advertisements and
# peers (ClusterConfig.operators) and only checked against the operator's CRD: field names,
# types and enumerations, as the API server checks them. The fields follow the operator's CRD
# and webhook on its main branch (a superset of its v0.14 tags: `frrk8sConfig.namespace` and
# `secretPassthrough` came later). `bgpBackend` is a plain string in the CRD; the operator's
# webhook refuses anything but the four backends, so the model enumerates them.


LogLevel = Literal["all", "debug", "info", "warn", "error", "none"]
BGPBackend = Literal["", "native", "frr", "frr-k8s", "frr-k8s-external"]  # "": the default
# the Kubernetes quantity syntax of resources.limits / requests ("500m", "1Gi", 2)
QUANTITY = (
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))"
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)
QUANTITY_RE = re.compile(QUANTITY)


def quantity(value: object) -> str | int | float:
    """One error for a bad quantity (a union type would report one per alternative)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError(
            "quantity", "input should be a Kubernetes quantity: a number or a string like 500m"
        )
    if isinstance(value, str) and not QUANTITY_RE.match(value):
        raise PydanticCustomError(
            "quantity", "input should be a Kubernetes quantity such as 500m, 0.5, 64Mi or 1Gi"
        )
    return value


Quantity = Annotated[str | int | float, PlainValidator(quantity)]
# a label-style identifier with an optional prefix; Go's \w is ASCII, so it is spelt out
LB_CLASS = (
    r"^([a-z0-9A-Z]([0-9A-Za-z_.\-]*[a-z0-9A-Z])?/)?[a-z0-9A-Z]([0-9A-Za-z_.\-]*[a-z0-9A-Z])?$"
)


class Toleration(Strict):
    key: str = ""
    operator: str = ""
    value: str = ""
    effect: str = ""
    tolerationSeconds: Int64 | None = None


# --- affinity (core/v1 Affinity, as the CRD embeds it) ---------------------------------------


class SelectorRequirement(Strict):
    key: str
    operator: str
    values: list[str] = Field(default_factory=list)


class NodeSelectorTerm(Strict):
    matchExpressions: list[SelectorRequirement] = Field(default_factory=list)
    matchFields: list[SelectorRequirement] = Field(default_factory=list)


class PreferredSchedulingTerm(Strict):
    weight: Int32
    preference: NodeSelectorTerm


class NodeSelector(Strict):
    nodeSelectorTerms: list[NodeSelectorTerm]


class NodeAffinity(Strict):
    requiredDuringSchedulingIgnoredDuringExecution: NodeSelector | None = None
    preferredDuringSchedulingIgnoredDuringExecution: list[PreferredSchedulingTerm] = Field(
        default_factory=list
    )


class PodLabelSelector(Strict):
    matchLabels: dict[str, str] = Field(default_factory=dict)
    matchExpressions: list[SelectorRequirement] = Field(default_factory=list)


class PodAffinityTerm(Strict):
    topologyKey: str
    labelSelector: PodLabelSelector | None = None
    namespaceSelector: PodLabelSelector | None = None
    namespaces: list[str] = Field(default_factory=list)
    matchLabelKeys: list[str] = Field(default_factory=list)
    mismatchLabelKeys: list[str] = Field(default_factory=list)


class WeightedPodAffinityTerm(Strict):
    weight: Int32
    podAffinityTerm: PodAffinityTerm


class PodAffinity(Strict):
    requiredDuringSchedulingIgnoredDuringExecution: list[PodAffinityTerm] = Field(
        default_factory=list
    )
    preferredDuringSchedulingIgnoredDuringExecution: list[WeightedPodAffinityTerm] = Field(
        default_factory=list
    )


class Affinity(Strict):
    nodeAffinity: NodeAffinity | None = None
    podAffinity: PodAffinity | None = None
    podAntiAffinity: PodAffinity | None = None


# --- the MetalLB resource ------------------------------------------------------------------


class ResourceClaim(Strict):
    name: str
    request: str = ""


class Resources(Strict):
    limits: dict[str, Quantity] = Field(default_factory=dict)
    requests: dict[str, Quantity] = Field(default_factory=dict)
    claims: list[ResourceClaim] = Field(default_factory=list)


class ComponentConfig(Strict):
    """speakerConfig / controllerConfig: how the operator deploys that component."""

    priorityClassName: str = ""
    runtimeClassName: str = ""
    affinity: Affinity | None = None
    annotations: dict[str, str] = Field(default_factory=dict)
    resources: Resources | None = None


class FRRK8SConfig(Strict):
    alwaysBlock: list[str] = Field(default_factory=list)
    namespace: str = ""
    secretPassthrough: bool = False


class MetalLBSpec(Strict):
    image: str = ""  # deprecated by the operator: it has no effect
    nodeSelector: dict[str, str] = Field(default_factory=dict)
    speakerTolerations: list[Toleration] = Field(default_factory=list)
    logLevel: LogLevel | None = None
    loadBalancerClass: Annotated[str, Field(pattern=LB_CLASS)] | None = None
    controllerNodeSelector: dict[str, str] = Field(default_factory=dict)
    controllerTolerations: list[Toleration] = Field(default_factory=list)
    controllerConfig: ComponentConfig | None = None
    speakerConfig: ComponentConfig | None = None
    bgpBackend: BGPBackend | None = None
    frrk8sConfig: FRRK8SConfig | None = None


class MetalLB(Strict):
    """Not a subclass of models.Resource: the namespace rules of MetalLB's configuration do
    not apply (operator-resource-ignored checks where the operator looks for it)."""

    apiVersion: str
    kind: str
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    spec: MetalLBSpec = Field(default_factory=MetalLBSpec)
    status: dict[str, Any] | None = None
