"""What reconcile reads from a cluster, and the live state both readers (API, dump) produce."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

METALLB_GROUP = "metallb.io"
PLUGIN_NAME = "metallb"


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource type reconcile reads, and where it lives."""

    kind: str
    group: str  # "" for the core API
    version: str
    plural: str
    scope: str  # "metallb" (MetalLB's namespace), "all" (every namespace) or "cluster"
    optional: bool = False  # not served by every MetalLB version: a 404 means "not checked"

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def path(self, namespace: str) -> str:
        """The REST path of the collection (for messages; the client builds the same)."""
        root = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.scope == "metallb":
            return f"{root}/namespaces/{namespace}/{self.plural}"
        return f"{root}/{self.plural}"


def _metallb(kind: str, plural: str, version: str = "v1beta1", optional: bool = False) -> Resource:
    return Resource(kind, METALLB_GROUP, version, plural, "metallb", optional)


# MetalLB's configuration kinds: compared object by object (missing / extra / changed)
CONFIG_RESOURCES = (
    _metallb("IPAddressPool", "ipaddresspools"),
    _metallb("L2Advertisement", "l2advertisements"),
    _metallb("BGPAdvertisement", "bgpadvertisements"),
    _metallb("BGPPeer", "bgppeers", "v1beta2"),
    _metallb("BFDProfile", "bfdprofiles"),
    _metallb("Community", "communities"),
)
# status kinds MetalLB writes (ConfigurationState is new in 0.15.3, not in ACP's 0.15.1)
STATUS_RESOURCES = (
    _metallb("ConfigurationState", "configurationstates", optional=True),
    _metallb("ServiceL2Status", "servicel2statuses", optional=True),
)
# read by `status` only (which peers announce a Service), not by reconcile; a dump keeps it
ANNOUNCEMENT_RESOURCES = (_metallb("ServiceBGPStatus", "servicebgpstatuses", optional=True),)
CORE_RESOURCES = (
    Resource("Service", "", "v1", "services", "all"),
    Resource("Node", "", "v1", "nodes", "cluster"),
)
# ACP only: the plugin object that installs MetalLB (cluster-scoped; read by name)
PLUGIN = Resource(
    "ClusterPluginInstance", "cluster.alauda.io", "v1alpha1", "clusterplugininstances", "cluster"
)


def resources(*, plugin: bool) -> tuple[Resource, ...]:
    """Everything reconcile reads, in the order it reads them."""
    extra = (PLUGIN,) if plugin else ()
    return CONFIG_RESOURCES + STATUS_RESOURCES + CORE_RESOURCES + extra


BY_KIND = {
    r.kind: r
    for r in (
        *CONFIG_RESOURCES,
        *STATUS_RESOURCES,
        *ANNOUNCEMENT_RESOURCES,
        *CORE_RESOURCES,
        PLUGIN,
    )
}


@dataclass(slots=True)
class LiveState:
    """The objects read from a cluster (plain JSON-like dicts), per kind.

    A kind in `unreadable` could not be read (forbidden, server error, timeout); a kind in
    `not_served` does not exist on the cluster (an optional status kind of a newer MetalLB).
    Every other kind of `resources()` was read completely: absent objects are really absent.
    """

    source: str
    namespace: str
    objects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    not_served: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # what the reader had to say
    # IPAddressPool name -> its `status` (assigned/available per family) where the objects
    # kept leave it out (a dump keeps only what is compared); never compared, only shown
    pool_status: dict[str, Any] = field(default_factory=dict)

    def get(self, kind: str) -> list[dict[str, Any]]:
        return self.objects.get(kind, [])

    def readable(self, kind: str) -> bool:
        return kind not in self.unreadable

    def add(self, kind: str, obj: dict[str, Any]) -> None:
        self.objects.setdefault(kind, []).append(obj)


def meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    value = obj.get("metadata")
    return value if isinstance(value, dict) else {}


def name_of(obj: Mapping[str, Any]) -> str:
    value = meta(obj).get("name")
    return value if isinstance(value, str) else ""


def namespace_of(obj: Mapping[str, Any]) -> str:
    value = meta(obj).get("namespace")
    return value if isinstance(value, str) else ""


def mapping(obj: Any, *keys: str) -> dict[str, Any]:
    """obj[k1][k2]... when every step is a mapping, else {} (live objects are untrusted)."""
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, dict) else {}


def str_map(value: Any) -> dict[str, str]:
    """Labels or annotations as a str -> str dict; anything malformed is dropped."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def objects_in(document: Any) -> Iterator[dict[str, Any]]:
    """The objects of a YAML document: the items of a `...List` (nested lists too), else the
    document itself when it is a mapping."""
    if not isinstance(document, dict):
        return
    items = document.get("items")
    if str(document.get("kind", "")).endswith("List") and isinstance(items, list):
        for item in items:
            yield from objects_in(item)
    else:
        yield document
