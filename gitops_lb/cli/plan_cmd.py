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

from gitops_lb.cli import _options

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
    _options.add_rule_options(p)


def run(args: argparse.Namespace) -> int:
    import json

    from gitops_lb import __version__
    from gitops_lb.compile.plan import render_text, speaker_plan
    from gitops_lb.errors import UsageError
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
    plans = [speaker_plan(t) for t in sorted(chosen, key=lambda t: t.id)]
    if args.format == "json":
        doc = {"tool": "gitops-lb", "version": __version__, "plans": plans}
        sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    else:
        sys.stdout.write("\n".join(render_text(p) for p in plans))
    return 0
