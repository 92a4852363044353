"""Check site specs: everything MetalLB would reject in the compiled objects, the mistakes it
accepts silently, and the site rules (pools against networks, nodes and other clusters).

PATH is a file or a folder (every *.yaml / *.yml below it). All site specs given are checked
together, so overlaps between clusters of different files are found. With --staged the files
are read from the Git index instead of the working tree: what the next commit records (the
pre-commit hook uses it); findings then name files by their path in the repository.
"""

from __future__ import annotations

import argparse

from gitops_lb.cli import _options

HELP = "check site specs"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--staged",
        action="store_true",
        help="read the site specs from the Git index (what `git commit` records)",
    )
    _options.add_format(p)
    _options.add_rule_options(p)


def run(args: argparse.Namespace) -> int:
    from gitops_lb.site.validate import check_paths

    _options.check_rules_exist(args.disable)
    if "-" in args.paths:
        from gitops_lb.errors import UsageError

        raise UsageError("validate reads site spec files and folders, not standard input")
    options = {"compat": args.metallb_compat, "disabled": args.disable}
    if args.staged:
        from gitops_lb.gitio import staged_files
        from gitops_lb.site.validate import check_files

        result = check_files(staged_files(args.paths), **options)
    else:
        result = check_paths(args.paths, **options)
    return _options.emit(result, args.format, "validate")
