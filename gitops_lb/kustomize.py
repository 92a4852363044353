"""What kustomize makes of manifest files: which kustomization builds each file, and the
namespace that build gives the file's objects. Pure reading; nothing here runs kustomize.

The rules, as `kustomize build` (kubectl kustomize, Argo CD) applies them:

- A kustomization is the file `kustomization.yaml`, `kustomization.yml` or `Kustomization` of
  a folder (the first of these that exists, in that order).
- It builds exactly what it lists: each entry of `resources:` (and of the older `bases:`, and
  `components:`) is a file, or a folder holding a kustomization of its own, relative to the
  kustomization's folder. A file lying beside a kustomization that does not list it is not
  part of its build. Remote entries (URLs) are not followed.
- `namespace:` of a kustomization is given to every namespaced object of its build, also those
  its listed kustomizations (bases) bring in, and it overrides a namespace the object states.
  When kustomizations are nested (an overlay lists a base), the outermost one that sets a
  namespace wins. Cluster-scoped kinds (Node) keep none, and a Namespace object is renamed
  to the namespace (both as kustomize does).
- A kustomization root is a kustomization found in the inputs that no other kustomization
  found there lists (directly or through the kustomizations it lists). Each root is one
  build, so one cluster's configuration: a base that two overlays list belongs to both.
  Kustomizations outside the inputs are read only when a kustomization inside lists them;
  one outside that lists an input (an overlay elsewhere) is not looked for.
- A file reached twice within one root (two kustomizations of the build list it) takes the
  namespace of the first path in listing order; kustomize itself refuses such a build unless
  the namespaces differ.
- Patches (`patchesStrategicMerge:`, and the `path:` of `patches:` and `patchesJson6902:`)
  are not objects of the build but changes to them: a file a kustomization uses only as a
  patch is not an object of any cluster. Patches are not applied.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from gitops_lb.config import SetNamespace
from gitops_lb.diagnostics import Location
from gitops_lb.yamlload import LocMap, LocSeq, load_file

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
LIST_FIELDS = ("resources", "bases", "components")
CLUSTER_SCOPED_KINDS = frozenset({"Node", "Namespace"})  # among the kinds lint reads
MAX_KUSTOMIZATIONS = 10_000  # followed from the inputs; more is a loop of links or a mistake


@dataclass(eq=False, slots=True)
class Kustomization:
    folder: str  # real path
    shown: str  # the folder as the inputs name it (for messages)
    namespace: SetNamespace | None
    files: list[str] = field(default_factory=list)  # real paths of listed files, in order
    folders: list[str] = field(default_factory=list)  # real paths of listed folders, in order
    patches: list[str] = field(default_factory=list)  # real paths of patch files


@dataclass(eq=False, slots=True)
class Build:
    """One kustomization root: the files it builds (real path -> the namespace they get)."""

    root: Kustomization
    files: dict[str, SetNamespace | None]


@dataclass(eq=False, slots=True)
class Layout:
    """What the kustomizations of the inputs build."""

    builds: list[Build]  # one per kustomization root, sorted by the root's folder
    patches: set[str]  # real paths of the files used as patches and listed by none as resource


def kustomization_file(folder: str) -> str | None:
    for name in KUSTOMIZATION_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def read_kustomization(folder: str, shown: str) -> Kustomization | None:
    """The kustomization of a folder, or None when it has none or it cannot be read."""
    path = kustomization_file(folder)
    if path is None:
        return None
    loaded = load_file(path)
    if any(issue.fatal or issue.rule == "yaml-syntax" for issue in loaded.issues):
        return None  # kustomize cannot build it either; lint reports the syntax error
    data = next((d.data for d in loaded.documents if isinstance(d.data, LocMap)), None)
    if data is None:
        return None
    shown_file = os.path.join(shown, os.path.basename(path))
    namespace = None
    value = data.get("namespace")
    if isinstance(value, str) and value:
        namespace = SetNamespace(value, Location(shown_file, *data.vpos["namespace"]))
    out = Kustomization(os.path.realpath(folder), shown, namespace)
    for key in LIST_FIELDS:
        entries = data.get(key)
        if not isinstance(entries, LocSeq):
            continue
        for entry in entries:
            if (
                not isinstance(entry, str)
                or not entry
                or "://" in entry
                or entry.startswith("git@")
            ):
                continue
            target = os.path.realpath(os.path.join(folder, entry))
            if os.path.isdir(target):
                out.folders.append(target)
            elif os.path.isfile(target):
                out.files.append(target)
    for entry in _patch_paths(data):
        target = os.path.realpath(os.path.join(folder, entry))
        if os.path.isfile(target):
            out.patches.append(target)
    return out


def _patch_paths(data: LocMap) -> Iterator[str]:
    merges = data.get("patchesStrategicMerge")
    if isinstance(merges, LocSeq):  # file names, or patches written inline (several lines)
        yield from (e for e in merges if isinstance(e, str) and e and "\n" not in e)
    for key in ("patches", "patchesJson6902"):
        entries = data.get(key)
        if isinstance(entries, LocSeq):
            for entry in entries:
                path = entry.get("path") if isinstance(entry, LocMap) else None
                if isinstance(path, str) and path:
                    yield path


def _remote(entry: str) -> bool:
    return "://" in entry or entry.startswith(("git@", "github.com/"))


def _walk(folder: str) -> Iterator[str]:
    """Every folder at or below `folder` that expand_paths reads (hidden ones are skipped)."""
    for dirpath, dirnames, _ in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        yield dirpath


def found_in(paths: Iterable[str]) -> list[Kustomization]:
    """The kustomizations of the folders given (at any depth) and of the folders of the files
    given, each once, in the order the inputs name them."""
    seen: set[str] = set()
    out: list[Kustomization] = []
    for raw in paths:
        if raw == "-":
            continue
        if os.path.isdir(raw):
            folders: Iterable[str] = _walk(raw)
        elif os.path.isfile(raw):
            folders = [os.path.dirname(raw) or "."]
        else:
            continue
        for folder in folders:
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
            k = read_kustomization(folder, os.path.normpath(folder))
            if k is not None:
                out.append(k)
    return out


def layout(paths: Iterable[str]) -> Layout:
    """The builds of the kustomization roots of the inputs, and the patch files."""
    found = found_in(paths)
    known = {k.folder: k for k in found}
    _follow(known)
    listed: set[str] = set()
    resources: set[str] = set()
    patches: set[str] = set()
    for k in known.values():
        listed.update(k.folders)
        resources.update(k.files)
        patches.update(k.patches)
    roots = sorted((k for k in found if k.folder not in listed), key=lambda k: k.shown)
    # a set of kustomizations listing each other in a ring has no root: kustomize refuses it
    builds = [Build(root, _files_of(root, known)) for root in roots]
    return Layout(builds, patches - resources)


def _follow(known: dict[str, Kustomization]) -> None:
    """Read the kustomizations the known ones list, transitively (also outside the inputs)."""
    todo = [f for k in known.values() for f in k.folders]
    while todo and len(known) < MAX_KUSTOMIZATIONS:
        folder = todo.pop()
        if folder in known:
            continue
        k = read_kustomization(folder, os.path.relpath(folder))
        if k is None:
            continue  # kustomize refuses a listed folder without a kustomization
        known[folder] = k
        todo.extend(k.folders)


def _files_of(
    root: Kustomization, known: dict[str, Kustomization]
) -> dict[str, SetNamespace | None]:
    out: dict[str, SetNamespace | None] = {}
    visiting: set[str] = set()

    def visit(k: Kustomization, outer: SetNamespace | None) -> None:
        if k.folder in visiting:
            return  # a loop: kustomize refuses it
        visiting.add(k.folder)
        namespace = outer or k.namespace  # the outermost namespace wins
        for path in k.files:
            out.setdefault(path, namespace)
        for folder in k.folders:
            sub = known.get(folder)
            if sub is not None:
                visit(sub, namespace)
        visiting.discard(k.folder)

    visit(root, None)
    return out


def namespaces_for(files: Sequence[str], build: Build) -> dict[str, SetNamespace]:
    """The files (as named) that `build` puts into a namespace, with that namespace."""
    out: dict[str, SetNamespace] = {}
    for name in files:
        set_by = build.files.get(os.path.realpath(name))
        if set_by is not None:
            out[name] = set_by
    return out
