"""Print the documentation of a rule (or --list every rule)."""

from __future__ import annotations

import argparse
import sys

from gitops_lb.errors import UsageError

HELP = "show what a rule checks and why"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", nargs="?", metavar="RULE")
    p.add_argument("--list", action="store_true", help="list every rule with its summary")


def run(args: argparse.Namespace) -> int:
    from gitops_lb.docs import explain, rule_table

    if args.list or not args.rule:
        sys.stdout.write(rule_table())
        return 0
    text = explain(args.rule)
    if text is None:
        raise UsageError(f"unknown rule {args.rule!r} (see `gitops-lb explain --list`)")
    sys.stdout.write(text)
    return 0
