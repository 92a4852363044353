"""Options shared by several commands."""

from __future__ import annotations

import argparse
import sys

from gitops_lb.config import BGP_MODES, DEFAULT_NAMESPACE
from gitops_lb.diagnostics import Result
from gitops_lb.errors import UsageError
from gitops_lb.report import FORMATS, default_format, get_reporter


def add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default=None,
        help="report format (default: text, or github when GITHUB_ACTIONS=true)",
    )


def add_rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--metallb-compat",
        action="store_true",
        help="only what MetalLB itself rejects is an error; stricter checks become warnings",
    )
    p.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="RULE",
        help="do not run RULE (repeatable)",
    )


def add_lint_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--bgp-mode",
        choices=BGP_MODES,
        default=None,
        help="MetalLB's BGP implementation; omitted: mode-specific rules are skipped",
    )
    p.add_argument(
        "--namespace",
        default=DEFAULT_NAMESPACE,
        help=f"the namespace MetalLB runs in (default {DEFAULT_NAMESPACE})",
    )


def check_rules_exist(names: list[str]) -> None:
    from gitops_lb.rules import all_rules

    unknown = [n for n in names if n not in all_rules()]
    if unknown:
        raise UsageError(f"unknown rule {', '.join(unknown)} (see `gitops-lb explain --list`)")


def emit(result: Result, fmt: str | None, command: str) -> int:
    reporter = get_reporter(fmt or default_format())
    reporter(result, sys.stdout, command=command)
    sys.stdout.flush()
    return result.exit_status()
