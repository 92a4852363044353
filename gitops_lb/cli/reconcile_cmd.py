"""Compare one cluster's desired state (Git) with its live state and report the drift.

PATH holds site specs (--cluster SITE/CLUSTER picks the cluster) or the Kubernetes manifests
of one cluster, such as a compiled tree deploy/SITE/CLUSTER. The live state comes from
--live FILE... (`kubectl get ... -o yaml` output, see docs/reconcile.md) or from the
Kubernetes API (--kubeconfig, --context; defaults as kubectl; read-only). Give PATH first:
--live takes every file name after it.

Exit status: 0 in sync (warnings allowed), 1 drift or errors in the desired state, 2 usage
error, 3 could not read (unreachable, forbidden, unknown context, unreadable file, or copies
of one live object that disagree).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from gitops_lb.errors import UsageError

if TYPE_CHECKING:
    from gitops_lb.reconcile.difference import Report

HELP = "compare the desired state with a live cluster"


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 3600 seconds")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--cluster", metavar="SITE/CLUSTER", help="the cluster of the site specs")
    p.add_argument(
        "--live",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="read the live state from `kubectl get -o yaml` output (files, or - for stdin)",
    )
    p.add_argument("--kubeconfig", metavar="FILE", help="default: $KUBECONFIG, ~/.kube/config")
    p.add_argument("--context", metavar="NAME", help="kubeconfig context (default: current)")
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
    from gitops_lb.reconcile import drift
    from gitops_lb.reconcile.desired import load_desired
    from gitops_lb.reconcile.difference import Report

    if args.live and (args.kubeconfig or args.context):
        raise UsageError("--live reads a dump, --kubeconfig/--context the API: not both")
    if [*args.paths, *(args.live or [])].count("-") > 1:
        raise UsageError("standard input (-) can be given only once")
    desired, files = load_desired(
        args.paths,
        cluster=args.cluster,
        namespace=args.namespace,
        metallb_version=args.metallb_version,
    )
    report = Report(desired.cluster, "(not read)", diagnostics=desired.diagnostics, files=files)
    if not report.invalid:
        namespace = desired.config.namespace
        if args.live:
            from gitops_lb.reconcile.dump import read_dump

            state = read_dump(
                args.live, namespace, plugin=desired.plugin, services=desired.service_keys()
            )
        else:
            from gitops_lb.reconcile.live import Connection, read_live

            conn = Connection(args.kubeconfig, args.context, args.timeout)
            state = read_live(conn, namespace, plugin=desired.plugin)
        report.source = state.source
        report.differences = drift.compare(desired, state)
        report.notes = drift.notes(state)
    _write(report, args.format)
    return report.exit_status()


def _write(report: Report, fmt: str) -> None:
    from gitops_lb.reconcile.report import write_json, write_text

    (write_json if fmt == "json" else write_text)(report, sys.stdout)
    sys.stdout.flush()
