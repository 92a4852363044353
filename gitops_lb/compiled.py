"""The trees `gitops-lb compile` wrote, which the commands reading site specs leave alone.

A compiled tree is recognised by its `.gitops-lb-manifest` (gitops_lb.compile.marker), which
lists the files compile wrote. `validate` (and compile, plan, render, reconcile) skip those
files when they walk a folder at or below the tree, or a folder inside it, and say so in one
line per folder. A file the manifest does not list (something a person put there), and a file
named on its own, are read as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from gitops_lb.compile import marker
from gitops_lb.diagnostics import Location
from gitops_lb.yamlload import LoadIssue, expand_paths

NOT_A_SITE = "site-not-a-site"


@dataclass(frozen=True, slots=True)
class CompiledTree:
    """What was skipped of one input folder."""

    folder: str  # the tree, or the folder given inside it (as named)
    files: int  # files of the inputs it holds that compile wrote (skipped)
    root: str | None = None  # the tree's folder, when a folder inside it was given

    @property
    def note(self) -> str:
        what = "the tree `gitops-lb compile` wrote"
        if self.root is not None:
            what = f"part of the tree `gitops-lb compile` wrote in {_slash(self.root)}"
        return (
            f"skipped {_slash(self.folder)}: {what} ({self.files} "
            f"file{'s' * (self.files != 1)}; check it with `gitops-lb lint`)"
        )


def _slash(folder: str) -> str:
    return (folder.rstrip("/") or ".") + "/"


def nothing_but_compiled(trees: Sequence[CompiledTree]) -> LoadIssue:
    """What inputs that hold only compiled trees hold: no site spec (reported by
    site-not-a-site, as for inputs without a site spec, so a wrong path never passes)."""
    return LoadIssue(
        NOT_A_SITE,
        Location(trees[0].folder),
        "no site spec (kind: Site) found in the inputs: "
        + ", ".join(_slash(t.folder) for t in trees)
        + f" hold{'s' * (len(trees) == 1)} only what `gitops-lb compile` wrote",
    )


# --- on disk ------------------------------------------------------------------------------------


def without_compiled(
    paths: Iterable[str],
) -> tuple[list[tuple[str, LoadIssue | None]], list[CompiledTree]]:
    """expand_paths() without the files of the compiled trees in the folders given, and what
    was skipped of each folder."""
    kept: list[tuple[str, LoadIssue | None]] = []
    trees: list[CompiledTree] = []
    for raw in paths:
        if raw == "-" or not os.path.isdir(raw):
            kept.extend(expand_paths([raw]))
            continue
        written = dict(_compiled_below(raw))
        above = _compiled_above(raw)
        if above is not None:
            written.setdefault(*above)
        if not written:
            kept.extend(expand_paths([raw]))
            continue
        skipped: dict[str, int] = {}
        for path, problem in expand_paths([raw]):
            tree = _owner(os.path.normpath(path), written)
            if tree is None:
                kept.append((path, problem))
            else:
                skipped[tree] = skipped.get(tree, 0) + 1
        for tree, n in sorted(skipped.items()):
            if above is not None and tree == above[0]:
                trees.append(CompiledTree(os.path.normpath(raw), n, tree))
            else:
                trees.append(CompiledTree(tree, n))
    return kept, trees


def _compiled_below(folder: str) -> Iterator[tuple[str, frozenset[str]]]:
    """(tree folder, the paths its manifest lists) for each compiled tree at or below folder,
    in the folders expand_paths walks."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if marker.MANIFEST in filenames:
            listed = marker.written_files(os.path.join(dirpath, marker.MANIFEST))
            if listed is not None:
                yield os.path.normpath(dirpath), listed


def _compiled_above(folder: str) -> tuple[str, frozenset[str]] | None:
    """The compiled tree a folder lies inside (the nearest above it), if any."""
    up = os.path.join(folder, os.pardir)
    seen = {os.path.realpath(folder)}
    while (real := os.path.realpath(up)) not in seen:
        seen.add(real)
        listed = marker.written_files(os.path.join(up, marker.MANIFEST))
        if listed is not None:
            return os.path.normpath(up), listed
        up = os.path.join(up, os.pardir)
    return None


def _owner(path: str, written: Mapping[str, frozenset[str]]) -> str | None:
    """The compiled tree that wrote `path` (the innermost, if trees nest), or None."""
    best: str | None = None
    for tree, listed in written.items():
        rel = os.path.relpath(path, tree)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            continue
        if rel.replace(os.sep, "/") in listed and (best is None or len(tree) > len(best)):
            best = tree
    return best


# --- in the Git index ---------------------------------------------------------------------------


def index_without_compiled(
    files: Sequence[tuple[str, bytes]], manifests: Mapping[str, bytes], prefixes: Sequence[str]
) -> tuple[list[tuple[str, bytes]], list[CompiledTree]]:
    """The same for files read from Git (repository paths; "" is the whole repository):
    `manifests` maps the folder of each `.gitops-lb-manifest` to its content."""
    written: dict[str, frozenset[str]] = {}
    for folder, raw in manifests.items():
        text = raw.decode("utf-8", errors="replace")
        if marker.is_manifest(text):
            written[folder] = marker.listed(text)
    if not written:
        return list(files), []
    kept: list[tuple[str, bytes]] = []
    skipped: dict[tuple[str, str], int] = {}
    for path, data in files:
        prefix = next((p for p in prefixes if _inside(path, p)), None)
        tree = None if prefix is None or path == prefix else _index_owner(path, written)
        if tree is None:
            kept.append((path, data))
        else:
            assert prefix is not None
            skipped[(prefix, tree)] = skipped.get((prefix, tree), 0) + 1
    trees = [
        CompiledTree(prefix, n, tree)
        if _inside(prefix, tree) and prefix != tree
        else CompiledTree(tree or ".", n)
        for (prefix, tree), n in sorted(skipped.items())
    ]
    return kept, trees


def _inside(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def _index_owner(path: str, written: Mapping[str, frozenset[str]]) -> str | None:
    best: str | None = None
    for tree, listed in written.items():
        if not _inside(path, tree) or path == tree:
            continue
        rel = path[len(tree) + 1 :] if tree else path
        if rel in listed and (best is None or len(tree) > len(best)):
            best = tree
    return best


def manifest_folder(path: str) -> str | None:
    """The folder a repository path is the compiled-tree manifest of, or None."""
    p = PurePosixPath(path)
    if p.name != marker.MANIFEST:
        return None
    parent = p.parent.as_posix()
    return "" if parent == "." else parent
