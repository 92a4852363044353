"""Check Kubernetes manifests (MetalLB objects, Services, Nodes, Namespaces, Secrets).

PATH is a file, a folder (every *.yaml / *.yml below it) or - for standard input, e.g. the
output of `kustomize build` or `helm template`. Each kustomization root among the inputs (a
folder with a kustomization.yaml that no other kustomization given lists, such as a compiled
cluster folder) is checked as one cluster with the files it lists; the files no kustomization
lists are one more cluster, and standard input one more. A kustomization's `namespace:` applies
to the objects it builds, as in `kustomize build`. --one-cluster checks all inputs together as
one cluster's configuration.
"""

from __future__ import annotations

import argparse

from gitops_lb.cli import _messages, _options

HELP = "check MetalLB manifests"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--one-cluster",
        action="store_true",
        help="check all inputs as one cluster (default: one per kustomization root)",
    )
    _options.add_format(p)
    _options.add_rule_options(p)
    _options.add_baseline_options(p)
    _options.add_lint_options(p)


def run(args: argparse.Namespace) -> int:
    from gitops_lb.diagnostics import Result
    from gitops_lb.inputs import group_files, grouping_note, lint_groups
    from gitops_lb.yamlload import load_paths

    _options.check_rules_exist(args.disable)
    _options.check_mode_version(args)
    if args.paths.count("-") > 1:
        from gitops_lb.errors import UsageError

        raise UsageError("standard input (-) can be given only once")
    files = load_paths(args.paths)
    groups = group_files(args.paths, files, one_cluster=args.one_cluster)
    result = Result(files=len(files))
    result.fatal = any(issue.fatal for lf in files for issue in lf.issues)
    result.directives = [d for lf in files for d in lf.directives]
    result.extend(
        lint_groups(
            groups,
            namespace=args.namespace,
            bgp_mode=args.bgp_mode,
            metallb_version=_options.version_or_default(args),
            compat=args.metallb_compat,
            disabled=args.disable,
        )
    )
    note = grouping_note(groups)
    if note is not None:
        _messages.say(note)
    return _options.finish(result, args, "lint")
