"""What the two readers of a cluster's configuration share: Kubernetes manifests
(gitops_lb.manifests) and site specs (gitops_lb.site.load, gitops_lb.site.lower).

Filing a validated object into its ClusterConfig, pydantic validation errors turned into
located findings, the "did you mean" hint for misspelt names, and salvage(): what can still be
read of an object that does not validate, so that checking goes on with it.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from gitops_lb import names, words
from gitops_lb.config import ClusterConfig, Finding, Item, Rel, Unread
from gitops_lb.diagnostics import FieldPath
from gitops_lb.metallb import models as m
from gitops_lb.metallb.versions import unknown_fields
from gitops_lb.secrecy import HIDDEN, is_secret_path, shorten, shown
from gitops_lb.yamlload import LocMap, LocSeq

M = TypeVar("M", bound=BaseModel)


def add_item(cfg: ClusterConfig, item: Item[Any]) -> None:
    """File an object under its kind; MetalLB objects outside MetalLB's namespace are not read.
    A MetalLB object is filed as the target release keeps it (see without_newer_fields)."""
    without_newer_fields(cfg, item)
    obj = item.model
    if isinstance(obj, m.Resource):
        set_by = cfg.kustomized.get(item.file)
        if item.namespace is not None and item.namespace != cfg.namespace:
            cfg.add_intake(
                "object-wrong-namespace",
                Finding(
                    f"{item.kind} {item.name!r} is in namespace {item.namespace!r}"
                    f"{' (set by its kustomization)' if set_by else ''}; MetalLB reads its "
                    f"configuration only from {cfg.namespace!r} (and its webhook denies it); "
                    "if MetalLB runs in another namespace, pass --namespace NS",
                    item,
                    ("metadata", "namespace"),
                    related=(Rel("the namespace is set here", location=set_by.location),)
                    if set_by
                    else (),
                ),
            )
            return
        # (a namespace not read as written, for schema errors, is not known to be missing)
        if item.namespace is None and item.sure(("metadata", "namespace")):
            cfg.add_intake(
                "object-no-namespace",
                Finding(
                    f"{item.kind} {item.name!r} has no namespace; it must be applied to "
                    f"{cfg.namespace!r}",
                    item,
                    ("metadata",),
                    key=True,
                ),
            )
    target: dict[type[Any], list[Item[Any]]] = {
        m.IPAddressPool: cfg.pools,
        m.L2Advertisement: cfg.l2advs,
        m.BGPAdvertisement: cfg.bgpadvs,
        m.BGPPeer: cfg.peers,
        m.BFDProfile: cfg.bfdprofiles,
        m.Community: cfg.communities,
        m.Service: cfg.services,
        m.Node: cfg.nodes,
        m.Namespace: cfg.namespaces,
        m.Secret: cfg.secrets,
        m.ConfigMap: cfg.configmaps,
    }
    found = target.get(type(obj))
    if found is None:  # the operator's resource, whose models have a module of their own
        from gitops_lb.metallb.operator import MetalLB  # noqa: PLC0415 - only when one is read

        if not isinstance(obj, MetalLB):  # pragma: no cover - every model read has a list
            raise TypeError(f"no list of ClusterConfig for {type(obj).__name__}")
        found = cfg.operators
    found.append(item)


# --- fields the target release does not have ----------------------------------------------------

NEWER_FIELD = "field-unsupported-version"


def without_newer_fields(cfg: ClusterConfig, item: Item[Any]) -> None:
    """Report the fields of a MetalLB object that the CRD of the target release does not have
    (rule field-unsupported-version), and drop them, as that release's API server does: the
    rules then check the object as MetalLB sees it, and no rule reports what the missing field
    was meant to do."""
    unknown = unknown_fields(item.kind, cfg.metallb_version)
    spec = getattr(item.model, "spec", None)
    if not unknown or not isinstance(spec, BaseModel):
        return
    written = spec.model_fields_set
    dropped = {path[-1] for path in unknown if len(path) == 2 and path[-1] in written}
    if not dropped:
        return
    for path, since in unknown.items():
        if path[-1] not in dropped:
            continue
        when = (
            "is in no MetalLB release yet (only on MetalLB's main branch)"
            if since is None
            else f"needs MetalLB {since} or later"
        )
        cfg.add_intake(
            NEWER_FIELD,
            Finding(
                f"{_field_of(item, path)} {when}; the target is {cfg.metallb_version}",
                item,
                path,
                key=True,
            ),
        )
    kept = {name: getattr(spec, name) for name in written - dropped}
    pruned = type(spec).model_construct(_fields_set=set(kept), **kept)
    item.model = item.model.model_copy(update={"spec": pruned})


def _field_of(item: Item[Any], path: FieldPath) -> str:
    """ "L2Advertisement spec.interfaces"; on a site spec, the field as the user wrote it."""
    if item.origin is None:
        return f"{item.kind} {'.'.join(str(p) for p in path)}"
    return f"{words.field(item, path)} of {words.title(item)}"


# --- pydantic errors -> located findings ---------------------------------------------------------


class FieldWords(Protocol):
    """How schema findings name a field of the document: the words of the input read."""

    def field(self, path: FieldPath) -> str:
        """The field as the subject of a message ("spec.addresses: ...")."""
        ...

    def unknown(self, path: FieldPath) -> str:
        """The start of the message on an unknown field ("unknown field 'x' in Kind")."""
        ...


class ObjectWords:
    """Kubernetes manifests: the dotted path in the object, and the object's kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def field(self, path: FieldPath) -> str:
        return shorten(".".join(str(p) for p in path))

    def unknown(self, path: FieldPath) -> str:
        return f"unknown field {self.field(path)!r} in {self.kind}"


