"""Options shared by several commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from gitops_lb.cli import _messages
from gitops_lb.config import BGP_MODES, DEFAULT_NAMESPACE
from gitops_lb.diagnostics import Result
from gitops_lb.errors import UsageError
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION
from gitops_lb.metallb.versions import SUPPORTED, UnsupportedVersion, Version, release
from gitops_lb.report import FORMATS, default_format, get_reporter

if TYPE_CHECKING:
    from gitops_lb.check import Loaded
    from gitops_lb.compiled import CompiledTree
    from gitops_lb.scoped import Scoped
    from gitops_lb.site.target import ClusterTarget
    from gitops_lb.yamlload import LoadedFile, LoadIssue

SITE_PATHS_HELP = "site spec files or folders"


def add_site_paths(p: argparse.ArgumentParser, help: str | None = SITE_PATHS_HELP) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=help)


CLUSTER_METAVAR = "SITE/CLUSTER"
# --format of the commands whose output is a report of their own (plan, and reconcile's drift
# report) rather than a list of findings: the two that any program reads (docs/cli.md)
REPORT_FORMATS = ("text", "json")


def add_cluster(p: argparse.ArgumentParser, help: str, *, required: bool = False) -> None:
    """--cluster SITE/CLUSTER: one cluster of the site specs (plan, render, import; reconcile
    spells it the same)."""
    p.add_argument("--cluster", metavar=CLUSTER_METAVAR, required=required, help=help)


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
    add_metallb_version(p)
    add_namespace(p)


def metallb_release(text: str) -> Version:
    """argparse type of --metallb-version: a supported release, or a usage error (exit 2)."""
    try:
        return release(text)
    except UnsupportedVersion as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_metallb_version(
    p: argparse.ArgumentParser,
    help: str = f"the MetalLB release to check for (default {DEFAULT_VERSION}; "
    f"{SUPPORTED}; the leading v is optional)",
) -> None:
    """--metallb-version; None when not given (the caller applies the default, or the site
    spec's metallb.version)."""
    p.add_argument(
        "--metallb-version",
        type=metallb_release,
        default=None,
        metavar="VERSION",
        help=help,
    )


def version_or_default(args: argparse.Namespace) -> Version:
    given: Version | None = args.metallb_version
    return DEFAULT_VERSION if given is None else given


def check_mode_version(args: argparse.Namespace) -> None:
    """--bgp-mode against the target release: a mode it does not have is a usage error, a
    mode it deprecates gets one line on standard error (rules bgp-mode-unavailable and
    bgp-mode-deprecated say the same on site specs)."""
    from gitops_lb.rules.bgp_mode_deprecated import deprecation
    from gitops_lb.rules.bgp_mode_unavailable import needs

    version = version_or_default(args)
    since = needs(args.bgp_mode, version)
    if since is not None:
        raise UsageError(
            f"--bgp-mode {args.bgp_mode} needs MetalLB {since} or later; the target is "
            f"{version} (--metallb-version)"
        )
    note = deprecation(args.bgp_mode, version, "--bgp-mode frr-k8s")
    if note is not None:
        _messages.say(f"note: {note}")


def add_namespace(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--namespace",
        default=None,  # gitops_lb.cli.apply_config: the configuration file's, or the default
        help=f"the namespace MetalLB runs in (default {DEFAULT_NAMESPACE})",
    )
    p.set_defaults(namespace_defaults=True)


def check_rules_exist(names: list[str]) -> None:
    from gitops_lb.rules import all_rules

    unknown = [n for n in names if n not in all_rules()]
    if unknown:
        raise UsageError(f"unknown rule {', '.join(unknown)} (see `gitops-lb explain --list`)")


def adjust(result: Result) -> Result:
    """The configuration file's per-file-disable and severity applied to `result` (in place;
    applying them twice changes nothing)."""
    from gitops_lb import projectconfig

    cfg = projectconfig.active
    if cfg is not None and (cfg.per_file_disable or cfg.severity):
        result.diagnostics = cfg.adjust(result.diagnostics)
    return result


def add_baseline_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--baseline",
        metavar="FILE",
        default=None,
        help="report only the findings FILE does not record (docs/suppressions.md)",
    )
    group.add_argument(
        "--write-baseline",
        metavar="FILE",
        default=None,
        help="record the current findings in FILE, then exit 0 (unless an input was unreadable)",
    )


def finish(result: Result, args: argparse.Namespace, command: str) -> int:
    """lint and validate: apply suppression comments and the baseline, then report."""
    from gitops_lb.report import baseline
    from gitops_lb.suppress import apply_suppressions

    known = baseline.read(args.baseline) if args.baseline else None  # before any output
    apply_suppressions(result, args.disable)
    if known is not None:
        left_out = baseline.leave_out_known(result, known)
        if left_out:
            _messages.say(
                f"note: {left_out} finding{'s' * (left_out != 1)} in {args.baseline} not reported"
            )
    status = emit(result, args.format, command)
    if args.write_baseline:
        if result.fatal:
            _messages.error(
                f"baseline {args.write_baseline} not written: an input could not be read"
            )
            return 3
        n = baseline.write(args.write_baseline, result)
        _messages.say(f"wrote {n} finding{'s' * (n != 1)} to baseline {args.write_baseline}")
        return 0
    return status


