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
from collections.abc import Mapping
from typing import TYPE_CHECKING

from gitops_lb.cli import _messages, _options

if TYPE_CHECKING:
    from gitops_lb.diagnostics import Result

HELP = "check MetalLB manifests"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_lint_arguments(p)
    _options.add_baseline_options(p)
    p.add_argument(
        "--fix",
        action="store_true",
        help="first make the fixes `gitops-lb fix` makes, then report what remains",
    )
    add_unsafe_fixes(p)


def add_lint_arguments(p: argparse.ArgumentParser, *, report: bool = True) -> None:
    """What lint and fix read: the paths, the grouping and the rule options (and lint's
    report format)."""
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--one-cluster",
        action="store_true",
        help="check all inputs as one cluster (default: one per kustomization root)",
    )
    if report:
        _options.add_format(p)
    _options.add_rule_options(p)
    _options.add_lint_options(p)


def add_unsafe_fixes(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also make the fixes that change what MetalLB does (docs/fixes.md)",
    )


def check_args(args: argparse.Namespace) -> None:
    _options.check_rules_exist(args.disable)
    _options.check_mode_version(args)
    if args.paths.count("-") > 1:
        from gitops_lb.errors import UsageError

        raise UsageError("standard input (-) can be given only once")


def lint_result(
    args: argparse.Namespace, texts: Mapping[str, str] | None = None, *, note: bool = True
) -> Result:
    """The findings of the inputs (before suppressions); `texts` replaces the text of the
    files it names (the fixes made so far, not yet written)."""
    from gitops_lb.diagnostics import Result
    from gitops_lb.inputs import group_files, grouping_note, lint_groups
    from gitops_lb.yamlload import load_paths, load_text

    files = load_paths(args.paths)
    if texts:
        files = [load_text(texts[lf.path], lf.path) if lf.path in texts else lf for lf in files]
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
    message = grouping_note(groups)
    if note and message is not None:
        _messages.say(message)
    return result


def run(args: argparse.Namespace) -> int:
    from gitops_lb.cli import fix_cmd

    check_args(args)
    if args.fix:
        if "-" in args.paths:
            from gitops_lb.errors import UsageError

            raise UsageError("lint --fix rewrites files, not standard input")
        fix_cmd.fix_files(args, diff=False, quiet=True)
    result = lint_result(args)
    fix_cmd.show_fixes(result, args)
    return _options.finish(result, args, "lint")
