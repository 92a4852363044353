"""The desired state of one cluster: a lowered site spec cluster, or Kubernetes manifests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gitops_lb.config import DEFAULT_NAMESPACE, ClusterConfig
from gitops_lb.diagnostics import Diagnostic, Location
from gitops_lb.errors import GitopsLbError, UsageError
from gitops_lb.manifests import config_from_files
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION
from gitops_lb.metallb.versions import Version
from gitops_lb.reconcile.state import objects_in
from gitops_lb.rules import all_rules, run_rules
from gitops_lb.site.load import sites_from_files
from gitops_lb.site.lower import lower_all
from gitops_lb.site.target import ClusterTarget
from gitops_lb.yamlload import LoadedFile, LocMap, load_paths, locate


@dataclass(eq=False)
class Desired:
    """What Git says one cluster should hold."""

    cluster: str  # "site/cluster", or the manifest paths
    config: ClusterConfig
    plugin: bool = False  # ACP: the `metallb` ClusterPluginInstance must exist
    plugin_location: Location | None = None  # where Git asks for it
    # Services declared with `emit: false`: reservations whose Service lives elsewhere
    reserved: frozenset[tuple[str, str]] = frozenset()
    diagnostics: list[Diagnostic] = field(default_factory=list)  # problems reading Git
    # a site spec cluster: its site and name (where --live-dir keeps its dump) and the
    # kubeconfig context the site spec names for it (clusters[].context)
    site: str | None = None
    name: str | None = None
    context: str | None = None

    def service_keys(self) -> frozenset[tuple[str, str]]:
        """(namespace, name) of every Service Git declares, as reconcile looks them up."""
        return frozenset((s.namespace or "default", s.name) for s in self.config.services)


def from_target(target: ClusterTarget) -> Desired:
    reserved = frozenset((s.namespace, s.name) for s in target.cluster.services if not s.emit)
    (line, col), _ = locate(target.site_doc, ("spec", "platform"))
    return Desired(
        cluster=target.id,
        config=target.config,
        plugin=target.site.spec.platform == "acp",
        plugin_location=Location(target.file, line, col),
        reserved=reserved,
        site=target.site.metadata.name,
        name=target.cluster.name,
        context=target.cluster.context,
    )


def from_manifests(files: list[LoadedFile], cfg: ClusterConfig, label: str) -> Desired:
    """Manifests (a compiled tree, or hand-written ones): the ACP plugin is required when
    they hold the `metallb` ClusterPluginInstance."""
    where = plugin_declared(files)
    return Desired(cluster=label, config=cfg, plugin=where is not None, plugin_location=where)


def plugin_declared(files: Iterable[LoadedFile]) -> Location | None:
    """Where the manifests hold the `metallb` ClusterPluginInstance, if they do."""
    for lf in files:
        for doc in lf.documents:
            for obj in objects_in(doc.data):
                spec = obj.get("spec")
                if (
                    isinstance(obj, LocMap)
                    and obj.get("kind") == "ClusterPluginInstance"
                    and str(obj.get("apiVersion", "")).startswith("cluster.alauda.io/")
                    and isinstance(spec, dict)
                    and spec.get("pluginName") == "metallb"
                ):
                    return Location(doc.file, *obj.pos)
    return None


def intake_diagnostics(cfg: ClusterConfig) -> list[Diagnostic]:
    """The findings made while reading (syntax, schema...), through the rule registry."""
    return run_rules(cfg, disabled=[r for r in all_rules() if r not in cfg.intake])


def read_inputs(paths: Sequence[str]) -> tuple[list[LoadedFile], bool]:
    """The files of `paths` and whether they hold site specs (else: manifests of one cluster).

    Raises GitopsLbError (exit status 3) for unreadable inputs.
    """
    files = load_paths(paths)
    fatal = [f"{i.location}: {i.message}" for lf in files for i in lf.issues if i.fatal]
    if fatal:
        raise GitopsLbError("cannot read the desired state: " + "; ".join(fatal))
    return files, any(_is_site(doc.data) for lf in files for doc in lf.documents)


def load_desired(
    paths: Sequence[str],
    *,
    cluster: str | None,
    namespace: str | None,
    metallb_version: Version | None = None,
) -> tuple[Desired, int]:
    """The desired state of one cluster from site specs or manifests, and the file count.

    Raises GitopsLbError (exit status 3) for unreadable inputs and UsageError for a
    --cluster that the site specs do not hold. Findings in the inputs are returned in
    Desired.diagnostics (the caller compares nothing when one is an error).
    """
    files, site = read_inputs(paths)
    if site:
        refuse_manifest_options(namespace, metallb_version)
        return from_site_files(files, cluster), len(files)
    return from_manifest_files(files, paths, cluster, namespace, metallb_version), len(files)


def refuse_manifest_options(namespace: str | None, metallb_version: Version | None) -> None:
    if namespace is not None:
        raise UsageError("--namespace is for manifests; a site spec sets metallb.namespace")
    if metallb_version is not None:
        raise UsageError("--metallb-version is for manifests; a site spec sets metallb.version")


def from_manifest_files(
    files: list[LoadedFile],
    paths: Sequence[str],
    cluster: str | None,
    namespace: str | None,
    metallb_version: Version | None,
) -> Desired:
    cfg = config_from_manifests(
        files, namespace or DEFAULT_NAMESPACE, metallb_version or DEFAULT_VERSION
    )
    desired = from_manifests(files, cfg, cluster or ", ".join(paths))
    desired.diagnostics = intake_diagnostics(cfg)
    return desired


@dataclass(eq=False)
class FleetDesired:
    """What Git says every cluster of the site specs should hold, in cluster id order.

    `diagnostics` are the findings in the site specs (all of them, once); `invalid` holds the
    clusters whose site spec file has an error: they are not compared.
    """

    clusters: list[Desired]
    diagnostics: list[Diagnostic]
    invalid: frozenset[str]


def fleet_from_site_files(files: list[LoadedFile]) -> FleetDesired:
    loaded = sites_from_files(files)
    diagnostics = intake_diagnostics(loaded.intake)
    targets = lower_all(loaded)
    for t in targets:
        diagnostics.extend(intake_diagnostics(t.config))
    broken = {d.location.file for d in diagnostics if str(d.severity) == "error"}
    ids = [t.id for t in targets]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:  # which of them is live is not known (one dump folder, one context)
        raise GitopsLbError(
            f"cluster {twice[0]} is declared more than once in the site specs "
            "(`gitops-lb validate` says where)"
        )
    if not targets and not broken:
        raise UsageError("the site specs declare no cluster")
    clusters = sorted((from_target(t) for t in targets), key=lambda d: d.cluster)
    invalid = frozenset(t.id for t in targets if t.file in broken)
    return FleetDesired(clusters, diagnostics, invalid)


def config_from_manifests(
    files: list[LoadedFile], namespace: str, metallb_version: Version = DEFAULT_VERSION
) -> ClusterConfig:
    return config_from_files(files, namespace=namespace, metallb_version=metallb_version)


def _is_site(data: object) -> bool:
    if not isinstance(data, LocMap):
        return False
    api = data.get("apiVersion")
    return data.get("kind") == "Site" or (
        isinstance(api, str) and api.partition("/")[0] == "gitops-lb.io"
    )


def from_site_files(files: list[LoadedFile], cluster: str | None) -> Desired:
    loaded = sites_from_files(files)
    diagnostics = intake_diagnostics(loaded.intake)
    targets = lower_all(loaded)
    for t in targets:
        diagnostics.extend(intake_diagnostics(t.config))
    if any(str(d.severity) == "error" for d in diagnostics):
        return Desired(cluster or "(site specs)", ClusterConfig(), diagnostics=diagnostics)
    target = pick_target(targets, cluster)
    desired = from_target(target)
    desired.diagnostics = diagnostics
    return desired


def pick_target(targets: list[ClusterTarget], wanted: str | None) -> ClusterTarget:
    ids = [t.id for t in targets]
    if not targets:
        raise UsageError("the site specs declare no cluster")
    if wanted is None:
        if len(targets) == 1:
            return targets[0]
        raise UsageError(f"pass --cluster SITE/CLUSTER (one of: {', '.join(ids)})")
    found = [t for t in targets if wanted in (t.id, t.cluster.name)]
    if len(found) != 1:
        what = "is ambiguous" if found else "is not in the site specs"
        raise UsageError(f"cluster {wanted!r} {what} (clusters: {', '.join(ids)})")
    return found[0]
