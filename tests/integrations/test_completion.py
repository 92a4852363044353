"""Shell completion: `gitops-lb completion bash|zsh|fish`, run in the real shells.

bash runs the script as printed (`source <(gitops-lb completion bash)`) and its completion
function with COMP_WORDS and COMP_CWORD set as bash sets them. fish, when installed, answers
`complete -C` for a command line. zsh, when installed, runs the script's function with zsh's
completion builtins replaced by ones that print what they are given. What a completion must
offer comes from the real parser, rule registry and site spec loader, not from lists here.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_lb.check import load_checked
from gitops_lb.cli import COMMANDS, build_parser, main
from gitops_lb.rules import all_rules
from tests.helpers import gitops_lb_script

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sites"
END = "--end--"
BASH = shutil.which("bash")
ZSH = shutil.which("zsh")
FISH = shutil.which("fish")


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def flags(command: str) -> list[str]:
    return [f for a in subparsers()[command]._actions for f in a.option_strings]


def choices() -> list[tuple[str, str, list[str]]]:
    """(command, option, its choices) for every option with choices."""
    return [
        (name, max(a.option_strings, key=len), [str(c) for c in a.choices])
        for name, p in subparsers().items()
        for a in p._actions
        if a.option_strings and a.choices
    ]


def cluster_ids(*paths: Path) -> list[str]:
    """SITE/CLUSTER of every cluster, as the site spec loader reads them."""
    return sorted(t.id for t in load_checked([str(p) for p in paths]).targets)


def run_shell(argv: list[str], cwd: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    """A shell running completions, with this checkout's `gitops-lb` on PATH."""
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env_with(bin_dir),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory):
    """`gitops-lb` on PATH: this checkout, as the installed console script runs it."""
    return gitops_lb_script(tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A repository as a user has it: site specs, manifests that are no site specs, a file
    that does not parse, and a hidden folder that completion does not read."""
    top = tmp_path_factory.mktemp("repo")
    shutil.copytree(EXAMPLES, top / "sites")
    (top / "manifests").mkdir()
    (top / "manifests" / "pool.yaml").write_text(
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\n"
    )
    (top / "sites" / "broken.yaml").write_text("kind: Site\nspec: [\n")
    (top / "sites" / "latin1.yaml").write_bytes(b"kind: Site\n# caf\xe9\n")
    hidden = top / ".old"
    hidden.mkdir()
    (hidden / "gone.yaml").write_text(
        "apiVersion: gitops-lb.io/v1alpha1\nkind: Site\nmetadata: {name: gone}\n"
        "spec: {clusters: [{name: x}]}\n"
    )
    return top


def env_with(bin_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def bash_complete(bin_dir: Path, cwd: Path, *lines: list[str]) -> list[list[str]]:
    """What _gitops_lb offers for each command line (its last word is the one completed)."""
    assert BASH is not None
    script = [
        "source <(gitops-lb completion bash)",
        "_c() {",
        '    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()',
        '    _gitops_lb; printf "%s\\n" "${COMPREPLY[@]}"; printf "%s\\n" ' + END,
        "}",
    ]
    script += ["_c " + " ".join(shlex.quote(w) for w in line) for line in lines]
    proc = run_shell([BASH, "--norc", "--noprofile", "-c", "\n".join(script)], cwd, bin_dir)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out: list[list[str]] = [[]]
    for word in proc.stdout.splitlines():
        if word == END:
            out.append([])
        elif word:
            out[-1].append(word)
    assert out[-1] == []
    return out[:-1]


pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def test_bash_completes_the_commands(bin_dir, repo):
    every, prefix, top_options = bash_complete(
        bin_dir, repo, ["gitops-lb", ""], ["gitops-lb", "re"], ["gitops-lb", "-"]
    )
    assert every == list(COMMANDS)
    assert prefix == [c for c in COMMANDS if c.startswith("re")] == ["render", "reconcile"]
    assert top_options == ["-h", "--help", "--version"]
    assert "__complete" not in every


def test_bash_completes_each_commands_options(bin_dir, repo):
    got = bash_complete(bin_dir, repo, *[["gitops-lb", c, "-"] for c in COMMANDS])
    assert got == [flags(c) for c in COMMANDS]
    (metallb,) = bash_complete(bin_dir, repo, ["gitops-lb", "lint", "sites", "--metallb-"])
    assert metallb == ["--metallb-compat", "--metallb-version"]


def test_bash_completes_option_choices_also_after_equals(bin_dir, repo):
    cases = choices()
    assert len(cases) >= 8
    got = bash_complete(bin_dir, repo, *[["gitops-lb", c, o, ""] for c, o, _ in cases])
    assert got == [words for _, _, words in cases]
    # bash splits --format=js at '=' (COMP_WORDBREAKS)
    after_equals, empty_after_equals = bash_complete(
        bin_dir,
        repo,
        ["gitops-lb", "lint", "--format", "=", "j"],
        ["gitops-lb", "validate", "--format", "="],
    )
    assert after_equals == ["json", "junit"]
    assert empty_after_equals == next(w for c, o, w in cases if (c, o) == ("validate", "--format"))


def test_bash_completes_rule_ids_for_disable_and_explain(bin_dir, repo):
    rules = sorted(all_rules())
    disable, explain, pools, compile_disable = bash_complete(
        bin_dir,
        repo,
        ["gitops-lb", "lint", "--disable", ""],
        ["gitops-lb", "explain", ""],
        ["gitops-lb", "explain", "pool-o"],
        ["gitops-lb", "compile", "sites", "-o", "deploy", "--disable", "site-pool-"],
    )
    assert disable == explain == rules
    assert pools == [r for r in rules if r.startswith("pool-o")]
    assert compile_disable == [r for r in rules if r.startswith("site-pool-")]
    assert compile_disable


def test_bash_completes_clusters_from_the_site_specs_here(bin_dir, repo):
    here, given, one_file, prefix = bash_complete(
        bin_dir,
        repo,
        ["gitops-lb", "plan", "--cluster", ""],
        ["gitops-lb", "render", "sites", "--cluster", ""],
        ["gitops-lb", "reconcile", "sites/shared-l2.yaml", "--cluster", ""],
        ["gitops-lb", "plan", "--cluster", "shared-l2/b"],
    )
    every = cluster_ids(EXAMPLES)
    assert len(every) >= 5
    assert here == given == every  # not the hidden folder's, nor the broken files'
    assert (
        one_file
        == cluster_ids(EXAMPLES / "shared-l2.yaml")
        == [c for c in every if c.startswith("shared-l2/")]
    )
    assert prefix == ["shared-l2/blue"]


def test_bash_completes_files_folders_and_nothing_for_free_values(bin_dir, repo):
    paths, folder, free, shells = bash_complete(
        bin_dir,
        repo,
        ["gitops-lb", "validate", "si"],
        ["gitops-lb", "compile", "sites", "-o", "ma"],
        ["gitops-lb", "lint", "--namespace", ""],
        ["gitops-lb", "completion", ""],
    )
    assert paths == ["sites"]
    assert folder == ["manifests"]
    assert free == []
    assert shells == ["bash", "zsh", "fish"]


# --- the callback ------------------------------------------------------------------------------


def test_complete_callback_prints_the_cluster_names_only(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo)
    assert main(["__complete", "clusters"]) == 0
    assert capsys.readouterr().out.splitlines() == cluster_ids(EXAMPLES)
    assert main(["__complete", "clusters", "sites/bgp-frr.yaml", "nowhere"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == cluster_ids(EXAMPLES / "bgp-frr.yaml") and out.err == ""
    assert main(["__complete", "what"]) == 2
    assert capsys.readouterr().out == ""


def test_complete_callback_imports_nothing_heavy(repo):
    """It runs on every Tab: no pydantic, rules, site models, reporters, Git or Kubernetes."""
    code = (
        "import sys\n"
        "from gitops_lb.cli import main\n"
        "assert main(['__complete', 'clusters', 'sites']) == 0\n"
        "heavy = ('pydantic', 'git', 'kubernetes', 'ruamel', 'netaddr', 'jsonschema',\n"
        "         'gitops_lb.rules', 'gitops_lb.site', 'gitops_lb.report', 'gitops_lb.metallb')\n"
        "loaded = sorted(m for m in sys.modules if m in heavy or m.startswith(\n"
        "    tuple(h + '.' for h in heavy)))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == cluster_ids(EXAMPLES)


def test_completion_without_a_known_shell_is_a_usage_error(capsys):
    assert main(["completion", "tcsh"]) == 2
    assert "invalid choice: 'tcsh'" in capsys.readouterr().err


def test_scripts_are_deterministic(capsys):
    for shell in ("bash", "zsh", "fish"):
        assert main(["completion", shell]) == 0
        first = capsys.readouterr().out
        assert main(["completion", shell]) == 0
        assert capsys.readouterr().out == first


# --- zsh and fish --------------------------------------------------------------------------------


def script(shell: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "gitops_lb", "completion", shell],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return proc.stdout


def test_zsh_and_fish_scripts_name_every_command_option_and_rule():
    rules = sorted(all_rules())
    zsh, fish = script("zsh"), script("fish")
    assert zsh.startswith("#compdef gitops-lb\n") and "compdef _gitops_lb gitops-lb" in zsh
    for command in COMMANDS:
        assert f"        {command})" in zsh
        for flag in flags(command):
            assert f" {flag}" in zsh
            long_or_short = f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}"
            assert any(
                line.startswith(f"complete -c gitops-lb -n '__fish_seen_subcommand_from {command}'")
                and long_or_short in line
                for line in fish.splitlines()
            ), (command, flag)
    assert " ".join(rules) in zsh and " ".join(rules) in fish


@pytest.mark.skipif(ZSH is None, reason="zsh is not installed")
def test_zsh_script_runs_in_zsh(bin_dir, repo, tmp_path):
    assert ZSH is not None
    file = tmp_path / "_gitops-lb"
    file.write_text(script("zsh"))
    assert subprocess.run([ZSH, "-n", str(file)], check=False).returncode == 0
    # zsh's completion builtins, replaced by ones that print what they are given; compadd
    # filters by the word's prefix as zsh's does
    stubs = (
        "compdef() { : }\n"
        'compadd() { [[ $1 == -- ]] && shift; local w; for w in "$@"; do '
        '[[ $w == ${PREFIX}* ]] && print -r -- "$w"; done }\n'
        "compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=} }\n"
        '_files() { print -r -- "<files $*>" }\n'
        f"source {shlex.quote(str(file))}\n"
        '_c() { words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}; _gitops_lb; '
        f"print -- {END} }}\n"
    )
    lines = [
        ["gitops-lb", "va"],
        ["gitops-lb", "plan", "sites", "--cluster", ""],
        ["gitops-lb", "lint", "--format=j"],
        ["gitops-lb", "explain", "pool-o"],
        ["gitops-lb", "compile", "sites", "-o", ""],
    ]
    body = stubs + "".join("_c " + " ".join(shlex.quote(w) for w in ln) + "\n" for ln in lines)
    proc = run_shell([ZSH, "-f", "-c", body], repo, bin_dir)
    assert proc.returncode == 0, proc.stderr
    got = [block.split() for block in proc.stdout.split(END + "\n")][:-1]
    rules = sorted(all_rules())
    assert got == [
        ["validate"],
        cluster_ids(EXAMPLES),
        ["json", "junit"],
        [r for r in rules if r.startswith("pool-o")],
        ["<files", "-/>"],
    ]


@pytest.mark.skipif(FISH is None, reason="fish is not installed")
def test_fish_script_completes_in_fish(bin_dir, repo, tmp_path):
    assert FISH is not None
    file = tmp_path / "gitops-lb.fish"
    file.write_text(script("fish"))
    assert subprocess.run([FISH, "--no-execute", str(file)], check=False).returncode == 0
    lines = ["gitops-lb va", "gitops-lb plan sites --cluster ", "gitops-lb lint --disable pool-o"]
    body = f"source {shlex.quote(str(file))}\n" + "".join(
        f"complete -C {shlex.quote(ln)}; echo {END}\n" for ln in lines
    )
    proc = run_shell([FISH, "--no-config", "-c", body], repo, bin_dir)
    assert proc.returncode == 0, proc.stderr
    got = [
        [line.split("\t")[0] for line in block.splitlines()]
        for block in proc.stdout.split(END + "\n")
    ][:-1]
    rules = sorted(all_rules())
    assert got == [
        ["validate"],
        cluster_ids(EXAMPLES),
        [r for r in rules if r.startswith("pool-o")],
    ]
