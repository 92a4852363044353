"""Check Kubernetes manifests (MetalLB objects, Services, Nodes, Namespaces, Secrets).

PATH is a file, a folder (every *.yaml / *.yml below it) or - for standard input, e.g. the
output of `kustomize build` or `helm template`. All inputs are checked together as one
cluster's configuration.
"""

from __future__ import annotations

import argparse

from gitops_lb.cli import _options

HELP = "check MetalLB manifests"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    _options.add_format(p)
    _options.add_rule_options(p)
    _options.add_lint_options(p)


def run(args: argparse.Namespace) -> int:
    from gitops_lb.diagnostics import Result
    from gitops_lb.manifests import load_manifests
    from gitops_lb.rules import run_rules

    _options.check_rules_exist(args.disable)
    if args.paths.count("-") > 1:
        from gitops_lb.errors import UsageError

        raise UsageError("standard input (-) can be given only once")
    cfg, files = load_manifests(args.paths, namespace=args.namespace, bgp_mode=args.bgp_mode)
    result = Result(files=len(files))
    result.fatal = any(issue.fatal for lf in files for issue in lf.issues)
    result.extend(run_rules(cfg, compat=args.metallb_compat, disabled=args.disable))
    return _options.emit(result, args.format, "lint")
