"""One fixer per rule with a fix (gitops_lb.fix.RULE_FIXES says which, and how safe).

A fixer reads one document of a file (ruamel nodes, gitops_lb.fix.yamltext) and plans the
corrections of the findings its rule would report there, each anchored where the rule reports
it (line and column): gitops_lb.fix.engine applies a plan only to a finding the run did report
and did not suppress, so the rule keeps deciding what is wrong (release, BGP mode,
configuration) and the fixer only how to correct it. A plan carries its edits and the change
of the data they must make, which yamltext.verified checks after splicing.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from gitops_lb.fix import yamltext as yt
from gitops_lb.fix.yamltext import (
    Change,
    Edit,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    Source,
    Unfixable,
)
from gitops_lb.metallb.services import (
    DEPRECATED_PREFIX,
    LB_IPS,
    PREFIX,
    PREFIXES,
    SERVICE_KEYS,
    prefixes_for,
    split_ips,
)
from gitops_lb.metallb.versions import Version


@dataclass(frozen=True, slots=True)
class Plan:
    rule: str
    anchor: tuple[int, int]  # line and column of the finding it fixes
    description: str
    safe: bool
    edits: tuple[Edit, ...]
    doc: int  # the document the change applies to
    change: Change
    # text the finding's message must hold for the plan to fix it (the correction the rule
    # names), "" for any
    hint: str = ""


Fixer = Callable[[Source, int, MappingNode, Version], Iterator[Plan]]


def _edit(make: Callable[[], Edit]) -> Edit | None:
    """An edit, or None when the text around the node allows no minimal one: that fix is
    not offered, the others of the object still are."""
    try:
        return make()
    except Unfixable:
        return None


def _kind(root: MappingNode) -> str | None:
    return yt.scalar(yt.child(root, "kind"))


# --- BGPPeer v1beta1 ------------------------------------------------------------------------

OLD_PEER = "metallb.io/v1beta1"
NEW_PEER = "metallb.io/v1beta2"


def peer_version(src: Source, doc: int, root: MappingNode, version: Version) -> Iterator[Plan]:
    found = yt.entry(root, "apiVersion")
    if _kind(root) != "BGPPeer" or found is None or yt.scalar(found[2]) != OLD_PEER:
        return
    value = found[2]
    spec = yt.child(root, "spec")
    timers = [t for t in ("holdTime", "keepaliveTime") if yt.entry(spec, t) is None]

    def change(data: Any) -> None:
        data["apiVersion"] = NEW_PEER

    if timers:
        verb = "become" if len(timers) > 1 else "becomes"
        note = (
            f"write apiVersion {NEW_PEER} (unsafe: the unset {' and '.join(timers)} {verb} "
            "MetalLB's default instead of v1beta1's 0s; set it to 0s to keep the old behaviour)"
        )
    else:
        note = f"write apiVersion {NEW_PEER}"
    yield Plan(
        "peer-deprecated-version",
        yt.pos(value),
        note,
        not timers,
        (yt.replace_scalar(value, NEW_PEER),),
        doc,
        change,
    )


# --- Service annotations --------------------------------------------------------------------


def _annotations(root: MappingNode) -> Node | None:
    if _kind(root) != "Service":
        return None
    node = yt.child(root, "metadata", "annotations")
    return node if isinstance(node, MappingNode) else None


def _rename(old: str, new: str) -> Change:
    def change(data: Any) -> None:
        annotations = data["metadata"]["annotations"]
        annotations[new] = annotations.pop(old)

    return change


def _drop(*path: str) -> Change:
    def change(data: Any) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return change


def deprecated_annotation(
    src: Source, doc: int, root: MappingNode, version: Version
) -> Iterator[Plan]:
    annotations = _annotations(root)
    pairs = yt.entries(annotations)
    values = {yt.scalar(k): yt.scalar(v) for k, v in pairs}
    for i, (k, v) in enumerate(pairs):
        key = yt.scalar(k)
        prefix, _, name = (key or "").partition("/")
        if prefix != DEPRECATED_PREFIX or name not in SERVICE_KEYS:
            continue
        new = f"{PREFIX}/{name}"
        if new not in values:
            edit = _edit(partial(yt.rename_key, k, new))
            if edit is None:
                continue
            yield Plan(
                "service-deprecated-annotation",
                yt.pos(k),
                f"rename {key} to {new}",
                True,
                (edit,),
                doc,
                _rename(key or "", new),
            )
        elif values[new] == yt.scalar(v) and annotations is not None:
            edit = _edit(partial(yt.delete_entry, src, annotations, i))
            if edit is None:
                continue
            yield Plan(
                "service-deprecated-annotation",
                yt.pos(k),
                f"delete {key}, which repeats {new}",
                True,
                (edit,),
                doc,
                _drop("metadata", "annotations", key or ""),
            )


def prefix_conflict(src: Source, doc: int, root: MappingNode, version: Version) -> Iterator[Plan]:
    annotations = _annotations(root)
    pairs = yt.entries(annotations)
    values = {yt.scalar(k): yt.scalar(v) for k, v in pairs}
    for i, (k, v) in enumerate(pairs):
        key = yt.scalar(k) or ""
        prefix, _, name = key.partition("/")
        new = f"{PREFIX}/{name}"
        if prefix != DEPRECATED_PREFIX or name not in SERVICE_KEYS or new not in values:
            continue
        if values[new] == yt.scalar(v) or annotations is None:
            continue
        edit = _edit(partial(yt.delete_entry, src, annotations, i))
        if edit is None:
            continue
        yield Plan(
            "service-annotation-prefix-conflict",
            yt.pos(v),
            f"delete {key} {yt.scalar(v)!r}, which MetalLB ignores for {new} "
            f"{values[new]!r} (unsafe: check which value was meant)",
            False,
            (edit,),
            doc,
            _drop("metadata", "annotations", key),
        )


_CUTOFF = 0.6


def correction(key: str, read: tuple[str, ...]) -> tuple[str, bool] | None:
    """The one MetalLB annotation key meant by `key`, and whether renaming to it is safe (a
    misspelling) or not (a key the target release does not read under this prefix)."""
    prefix, slash, name = key.partition("/")
    if not slash:
        return None
    if prefix in PREFIXES and name in SERVICE_KEYS:
        return (f"{read[0]}/{name}", False) if prefix not in read else None
    names = _one(name, SERVICE_KEYS)
    prefixes = [prefix] if prefix in read else _close(prefix, read)
    if names is None or len(prefixes) != 1:
        return None
    return f"{prefixes[0]}/{names}", True


def _one(name: str, known: tuple[str, ...]) -> str | None:
    same = [k for k in known if k.lower() == name.lower()]
    if same:
        return same[0] if len(same) == 1 else None
    close = difflib.get_close_matches(name, known, n=2, cutoff=_CUTOFF)
    return close[0] if len(close) == 1 else None


def _close(prefix: str, read: tuple[str, ...]) -> list[str]:
    lower = prefix.lower()
    if lower in read:
        return [lower]
    return difflib.get_close_matches(lower, read, n=2, cutoff=_CUTOFF)


def unknown_annotation(
    src: Source, doc: int, root: MappingNode, version: Version
) -> Iterator[Plan]:
    annotations = _annotations(root)
    pairs = yt.entries(annotations)
    written = {yt.scalar(k) for k, _ in pairs}
    read = prefixes_for(version)
    for k, _ in pairs:
        key = yt.scalar(k)
        if key is None:
            continue
        found = correction(key, read)
        if found is None or found[0] in written:
            continue
        new, safe = found
        edit = _edit(partial(yt.rename_key, k, new))
        if edit is None:
            continue
        prefix = new.partition("/")[0]
        why = "" if safe else f" (unsafe: MetalLB {version} reads the {prefix}/ prefix)"
        yield Plan(
            "service-unknown-annotation",
            yt.pos(k),
            f"rename {key} to {new}{why}",
            safe,
            (edit,),
            doc,
            _rename(key, new),
            hint=f"did you mean {new!r}",
        )


def _lbip(root: MappingNode) -> tuple[Node, int, Node, Node] | None:
    spec = yt.child(root, "spec")
    found = yt.entry(spec, "loadBalancerIP")
    if _kind(root) != "Service" or spec is None or found is None:
        return None
    i, k, v = found
    return spec, i, k, v


def lbip_field(src: Source, doc: int, root: MappingNode, version: Version) -> Iterator[Plan]:
    field = _lbip(root)
    if field is None:
        return
    spec, i, k, v = field
    ip = yt.scalar(v)
    if not ip or not isinstance(v, ScalarNode):
        return
    key = f"{prefixes_for(version)[0]}/{LB_IPS}"
    metadata = yt.child(root, "metadata")
    annotations = yt.child(metadata, "annotations")
    existing = yt.entry(annotations, key)
    drop = yt.delete_entry(src, spec, i)
    if existing is not None:
        if yt.scalar(existing[2]) != ip:
            return  # the annotation says something else: which one is meant?
        yield Plan(
            "service-lbip-field",
            yt.pos(k),
            f"delete spec.loadBalancerIP, which repeats {key}",
            True,
            (drop,),
            doc,
            _drop("spec", "loadBalancerIP"),
        )
        return
    if isinstance(annotations, MappingNode):
        comment = yt.line_comment(src, v)
        add = yt.insert_entry(src, annotations, key, ip, style=v.style, comment=comment)
    elif annotations is None and isinstance(metadata, MappingNode):
        if yt.entry(metadata, "annotations") is not None:
            return  # annotations: null or another type
        add = yt.insert_mapping(src, metadata, "annotations", (key, ip, v.style))
    else:
        return

    def change(data: Any) -> None:
        address = data["spec"].pop("loadBalancerIP")
        data["metadata"].setdefault("annotations", {})[key] = address

    yield Plan(
        "service-lbip-field",
        yt.pos(k),
        f"move spec.loadBalancerIP {ip!r} to the {key} annotation",
        True,
        (drop, add),
        doc,
        change,
    )


def lbip_and_annotation(
    src: Source, doc: int, root: MappingNode, version: Version
) -> Iterator[Plan]:
    field = _lbip(root)
    if field is None:
        return
    spec, i, _, v = field
    annotations = yt.child(root, "metadata", "annotations")
    ann = next(
        (
            found
            for prefix in prefixes_for(version)
            if (found := yt.entry(annotations, f"{prefix}/{LB_IPS}")) is not None
            and yt.scalar(found[2])
        ),
        None,
    )
    ip, wanted = yt.scalar(v), yt.scalar(ann[2]) if ann else None
    if ann is None or not ip or wanted is None:
        return
    same = set(split_ips(ip)) == set(split_ips(wanted))
    note = "delete spec.loadBalancerIP, keeping the annotation"
    if not same:
        note += f" (unsafe: the Service then gets {wanted!r}, not {ip!r})"
    yield Plan(
        "service-lbip-and-annotation",
        yt.pos(ann[2]),
        note,
        same,
        (yt.delete_entry(src, spec, i),),
        doc,
        _drop("spec", "loadBalancerIP"),
    )


# --- repeated list entries ------------------------------------------------------------------

# the lists rule duplicate-list-entry checks, by kind
_NAME_LISTS = {
    "IPAddressPool": (("spec", "serviceAllocation", "namespaces"),),
    "L2Advertisement": (("spec", "ipAddressPools"),),
    "BGPAdvertisement": (
        ("spec", "ipAddressPools"),
        ("spec", "communities"),
        ("spec", "peers"),
    ),
}


def _repeated_items(
    src: Source, doc: int, seq: SequenceNode, path: tuple[str | int, ...]
) -> Iterator[Plan]:
    """A plan deleting each scalar item of `seq` (at `path` in its document's data) that
    repeats one before it; a scalar's text is what counts as the same, and an item that is
    not a scalar is passed over."""
    seen: set[str] = set()
    for i, item in enumerate(seq.value):
        text = yt.scalar(item)
        if text is None:
            continue
        if text not in seen:
            seen.add(text)
            continue
        edit = _edit(partial(yt.delete_item, src, seq, i))
        if edit is None:
            continue

        def drop(data: Any, i: int = i) -> None:
            del data[i]

        yield Plan(
            "duplicate-list-entry",
            yt.pos(item),
            f"delete the repeated {text!r}",
            True,
            (edit,),
            doc,
            _inside(drop, path),
        )


def duplicate_entry(src: Source, doc: int, root: MappingNode, version: Version) -> Iterator[Plan]:
    for path in _NAME_LISTS.get(_kind(root) or "", ()):
        seq = yt.child(root, *path)
        if isinstance(seq, SequenceNode):
            yield from _repeated_items(src, doc, seq, path)


FIXERS: dict[str, Fixer] = {
    "peer-deprecated-version": peer_version,
    "service-deprecated-annotation": deprecated_annotation,
    "service-annotation-prefix-conflict": prefix_conflict,
    "service-unknown-annotation": unknown_annotation,
    "service-lbip-field": lbip_field,
    "service-lbip-and-annotation": lbip_and_annotation,
    "duplicate-list-entry": duplicate_entry,
}


def is_site(root: MappingNode) -> bool:
    """A site spec document (gitops_lb.site.load.is_site_candidate, on ruamel nodes)."""
    api, kind = yt.scalar(yt.child(root, "apiVersion")), _kind(root)
    if kind == "Site" or (api or "").partition("/")[0] == "gitops-lb.io":
        return True
    keys = {yt.scalar(k) for k, _ in yt.entries(root)}
    return "spec" in keys and not keys & {"kind", "apiVersion"}


def objects(src: Source) -> Iterator[tuple[int, MappingNode, tuple[str | int, ...]]]:
    """Every object of a file: each document, and each item of a `kind: *List` document
    (lint reads those too), with where it is in its document's data."""
    for doc, root in yt.documents(src):
        kind = _kind(root) or ""
        items = yt.child(root, "items")
        if kind.endswith("List") and isinstance(items, SequenceNode):
            for i, item in enumerate(items.value):
                if isinstance(item, MappingNode):
                    yield doc, item, ("items", i)
        else:
            yield doc, root, ()


def _inside(change: Change, where: tuple[str | int, ...]) -> Change:
    def moved(data: Any) -> None:
        for part in where:
            data = data[part]
        change(data)

    return moved


# --- site specs -----------------------------------------------------------------------------
# A site spec writes what these rules check in its own shape: the fixers below find the node a
# finding points at wherever it is in the document (a Service's `annotations:`, a list of
# names) rather than under a Kubernetes kind.


def _walk(
    node: Node, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[Node, tuple[str | int, ...]]]:
    yield node, path
    if isinstance(node, MappingNode):
        for k, v in node.value:
            key = yt.scalar(k)
            if key is not None:
                yield from _walk(v, (*path, key))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, (*path, i))


