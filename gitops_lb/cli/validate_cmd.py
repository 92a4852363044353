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
    _options.add_site_paths(p, help=None)
    p.add_argument(
        "--staged",
        action="store_true",
        help="read the site specs from the Git index (what `git commit` records)",
    )
    _options.add_format(p)
    _options.add_rule_options(p)
    _options.add_baseline_options(p)
    _options.add_cache_option(p)


def run(args: argparse.Namespace) -> int:
    _options.check_site_args(args, "validate", "site spec files and folders")
    result = _options.check_site_specs(args, staged=args.staged)
    if not args.staged:  # the fixes of the working tree's files (`gitops-lb fix`)
        from gitops_lb.cli.fix_cmd import show_fixes

        show_fixes(result, args)
    return _options.finish(result, args, "validate")