def emit(result: Result, fmt: str | None, command: str) -> int:
    adjust(result)
    reporter = get_reporter(fmt or default_format())
    reporter(result, sys.stdout, command=command)
    sys.stdout.flush()
    return result.exit_status()


def check_site_args(args: argparse.Namespace, command: str, what: str = "site spec files") -> None:
    """The usage checks of every command that reads site specs: --disable names known rules,
    and the paths do not ask for standard input."""
    check_rules_exist(args.disable)
    if "-" in args.paths:
        raise UsageError(f"{command} reads {what}, not standard input")


def load_site_specs(args: argparse.Namespace, *, staged: bool = False) -> Loaded:
    """The site specs of args.paths (from the Git index when `staged`) loaded, lowered and
    checked exactly as `validate` checks them."""
    from gitops_lb.check import checked
    from gitops_lb.site.load import read_expanded, sites_from_files

    if staged:
        load = sites_from_files(staged_site_inputs(args.paths))
    else:
        load = sites_from_files(read_expanded(site_inputs(args.paths)))
    return checked(load, compat=args.metallb_compat, disabled=args.disable)


def load_site_scope(args: argparse.Namespace, site: str) -> Scoped:
    """load_site_specs() for render --cluster SITE/...: the files of `site` loaded and checked
    whole, the other sites only summarized for the rules that compare sites
    (gitops_lb.scoped)."""
    from gitops_lb.scoped import Caches, check_scoped

    caches = None
    if not args.no_cache:
        from gitops_lb.cache import open_cache

        caches = Caches(  # validate's entries, and render's own (gitops_lb.scoped)
            open_cache(cache_settings(args, command="validate")),
            open_cache(cache_settings(args, command="render")),
        )
    return check_scoped(
        site_inputs(args.paths),
        site,
        compat=args.metallb_compat,
        disabled=args.disable,
        caches=caches,
    )


def site_inputs(paths: Sequence[str]) -> list[tuple[str, LoadIssue | None]]:
    """The files to read site specs from: the compiled trees below the paths are left out,
    with one line on standard error for each (whatever the report format)."""
    from gitops_lb.compiled import nothing_but_compiled, without_compiled

    kept, trees = without_compiled(paths)
    note_skipped(trees)
    if trees and not kept:  # a wrong path does not pass silently
        kept.append((trees[0].folder, nothing_but_compiled(trees)))
    return kept


def staged_site_inputs(paths: Sequence[str]) -> list[LoadedFile]:
    """site_inputs() from the Git index (validate --staged)."""
    from gitops_lb.gitio import staged_site_files

    files, trees = staged_site_files(paths)
    note_skipped(trees)
    return files


def note_skipped(trees: Sequence[CompiledTree]) -> None:
    for tree in trees:
        _messages.say(tree.note)


def check_site_specs(
    args: argparse.Namespace,
    *,
    staged: bool = False,
    each_site: Callable[[list[ClusterTarget]], None] | None = None,
) -> Result:
    """What load_site_specs() finds, one site at a time: each site is let go once checked
    (and handed to `each_site` first when it has no error), so memory holds one file's sites
    however large the repository (validate and compile)."""
    from gitops_lb.check import check_files
    from gitops_lb.site.load import read_expanded

    if each_site is None and getattr(args, "no_cache", True) is False:
        return adjust(cached_check(args, staged=staged))
    options = {"compat": args.metallb_compat, "disabled": args.disable, "each_site": each_site}
    # check_files() collects the suppression comments; only lint and validate apply them
    if staged:
        return adjust(check_files(staged_site_inputs(args.paths), **options))
    return adjust(check_files(read_expanded(site_inputs(args.paths)), **options))


def add_cache_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache (.gitops-lb-cache/, docs/cache.md)",
    )


def cache_settings(args: argparse.Namespace, command: str | None = None) -> dict[str, object]:
    """What, besides a file's name and content, can change what the file gives: the options
    of the run and the configuration file's content (keys of gitops_lb.cache). `command`
    names the command whose entries are used (render reads and writes validate's)."""
    from gitops_lb import projectconfig

    cfg = projectconfig.active
    config: str | None = None
    if cfg is not None:
        try:
            config = cfg.path.read_bytes().hex()
        except OSError:
            config = f"unreadable {cfg.path}"
    options = ("metallb_compat", "disable", "metallb_version", "bgp_mode", "namespace")
    return {
        "command": command or args.command,
        "options": {name: str(getattr(args, name, None)) for name in options},
        "config": config,
    }


def cached_check(args: argparse.Namespace, *, staged: bool) -> Result:
    """check_site_specs() with the on-disk cache (gitops_lb.incremental)."""
    from gitops_lb.cache import open_cache
    from gitops_lb.incremental import Source, check_sources, sources

    files: list[Source]
    if staged:
        from gitops_lb.gitio import staged_site_sources

        files, trees = staged_site_sources(args.paths)
        note_skipped(trees)
        it: Iterable[Source] = files
    else:
        it = sources(site_inputs(args.paths))
    cache = open_cache(cache_settings(args))
    return check_sources(it, cache, compat=args.metallb_compat, disabled=args.disable)


def compile_or_report(targets: Sequence[ClusterTarget]) -> dict[str, bytes] | None:
    """The compiled tree's files, or None after printing why the targets do not compile."""
    from gitops_lb.compile.tree import CompileError, compile_targets

    try:
        return compile_targets(targets)
    except CompileError as exc:
        _messages.error(str(exc))
        return None
