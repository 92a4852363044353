"""Compare the desired state (Git) with the live state of clusters and report the drift.

PATH holds site specs or the Kubernetes manifests of one cluster, such as a compiled tree
deploy/SITE/CLUSTER. Without --cluster, every cluster of the site specs is checked: the live
states come from --live-dir DIR (DIR/SITE/CLUSTER/*.yaml) or from the Kubernetes API, each
cluster through its kubeconfig context (clusters[].context, else the context named like the
cluster), --jobs at a time; the report ends with a table of the clusters. --cluster
SITE/CLUSTER checks one, as do manifests: the live state comes from --live FILE...
(`kubectl get ... -o yaml` output, see docs/reconcile.md), --live-dir, or the API
(--kubeconfig, --context; defaults as kubectl; read-only). Give PATH first: --live takes
every file name after it.

Exit status: 0 in sync (warnings allowed), 1 drift or errors in the desired state, 2 usage
error, 3 could not read a cluster (unreachable, forbidden, unknown context, unreadable or
missing dump, or copies of one live object that disagree).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from gitops_lb.cli import _messages
from gitops_lb.errors import UsageError

if TYPE_CHECKING:
    from gitops_lb.reconcile.desired import Desired, FleetDesired
    from gitops_lb.reconcile.difference import Report

HELP = "compare the desired state with the live clusters"
DEFAULT_JOBS = 8  # gitops_lb.reconcile.fleet.DEFAULT_JOBS (not imported: --help stays light)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 3600 seconds")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--cluster",
        metavar="SITE/CLUSTER",
        help="the one cluster of the site specs to check (default: every cluster)",
    )
    p.add_argument(
        "--live-dir",
        metavar="DIR",
        help="read each cluster's live state from DIR/SITE/CLUSTER/*.yaml (`kubectl get -o "
        "yaml` output; see docs/reconcile.md)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help=f"read N clusters at a time (default: the clusters, at most {DEFAULT_JOBS})",
    )
    p.add_argument(
        "--live",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="read the live state from `kubectl get -o yaml` output (files, or - for stdin)",
    )
    p.add_argument("--kubeconfig", metavar="FILE", help="default: $KUBECONFIG, ~/.kube/config")
    p.add_argument(
        "--context",
        metavar="NAME",
        help="kubeconfig context of the one cluster checked (default: clusters[].context of "
        "the site spec, else the current context)",
    )
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="give up on an API request not answered completely within this long (default "
        "30); the whole read gives up after 10 times as long",
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument(
        "--namespace",
        default=None,
        help="MetalLB's namespace when PATH holds manifests (default metallb-system)",
    )
    from gitops_lb.cli import _options
    from gitops_lb.metallb import versions

    _options.add_metallb_version(
        p,
        help="the MetalLB release when PATH holds manifests (default "
        f"{versions.DEFAULT}; {versions.SUPPORTED}); a site spec sets metallb.version",
    )


def run(args: argparse.Namespace) -> int:
    from gitops_lb.reconcile import desired as desired_mod

    check_options(args)
    files, site = desired_mod.read_inputs(args.paths)
    if not site:
        if args.live_dir:
            raise UsageError(
                "--live-dir holds the dumps of the clusters of site specs; PATH holds "
                "manifests of one cluster: give its dump with --live FILE..."
            )
        desired = desired_mod.from_manifest_files(
            files, args.paths, args.cluster, args.namespace, args.metallb_version
        )
        return reconcile_one(desired, len(files), args)
    desired_mod.refuse_manifest_options(args.namespace, args.metallb_version)
    if args.cluster is not None:
        return reconcile_one(desired_mod.from_site_files(files, args.cluster), len(files), args)
    fleet = desired_mod.fleet_from_site_files(files)
    single = len(fleet.clusters) == 1 and (args.live or args.context)
    if single:  # one cluster and a live state for one: as with --cluster
        return reconcile_one(desired_mod.from_site_files(files, None), len(files), args)
    if args.live:
        raise UsageError(
            f"--live reads the dump of one cluster; the site specs hold {len(fleet.clusters)}: "
            "pass --cluster SITE/CLUSTER, or --live-dir DIR with DIR/SITE/CLUSTER/*.yaml"
        )
    if args.context:
        raise UsageError(
            f"--context names one cluster's context; the site specs hold {len(fleet.clusters)}: "
            "pass --cluster SITE/CLUSTER, or give each cluster its context in the site spec "
            "(clusters[].context; without it the context named like the cluster is used)"
        )
    return reconcile_fleet(fleet, len(files), args)


def check_options(args: argparse.Namespace) -> None:
    if args.live and (args.kubeconfig or args.context):
        raise UsageError("--live reads a dump, --kubeconfig/--context the API: not both")
    if args.live_dir and (args.kubeconfig or args.context):
        raise UsageError("--live-dir reads dumps, --kubeconfig/--context the API: not both")
    if args.live and args.live_dir:
        raise UsageError("--live reads one cluster's dump, --live-dir every cluster's: not both")
    if [*args.paths, *(args.live or [])].count("-") > 1:
        raise UsageError("standard input (-) can be given only once")


def reconcile_one(desired: Desired, files: int, args: argparse.Namespace) -> int:
    """One cluster: today's report."""
    from gitops_lb.reconcile import drift
    from gitops_lb.reconcile.difference import Report

    report = Report(desired.cluster, "(not read)", diagnostics=desired.diagnostics, files=files)
    if not report.invalid:
        namespace = desired.config.namespace
        if args.live or args.live_dir:
            from gitops_lb.reconcile.dump import read_dump
            from gitops_lb.reconcile.fleet import dump_files

            live = args.live or dump_files(desired, args.live_dir)
            state = read_dump(
                live, namespace, plugin=desired.plugin, services=desired.service_keys()
            )
        else:
            from gitops_lb.reconcile.live import Connection, read_live

            context = args.context or desired.context  # the site spec's, else the current
            conn = Connection(args.kubeconfig, context, args.timeout)
            state = read_live(conn, namespace, plugin=desired.plugin)
        report.source = state.source
        report.differences = drift.compare(desired, state)
        report.notes = drift.notes(state)
    _write(report, args.format)
    return report.exit_status()


def reconcile_fleet(fleet: FleetDesired, files: int, args: argparse.Namespace) -> int:
    """Every cluster of the site specs, then the table."""
    from gitops_lb.reconcile import fleet as fleet_mod
    from gitops_lb.reconcile.report import write_fleet_json, write_fleet_text

    source = fleet_mod.Source(args.live_dir, args.kubeconfig, args.timeout)
    jobs = args.jobs or fleet_mod.default_jobs(len(fleet.clusters))
    progress = _messages.Progress() if sys.stderr.isatty() else None
    try:
        outcomes = fleet_mod.reconcile_fleet(fleet, source, jobs, progress)
    finally:
        if progress is not None:
            progress.clear()
    if args.format == "json":
        write_fleet_json(outcomes, fleet.diagnostics, files, sys.stdout)
    else:
        write_fleet_text(outcomes, fleet.diagnostics, sys.stdout)
    sys.stdout.flush()
    invalid = any(str(d.severity) == "error" for d in fleet.diagnostics)
    return fleet_mod.exit_status(outcomes, invalid)


def _write(report: Report, fmt: str) -> None:
    from gitops_lb.reconcile.report import write_json, write_text

    (write_json if fmt == "json" else write_text)(report, sys.stdout)
    sys.stdout.flush()
