"""Show what the fleet holds now: per pool its size from Git and what MetalLB's IPAddressPool
status says is assigned and available (MetalLB 0.15 or later; "unknown" before) and the
Services in it; per Service its addresses and the node that announces it (ServiceL2Status)
or the peers it is announced to (ServiceBGPStatus), checked against the speaker plan; and
MetalLB's ConfigurationState verdicts.

The live state of each cluster of the site specs (or of --cluster SITE/CLUSTER) comes from
--live-dir DIR, where DIR/SITE/CLUSTER/*.yaml holds its `kubectl get -o yaml` output, or from
the Kubernetes API through the cluster's kubeconfig context (clusters[].context, default the
context named like the cluster; --kubeconfig as kubectl). Read-only.

Exit status: 0 nothing to report; 1 a pool family used above --warn-used, an announcer the plan
does not allow, or a ConfigurationState error; 2 usage error; 3 a cluster (or part of its live
state) could not be read, the other clusters still reported.

Like reconcile, status stops only at site specs that cannot be read (syntax, schema): what
`validate` would say of them besides is its business, and the fleet is shown as it is.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from gitops_lb.cli import _options

if TYPE_CHECKING:
    from gitops_lb.diagnostics import Result
    from gitops_lb.reconcile.state import LiveState
    from gitops_lb.site.models import Site
    from gitops_lb.site.target import ClusterTarget

HELP = "show pool use, announcers and MetalLB's verdicts in the live clusters"


def _percent(text: str) -> float:
    from gitops_lb.status import parse_percent

    try:
        return parse_percent(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a percentage from 0 to 100: {text!r} (e.g. 80% or 80)"
        ) from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 3600 seconds")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    _options.add_site_paths(p)
    p.add_argument("--cluster", metavar="SITE/CLUSTER", help="only this cluster")
    p.add_argument(
        "--live-dir",
        metavar="DIR",
        help="read each cluster's live state from DIR/SITE/CLUSTER/*.yaml (kubectl get -o yaml)",
    )
    p.add_argument("--kubeconfig", metavar="FILE", help="default: $KUBECONFIG, ~/.kube/config")
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="give up on an API request not answered within this long (default 30)",
    )
    p.add_argument(
        "--warn-used",
        type=_percent,
        default=80.0,
        metavar="PERCENT",
        help="warn about a pool family whose use is above this (default 80%%; 80%% or 80)",
    )
    p.add_argument(
        "--format", "-f", choices=("text", "json", "markdown"), default="text", help="output format"
    )


def run(args: argparse.Namespace) -> int:
    import json

    from gitops_lb import status
    from gitops_lb.errors import GitopsLbError, UsageError
    from gitops_lb.site.target import select

    if args.live_dir and args.kubeconfig:
        raise UsageError("--live-dir reads dumps, --kubeconfig the API: not both")
    result, targets, _ = read_site_specs(args.paths, "status")
    if result is not None:
        return _options.emit(result, "json" if args.format == "json" else "text", "status")
    chosen = sorted(select(targets, args.cluster), key=lambda t: t.id)
    if args.cluster and not chosen:
        known = ", ".join(t.id for t in targets) or "none"
        raise UsageError(f"no cluster {args.cluster} in the site specs (clusters: {known})")
    report = status.StatusReport(args.warn_used)
    for target in chosen:
        try:
            live = _read(target, args)
        except GitopsLbError as exc:
            report.clusters.append(status.unreadable(target, str(exc)))
            continue
        report.clusters.append(status.cluster_status(target, live, args.warn_used))
    if args.format == "json":
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(status.render_markdown(report))
    else:
        sys.stdout.write(status.render_text(report))
    return report.exit_status()


def read_site_specs(
    paths: list[str], command: str, *, clusters: bool = True
) -> tuple[Result | None, list[ClusterTarget], list[Site]]:
    """The clusters of the site specs, lowered, and the sites; or the findings that stop
    `command`: the reading ones (syntax, schema) only, as reconcile does. `clusters`: a site
    spec without a cluster is a usage error."""
    from gitops_lb.diagnostics import Result
    from gitops_lb.errors import UsageError
    from gitops_lb.reconcile.desired import intake_diagnostics
    from gitops_lb.site.load import read_expanded, sites_from_files
    from gitops_lb.site.lower import lower_all

    if "-" in paths:
        raise UsageError(f"{command} reads site spec files, not standard input")
    load = sites_from_files(read_expanded(_options.site_inputs(paths)))
    found = intake_diagnostics(load.intake)
    targets = lower_all(load)
    for t in targets:
        found.extend(intake_diagnostics(t.config))
    result = Result(files=len(load.files), fatal=load.fatal)
    result.extend(found)
    sites = [s.site for s in load.sites]
    if result.fatal or result.errors:
        return result, targets, sites
    if clusters and not targets:
        raise UsageError(f"{command}: the site specs declare no cluster")
    return None, targets, sites


def _read(target: ClusterTarget, args: argparse.Namespace) -> LiveState:
    if args.live_dir:
        return _from_dumps(target, args.live_dir)
    return _from_api(target, args.kubeconfig, args.timeout)


def _from_dumps(target: ClusterTarget, live_dir: str) -> LiveState:
    """DIR/SITE/CLUSTER/*.yaml; GitopsLbError when there is no dump or it cannot be read."""
    from gitops_lb.errors import GitopsLbError
    from gitops_lb.reconcile.dump import read_dump
    from gitops_lb.reconcile.livedir import cluster_dump_files, cluster_folder

    site, cluster = target.site.metadata.name, target.cluster.name
    files = cluster_dump_files(live_dir, site, cluster)
    folder = cluster_folder(live_dir, site, cluster)
    if files is None:
        raise GitopsLbError(f"no live state: {folder} does not exist")
    if not files:
        raise GitopsLbError(f"no live state: {folder} holds no .yaml or .yml file")
    return read_dump(files, target.config.namespace, plugin=False)


def _from_api(target: ClusterTarget, kubeconfig: str | None, timeout: float) -> LiveState:
    """What reconcile reads through the cluster's context, plus the ServiceBGPStatus objects
    (which reconcile does not read), in one connection."""
    from gitops_lb.reconcile import live
    from gitops_lb.reconcile.state import ANNOUNCEMENT_RESOURCES

    conn = live.Connection(kubeconfig, target.cluster.context or target.cluster.name, timeout)
    return live.read_live(conn, target.config.namespace, plugin=False, also=ANNOUNCEMENT_RESOURCES)
