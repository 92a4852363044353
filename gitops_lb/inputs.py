"""Repository-shaped input for `lint`: the clusters among the files of a repository.

Each kustomization root is a cluster of its own (gitops_lb.kustomize says what a root builds,
so a compiled cluster folder, which has its kustomization.yaml, is one); the files no
kustomization lists form one more cluster, and standard input one more.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gitops_lb import kustomize
from gitops_lb.config import DEFAULT_NAMESPACE, ClusterConfig, SetNamespace
from gitops_lb.diagnostics import Diagnostic
from gitops_lb.manifests import config_from_files
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION
from gitops_lb.metallb.versions import Version
from gitops_lb.rules import run_rules
from gitops_lb.yamlload import LoadedFile

NO_OBJECTS = "input-no-objects"
STDIN = "<stdin>"  # the name yamlload gives standard input


@dataclass(eq=False, slots=True)
class Group:
    """Input files checked together as one cluster's configuration."""

    label: str  # the kustomization root's folder, "standard input", or "" (no kustomization)
    files: list[LoadedFile] = field(default_factory=list)
    namespaces: dict[str, SetNamespace] = field(default_factory=dict)  # file -> kustomize's
    objects: bool = False  # holds an object lint reads (set by lint_groups)

    @property
    def shown(self) -> str:
        if self.label in ("", "standard input"):
            return self.label or "the files no kustomization lists"
        return self.label.rstrip("/") + "/"


def group_files(
    paths: Sequence[str], files: Sequence[LoadedFile], *, one_cluster: bool = False
) -> list[Group]:
    """The clusters among the files read from `paths`, in a stable order (roots by folder,
    then the files outside every kustomization, then standard input). With one_cluster, all
    files are one group; the namespaces kustomizations set still apply (the first root's, for
    a file two roots list). The kustomization files themselves, and the files kustomizations
    use only as patches, are read for their YAML only (their documents are dropped: they are
    kustomize's configuration and changes to objects, not objects)."""
    found = kustomize.layout(paths)
    builds = found.builds
    for lf in files:  # kustomize's own files and patches are not objects
        if os.path.basename(lf.path) in kustomize.KUSTOMIZATION_FILES or (
            found.patches and os.path.realpath(lf.path) in found.patches
        ):
            lf.documents.clear()
    if one_cluster:
        names = [lf.path for lf in files if lf.path != STDIN]
        namespaces: dict[str, SetNamespace] = {}
        for build in builds:
            for name, set_by in kustomize.namespaces_for(names, build).items():
                namespaces.setdefault(name, set_by)
        return [Group("", list(files), namespaces)]
    groups: list[Group] = [Group(build.root.shown) for build in builds]
    loose, stdin = Group(""), Group("standard input")
    for lf in files:
        if lf.path == STDIN and "-" in paths:
            stdin.files.append(lf)
            continue
        real = os.path.realpath(lf.path)
        member = False
        for build, group in zip(builds, groups, strict=True):
            if real in build.files:
                member = True
                group.files.append(lf)
                given = build.files[real]
                if given is not None:
                    group.namespaces[lf.path] = given
        if not member:
            loose.files.append(lf)
    return [g for g in (*groups, loose, stdin) if g.files]


def lint_groups(
    groups: Sequence[Group],
    *,
    namespace: str = DEFAULT_NAMESPACE,
    bgp_mode: str | None = None,
    metallb_version: Version = DEFAULT_VERSION,
    compat: bool = False,
    disabled: Iterable[str] = (),
) -> list[Diagnostic]:
    """Every rule on each group, findings made once (a base two roots list is read twice)."""
    found: set[Diagnostic] = set()
    configs = [
        config_from_files(
            g.files,
            namespace=namespace,
            bgp_mode=bgp_mode,
            metallb_version=metallb_version,
            kustomized=g.namespaces,
        )
        for g in groups
    ]
    anything = any(NO_OBJECTS not in cfg.intake for cfg in configs)
    for group, cfg in zip(groups, configs, strict=True):
        group.objects = has_objects(cfg)
        if len(configs) > 1 and (anything or cfg is not configs[0]):
            cfg.intake.pop(NO_OBJECTS, None)  # said once, and only when no group has objects
        found.update(run_rules(cfg, compat=compat, disabled=disabled))
    return sorted(found, key=Diagnostic.sort_key)


def has_objects(cfg: ClusterConfig) -> bool:
    return any(
        (
            cfg.pools,
            cfg.l2advs,
            cfg.bgpadvs,
            cfg.peers,
            cfg.bfdprofiles,
            cfg.communities,
            cfg.services,
            cfg.nodes,
            cfg.namespaces,
            cfg.secrets,
        )
    )


def grouping_note(groups: Sequence[Group], limit: int = 8) -> str | None:
    """One line naming the clusters checked apart, when there is more than one."""
    counted = [g for g in groups if g.objects]
    if len(counted) < 2:
        return None
    names = [g.shown for g in counted]
    shown = ", ".join(names[:limit]) + (
        f" and {len(names) - limit} more" if len(names) > limit else ""
    )
    return (
        f"checked {len(counted)} clusters apart, one per kustomization root ({shown}); "
        "--one-cluster checks all inputs as one"
    )
