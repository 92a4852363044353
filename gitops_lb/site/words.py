"""Site spec paths in the words of the site spec: which element a path is in, and where.

`spec.clusters[0].pools[1].autoAsign` is the field `autoAsign` of pool 'web2' of cluster
'prod-a'. Findings on a site spec name the element the user wrote (a pool, a BGP peer, a
Service, a node, an interface, a network, a cluster, the site) and the field's path inside it,
never the generated object or a 0-based path through the whole document. Lowering names each
object it makes with these words (gitops_lb.config.Origin), and schema errors on site specs use
them too (`SiteWords`, for gitops_lb.intake.report_validation_error).

Every function reads the document as loaded, valid or not: an element without a usable name
is named by its place (`pools[1] of cluster 'prod-a'`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitops_lb.diagnostics import FieldPath, format_path
from gitops_lb.secrecy import shorten

# what each list under a cluster holds, in the singular (the user's own key, singular)
CLUSTER_LISTS = {
    "pools": "pool",
    "bgpPeers": "bgpPeer",
    "l2Advertisements": "l2Advertisement",
    "bgpAdvertisements": "bgpAdvertisement",
    "communities": "community",
    "bfdProfiles": "bfdProfile",
    "services": "service",
    "nodes": "node",
}
SITE_LISTS = {"clusters": "cluster", "networks": "network"}


@dataclass(frozen=True, slots=True)
class Place:
    """The element a site spec path is in, and the rest of the path inside it."""

    element: str  # "pool 'web2'", "interface 'eth0' on node 'n1'", "site 'dc1'"
    scope: str  # "cluster 'prod-a'", "site 'dc1'"; "" for the site itself
    path: FieldPath  # the element's path in the document
    rest: FieldPath  # the path inside the element

    @property
    def title(self) -> str:
        """The element as the subject of a message: "pool 'web2' of cluster 'prod-a'"."""
        return f"{self.element} of {self.scope}" if self.scope else self.element

    @property
    def owner(self) -> str:
        """The element after a field: "autoAsign of pool 'web2' (cluster 'prod-a')"."""
        return f"{self.element} ({self.scope})" if self.scope else self.element


def site_name(doc: Any) -> str:
    meta = doc.get("metadata") if isinstance(doc, dict) else None
    name = meta.get("name") if isinstance(meta, dict) else None
    return f"site {shorten(name)!r}" if isinstance(name, str) and name else "the site"


def named(word: str, key: str, index: int, entry: Any, *, namespaced: bool = False) -> str:
    """ "pool 'web'", or "pools[1]" when the entry has no usable name."""
    name = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name:
        return f"{key}[{index}]"
    namespace = entry.get("namespace") if namespaced else None
    if isinstance(namespace, str) and namespace:
        name = f"{namespace}/{name}"
    return f"{word} {shorten(name)!r}"


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict) and isinstance(part, str):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def place(doc: Any, path: FieldPath) -> Place:
    """The element of site document `doc` that `path` is in (the deepest one)."""
    site = site_name(doc)
    spec = _child(doc, "spec")
    found = Place(site, "", (), path)
    if tuple(path[:1]) != ("spec",) or len(path) < 3:
        return found
    key, index = path[1], path[2]
    if key not in SITE_LISTS or not isinstance(index, int):
        return found
    entry = _child(_child(spec, key), index)
    element = named(SITE_LISTS[str(key)], str(key), index, entry)
    found = Place(element, site, tuple(path[:3]), tuple(path[3:]))
    if key != "clusters" or len(path) < 5:
        return found
    cluster = element
    key, index = path[3], path[4]
    if key not in CLUSTER_LISTS or not isinstance(index, int):
        return found
    entry = _child(_child(entry, key), index)
    word = CLUSTER_LISTS[str(key)]
    element = named(word, str(key), index, entry, namespaced=key == "services")
    found = Place(element, cluster, tuple(path[:5]), tuple(path[5:]))
    if key == "nodes" and len(path) >= 7 and path[5] == "interfaces" and isinstance(path[6], int):
        iface = _child(_child(entry, "interfaces"), path[6])
        element = f"{named('interface', 'interfaces', path[6], iface)} on {element}"
        found = Place(element, cluster, tuple(path[:7]), tuple(path[7:]))
    return found


def field_words(where: Place) -> str:
    """ "addresses of pool 'web2' (cluster 'prod-a')"; the element alone when rest is empty."""
    if not where.rest:
        return where.title
    return f"{shorten(format_path(where.rest))} of {where.owner}"


class SiteWords:
    """How schema errors on a site document name its fields (gitops_lb.intake.FieldWords)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def field(self, path: FieldPath) -> str:
        """ "addresses of pool 'web2' (cluster 'prod-a')"."""
        return field_words(place(self.doc, path))

    def unknown(self, path: FieldPath) -> str:
        """ "unknown field 'autoAsign' in pool 'web2' of cluster 'prod-a'"."""
        return f"unknown field {shorten(str(path[-1]))!r} in {self.field(path[:-1])}"
