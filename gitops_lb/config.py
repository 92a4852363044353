"""The intermediate form every rule runs on: one cluster's MetalLB configuration.

Both inputs lower to it: Kubernetes manifests (gitops_lb.manifests) and site specs
(gitops_lb.site). Each object remembers the document it came from, so a finding on
`spec.addresses[1]` of a compiled pool points at the site spec line that wrote the address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from gitops_lb.diagnostics import FieldPath, Location, format_path
from gitops_lb.metallb import models as m
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION
from gitops_lb.metallb.versions import Version
from gitops_lb.yamlload import locate

if TYPE_CHECKING:
    from gitops_lb.metallb.operator import MetalLB

M = TypeVar("M", bound=BaseModel)

DEFAULT_NAMESPACE = "metallb-system"
BGP_MODES = ("native", "frr", "frr-k8s")


@dataclass(frozen=True, slots=True)
class Origin:
    """The element of the document the user wrote that a lowered object was made from.

    Lowering a site spec turns each element (a pool, its `l2:` or `bgp:` shorthand, a BGP
    peer, a Service, an inventory node...) into a MetalLB or Kubernetes object. Findings on
    that object speak of the element, in the words of the site spec (gitops_lb.words), and
    report the element's document (`ref`) and the path in it where the field is written.
    """

    ref: str  # the document reported as the finding's object: "Site/dc1"
    kind: str  # what the element is, in the document's words: "pool", "bgpPeer", "service"
    element: str  # "pool 'web'"
    scope: str  # "cluster 'prod-a'"
    title: str  # how messages name the object: "pool 'web' of cluster 'prod-a'"
    path: FieldPath  # the element's path in the document: ("spec", "clusters", 0, "pools", 1)
    # the object's field paths -> the paths, relative to the element, they were written at
    fields: Callable[[FieldPath], FieldPath]
    # the part of the element the object is made of, when not all of it: ("l2",) for the
    # advertisement a pool's `l2:` shorthand makes
    frame: tuple[str, ...] = ()

    def relative(self, path: FieldPath) -> FieldPath:
        """Where the object's field `path` is written, relative to the element."""
        return self.fields(path)

    def document_path(self, path: FieldPath) -> FieldPath:
        """Where the object's field `path` is written in the document."""
        return (*self.path, *self.fields(path))


@dataclass(eq=False, slots=True)
class Item(Generic[M]):
    """A validated object and where it was written."""

    model: M
    kind: str
    name: str
    namespace: str | None
    file: str
    doc: Any  # LocMap the object was read from (or lowered into); positions come from here
    origin: Origin | None = None  # set for objects lowered from a site spec
    # fields not read as the user wrote them (gitops_lb.intake salvages a part-valid object):
    # a value dropped for being invalid, a list that lost an entry, the field a misspelt key
    # most likely meant; a verdict that depends on one of them is not made
    unsure: frozenset[FieldPath] = frozenset()
    # lists and mappings that lost an entry (what is left of them is as written)
    partial: frozenset[FieldPath] = frozenset()

    @property
    def ref(self) -> str:
        if self.namespace:
            return f"{self.kind}/{self.namespace}/{self.name}"
        return f"{self.kind}/{self.name}"

    @property
    def reported_ref(self) -> str:
        """The object a finding reports: this one, or the site spec it was lowered from."""
        return self.origin.ref if self.origin is not None else self.ref

    def reported_path(self, path: FieldPath) -> FieldPath:
        """The path a finding reports: in this object, or where the site spec wrote it."""
        return self.origin.document_path(path) if self.origin is not None else path

    def locate(self, path: FieldPath = (), *, key: bool = False) -> Location:
        (line, col), _ = locate(self.doc, path, key=key)
        return Location(self.file, line, col)

    def sure(self, *paths: FieldPath) -> bool:
        """Whether every field at these paths (and inside them) was read as written."""
        if not self.unsure and not self.partial:
            return True
        gaps = self.unsure | self.partial
        return not any(overlap(path, gap) for path in paths for gap in gaps)

    def as_written(self, path: FieldPath) -> bool:
        """Whether a finding on `path` is about what the user wrote: neither a value that was
        not read as written lies at or inside it, nor is it a value not read as written, nor
        a list or mapping that lost an entry (an entry left in it is fine)."""
        if not self.unsure and not self.partial:
            return True
        if any(overlap(path, gap) for gap in self.unsure):
            return False
        return not any(gap[: len(path)] == path for gap in self.partial)


def overlap(a: FieldPath, b: FieldPath) -> bool:
    """One path is the other or lies inside it."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


@dataclass(frozen=True, slots=True)
class Unread:
    """An object that is in the input but could not be read (schema errors, a lost document).

    Rules that would report its absence stay quiet: something by this kind and name may exist.
    kind and name are "" when unknown (then anything may exist). `pools` and `addresses` keep
    what could still be read of an advertisement or a pool, to keep quiet only where needed.
    """

    kind: str
    name: str
    pools: tuple[str, ...] | None = None  # advertisement: the pools it names (None: any)
    addresses: tuple[str, ...] | None = None  # pool: its addresses as written (None: unknown)


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
        """The reported field path: in the object, or in the site spec the object came from."""
        if self.item is not None and self.item.origin is not None:
            return format_path(self.item.reported_path(self.path))
        return format_path(self.path) if self.path else None


@dataclass(frozen=True, slots=True)
class SetNamespace:
    """A namespace a kustomization gives the objects it builds (gitops_lb.kustomize reads
    kustomizations), and where it says so."""

    namespace: str
    location: Location  # the `namespace:` value in the kustomization


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
    operators: list[Item[MetalLB]] = field(default_factory=list)
    configmaps: list[Item[m.ConfigMap]] = field(default_factory=list)
    # findings made while reading (syntax, schema); reported by the rule with that id
    intake: dict[str, list[Finding]] = field(default_factory=dict)
    # objects of the input that could not be read (their errors are in intake)
    unreadable: list[Unread] = field(default_factory=list)

    def add_intake(self, rule: str, finding: Finding) -> None:
        self.intake.setdefault(rule, []).append(finding)

    def unread(self, kind: str) -> list[Unread]:
        """The unreadable objects that may be of this kind."""
        return [u for u in self.unreadable if u.kind in (kind, "")]

    def may_exist(self, kind: str, name: str) -> bool:
        """Whether an object of this kind and name may be among the unreadable ones."""
        return any(u.name in (name, "") for u in self.unread(kind))

    def incomplete(self, kind: str) -> bool:
        """Whether objects of this kind may be missing (some could not be read)."""
        return bool(self.unread(kind))

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
