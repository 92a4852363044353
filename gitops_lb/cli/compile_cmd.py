"""Validate site specs, then write the Argo CD source tree to DIR.

DIR gets one folder per cluster (DIR/<site>/<cluster>/: MetalLB's installation, a readiness
gate, the MetalLB objects and Services in sync waves, a kustomization.yaml and the speaker
plan) and DIR/argocd/ with one Application per cluster. Nothing is written when validation
finds an error. Only files listed in DIR/.gitops-lb-manifest are ever rewritten or deleted;
a non-empty DIR without that file is refused. --check writes nothing: it prints a unified diff
and exits 1 when DIR is not what compile would write.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gitops_lb.cli import _messages, _options

if TYPE_CHECKING:
    from collections.abc import Callable

    from gitops_lb.compile.writer import Change
    from gitops_lb.diagnostics import Diagnostic
    from gitops_lb.site.target import ClusterTarget

HELP = "validate site specs and write the Argo CD source tree"
DELAY_ENV = "GITOPS_LB_TEST_WRITE_DELAY"  # seconds between file writes (kill tests)


def add_arguments(p: argparse.ArgumentParser) -> None:
    _options.add_site_paths(p)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the output folder")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff when DIR differs from the compiled tree",
    )
    _options.add_format(p)
    _options.add_rule_options(p)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gitops_lb.compile import writer
    from gitops_lb.compile.tree import ClusterPart, CompileError, assemble, cluster_part

    _options.check_site_args(args, "compile")
    parts: list[ClusterPart] = []  # each site is compiled as soon as it is checked
    where = _path_check(args)
    found: list[Diagnostic] = []  # the argocd.path warnings

    def each_site(targets: list[ClusterTarget]) -> None:
        parts.extend(cluster_part(t) for t in targets)
        if where is not None:
            found.extend(where(targets))

    result = _options.check_site_specs(args, each_site=each_site)
    result.extend(found)
    if result.fatal or result.errors:
        _options.emit(result, args.format, "compile")
        _messages.say("nothing written: fix the errors above first")
        return result.exit_status()
    if result.diagnostics or args.format not in (None, "text"):
        _options.emit(result, args.format, "compile")
    try:
        files = assemble(parts)
    except CompileError as exc:
        _messages.error(str(exc))
        return 1
    root = Path(args.output)
    shown = root.as_posix().rstrip("/") or "."
    notes = sys.stdout if args.format in (None, "text") else sys.stderr
    if args.check:
        todo = writer.changes(root, files)
        if not todo:
            _messages.note(f"{shown} is up to date")
            return 0
        notes.write(writer.unified_diff(todo, shown))
        notes.flush()
        _messages.say(
            f"{shown} is out of date ({_count(todo)}); run `gitops-lb compile` to update it"
        )
        return 1
    delay = _delay()
    done = writer.write_tree(root, files, pause=writer.sleeper(delay), on_wait=_messages.say)
    if done:
        _messages.note(f"wrote {shown}: {_count(done)}")
    else:
        _messages.note(f"{shown} is up to date")
    return 0


def _path_check(
    args: argparse.Namespace,
) -> Callable[[list[ClusterTarget]], list[Diagnostic]] | None:
    """The site-argocd-path-mismatch check of one site's clusters against -o (None: the rule
    is disabled, or nothing says where -o sits in the repository)."""
    from gitops_lb.compile.outdir import output_place
    from gitops_lb.rules import all_rules, to_diagnostic
    from gitops_lb.rules import site_argocd_path_mismatch as mismatch

    if mismatch.ID in args.disable:
        return None
    place = output_place(args.output)
    if place is None:
        return None
    rule = all_rules()[mismatch.ID]

    def check(targets: list[ClusterTarget]) -> list[Diagnostic]:
        findings = mismatch.check_output(targets, place.path, place.in_repository, place.from_cwd)
        return [to_diagnostic(rule, rule.severity, f) for f in findings]

    return check


def _delay() -> float:
    try:
        return float(os.environ.get(DELAY_ENV) or 0)
    except ValueError:
        return 0.0


def _count(changes: Sequence[Change]) -> str:
    kinds = [c.kind for c in changes]
    parts = [f"{kinds.count(k)} {k}" for k in ("added", "changed", "deleted") if k in kinds]
    return ", ".join(parts)
