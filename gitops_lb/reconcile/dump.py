"""The live state from `--live FILE...`: the output of `kubectl get ... -o yaml` (a `List`, or
several documents), in one or many files (or - for standard input).

A dump stands for the whole cluster: a kind reconcile reads that the dump does not hold counts
as having no objects. Objects are filtered as the API reader reads them: MetalLB's kinds in
MetalLB's namespace only, the ACP plugin object only when the desired state needs it.

Dumps are read as a stream (stream.py), whatever their size, and of each object only what
reconcile compares is kept (`compared`): a Service that is not of type LoadBalancer, holds no
load-balancer address and is not declared in Git is not kept at all. An object given more than
once (two dumps that overlap, one file given twice) is read once when its copies agree on
everything reconcile compares (a pool's status, which `status` reads and reconcile does not
compare, is kept only when every copy agrees on it, else left out: not known); when they
differ, which of them is live is not known, and the dump is refused (exit status 3) naming
each copy's file and line. The outcome does not depend on the order of the files.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from gitops_lb.diagnostics import FieldPath, Location
from gitops_lb.errors import GitopsLbError
from gitops_lb.reconcile.difference import show
from gitops_lb.reconcile.normalize import MISSING, ignored_key, path_text
from gitops_lb.reconcile.services import ingress_ips
from gitops_lb.reconcile.state import (
    ANNOUNCEMENT_RESOURCES,
    BY_KIND,
    CONFIG_RESOURCES,
    PLUGIN,
    PLUGIN_NAME,
    STATUS_RESOURCES,
    LiveState,
    Resource,
    mapping,
    name_of,
    namespace_of,
)
from gitops_lb.reconcile.stream import DumpReader, mib
from gitops_lb.secrecy import is_secret_key, is_secret_path, mask_urls, shorten
from gitops_lb.yamlload import expand_paths, max_file_bytes, plain

MAX_LIVE_MIB = 1024  # default largest dump; GITOPS_LB_MAX_LIVE_MIB overrides it
MAX_LIVE_ENV = "GITOPS_LB_MAX_LIVE_MIB"
SHOWN_CONFLICTS = 10  # objects named in the message; the rest are counted
_CONFIG_KINDS = frozenset(r.kind for r in CONFIG_RESOURCES)
_STATUS_KINDS = frozenset(r.kind for r in (*STATUS_RESOURCES, *ANNOUNCEMENT_RESOURCES))

Key = tuple[str, str, str]  # kind, namespace ("" when cluster-scoped), name


def max_live_bytes() -> int:
    """The largest dump read (MAX_LIVE_MIB MiB unless the environment says otherwise)."""
    try:
        size = float(os.environ.get(MAX_LIVE_ENV) or MAX_LIVE_MIB)
    except ValueError:
        size = MAX_LIVE_MIB
    return int(max(size, 0.0) * 1024 * 1024)


def resource_of(obj: dict[str, Any]) -> Resource | None:
    """The resource reconcile reads that `obj` is (any served version of it), or None."""
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    res = BY_KIND.get(kind) if isinstance(kind, str) else None
    if res is None or not isinstance(api_version, str):
        return None
    group = api_version.rpartition("/")[0]
    return res if group == res.group else None


# --- what reconcile compares of a live object -------------------------------------------------


def _pick(value: Any, keys: Sequence[str]) -> Any:
    """The `keys` of a mapping (the rest dropped); anything else as it is (a wrong type stays
    wrong, so that the checks see what they would have seen)."""
    if not isinstance(value, dict):
        return plain(value)
    return {k: plain(value[k]) for k in keys if k in value}


def _metadata(value: Any, *, labels: bool, annotations: bool) -> Any:
    if not isinstance(value, dict):
        return plain(value)
    out = _pick(value, ("name", "namespace", "labels") if labels else ("name", "namespace"))
    notes = value.get("annotations")
    if annotations and isinstance(notes, dict):  # Argo CD's and kubectl's are never compared
        out["annotations"] = {
            k: plain(v) for k, v in notes.items() if not ignored_key(k, label=False)
        }
    elif annotations and "annotations" in value:
        out["annotations"] = plain(notes)
    return out


def compared(res: Resource, obj: dict[str, Any]) -> dict[str, Any]:
    """The parts of a live object that reconcile reads, as plain values; nothing else (the
    volatile parts: resourceVersion, managedFields, timestamps, a pool's status, a Node's
    status, the last-applied annotation). Two copies of an object are the same object when
    these are equal."""
    out: dict[str, Any] = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind")}
    kind = res.kind
    if "metadata" in obj:
        described = kind in _CONFIG_KINDS or kind == "Service"
        out["metadata"] = _metadata(
            obj["metadata"], labels=described or kind == "Node", annotations=described
        )
    if kind in _CONFIG_KINDS and "spec" in obj:
        out["spec"] = plain(obj["spec"])
    elif kind in _STATUS_KINDS and "status" in obj:
        out["status"] = plain(obj["status"])
    elif kind == "Service":
        if "spec" in obj:
            out["spec"] = _pick(obj["spec"], ("type", "loadBalancerIP"))
        status = obj.get("status")
        if isinstance(status, dict):
            if "loadBalancer" in status:
                out["status"] = {"loadBalancer": _pick(status["loadBalancer"], ("ingress",))}
        elif "status" in obj:
            out["status"] = plain(status)
    return out


# --- reading ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Copies:
    """The copies of one object: each distinct content, with where it was written."""

    kind: str
    contents: list[dict[str, Any]] = field(default_factory=list)
    places: list[list[Location]] = field(default_factory=list)
    statuses: list[Any] = field(default_factory=list)  # a pool's status in each copy

    def status(self) -> Any:
        """The pool status all copies agree on, or MISSING."""
        first = self.statuses[0] if self.statuses else MISSING
        return first if all(s == first for s in self.statuses) else MISSING

    def add(self, content: dict[str, Any], where: Location) -> None:
        for i, known in enumerate(self.contents):
            if known == content:
                self.places[i].append(where)
                return
        self.contents.append(content)
        self.places.append([where])


@dataclass(slots=True)
class _Kept:
    key: Key
    content: dict[str, Any]
    location: Location
    status: Any = MISSING  # an IPAddressPool's status (not compared)


class _Collector:
    """What each object of the dumps is to reconcile: skipped, or kept under its key."""

    def __init__(
        self, namespace: str, plugin: bool, services: Collection[tuple[str, str]] | None
    ) -> None:
        self.namespace = namespace
        self.plugin = plugin
        self.services = services
        self.copies: dict[Key, _Copies] = {}

    def keep(self, obj: dict[str, Any], where: Location) -> _Kept | None:
        res = resource_of(obj)
        if res is None:
            return None
        ns = namespace_of(obj)
        if res.scope == "metallb":
            if (ns or self.namespace) != self.namespace:
                return None  # MetalLB reads only its own namespace; so does the API reader
            ns = self.namespace
        elif res.scope == "cluster":
            ns = ""
        if res is PLUGIN and (not self.plugin or name_of(obj) != PLUGIN_NAME):
            return None
        content = compared(res, obj)
        if res.kind == "Service":
            ns = ns or "default"
            if not self._wanted_service(content, ns):
                return None
        status = MISSING
        if res.kind == "IPAddressPool" and "status" in obj:
            status = plain(obj["status"])
        return _Kept((res.kind, ns, name_of(obj)), content, where, status)

    def _wanted_service(self, content: dict[str, Any], ns: str) -> bool:
        """What reconcile looks at: Git's Services, LoadBalancer Services (unmanaged ones),
        and Services that hold a load-balancer address (an L2 announcement names them)."""
        return (
            self.services is None
            or (ns, name_of(content)) in self.services
            or mapping(content, "spec").get("type") == "LoadBalancer"
            or bool(ingress_ips(content))
        )

    def add(self, kept: _Kept) -> None:
        copies = self.copies.get(kept.key)
        if copies is None:
            copies = self.copies[kept.key] = _Copies(kept.key[0])
        copies.add(kept.content, kept.location)
        if kept.key[0] == "IPAddressPool":
            copies.statuses.append(kept.status)


def _open(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    return open(path, "rb")  # closed by read_dump


def _size_problem(fh: BinaryIO, name: str, limit: int) -> str | None:
    """A regular file larger than the limit is refused before it is read."""
    try:
        info = os.fstat(fh.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - a stream without a file
        return None
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        return (
            f"{Location(name)}: dump is larger than {mib(limit)} and was not read "
            f"({MAX_LIVE_ENV} raises the limit)"
        )
    return None


def read_dump(
    paths: Sequence[str],
    namespace: str,
    *,
    plugin: bool,
    services: Collection[tuple[str, str]] | None = None,
) -> LiveState:
    """The live state in the dump files `paths`.

    `services`: the (namespace, name) of the Services Git declares; other Services are kept
    only when reconcile looks at them (None: every Service is kept).

    Raises GitopsLbError (exit status 3) when a file cannot be read or parsed, holds nothing,
    or when copies of one object differ.
    """
    collector = _Collector(namespace, plugin, services)
    limit, object_limit = max_live_bytes(), max_file_bytes()
    problems: list[str] = []
    documents = 0
    names: list[str] = []
    for path, problem in expand_paths(paths):
        name = "<stdin>" if path == "-" else path
        names.append(name)
        if problem is not None:
            problems.append(f"{problem.location}: {problem.message}")
            continue
        try:
            fh = _open(path)
        except OSError as exc:
            problems.append(f"{Location(name)}: cannot read file: {exc.strerror or exc}")
            continue
        try:
            too_large = _size_problem(fh, name, limit)
            if too_large is not None:
                problems.append(too_large)
                continue
            reader = DumpReader(fh, name, collector.keep, limit=limit, object_limit=object_limit)
            for kept in reader.objects():
                collector.add(kept)
            problems.extend(reader.problems)
            documents += reader.documents
        finally:
            if fh is not sys.stdin.buffer:
                fh.close()
    if problems:
        raise GitopsLbError("cannot read the live state: " + "; ".join(problems))
    if not documents:
        where = ", ".join(str(Location(n)) for n in names)
        raise GitopsLbError(
            f"cannot read the live state: {where}: no object at all (`kubectl get -o yaml` "
            "prints a List even when nothing matches; did the command fail?)"
        )
    conflicts = [(key, c) for key, c in sorted(collector.copies.items()) if len(c.contents) > 1]
    if conflicts:
        raise GitopsLbError(conflict_message(conflicts))
    state = LiveState(source="dump " + ", ".join(paths), namespace=namespace)
    for key, copies in sorted(collector.copies.items()):
        status = copies.status()
        content = copies.contents[0]
        state.add(key[0], content if status is MISSING else {**content, "status": status})
        if key[0] == "IPAddressPool" and isinstance(status, dict):
            state.pool_status[key[2]] = status
    return state


# --- copies that differ -------------------------------------------------------------------------


def _place_key(where: Location) -> tuple[str, int, int]:
    return (where.file, where.line, where.column)


def first_difference(a: Any, b: Any, path: FieldPath = ()) -> FieldPath:
    """Where two plain values first differ (keys in sorted order); () when they are equal or
    differ at the top."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(a.keys() | b.keys()):
            if a.get(k, MISSING) != b.get(k, MISSING):
                return first_difference(a.get(k, MISSING), b.get(k, MISSING), (*path, k))
        return path
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else MISSING
            y = b[i] if i < len(b) else MISSING
            if x != y:
                return first_difference(x, y, (*path, i))
    return path