def reported(model: type[BaseModel], errors: list[Any]) -> list[Any]:
    """The errors worth a finding each: a required field reported missing beside an unknown
    key that means it (`adresses:` for `addresses:`) is one mistake, and the unknown key's
    finding (with its "did you mean") says it."""
    meant = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            hint = did_you_mean(str(loc[-1]), allowed_fields(model, loc[:-1]))
            if hint is not None:
                meant.add((*loc[:-1], hint))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]


def report_validation_error(
    cfg: ClusterConfig,
    item: Item[Any],
    model: type[BaseModel],
    err: Any,
    words: FieldWords | None = None,
) -> None:
    """One pydantic error as a schema finding on `item`, its field named by `words` (by
    default: the path in the object, as for manifests; site specs pass their own)."""
    loc: FieldPath = tuple(err["loc"])
    words = words if words is not None else ObjectWords(item.kind)
    where = words.field(loc)
    if err["type"] == "extra_forbidden":
        field = str(loc[-1])
        allowed = allowed_fields(model, loc[:-1])
        hint = did_you_mean(field, allowed)
        text = f"; did you mean {hint!r}?" if hint else ""
        homes = [] if hint else nested_home(model, loc[:-1], field)
        if homes:
            text = f"; did you mean to indent it under {' or '.join(map(repr, homes))}?"
        cfg.add_intake(
            "schema-unknown-field",
            Finding(
                words.unknown(loc) + text,
                item,
                loc,
                key=True,
            ),
        )
        return
    if err["type"] == "missing":
        message = f"{where}: required field is missing"
    else:
        got = err.get("input")
        echo = ""
        if is_secret_path(loc, item.kind):
            echo = f" {HIDDEN}"
        elif isinstance(got, str | int | float | bool):
            echo = f" (got {shown(got)})"
        message = f"{where}: {err['msg'][:1].lower()}{err['msg'][1:]}{echo}"
        pattern = (err.get("ctx") or {}).get("pattern")
        if isinstance(pattern, str) and isinstance(got, str) and names.describe(pattern):
            why = names.problem(got, pattern)  # the name patterns, explained in words
            if why:
                message = f"{where}: {shown(got)} is invalid: {why}"
    cfg.add_intake("schema-invalid", Finding(message, item, loc))


