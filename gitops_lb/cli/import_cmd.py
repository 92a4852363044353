"""Turn existing MetalLB configuration, or a live dump, into a site spec.

PATH is a file, a folder (every *.yaml / *.yml below it) or - for standard input, e.g.
`kubectl get ipaddresspools,l2advertisements,bgpadvertisements,bgppeers,communities,bfdprofiles
-n metallb-system -o yaml` plus `kubectl get services -A -o yaml`, `kubectl get nodes -o yaml`
and, on ACP, `kubectl get clusterplugininstances -o yaml`. A pre-0.13 `config` ConfigMap and a
Helm values file with `configInline` are translated into today's objects. The site spec (one
Site document with one cluster, with comments where it needs a decision) is printed, or written
with -o; it compiles back to equivalent objects. Safe by default: Services stay with their
applications (--services reserve), nothing the cluster assigns (node ports, cluster IPs,
status) is copied, and without --repo-url `argocd.repoURL` is a marker that `validate` reports
(site-repo-url-unset) until it is set. Notes go to standard error. Exit status 1, and no
output, when the input has problems that would make the site spec wrong (objects that could
not be read, duplicate names).
"""

from __future__ import annotations

import argparse
import sys

from gitops_lb.cli import _messages, _options
from gitops_lb.config import BGP_MODES
from gitops_lb.metallb import versions

HELP = "turn MetalLB manifests, a live dump or a pre-0.13 configuration into a site spec"
DEFAULT_SITE, DEFAULT_CLUSTER = "imported", "default"
SERVICE_MODES = ("reserve", "manage", "skip")  # gitops_lb.importing.core.SERVICE_MODES


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the site spec to FILE (missing folders are created)",
    )
    p.add_argument("--force", action="store_true", help="overwrite FILE when it exists")
    _options.add_cluster(
        p,
        help=f"the site and cluster names to write (default: {DEFAULT_SITE}/{DEFAULT_CLUSTER}); "
        "a bare CLUSTER with --site SITE is the older form",
    )
    p.add_argument(
        "--site",
        metavar="SITE",
        help="deprecated: write --cluster SITE/CLUSTER (still taken with a bare --cluster "
        "CLUSTER, or alone for the cluster 'default')",
    )
    p.add_argument(
        "--platform",
        choices=("acp", "metallb"),
        default=None,
        help="who installs MetalLB (default: acp when the input holds ACP's MetalLB plugin, "
        "the ClusterPluginInstance 'metallb'; metallb otherwise)",
    )
    p.add_argument(
        "--server",
        metavar="URL",
        default="https://kubernetes.default.svc",
        help="Argo CD destination of the cluster (default: Argo CD's own cluster)",
    )
    p.add_argument(
        "--repo-url",
        metavar="URL",
        default=None,
        help="the Git repository Argo CD reads the compiled tree from (default: a marker "
        "that validate reports as an error until it is replaced)",
    )
    p.add_argument(
        "--bgp-mode",
        choices=BGP_MODES,
        default=None,
        help="MetalLB's BGP implementation, written as spec.bgpMode (default: not written)",
    )
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
        choices=SERVICE_MODES,
        default="reserve",
        help="LoadBalancer Services: reserve (default) records what each requests as an "
        "`emit: false` reservation and leaves the Service to its application; manage has "
        "the site spec write them (ports, selector, labels...; never node ports); skip "
        "leaves them out",
    )


def names(args: argparse.Namespace) -> tuple[str, str]:
    """(site, cluster) from --cluster SITE/CLUSTER, or the older --site SITE --cluster NAME."""
    import re

    from gitops_lb.errors import UsageError
    from gitops_lb.site.models import DNS1123_LABEL

    given: str | None = args.cluster
    site: str | None = args.site
    if given is not None and "/" in given:
        if site is not None:
            raise UsageError("--cluster SITE/CLUSTER names the site: leave out --site")
        site, _, cluster = given.partition("/")
    elif given is not None and site is None:
        raise UsageError(
            f"--cluster {given!r}: write SITE/CLUSTER, e.g. --cluster dc1/{given} "
            "(or the older --site SITE --cluster CLUSTER)"
        )
    else:
        cluster = given or DEFAULT_CLUSTER
    site = site or DEFAULT_SITE
    for what, value in (("site", site), ("cluster", cluster)):
        if not re.match(DNS1123_LABEL, value):
            raise UsageError(
                f"--cluster: the {what} name {value!r} is not a DNS-1123 label (lower case "
                "letters, digits and '-')"
            )
    return site, cluster


def run(args: argparse.Namespace) -> int:
    import os

    from gitops_lb.errors import UsageError
    from gitops_lb.importing.core import ImportOptions
    from gitops_lb.importing.output import to_yaml
    from gitops_lb.importing.sources import import_paths

    site, cluster = names(args)
    if args.site is not None:
        _messages.say(f"note: --site is deprecated; write --cluster {site}/{cluster}")
    _options.check_mode_version(args)
    if args.repo_url is not None and not args.repo_url.strip():
        raise UsageError("--repo-url is empty: give the URL Argo CD knows the repository by")
    if args.paths.count("-") > 1:
        raise UsageError("standard input (-) can be given only once")
    if args.output and os.path.exists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; use --force to overwrite it")
    if args.output and os.path.isdir(args.output):
        raise UsageError(f"{args.output} is a folder; -o takes the site spec's file name")
    opts = ImportOptions(
        site=site,
        cluster=cluster,
        platform=args.platform,
        server=args.server,
        repo_url=args.repo_url,
        bgp_mode=args.bgp_mode,
        namespace=args.namespace,
        version=None if args.metallb_version is None else str(args.metallb_version),
        annotation_prefix=args.annotation_prefix,
        services=args.services,
    )
    result, files = import_paths(
        args.paths, opts, metallb_version=_options.version_or_default(args)
    )
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

    text = f"{SCHEMA_COMMENT}\n{to_yaml(result.site, result.comments)}"
    if not args.output:
        sys.stdout.write(text)
        return 0
    write_file(args.output, text)
    if args.repo_url is None:
        _messages.say(
            f"note: {args.output}: set spec.argocd.repoURL (validate reports "
            "site-repo-url-unset until it is), or import with --repo-url URL"
        )
    return 0


def write_file(path: str, text: str) -> None:
    """`text` to `path`, creating its missing folders: written to a temporary file beside it
    and renamed, so that `path` is never left half written; on failure the folders made
    here are removed again."""
    import contextlib
    import os
    import tempfile

    from gitops_lb.errors import GitopsLbError

    folder = os.path.dirname(os.path.abspath(path))
    made: list[str] = []
    probe = folder
    while not os.path.exists(probe):
        made.append(probe)
        probe = os.path.dirname(probe)
    tmp: str | None = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for created in made:  # deepest first
            with contextlib.suppress(OSError):
                os.rmdir(created)
        raise GitopsLbError(f"cannot write {path}: {exc.strerror or exc}") from None


def file_mode(path: str) -> int:
    """The permissions `path` keeps (when it exists) or gets (as `open` would make it)."""
    import os
    import stat

    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
