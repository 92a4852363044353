"""Turn existing MetalLB manifests, or a live dump, into a site spec.

PATH is a file, a folder (every *.yaml / *.yml below it) or - for standard input, e.g.
`kubectl get ipaddresspools,l2advertisements,bgpadvertisements,bgppeers,communities,bfdprofiles
-n metallb-system -o yaml` plus `kubectl get services -A -o yaml` and `kubectl get nodes -o
yaml`. The site spec (one Site document with one cluster) is printed, or written with -o; it
compiles back to equivalent objects. Notes about what a site spec does not keep go to standard
error. Exit status 1, and no output, when the input has problems that would make the site spec
wrong (objects that could not be read, duplicate names).
"""

from __future__ import annotations

import argparse
import sys

from gitops_lb.cli import _messages, _options
from gitops_lb.config import BGP_MODES
from gitops_lb.metallb import versions

HELP = "turn MetalLB manifests or a live dump into a site spec"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-o", "--output", metavar="FILE", help="write the site spec to FILE")
    p.add_argument("--force", action="store_true", help="overwrite FILE when it exists")
    p.add_argument("--site", default="imported", help="site name (default: imported)")
    p.add_argument("--cluster", default="default", help="cluster name (default: default)")
    p.add_argument(
        "--platform", choices=("acp", "metallb"), default="metallb", help="default: metallb"
    )
    p.add_argument(
        "--server",
        default="https://kubernetes.default.svc",
        help="Argo CD destination of the cluster (default: Argo CD's own cluster)",
    )
    p.add_argument(
        "--repo-url",
        default="https://git.example.com/platform/lb.git",
        help="Git repository Argo CD reads the compiled tree from",
    )
    p.add_argument("--bgp-mode", choices=BGP_MODES, default=None)
    _options.add_metallb_version(
        p,
        help="the MetalLB release the cluster runs: the input is read as that release reads "
        "it, and the site spec's metallb.version (default: not written, which means "
        f"{versions.DEFAULT}; {versions.SUPPORTED})",
    )
    _options.add_namespace(p)
    p.add_argument(
        "--annotation-prefix",
        choices=("metallb.io", "metallb.universe.tf"),
        default=None,
        help="Service annotation prefix (default: the one the Services use)",
    )
    p.add_argument(
        "--services",
        choices=("emit", "reserve", "skip"),
        default="emit",
        help="LoadBalancer Services: emit them from the site spec (default), keep them as "
        "address reservations only (their current addresses), or leave them out",
    )


def run(args: argparse.Namespace) -> int:
    import contextlib
    import os
    import re

    from gitops_lb.errors import GitopsLbError, UsageError
    from gitops_lb.importer import ImportOptions, import_config, to_yaml
    from gitops_lb.manifests import load_manifests
    from gitops_lb.site.models import DNS1123_LABEL

    for what in ("site", "cluster"):
        if not re.match(DNS1123_LABEL, getattr(args, what)):
            raise UsageError(f"--{what} {getattr(args, what)!r} is not a DNS-1123 label")
    _options.check_mode_version(args)
    if args.paths.count("-") > 1:
        raise UsageError("standard input (-) can be given only once")
    if args.output and os.path.exists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; use --force to overwrite it")
    cfg, files = load_manifests(
        args.paths, namespace=args.namespace, metallb_version=_options.version_or_default(args)
    )
    opts = ImportOptions(
        site=args.site,
        cluster=args.cluster,
        platform=args.platform,
        server=args.server,
        repo_url=args.repo_url,
        bgp_mode=args.bgp_mode,
        namespace=args.namespace,
        version=None if args.metallb_version is None else str(args.metallb_version),
        annotation_prefix=args.annotation_prefix,
        services=args.services,
    )
    result = import_config(cfg, opts)
    for problem in result.problems:
        _messages.note(f"{problem.location}: error: {problem.message}")
    if any(issue.fatal for lf in files for issue in lf.issues):
        return 3
    if result.problems:
        _messages.say("nothing imported; fix the input first")
        return 1
    for note in result.notes:
        _messages.note(f"note: {note}")
    from gitops_lb.site.schema import SCHEMA_COMMENT

    text = f"{SCHEMA_COMMENT}\n{to_yaml(result.site)}"
    if not args.output:
        sys.stdout.write(text)
        return 0
    tmp = f"{args.output}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, args.output)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise GitopsLbError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0
