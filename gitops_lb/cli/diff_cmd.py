"""Compare the site specs of two Git revisions by their effect on address space.

Reads the site specs under PATH (default: the whole repository) at --base and at --head (a
revision; omitted: the working tree, tracked and untracked-but-not-ignored files) straight
from Git, without touching the working tree, lowers both and compares them by site, cluster
and object name, so renaming or moving a file changes nothing. Reports pools added, removed,
grown, shrunk or moved with their address counts, Services whose address or pool changes,
advertisements, peers, communities and BFD profiles that change, and flags the risky ones.

Exit status: 0 when the diff was made (1 with --fail-on-risky when a change is risky), 1 when
a site spec cannot be read at one of the revisions (the diff would be wrong), 2 usage error,
3 not a Git repository, unknown revision, or no site spec at either revision.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from gitops_lb.cli import _messages

if TYPE_CHECKING:
    from gitops_lb.gitio import Snapshot
    from gitops_lb.site.target import ClusterTarget

HELP = "semantic diff of the site specs between two Git revisions"
FORMATS = ("text", "json", "markdown")
SITE_MARKER = b"gitops-lb.io/"  # every site spec names its API group


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="default: the whole repository")
    p.add_argument(
        "--base",
        default="HEAD",
        metavar="REV",
        help="the revision to compare from (default: HEAD)",
    )
    p.add_argument(
        "--head",
        metavar="REV",
        default=None,
        help="the revision to compare to (default: the working tree)",
    )
    p.add_argument("--format", "-f", choices=FORMATS, default="text")
    p.add_argument(
        "--fail-on-risky", action="store_true", help="exit 1 when a change is flagged risky"
    )


def read_targets(snap: Snapshot) -> tuple[list[ClusterTarget], list[str], int]:
    """The lowered clusters of a snapshot, the reading problems of site specs, site count."""
    from gitops_lb.site.load import NOT_A_SITE, sites_from_files
    from gitops_lb.site.lower import lower_all
    from gitops_lb.yamlload import LFS_POINTER

    raw = dict(snap.files)
    refused = {path for path, _ in snap.refused}
    load = sites_from_files(snap.load(missing_is_fatal=False))
    problems = []
    for rule, findings in sorted(load.intake.intake.items()):
        if rule == NOT_A_SITE:
            continue  # Kubernetes manifests and other YAML in the same tree
        for f in findings:
            loc = f.where()
            # a file that cannot be parsed matters only when it is meant to hold site specs
            if (
                f.item is None
                and loc.file not in refused
                and SITE_MARKER not in raw.get(loc.file, b"")
                and not raw.get(loc.file, b"").startswith(LFS_POINTER)  # a site spec, maybe
            ):
                continue
            problems.append(f"{loc}: {f.message} [{rule}]")
    return lower_all(load), problems, len(load.sites)


def run(args: argparse.Namespace) -> int:
    from gitops_lb import diff_report
    from gitops_lb.diff import compare
    from gitops_lb.errors import GitopsLbError
    from gitops_lb.gitio import Repository

    repo = Repository()
    paths = repo.relative(args.paths)
    base = repo.at_revision(args.base, paths)
    head = repo.at_revision(args.head, paths) if args.head else repo.working_tree(paths)
    for snap in (base, head):
        for line in snap.skipped:
            _messages.note(f"{snap.label}: {line}")
    missing = sorted(set(base.missing) & set(head.missing))
    if missing:
        raise GitopsLbError(f"{', '.join(missing)}: no such file or folder at either revision")
    base_targets, base_problems, base_sites = read_targets(base)
    head_targets, head_problems, head_sites = read_targets(head)
    if base_problems or head_problems:
        for label, problems in ((base.label, base_problems), (head.label, head_problems)):
            for problem in problems:
                _messages.note(f"{label}: {problem}")
        _messages.say("cannot compare site specs that do not load; fix them first")
        return 1
    if not base_sites and not head_sites:
        where = ", ".join(p or "." for p in paths)
        raise GitopsLbError(f"no site spec found under {where} at either revision")
    result = compare(base_targets, head_targets)
    diff_report.report(result, sys.stdout, args.format, base=base.label, head=head.label)
    sys.stdout.flush()
    return 1 if args.fail_on_risky and result.risky else 0
