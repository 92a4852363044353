"""Check site specs: everything MetalLB would reject in the compiled objects, the mistakes it
accepts silently, and the site rules (pools against networks, nodes and other clusters).

PATH is a file or a folder (every *.yaml / *.yml below it). All site specs given are checked
together, so overlaps between clusters of different files are found.
"""

from __future__ import annotations

import argparse

from gitops_lb.cli import _options

HELP = "check site specs"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    _options.add_format(p)
    _options.add_rule_options(p)


def run(args: argparse.Namespace) -> int:
    from gitops_lb.site.validate import check_paths

    _options.check_rules_exist(args.disable)
    if "-" in args.paths:
        from gitops_lb.errors import UsageError

        raise UsageError("validate reads site spec files and folders, not standard input")
    result = check_paths(args.paths, compat=args.metallb_compat, disabled=args.disable)
    return _options.emit(result, args.format, "validate")
