"""One vocabulary across commands (issue 13): a flag that two commands share is spelt the same,
takes the same kind of value (metavar, choices) and has the same short form, unless
docs/cli.md names the difference and its reason; every command's flags are in docs/cli.md.

These tests parse the real parser of every subcommand, so a new or renamed flag that breaks
the vocabulary fails here, not in a user's script.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from gitops_lb.cli import COMMANDS, build_parser
from gitops_lb.report import FORMATS

ROOT = Path(__file__).resolve().parents[2]
CLI_MD = ROOT / "docs" / "cli.md"

# The differences that stay (docs/cli.md, "Differences that stay"): flag -> {commands: value}
DIFFERENCES: dict[str, dict[frozenset[str], object]] = {
    "--format": {
        frozenset({"lint", "validate", "compile"}): FORMATS,
        frozenset({"plan", "reconcile", "free"}): ("text", "json"),
        frozenset({"diff", "status"}): ("text", "json", "markdown"),
    },
    "--output": {
        frozenset({"compile"}): "DIR",
        frozenset({"import"}): "FILE",
    },
}


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def options(p: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The long flag of each option -> its action."""
    out = {}
    for action in p._actions:
        if isinstance(action, argparse._HelpAction) or not action.option_strings:
            continue
        (long,) = [s for s in action.option_strings if s.startswith("--")]
        out[long] = action
    return out


def signature(action: argparse.Action) -> tuple[object, ...]:
    """What a user types for the flag: its short form, whether and what value it takes."""
    shorts = tuple(sorted(s for s in action.option_strings if not s.startswith("--")))
    takes = action.nargs != 0
    choices = tuple(action.choices) if action.choices is not None else None
    return (shorts, takes, action.metavar, choices, action.nargs, action.dest)


def test_every_command_has_a_parser():
    assert sorted(subparsers()) == sorted(COMMANDS)


def test_shared_flags_are_spelt_and_typed_alike():
    by_flag: dict[str, dict[tuple[object, ...], set[str]]] = defaultdict(lambda: defaultdict(set))
    for command, p in subparsers().items():
        for flag, action in options(p).items():
            by_flag[flag][signature(action)].add(command)
    drift = {}
    for flag, groups in by_flag.items():
        if len(groups) == 1:
            continue
        seen = {frozenset(cmds): sig for sig, cmds in groups.items()}
        documented = DIFFERENCES.get(flag)
        if documented is None or set(seen) != set(documented):
            drift[flag] = {", ".join(sorted(c)): sig for c, sig in seen.items()}
            continue
        for cmds, sig in seen.items():
            value = documented[cmds]
            assert value in (sig[2], sig[3]), (flag, sorted(cmds), sig)
    assert not drift, f"flags that differ between commands without a documented reason: {drift}"


def test_a_short_flag_means_one_long_flag_everywhere():
    meaning: dict[str, set[str]] = defaultdict(set)
    for p in subparsers().values():
        for flag, action in options(p).items():
            for s in action.option_strings:
                if not s.startswith("--"):
                    meaning[s].add(flag)
    assert {s: sorted(f) for s, f in meaning.items() if len(f) > 1} == {}
    assert meaning["-o"] == {"--output"} and meaning["-f"] == {"--format"}


def test_no_two_spellings_of_one_flag():
    """--kube-config next to --kubeconfig, --namespaces next to --namespace: one is a typo."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for p in subparsers().values():
        for flag in options(p):
            spellings[flag.replace("-", "").rstrip("s")].add(flag)
    # plan --service (a filter) and import --services (a mode): two flags, see docs/cli.md
    assert spellings.pop("service", set()) <= {"--service", "--services"}
    assert {k: sorted(v) for k, v in spellings.items() if len(v) > 1} == {}


def test_one_cluster_form_on_every_command_that_picks_a_cluster():
    parsers = subparsers()
    for command in ("reconcile", "plan", "render", "import"):
        action = options(parsers[command])["--cluster"]
        assert action.metavar == "SITE/CLUSTER", command


def test_every_flag_of_every_command_is_in_docs_cli_md():
    text = CLI_MD.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\| `(\w+)` \|", line)
        if m:
            rows[m.group(1)] = line
    parsers = subparsers()
    assert sorted(rows) == sorted(parsers), "one table row per command"
    missing = {
        command: [flag for flag in options(p) if f"`{flag}" not in rows[command]]
        for command, p in parsers.items()
    }
    assert {c: f for c, f in missing.items() if f} == {}


def test_each_difference_that_stays_is_explained_in_docs_cli_md():
    text = CLI_MD.read_text(encoding="utf-8")
    section = text.split("## Differences that stay", 1)[1]
    for flag, groups in DIFFERENCES.items():
        assert f"`{flag}`" in section, flag
        for commands in groups:
            for command in commands:
                assert f"`{command}" in section, (flag, command)
