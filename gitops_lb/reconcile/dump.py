"""The live state from `--live FILE...`: the output of `kubectl get ... -o yaml` (a `List`, or
several documents), in one or many files (or - for standard input).

A dump stands for the whole cluster: a kind reconcile reads that the dump does not hold counts
as having no objects. Objects are filtered as the API reader reads them: MetalLB's kinds in
MetalLB's namespace only, the ACP plugin object only when the desired state needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gitops_lb.diagnostics import Location
from gitops_lb.errors import GitopsLbError
from gitops_lb.reconcile.state import (
    BY_KIND,
    PLUGIN,
    PLUGIN_NAME,
    LiveState,
    Resource,
    name_of,
    namespace_of,
    objects_in,
)
from gitops_lb.yamlload import load_paths, plain


def resource_of(obj: dict[str, Any]) -> Resource | None:
    """The resource reconcile reads that `obj` is (any served version of it), or None."""
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    res = BY_KIND.get(kind) if isinstance(kind, str) else None
    if res is None or not isinstance(api_version, str):
        return None
    group = api_version.rpartition("/")[0]
    return res if group == res.group else None


def read_dump(paths: Sequence[str], namespace: str, *, plugin: bool) -> LiveState:
    """Raises GitopsLbError (exit status 3) when a file cannot be read or parsed."""
    files = load_paths(paths)
    problems = [
        f"{issue.location}: {issue.message}"
        for lf in files
        for issue in lf.issues
        if issue.rule in ("file-unreadable", "file-encoding", "yaml-syntax", "yaml-too-complex")
    ]
    if problems:
        raise GitopsLbError("cannot read the live state: " + "; ".join(problems))
    if not any(doc.data is not None for lf in files for doc in lf.documents):
        where = ", ".join(str(Location("<stdin>" if f.path == "-" else f.path)) for f in files)
        raise GitopsLbError(
            f"cannot read the live state: {where}: no object at all (`kubectl get -o yaml` "
            "prints a List even when nothing matches; did the command fail?)"
        )
    state = LiveState(source="dump " + ", ".join(paths), namespace=namespace)
    for lf in files:
        for doc in lf.documents:
            for obj in objects_in(plain(doc.data)):
                res = resource_of(obj)
                if res is None:
                    continue
                if res.scope == "metallb" and (namespace_of(obj) or namespace) != namespace:
                    continue  # MetalLB reads only its own namespace; so does the API reader
                if res is PLUGIN and (not plugin or name_of(obj) != PLUGIN_NAME):
                    continue
                state.add(res.kind, obj)
    return state