def nested_home(model: type[BaseModel], loc: FieldPath, name: str) -> list[str]:
    """The fields at `loc` whose own fields include `name` (the key `name:` written one level
    too far out, as `name:` beside `metadata:` instead of under it)."""
    return [c for c in allowed_fields(model, loc) if name in allowed_fields(model, (*loc, c))]


def did_you_mean(name: str, allowed: list[str]) -> str | None:
    lower = {a.lower(): a for a in allowed}
    if name.lower() in lower:
        return lower[name.lower()]
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def allowed_fields(model: type[BaseModel], loc: FieldPath) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = submodel(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside X, list[X], X | None, Annotated[X, ...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = submodel(arg)
        if found is not None:
            return found
    return None


def unread(kind: str, name: str, spec: Any) -> Unread:
    """What is known of an object that could not be read, from its spec as written (a site
    element for a site spec): the pools an advertisement names (when it names them and
    selects none), the addresses of a pool (when they are strings)."""
    spec = spec if isinstance(spec, dict) else {}
    pools = addresses = None
    if kind in ("L2Advertisement", "BGPAdvertisement"):
        named = spec.get("ipAddressPools")
        if spec.get("ipAddressPoolSelectors") is None and _strings(named) and named:
            pools = tuple(named)
    raw = spec.get("addresses")
    if kind == "IPAddressPool" and (_strings(raw) or isinstance(raw, str)):
        addresses = (raw,) if isinstance(raw, str) else tuple(raw)  # one address, unlisted
    return Unread(kind, name, pools=pools, addresses=addresses)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# --- salvage: read what can be read of an object that does not validate -------------------------

MAX_ROUNDS = 20  # pruning rounds; each removes at least one thing


@dataclass(eq=False)
class Gaps:
    """What salvaging left out of a document, by container (a LocMap or LocSeq of the pruned
    copy): the keys whose values are not as written (dropped, or meant by a misspelt key), and
    the containers that lost an entry. `held` keeps every container named alive, so that an id
    stays its own while the Gaps live."""

    keys: dict[int, set[str]] = field(default_factory=dict)
    lost: dict[int, list[Any]] = field(default_factory=dict)  # entries removed, as written
    held: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.keys or self.lost)

    def mark(self, container: LocMap, key: str) -> None:
        self.held.append(container)
        self.keys.setdefault(id(container), set()).add(key)

    def lose(self, container: Any, entry: Any) -> None:
        self.held.append(container)
        self.lost.setdefault(id(container), []).append(entry)

    def keys_of(self, container: Any) -> set[str]:
        return self.keys.get(id(container), set())

    def lost_from(self, container: Any) -> list[Any]:
        return self.lost.get(id(container), [])

    def paths(self, root: Any) -> tuple[frozenset[FieldPath], frozenset[FieldPath]]:
        """(unsure, partial) paths inside `root` (see Item.unsure and Item.partial)."""
        unsure: set[FieldPath] = set()
        partial: set[FieldPath] = set()
        if not self:
            return frozenset(), frozenset()
        todo: list[tuple[Any, FieldPath]] = [(root, ())]
        seen: set[int] = set()
        while todo:
            node, path = todo.pop()
            if id(node) in seen:  # an alias shares one container
                continue
            seen.add(id(node))
            if id(node) in self.lost:
                partial.add(path)
            if isinstance(node, LocMap):
                unsure.update((*path, key) for key in self.keys.get(id(node), ()))
                todo.extend((v, (*path, k)) for k, v in node.items() if isinstance(v, list | dict))
            elif isinstance(node, LocSeq):
                todo.extend(
                    (v, (*path, i)) for i, v in enumerate(node) if isinstance(v, list | dict)
                )
        return frozenset(unsure), frozenset(partial)


@dataclass(eq=False)
class Salvaged(Generic[M]):
    """What salvage() could read: the model (None: nothing), validated from `doc`, a copy of
    the document without what was left out (positions kept), and what was left out."""

    model: M | None
    doc: Any
    gaps: Gaps


@dataclass(frozen=True, slots=True)
class _Action:
    path: FieldPath  # what to remove (or to set, with `fill`)
    hint: str | None = None  # the field a misspelt key most likely meant
    homes: tuple[str, ...] = ()  # the fields it may belong under (written a level too far out)
    fill: Any = None


Fill = Callable[[FieldPath], Any]  # a stand-in value for a required field, or None


def salvage(
    model: type[M],
    data: LocMap,
    errors: Sequence[Any],
    *,
    drop_nulls: bool = False,
    fill: Fill | None = None,
) -> Salvaged[M]:
    """Read what can be read of `data`, which failed to validate with `errors` (the caller
    reports those; what pruning then causes is a consequence and is not reported).

    Each round prunes at the smallest sound unit and validates again: an unknown field is
    dropped; an invalid optional field is dropped (its default applies); an invalid entry of a
    list or of a mapping of values is dropped; a required field that is missing or invalid
    drops the list entry that holds it (a pool, a node, a selector...), or gets the stand-in
    `fill` gives, or else nothing can be read.
    """
    doc = loc_copy(data, drop_nulls)
    gaps = Gaps()
    pending = list(errors)
    for _ in range(MAX_ROUNDS):
        actions: list[_Action] = []
        for err in pending:
            action = _action_for(model, doc, err, fill)
            if action is None:
                return Salvaged(None, doc, gaps)
            actions.append(action)
        if not _apply(doc, actions, gaps):
            return Salvaged(None, doc, gaps)
        try:
            return Salvaged(model.model_validate(doc), doc, gaps)
        except ValidationError as exc:
            pending = exc.errors()
    return Salvaged(None, doc, gaps)  # pragma: no cover - every round removes something


def loc_copy(value: Any, drop_nulls: bool = False) -> Any:
    """A deep copy of LocMap/LocSeq trees, positions included (null fields left out when
    drop_nulls, as the API server drops them); an alias stays one shared copy."""
    done: dict[int, Any] = {}

    def copy(v: Any) -> Any:
        if not isinstance(v, dict | list):
            return v
        if id(v) in done:
            return done[id(v)]
        if isinstance(v, LocMap):
            out: Any = LocMap(v.pos)
            done[id(v)] = out
            for k, item in v.items():
                if drop_nulls and item is None:
                    continue
                out[k] = copy(item)
                out.kpos[k], out.vpos[k] = v.kpos.get(k, v.pos), v.vpos.get(k, v.pos)
        elif isinstance(v, LocSeq):
            out = LocSeq(v.pos)
            done[id(v)] = out
            for i, item in enumerate(v):
                out.append(copy(item))
                out.ipos.append(v.ipos[i] if i < len(v.ipos) else v.pos)
        elif isinstance(v, dict):
            out = {}
            done[id(v)] = out
            out.update((k, copy(i)) for k, i in v.items() if not (drop_nulls and i is None))
        else:
            out = []
            done[id(v)] = out
            out.extend(copy(i) for i in v)
        return out

    return copy(value)


def _present(doc: Any, loc: FieldPath) -> int:
    """How many parts of `loc` lead through `doc` (the rest names what is missing, or the
    member of a union pydantic tried)."""
    node = doc
    for n, part in enumerate(loc):
        in_map = isinstance(node, dict) and isinstance(part, str) and part in node
        in_seq = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_map or in_seq):
            return n
        node = node[part]
    return len(loc)


