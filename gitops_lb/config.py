"""The intermediate form every rule runs on: one cluster's MetalLB configuration.

Both inputs lower to it: Kubernetes manifests (gitops_lb.manifests) and site specs
(gitops_lb.site). Each object remembers the document it came from, so a finding on
`spec.addresses[1]` of a compiled pool points at the site spec line that wrote the address.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from gitops_lb.diagnostics import FieldPath, Location, format_path
from gitops_lb.metallb import models as m
from gitops_lb.metallb import operator as op
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION
from gitops_lb.metallb.versions import Version
from gitops_lb.yamlload import locate

if TYPE_CHECKING:
    from gitops_lb.kustomize import SetNamespace

M = TypeVar("M", bound=BaseModel)

DEFAULT_NAMESPACE = "metallb-system"
BGP_MODES = ("native", "frr", "frr-k8s")


@dataclass(eq=False, slots=True)
class Item(Generic[M]):
    """A validated object and where it was written."""

    model: M
    kind: str
    name: str
    namespace: str | None
    file: str
    doc: Any  # LocMap the object was read from (or lowered into); positions come from here

    @property
    def ref(self) -> str:
        if self.namespace:
            return f"{self.kind}/{self.namespace}/{self.name}"
        return f"{self.kind}/{self.name}"

    def locate(self, path: FieldPath = (), *, key: bool = False) -> Location:
        (line, col), _ = locate(self.doc, path, key=key)
        return Location(self.file, line, col)


@dataclass(frozen=True, slots=True)
class Rel:
    """A related location shown under a finding ("first defined here")."""

    message: str
    item: Item[Any] | None = None
    path: FieldPath = ()
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: a message about an object's field (or a bare location)."""

    message: str
    item: Item[Any] | None = None
    path: FieldPath = ()
    _: KW_ONLY
    location: Location | None = None
    related: tuple[Rel, ...] = ()
    key: bool = False  # point at the key (unknown field) rather than the value

    def where(self) -> Location:
        if self.location is not None:
            return self.location
        if self.item is not None:
            return self.item.locate(self.path, key=self.key)
        return Location("<unknown>")

    def path_text(self) -> str | None:
        return format_path(self.path) if self.path else None


@dataclass(eq=False)
class ClusterConfig:
    """One cluster's objects, sorted by name as MetalLB's reconcilers sort them."""

    name: str = ""
    namespace: str = DEFAULT_NAMESPACE
    bgp_mode: str | None = None
    # the MetalLB release the configuration is checked for (site spec: spec.metallb.version,
    # manifests: --metallb-version); objects are read as that release's CRDs keep them
    metallb_version: Version = DEFAULT_VERSION
    # files whose objects a kustomization puts into a namespace (gitops_lb.kustomize)
    kustomized: dict[str, SetNamespace] = field(default_factory=dict)
    pools: list[Item[m.IPAddressPool]] = field(default_factory=list)
    l2advs: list[Item[m.L2Advertisement]] = field(default_factory=list)
    bgpadvs: list[Item[m.BGPAdvertisement]] = field(default_factory=list)
    peers: list[Item[m.BGPPeer]] = field(default_factory=list)
    bfdprofiles: list[Item[m.BFDProfile]] = field(default_factory=list)
    communities: list[Item[m.Community]] = field(default_factory=list)
    services: list[Item[m.Service]] = field(default_factory=list)
    nodes: list[Item[m.Node]] = field(default_factory=list)
    namespaces: list[Item[m.Namespace]] = field(default_factory=list)
    secrets: list[Item[m.Secret]] = field(default_factory=list)
    # read for checks of their own, not MetalLB configuration: the MetalLB Operator's resource
    # and the ConfigMaps that may hold MetalLB's pre-0.13 configuration
    operators: list[Item[op.MetalLB]] = field(default_factory=list)
    configmaps: list[Item[m.ConfigMap]] = field(default_factory=list)
    # findings made while reading (syntax, schema); reported by the rule with that id
    intake: dict[str, list[Finding]] = field(default_factory=dict)

    def add_intake(self, rule: str, finding: Finding) -> None:
        self.intake.setdefault(rule, []).append(finding)

    def sort(self) -> None:
        for items in (
            self.pools,
            self.l2advs,
            self.bgpadvs,
            self.peers,
            self.bfdprofiles,
            self.communities,
            self.services,
            self.nodes,
            self.namespaces,
            self.secrets,
            self.operators,
            self.configmaps,
        ):
            items.sort(key=lambda it: (it.name, it.namespace or "", it.file))
