"""How findings name objects and fields: in the words of the input the user wrote.

A finding on a Kubernetes manifest names the object as MetalLB does (`IPAddressPool 'web'`,
`spec.interfaces`, `metallb.io/loadBalancerIPs`). A finding on an object lowered from a site
spec names the site element it came from (`pool 'web' of cluster 'prod-a'`, `l2 of pool 'web'
of cluster 'prod-a'` for its shorthand advertisement) and the field as the site spec writes it
(`l2.interfaces`, `ips`, `sharingKey`): lowering records both on the object (Item.origin). Rules
build their messages with these helpers, so one message template serves both inputs and a
manifest message stays what it was.

- title(item): the object as the subject of a message ("pool 'web' of cluster 'prod-a'").
- short(item): the object named again in the same message (same cluster): "pool 'web2'".
- owner(item): the object after a field: "... of pool 'web' (cluster 'prod-a')".
- field(item, path): a field, relative to what title() names ("interfaces" of "l2 of ...").
- field_of(item, path): a field and its object: "l2.interfaces of pool 'web' (cluster 'prod-a')".
- field_subject(item, path): the same as the subject of a message ("L2Advertisement 'x'
  nodeSelectors[0]: ..." for manifests).
- field_value(item, path, value): a field with its value, and its object.
- kind(item), service_setting(item, name, text): the words for a kind and a Service setting.
"""

from __future__ import annotations

from typing import Any

from gitops_lb.config import Item
from gitops_lb.diagnostics import FieldPath, format_path

# MetalLB's Service annotations (the name after the prefix) -> the site spec's Service fields
SERVICE_FIELDS = {"address-pool": "pool", "loadBalancerIPs": "ips", "allow-shared-ip": "sharingKey"}


def from_site(item: Item[Any] | None) -> bool:
    """Whether the object was lowered from a site spec."""
    return item is not None and item.origin is not None


def _manifest_title(item: Item[Any], kind: str | None) -> str:
    if item.kind == "Service" and kind is None:
        return f"Service {item.namespace}/{item.name}" if item.namespace else f"Service {item.name}"
    return f"{kind or item.kind} {item.name!r}"


def title(item: Item[Any], kind: str | None = None) -> str:
    """The object as the subject of a message: "IPAddressPool 'web'" (`kind` replaces the kind,
    for messages that say "pool 'web'"), or "pool 'web' of cluster 'prod-a'" on a site spec.
    Services read "Service ns/name"."""
    if item.origin is not None:
        return item.origin.title
    return _manifest_title(item, kind)


def short(item: Item[Any], kind: str | None = None) -> str:
    """The object named again in a message about its cluster: like title() for manifests,
    "pool 'web2'" (or "l2 of pool 'web2'") on a site spec."""
    origin = item.origin
    if origin is None:
        return _manifest_title(item, kind)
    if origin.frame:
        return f"{origin.frame[0]} of {origin.element}"
    return origin.element


def owner(item: Item[Any], kind: str | None = None, *, scope: bool = True) -> str:
    """The object after a field: like title() for manifests, "pool 'web' (cluster 'prod-a')"
    on a site spec ("pool 'web'" without `scope`, for objects of the cluster a message is
    already about)."""
    origin = item.origin
    if origin is None:
        return _manifest_title(item, kind)
    return f"{origin.element} ({origin.scope})" if scope else origin.element


def kind(item: Item[Any]) -> str:
    """The kind of thing the object is: its Kubernetes kind, or the site spec's word for the
    element ("pool", "bgpPeer", "l2" for a pool's shorthand advertisement...)."""
    if item.origin is None:
        return item.kind
    return item.origin.frame[0] if item.origin.frame else item.origin.kind


def _manifest_field(path: FieldPath, text: str | None) -> str:
    if text is not None:
        return text
    return format_path(path[1:] if path[:1] == ("spec",) else path)


def field(item: Item[Any], path: FieldPath, text: str | None = None) -> str:
    """A field of the object, as named next to title(): `text` (default: the path without its
    leading `spec`) for manifests; on a site spec the path the site spec wrote it at, relative
    to the shorthand for a shorthand advertisement ("interfaces" of "l2 of pool 'web'")."""
    origin = item.origin
    if origin is None:
        return _manifest_field(path, text)
    rel = origin.relative(path)
    if origin.frame and rel[: len(origin.frame)] == origin.frame and len(rel) > len(origin.frame):
        rel = rel[len(origin.frame) :]
    return format_path(rel)


def site_field(item: Item[Any], path: FieldPath, text: str | None = None) -> str:
    """A field of the object relative to its site element ("l2.interfaces" of pool 'web');
    like field() for manifests."""
    origin = item.origin
    if origin is None:
        return _manifest_field(path, text)
    return format_path(origin.relative(path))


def field_of(item: Item[Any], path: FieldPath, text: str | None = None) -> str:
    """ "interfaces of L2Advertisement 'web'"; "l2.interfaces of pool 'web' (cluster 'prod-a')"
    on a site spec."""
    return f"{site_field(item, path, text)} of {owner(item)}"


def field_subject(item: Item[Any], path: FieldPath, text: str | None = None) -> str:
    """A field as the subject of a message: "L2Advertisement 'x' nodeSelectors[0]" for
    manifests (`text`, default: the path without `spec`), "l2.nodeSelectors[0] of pool 'web'
    (cluster 'prod-a')" on a site spec."""
    if item.origin is None:
        return f"{_manifest_title(item, item.kind)} {_manifest_field(path, text)}"
    return field_of(item, path)


def field_value(
    item: Item[Any], path: FieldPath, value: str, text: str | None = None, *, scope: bool = True
) -> str:
    """A field with its value: "BGPAdvertisement 'x' localPref 100" for manifests,
    "bgp.localPref 100 of pool 'web' (cluster 'prod-a')" on a site spec (without the cluster
    when not `scope`)."""
    if item.origin is None:
        return f"{title(item)} {_manifest_field(path, text)} {value}"
    return f"{site_field(item, path)} {value} of {owner(item, scope=scope)}"


def service_setting(item: Item[Any], name: str, text: str) -> str:
    """One of MetalLB's Service annotations (`name` after the prefix: "allow-shared-ip"), as
    the message would name it: `text` for manifests, the site spec's field ("sharingKey")."""
    if item.origin is None:
        return text
    return SERVICE_FIELDS.get(name, text)


class ItemWords:
    """Schema findings on a lowered object (gitops_lb.intake.FieldWords): its fields named as
    the site spec wrote them. Only for objects with an origin."""

    def __init__(self, item: Item[Any]) -> None:
        self.item = item

    def field(self, path: FieldPath) -> str:
        return field_of(self.item, path)

    def unknown(self, path: FieldPath) -> str:
        return f"unknown field {site_field(self.item, path)!r} in {title(self.item)}"