def site_unknown_annotation(src: Source, doc: int, root: MappingNode) -> Iterator[Plan]:
    for node, path in _walk(root):
        if not path or path[-1] != "annotations" or not isinstance(node, MappingNode):
            continue
        written = {yt.scalar(k) for k, _ in node.value}
        for k, _ in node.value:
            key = yt.scalar(k)
            if key is None:
                continue
            for read in (PREFIXES, (DEPRECATED_PREFIX,)):  # the message says which is meant
                found = correction(key, read)
                if found is None or not found[1] or found[0] in written:
                    continue
                edit = _edit(partial(yt.rename_key, k, found[0]))
                if edit is None:
                    continue

                def rename(data: Any, old: str = key, new: str = found[0]) -> None:
                    data[new] = data.pop(old)

                yield Plan(
                    "service-unknown-annotation",
                    yt.pos(k),
                    f"rename {key} to {found[0]}",
                    True,
                    (edit,),
                    doc,
                    _inside(rename, path),
                    hint=f"did you mean {found[0]!r}",
                )


def site_duplicate_entry(src: Source, doc: int, root: MappingNode) -> Iterator[Plan]:
    for node, path in _walk(root):
        if isinstance(node, SequenceNode):
            yield from _repeated_items(src, doc, node, path)


SITE_FIXERS = {
    "service-unknown-annotation": site_unknown_annotation,
    "duplicate-list-entry": site_duplicate_entry,
}


def plans(src: Source, rules: set[str], version: Version) -> Iterator[Plan]:
    """Every plan of the fixers of `rules` on every object of a file; a fix whose text
    cannot be edited minimally (gitops_lb.fix.yamltext.Unfixable) is not offered."""
    for doc, root, where in objects(src):
        site = not where and is_site(root)
        for rule in sorted(rules):
            try:
                if site:
                    site_fixer = SITE_FIXERS.get(rule)
                    found = list(site_fixer(src, doc, root)) if site_fixer else []
                else:
                    fixer = FIXERS.get(rule)
                    found = list(fixer(src, doc, root, version)) if fixer else []
            except Unfixable:
                continue
            for plan in found:
                yield (
                    dataclasses.replace(plan, change=_inside(plan.change, where)) if where else plan
                )