def _action_for(model: type[BaseModel], doc: Any, err: Any, fill: Fill | None) -> _Action | None:
    loc: FieldPath = tuple(err["loc"])
    found = _present(doc, loc)
    path = loc[:found]
    if err["type"] == "extra_forbidden" and found == len(loc) and path:
        name = str(loc[-1])
        hint = did_you_mean(name, allowed_fields(model, loc[:-1]))
        homes = () if hint else tuple(nested_home(model, loc[:-1], name))
        return _Action(path, hint=hint, homes=homes)
    if err["type"] == "missing" and found < len(loc):
        target = (*path, loc[found])
        stand_in = fill(target) if fill is not None else None
        if stand_in is not None:
            return _Action(target, fill=stand_in)
        return _enclosing_entry(path)
    if not path:
        return None
    if isinstance(path[-1], int) or field_kind(model, path) != "required":
        return _Action(path)
    stand_in = fill(path) if fill is not None else None
    if stand_in is not None:
        return _Action(path, fill=stand_in)
    return _enclosing_entry(path[:-1])


def _enclosing_entry(path: FieldPath) -> _Action | None:
    """The list entry holding `path` (a pool, a node, a selector...); None: there is none."""
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], int):
            return _Action(path[: i + 1])
    return None


def _sort_key(path: FieldPath) -> tuple[tuple[int, int, str], ...]:
    return tuple((1, p, "") if isinstance(p, int) else (0, 0, p) for p in path)


