"""Fix what lint finds, in place: the findings whose correction is certain (docs/fixes.md).

PATH is a file or a folder, as for `lint`, which finds what to fix: the same rules, the same
configuration file (.gitops-lb.yaml: exclude, disable, per-file-disable), the same options;
the site specs among the inputs are checked as `validate` checks them. A finding silenced by a
suppression comment is not fixed. Only the edited nodes change:
comments, key order, quoting, flow or block style, blank lines, `---` separators, CRLF line ends
and a byte-order mark stay as they were. A fix that would change what MetalLB does is made only
with --unsafe-fixes. --diff prints the changes as a unified diff and writes nothing.

Exit status: 0 when no error remains (the fixes made, or shown by --diff, included), 1 when an
error remains (run `gitops-lb lint` to see it), 2 usage error, 3 when an input or a file to
rewrite could not be read or written (then no file is changed).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from gitops_lb.cli import _messages, _options
from gitops_lb.metallb.versions import DEFAULT as DEFAULT_VERSION

if TYPE_CHECKING:
    from gitops_lb.diagnostics import Result
    from gitops_lb.fix.engine import FileText

HELP = "fix what lint finds, in place (or show the diff)"
EDIT_FORMATS = ("json", "sarif")  # the reports that show a fix's edits
MAX_PASSES = 8  # a fix can bring out another (a renamed key, then its duplicate): until none


def add_arguments(p: argparse.ArgumentParser) -> None:
    from gitops_lb.cli.lint_cmd import add_lint_arguments, add_unsafe_fixes

    add_lint_arguments(p, report=False)
    p.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff and change no file",
    )
    add_unsafe_fixes(p)


def run(args: argparse.Namespace) -> int:
    from gitops_lb.cli.lint_cmd import check_args
    from gitops_lb.errors import UsageError

    check_args(args)
    if "-" in args.paths:
        raise UsageError("fix rewrites files, not standard input (use lint for - )")
    result = fix_files(args, diff=args.diff, quiet=False)
    return 3 if result.fatal else result.exit_status()


def fix_files(args: argparse.Namespace, *, diff: bool, quiet: bool) -> Result:
    """Fix the inputs until no fix is left to make; write the files (or print the diff).
    The findings of the result are those that remain."""
    from gitops_lb.cli.lint_cmd import lint_result
    from gitops_lb.fix import engine
    from gitops_lb.suppress import apply_suppressions

    version = _options.version_or_default(args)
    unsafe = args.unsafe_fixes
    texts: dict[str, FileText] = {}
    fixed: list[tuple[str, int, int, str, str]] = []
    result = None
    for n in range(MAX_PASSES + 1):
        current = {k: ft.text for k, ft in texts.items()}
        result = lint_result(args, current, note=n == 0 and not quiet)
        add_site_findings(result, args, current)
        apply_suppressions(result, args.disable)
        _options.adjust(result)
        if result.fatal:
            break
        _read_needed(result, texts)
        planned = engine.plan_all(result, texts, version)
        engine.attach(result, planned)
        chosen = engine.choose(result, planned, unsafe=unsafe)
        if not chosen or n == MAX_PASSES:
            break
        progress = False
        for file, pairs in sorted(chosen.items()):
            for d in engine.apply_file(texts[file], pairs):
                progress = True
                fix = d.fix
                description = fix.description if fix is not None else d.rule
                fixed.append((file, d.location.line, d.location.column, d.rule, description))
        if not progress:
            break
    assert result is not None
    changed = [ft for _, ft in sorted(texts.items()) if ft.changed]
    if result.fatal:
        _messages.error("an input could not be read: nothing was fixed (see `gitops-lb lint`)")
        return result
    if diff:
        for ft in changed:
            sys.stdout.write(engine.unified_diff(ft))
        sys.stdout.flush()
    else:
        engine.write_all(changed)
    if not quiet:
        _summary(result, fixed, len(changed), diff=diff, unsafe=unsafe)
    return result


def add_site_findings(result: Result, args: argparse.Namespace, texts: dict[str, str]) -> None:
    """The findings `validate` makes on the site specs among the inputs (which lint leaves
    alone), so that fix corrects them too; `texts` replaces the text of the files it names."""
    from gitops_lb.check import check_files
    from gitops_lb.site.load import is_site_candidate
    from gitops_lb.yamlload import LocMap, load_paths, load_text

    files = [
        load_text(texts[lf.path], lf.path) if lf.path in texts else lf
        for lf in load_paths(args.paths)
    ]
    sites = [
        lf
        for lf in files
        if any(isinstance(d.data, LocMap) and is_site_candidate(d.data) for d in lf.documents)
    ]
    if not sites:
        return
    found = check_files(sites, compat=args.metallb_compat, disabled=args.disable)
    result.extend(found.diagnostics)
    result.fatal = result.fatal or found.fatal
    known = set(result.directives)
    result.directives.extend(d for d in found.directives if d not in known)


def _read_needed(result: Result, texts: dict[str, FileText]) -> None:
    from gitops_lb.fix import engine, fixable

    for d in result.diagnostics:
        file = d.location.file
        if file not in texts and fixable(d):
            ft = engine.read(file)
            if ft is not None:
                texts[file] = ft


def _summary(
    result: Result,
    fixed: list[tuple[str, int, int, str, str]],
    files: int,
    *,
    diff: bool,
    unsafe: bool,
) -> None:
    from gitops_lb.printable import display_path

    verb = "would fix" if diff else "fixed"
    for file, row, col, rule, description in fixed:
        _messages.note(f"{display_path(file)}:{row}:{col}: {verb}: {description} [{rule}]")
    n = len(fixed)
    where = f" in {files} file{'s' * (files != 1)}" if n else ""
    line = f"{verb} {n} finding{'s' * (n != 1)}{where}"
    errors, warnings = result.errors, result.warnings
    left = errors + warnings
    if left:
        line += f"; {left} remaining ({errors} error{'s' * (errors != 1)}) - see `gitops-lb lint`"
    more = result.fixable(unsafe=True) - result.fixable()
    if more and not unsafe:
        line += f"; {more} more with --unsafe-fixes"
    _messages.note(line)


def show_fixes(result: Result, args: argparse.Namespace) -> None:
    """Give lint's findings their fixes, for the reports to show (files with a finding some
    rule can fix are read again, with ruamel.yaml; the others cost nothing)."""
    from gitops_lb.fix import fixable

    if result.fatal or not any(fixable(d) for d in result.diagnostics):
        return
    from gitops_lb.fix import engine

    texts: dict[str, FileText] = {}
    _read_needed(result, texts)
    from gitops_lb.report import default_format

    version = _options.version_or_default(args) if hasattr(args, "metallb_version") else None
    # the text-like reports only say which findings have a fix: libyaml finds that faster
    fast = (args.format or default_format()) not in EDIT_FORMATS
    engine.attach(result, engine.plan_all(result, texts, version or DEFAULT_VERSION, fast=fast))
