"""Print the speaker plan: per node, which addresses it may announce, where and to whom.

L2: the pools whose L2Advertisements select the node, on which interfaces. BGP: the pools
whose BGPAdvertisements select the node, to which peers (the peers whose nodeSelectors select
the node, restricted to the advertisement's peers). Plus the memberlist port (TCP and UDP
7946) that must be open between the nodes. The site specs are validated first; with errors,
the errors are printed instead of a plan.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from gitops_lb.cli import _options

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

HELP = "print what each node announces (L2 interfaces, BGP peers)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    _options.add_site_paths(p)
    _options.add_cluster(p, help="only this cluster")
    p.add_argument(
        "--format",
        "-f",
        choices=_options.REPORT_FORMATS,
        default="text",
        help="the plan, and the findings when the site specs have errors, as text (default) or "
        "JSON (the JSON report of validate); SARIF, JUnit and GitHub reports come from "
        "`validate`, which checks the same (docs/cli.md)",
    )
    add_filter_arguments(p)
    _options.add_rule_options(p)


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    for flag, what in (
        ("--node", "NAME: only the nodes matching NAME"),
        ("--pool", "NAME: only what is announced of the pools matching NAME"),
        ("--service", "NS/NAME: only what is announced of the pool of the Services matching"),
    ):
        metavar, _, text = what.partition(": ")
        p.add_argument(
            flag,
            action="append",
            default=[],
            metavar=metavar,
            help=f"{text} (repeatable; shell-style patterns such as 'rack1-*')",
        )
    layout = p.add_mutually_exclusive_group()
    layout.add_argument(
        "--full", action="store_true", help="every node in full, however many there are"
    )
    layout.add_argument(
        "--compact",
        action="store_true",
        help="one table row per set of nodes that announce the same (default above 20 nodes)",
    )


def run(args: argparse.Namespace) -> int:
    import json

    from gitops_lb.errors import UsageError
    from gitops_lb.report import json_header
    from gitops_lb.site.target import select

    _options.check_site_args(args, "plan")
    loaded = _options.load_site_specs(args)
    result = loaded.result
    if result.fatal or result.errors:
        return _options.emit(result, args.format, "plan")
    chosen = select(loaded.targets, args.cluster)
    if args.cluster and not chosen:
        known = ", ".join(t.id for t in loaded.targets) or "none"
        raise UsageError(f"no cluster {args.cluster} in the site specs (clusters: {known})")
    check_filters(chosen, args)
    plans = [filtered(t, args) for t in sorted(chosen, key=lambda t: t.id)]
    if args.format == "json":
        doc = {**json_header("plan"), "plans": plans}
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write("\n".join(rendered(p, args) for p in plans))
    return 0


def filtered(target: ClusterTarget, args: argparse.Namespace) -> dict[str, Any]:
    """The plan of a cluster narrowed by --node, --pool and --service."""
    from gitops_lb.compile.plan import filter_plan, service_pools, speaker_plan

    plan = speaker_plan(target)
    pools: set[str] | None = None
    if args.pool:
        pools = {n for n in _pool_names(target) if matches(n, args.pool)}
    if args.service:
        held = service_pools(target, args.service) or set()
        pools = held if pools is None else pools & held
    if not args.node and pools is None:
        return plan
    return filter_plan(plan, nodes=args.node, pools=pools)


def _pool_names(target: ClusterTarget) -> list[str]:
    return [p.name for p in target.config.pools if p.model is not None]


def matches(name: str, patterns: list[str]) -> bool:
    from gitops_lb.compile.plan import matches as match

    return match(name, patterns)


def check_filters(targets: list[ClusterTarget], args: argparse.Namespace) -> None:
    """A pattern that matches nothing in the chosen clusters is a usage error (a typo would
    otherwise print an empty plan)."""
    from gitops_lb.compile.plan import service_pools
    from gitops_lb.errors import UsageError

    names = {
        "--node": [n.name for t in targets for n in t.cluster.nodes],
        "--pool": [n for t in targets for n in _pool_names(t)],
    }
    for flag, known in names.items():
        for pattern in getattr(args, flag[2:]):
            if not any(matches(n, [pattern]) for n in known):
                raise UsageError(f"{flag} {pattern!r} matches no {flag[2:]} of the clusters chosen")
    for pattern in args.service:
        if all(service_pools(t, [pattern]) is None for t in targets):
            raise UsageError(
                f"--service {pattern!r} matches no Service (NAMESPACE/NAME) of the clusters chosen"
            )


def rendered(plan: dict[str, Any], args: argparse.Namespace) -> str:
    """Full or compact: as asked, else compact above COMPACT_NODES nodes, or, on a terminal,
    when the full text would not fit its height (never so when the output is not a terminal,
    so that a pipe or a file always gets the same bytes)."""
    import shutil

    from gitops_lb.compile.plan import COMPACT_NODES, render_compact, render_text

    if args.full:
        return render_text(plan)
    if args.compact or len(plan["nodes"]) > COMPACT_NODES:
        return render_compact(plan)
    text = render_text(plan)
    if sys.stdout.isatty() and text.count("\n") > shutil.get_terminal_size().lines:
        return render_compact(plan)
    return text