def value_at(value: Any, path: FieldPath) -> Any:
    for part in path:
        if isinstance(part, str) and isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(part, int) and isinstance(value, list) and part < len(value):
            value = value[part]
        else:
            return MISSING
    return value


def _hidden(value: Any) -> Any:
    """A copy with the values of secret-bearing fields (a BGP password) hidden."""
    if isinstance(value, dict):
        return {k: "<redacted>" if is_secret_key(k) else _hidden(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    return value


def _shown(value: Any, path: FieldPath) -> str:
    if value is MISSING:
        return "absent"
    if is_secret_path(path):
        return "(not shown)"
    return shorten(mask_urls(show(_hidden(value))))


def describe_conflict(key: Key, copies: _Copies) -> str:
    """`Node node-a: metadata.labels["lb"] is "yes" at a.yaml:3:3, "no" at b.yaml:9:3`; the
    same text whatever the order in which the copies were read."""
    kind, ns, name = key
    groups = sorted(
        (
            (sorted(places, key=_place_key), content)
            for places, content in zip(copies.places, copies.contents, strict=True)
        ),
        key=lambda group: _place_key(group[0][0]),
    )
    path = first_difference(groups[0][1], groups[1][1])
    parts = [
        f"{_shown(value_at(content, path), path)} at {' and '.join(str(p) for p in places)}"
        for places, content in groups
    ]
    name = name or "(no name)"
    ref = f"{kind} {ns}/{name}" if ns else f"{kind} {name}"
    what = path_text(path) if path else "the object"
    return f"{ref}: {what} is {', '.join(parts)}"


def conflict_message(conflicts: Sequence[tuple[Key, _Copies]]) -> str:
    shown = [describe_conflict(key, copies) for key, copies in conflicts[:SHOWN_CONFLICTS]]
    more = len(conflicts) - len(shown)
    if more:
        shown.append(f"and {more} more")
    count = len(conflicts)
    objects = "1 object has" if count == 1 else f"{count} objects have"
    return (
        f"cannot read the live state: {objects} copies that differ, so what is live is not "
        f"known: {'; '.join(shown)} (give each object once: dumps taken at the same time, "
        "or one dump per kind)"
    )