def _apply(doc: Any, actions: list[_Action], gaps: Gaps) -> bool:
    """Carry out the actions (later list entries first, so indexes stay right); False when
    none changed anything."""
    removals = {a.path for a in actions if a.fill is None}
    changed = False
    done: set[FieldPath] = set()
    for action in sorted(actions, key=lambda a: _sort_key(a.path), reverse=True):
        path = action.path
        if path in done or any(path[:n] in removals for n in range(1, len(path))):
            continue  # the same thing twice, or inside something removed anyway
        done.add(path)
        parent = _at(doc, path[:-1])
        last = path[-1]
        if action.fill is not None and isinstance(parent, LocMap) and isinstance(last, str):
            parent[last] = action.fill
            parent.kpos.setdefault(last, parent.pos)
            parent.vpos.setdefault(last, parent.pos)
            gaps.mark(parent, last)
            changed = True
        elif isinstance(parent, LocMap) and isinstance(last, str) and last in parent:
            del parent[last]
            parent.kpos.pop(last, None)
            parent.vpos.pop(last, None)
            gaps.mark(parent, last)
            if action.hint is not None:
                gaps.mark(parent, action.hint)
            for home in action.homes:
                gaps.mark(parent, home)  # what it holds is not as meant
            changed = True
        elif isinstance(parent, LocSeq) and isinstance(last, int) and 0 <= last < len(parent):
            gaps.lose(parent, parent.pop(last))
            if last < len(parent.ipos):
                del parent.ipos[last]
            holder = _at(doc, path[:-2]) if len(path) >= 2 else None
            if isinstance(holder, LocMap) and isinstance(path[-2], str) and len(parent) == 0:
                gaps.mark(holder, path[-2])  # emptied: an empty list often means "all"
            changed = True
    return changed


def _at(doc: Any, path: FieldPath) -> Any:
    node = doc
    for part in path:
        node = node[part]
    return node


def field_kind(model: type[BaseModel], path: FieldPath) -> str:
    """What `path` is in the model: "required" or "optional" (a model field), "entry" (of a
    list or of a mapping of values), or "unknown"."""
    current: Any = model
    kind = "unknown"
    for part in path:
        found = _model_in(current)
        if isinstance(part, str) and found is not None:
            info = found.model_fields.get(part)
            if info is None:
                return "unknown"
            kind = "required" if info.is_required() else "optional"
            current = info.annotation
            continue
        inner = _container_in(current, dict if isinstance(part, str) else list)
        if inner is None:
            return "unknown"
        kind, current = "entry", inner
    return kind


def _unwrapped(annotation: Any) -> list[Any]:
    """The types an annotation allows (Annotated and unions taken apart, None left out)."""
    out: list[Any] = []
    todo = [annotation]
    while todo:
        a = todo.pop(0)
        origin = typing.get_origin(a)
        if origin is typing.Annotated:
            todo.append(typing.get_args(a)[0])
        elif origin is typing.Union or isinstance(a, types.UnionType):
            todo.extend(x for x in typing.get_args(a) if x is not type(None))
        else:
            out.append(a)
    return out


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for a in _unwrapped(annotation):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def _container_in(annotation: Any, container: type) -> Any:
    for a in _unwrapped(annotation):
        if typing.get_origin(a) is container:
            args = typing.get_args(a)
            return args[-1] if args else Any
    return None
