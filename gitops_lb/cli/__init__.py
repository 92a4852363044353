"""Command line: `gitops-lb COMMAND ...`. The only place that prints or exits.

Each command is a module of this package with HELP, add_arguments(parser) and run(args) -> int.
Command modules import what they need inside run(), so `gitops-lb lint` never pays for
`kubernetes` or `git`. Messages go through _messages; `main` is the one error boundary: what
no command caught is a bug, reported in one line with exit status 3 (GITOPS_LB_DEBUG=1 lets
it through with its traceback).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType

from gitops_lb import __version__
from gitops_lb.cli import _messages
from gitops_lb.errors import GitopsLbError, UsageError

COMMANDS = (
    "lint",
    "fix",
    "validate",
    "compile",
    "plan",
    "render",
    "reconcile",
    "status",
    "free",
    "diff",
    "import",
    "schema",
    "explain",
    "completion",
)
COMPLETE = "__complete"  # hidden: the callback of the completion scripts (cli/completion_cmd.py)
DEBUG_ENV = "GITOPS_LB_DEBUG"  # "1": an internal error is raised with its traceback


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"gitops_lb.cli.{name.replace('-', '_')}_cmd")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (only=COMMAND) the top level with that one command: a run
    imports only the module of the command it runs, not every command's (start-up time)."""
    parser = _Parser(
        prog="gitops-lb",
        description="Compile, lint and reconcile MetalLB configuration for GitOps.",
    )
    parser.add_argument("--version", action="version", version=f"gitops-lb {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMANDS if only is None else (only,):
        module = command_module(name)
        p = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(p)
        add_config_options(p)
    return parser


def add_config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        metavar="FILE",
        default=None,
        help="the configuration file (default: .gitops-lb.yaml looked up from the current "
        "folder to the repository root; docs/config.md)",
    )
    p.add_argument(
        "--no-config",
        action="store_true",
        help="ignore any .gitops-lb.yaml",
    )


# the commands whose metallb-version, bgp-mode and namespace the configuration file defaults
DEFAULTED_BY_CONFIG = frozenset({"lint", "fix", "import"})


def apply_config(args: argparse.Namespace) -> None:
    """Read the configuration file and fill in what the command line did not give: the
    flags win over the file; `disable` adds to --disable."""
    from gitops_lb import projectconfig, yamlload

    cfg = projectconfig.resolve(args.config, args.no_config)
    projectconfig.active = cfg
    yamlload.set_skip_file(projectconfig.skip_predicate(cfg))
    if getattr(args, "namespace_defaults", False) and args.namespace is None:
        from gitops_lb.config import DEFAULT_NAMESPACE

        args.namespace = DEFAULT_NAMESPACE if cfg is None else cfg.namespace or DEFAULT_NAMESPACE
    if cfg is None:
        return
    if hasattr(args, "disable"):
        args.disable = [*cfg.disable, *(r for r in args.disable if r not in cfg.disable)]
    if args.command not in DEFAULTED_BY_CONFIG:
        # reconcile: no flag means "what the site spec says", which a repository-wide default
        # must not override
        return
    if hasattr(args, "metallb_version") and args.metallb_version is None and cfg.metallb_version:
        from gitops_lb.metallb.versions import release

        args.metallb_version = release(cfg.metallb_version)
    if hasattr(args, "bgp_mode") and args.bgp_mode is None:
        args.bgp_mode = cfg.bgp_mode


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Run without automatic garbage collection, as a short-lived command can afford.

    A command builds a great many small objects (positions, models) that live until it ends
    and hold no reference cycles; the collector would scan them again and again as they pile
    up (about half the time of a large `validate`) and find nothing to free. Memory is
    returned by reference counting as before; cycles made meanwhile wait for the next
    collection after the command.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command argv runs when it names one first (None: --help, --version, a typo...)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    if words[:1] == [COMPLETE]:  # before the parser: it imports every command
        from gitops_lb.cli.completion_cmd import complete

        return complete(words[1:])
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        with no_cycle_collection():  # the imports of the command too: many objects, no garbage
            args = build_parser(chosen_command(words)).parse_args(words)
            apply_config(args)
            status: int = command_module(args.command).run(args)
        return status
    except UsageError as exc:
        _messages.error(str(exc))
        return 2
    except GitopsLbError as exc:
        _messages.error(str(exc))
        return 3
    except KeyboardInterrupt:
        _messages.say("interrupted")
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: what no command, reader or rule turned into a message
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        _messages.say(internal_error(exc))
        return 3


def internal_error(exc: Exception) -> str:
    """One line: what went wrong, that it is a bug, and how to report it."""
    return (
        f"internal error: {type(exc).__name__}: {exc} (a bug in gitops-lb {__version__}; "
        f"please report it with the command and the input that caused it; {DEBUG_ENV}=1 "
        "shows the traceback)"
    )
