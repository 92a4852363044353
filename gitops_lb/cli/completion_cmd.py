"""Print a shell completion script for bash, zsh or fish.

The script completes the commands, their options, the values an option takes (report formats,
BGP modes, MetalLB releases, rule ids for --disable and `explain`, files and folders) and
SITE/CLUSTER names for --cluster. Everything but the cluster names is read from the command
line parser when the script is printed, so the script matches this version of gitops-lb. The
cluster names come from the site specs on disk when Tab is pressed: the script calls back
`gitops-lb __complete clusters [PATH...]`, which reads the paths already on the command line
(or the current folder), imports nothing but the standard library and PyYAML, and prints one
name per line.

    source <(gitops-lb completion bash)                          # ~/.bashrc
    source <(gitops-lb completion zsh)                           # ~/.zshrc, after compinit
    gitops-lb completion fish > ~/.config/fish/completions/gitops-lb.fish
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

HELP = "print a shell completion script (bash, zsh or fish)"
SHELLS = ("bash", "zsh", "fish")
PROG = "gitops-lb"

# what the value of an option (or a positional argument) is completed with
FLAG, WORDS, RULES, CLUSTERS, FILES, DIRS, ANY = (
    "flag",
    "words",
    "rules",
    "clusters",
    "files",
    "dirs",
    "any",
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=SHELLS, help="the shell to print the script for")


def run(args: argparse.Namespace) -> int:
    commands, rules = command_table()
    script = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell]
    sys.stdout.write(script(commands, rules))
    return 0


# --- what the parser offers ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    flags: tuple[str, ...]
    kind: str
    words: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    help: str
    options: tuple[Option, ...]
    positional: Option  # the positional arguments' kind (ANY for none)


def value_kind(action: argparse.Action) -> tuple[str, tuple[str, ...]]:
    """How the value of `action` is completed."""
    if action.nargs == 0:
        return FLAG, ()
    if action.choices:
        return WORDS, tuple(str(c) for c in action.choices)
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    if action.dest == "disable" or metavar == "RULE":
        return RULES, ()
    if metavar == "SITE/CLUSTER":
        return CLUSTERS, ()
    if metavar == "VERSION":
        from gitops_lb.metallb.versions import RELEASES

        return WORDS, tuple(str(r) for r in reversed(RELEASES))
    if metavar in ("FILE", "PATH"):
        return FILES, ()
    if metavar == "DIR":
        return DIRS, ()
    return ANY, ()


def first_sentence(text: str | None) -> str:
    if not text or text == argparse.SUPPRESS:
        return ""
    text = " ".join(text.split())
    return re.split(r"(?<=[a-z)])[;.] ", text)[0].rstrip(".")


def command_table() -> tuple[list[Command], list[str]]:
    """The commands with their options, in the order of `gitops-lb --help`, and the rule ids."""
    from gitops_lb.cli import build_parser
    from gitops_lb.rules import all_rules

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in sub._choices_actions}
    commands = []
    for name, p in sub.choices.items():
        options: list[Option] = []
        positional = Option((), ANY)
        for action in p._actions:
            kind, words = value_kind(action)
            if action.option_strings:
                options.append(Option(tuple(action.option_strings), kind, words, action.help or ""))
            elif positional.kind == ANY:
                positional = Option((), kind, words)
        commands.append(Command(name, helps.get(name, ""), tuple(options), positional))
    return commands, sorted(all_rules())


TOP_OPTIONS = (
    Option(("-h", "--help"), FLAG, help="show the help and exit"),
    Option(("--version",), FLAG, help="print the version and exit"),
)


def takes_value(option: Option) -> bool:
    return option.kind != FLAG


# --- bash and zsh ----------------------------------------------------------------------------
# The two scripts are one program: find the command (the first word that is not an option),
# collect the paths given so far (where --cluster finds its names), then complete the word
# under the cursor from the option before it or the command's options and arguments. A Shell
# holds what differs: the header, how a kind of value is offered, how the function reads the
# command line and how the script registers itself.


@dataclass(frozen=True, slots=True)
class Shell:
    header: tuple[str, ...]  # the lines before _gitops_lb_reply (comments, the rule ids)
    reply: tuple[str, ...]  # the arms of _gitops_lb_reply's `case $kind in`
    start: tuple[str, ...]  # _gitops_lb's first lines: its locals, then --option=value
    words: str  # the array of the command line's words
    current: str  # the index in `words` of the word under the cursor
    first: int  # the index in `words` of the word after the program's name
    ret: str  # how _gitops_lb returns
    split_equals: bool  # the shell splits --option=value into three words (`=` one of them)
    paths_note: tuple[str, ...]  # the lines before the loop that collects the paths
    finish: tuple[str, ...]  # _gitops_lb's last lines
    footer: tuple[str, ...]  # the lines after _gitops_lb: its registration


def _quoted(words: Iterable[str]) -> str:
    return " ".join(words)


def _reply(option: Option) -> str:
    if option.kind == WORDS:
        return f"_gitops_lb_reply words {_quoted(option.words)}"
    return f"_gitops_lb_reply {option.kind}"


def _bash(rules: Sequence[str], version: str) -> Shell:
    return Shell(
        header=(
            f"# bash completion for {PROG} {version} (printed by `{PROG} completion bash`).",
            f"# Load it from ~/.bashrc:  source <({PROG} completion bash)",
            f"_gitops_lb_rules='{_quoted(rules)}'",
            "",
            "# _gitops_lb_reply KIND [WORD...]: COMPREPLY for the word under the cursor ($cur)",
        ),
        reply=(
            '        words) mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur") ;;',
            '        rules) mapfile -t COMPREPLY < <(compgen -W "$_gitops_lb_rules" -- "$cur") ;;',
            "        files)",
            "            compopt -o filenames 2>/dev/null",
            '            mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;',
            "        dirs)",
            "            compopt -o filenames 2>/dev/null",
            '            mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;',
            "        clusters)",
            "            mapfile -t COMPREPLY < <(compgen -W "
            '"$("$prog" __complete clusters "${paths[@]}" 2>/dev/null)" -- "$cur") ;;',
            "        *) COMPREPLY=() ;;",
        ),
        start=(
            "    local cur=${COMP_WORDS[COMP_CWORD]} prev='' prog=${COMP_WORDS[0]} cmd='' takes=''",
            "    local i word",
            "    local -a paths=()",
            "    COMPREPLY=()",
            "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}",
            "    # --option=value: bash splits the word at '=' (COMP_WORDBREAKS)",
            "    if [[ $cur == = ]]; then",
            "        cur=''",
            "    elif [[ $prev == = ]] && (( COMP_CWORD >= 2 )); then",
            "        prev=${COMP_WORDS[COMP_CWORD-2]}",
            "    fi",
        ),
        words="COMP_WORDS",
        current="COMP_CWORD",
        first=1,
        ret="return 0",
        split_equals=True,
        paths_note=("    # the paths given so far: where --cluster finds its names",),
        finish=("    return 0",),
        footer=(f"complete -F _gitops_lb {PROG}",),
    )


def _zsh(rules: Sequence[str], version: str) -> Shell:
    return Shell(
        header=(
            f"#compdef {PROG}",
            f"# zsh completion for {PROG} {version} (printed by `{PROG} completion zsh`).",
            f"# Load it from ~/.zshrc after compinit:  source <({PROG} completion zsh)",
            f"# or save it as _{PROG} in a folder of $fpath.",
            "",
            f"_gitops_lb_rules=({_quoted(rules)})",
            "",
        ),
        reply=(
            '        words) compadd -- "$@" ;;',
            '        rules) compadd -- "${_gitops_lb_rules[@]}" ;;',
            "        files) _files ;;",
            "        dirs) _files -/ ;;",
            "        clusters)",
            "            local -a names",
            '            names=(${(f)"$("$prog" __complete clusters "${paths[@]}" 2>/dev/null)"})',
            '            compadd -- "${names[@]}" ;;',
        ),
        start=(
            "    local cur=${words[CURRENT]} prev=${words[CURRENT-1]} prog=${words[1]}"
            " cmd='' takes=''",
            "    local i word",
            "    local -a paths",
            "    if [[ $cur == --*=* ]]; then  # --option=value",
            "        prev=${cur%%=*}",
            "        compset -P '*='",
            "        cur=${cur#*=}",
            "    fi",
        ),
        words="words",
        current="CURRENT",
        first=2,
        ret="return",
        split_equals=False,
        paths_note=(),
        finish=(),
        footer=(
            "",
            f"if [[ ${{funcstack[1]-}} == _{PROG} ]]; then",
            '    _gitops_lb "$@"',
            "else",
            f"    compdef _gitops_lb {PROG}",
            "fi",
        ),
    )


def shell_script(shell: Shell, commands: Sequence[Command]) -> str:
    """The bash or zsh script: one program, in the dialect `shell` describes."""
    words, current, ret = shell.words, shell.current, shell.ret
    # bash's `=` of --option=value is a word of its own: neither a path nor an option's value
    equals, after_equals = (
        (" || $word == =", f" || ${{{words}[i-1]}} == =") if shell.split_equals else ("", "")
    )
    out = [
        *shell.header,
        "_gitops_lb_reply() {",
        "    local kind=$1",
        "    shift",
        "    case $kind in",
        *shell.reply,
        "    esac",
        "}",
        "",
        "_gitops_lb() {",
        *shell.start,
        f"    for (( i = {shell.first}; i < {current}; i++ )); do",
        f"        word=${{{words}[i]}}",
        "        [[ $word == -* ]] && continue",
        "        cmd=$word",
        "        break",
        "    done",
        "    if [[ -z $cmd ]]; then",
        "        if [[ $cur == -* ]]; then",
        f"            _gitops_lb_reply words {_quoted(f for o in TOP_OPTIONS for f in o.flags)}",
        "        else",
        f"            _gitops_lb_reply words {_quoted([c.name for c in commands])}",
        "        fi",
        f"        {ret}",
        "    fi",
        "    case $cmd in",
    ]
    for c in commands:
        valued = [f for o in c.options if takes_value(o) for f in o.flags]
        out.append(f"        {c.name}) takes=' {_quoted(valued)} ' ;;")
    out += [
        "    esac",
        *shell.paths_note,
        f"    for (( i = i + 1; i < {current}; i++ )); do",
        f"        word=${{{words}[i]}}",
        f"        [[ $word == -*{equals} ]] && continue",
        f'        [[ $takes == *" ${{{words}[i-1]}} "*{after_equals} ]] && continue',
        '        [[ -e $word ]] && paths+=("$word")',
        "    done",
        "    case $cmd in",
    ]
    for c in commands:
        out.append(f"        {c.name})")
        out.append("            case $prev in")
        for o in c.options:
            if takes_value(o):
                reply = ret if o.kind == ANY else f"{_reply(o)}; {ret}"
                out.append(f"                {'|'.join(o.flags)}) {reply} ;;")
        out.append("            esac")
        flags = [f for o in c.options for f in o.flags]
        out.append("            if [[ $cur == -* ]]; then")
        out.append(f"                _gitops_lb_reply words {_quoted(flags)}")
        if c.positional.kind != ANY:
            out.append("            else")
            out.append(f"                {_reply(c.positional)}")
        out.append("            fi ;;")
    out += ["    esac", *shell.finish, "}", *shell.footer, ""]
    return "\n".join(out)


def bash_script(commands: Sequence[Command], rules: Sequence[str]) -> str:
    from gitops_lb import __version__

    return shell_script(_bash(rules, __version__), commands)


def zsh_script(commands: Sequence[Command], rules: Sequence[str]) -> str:
    from gitops_lb import __version__

    return shell_script(_zsh(rules, __version__), commands)


# --- fish ------------------------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_flags(option: Option) -> str:
    parts = []
    for flag in option.flags:
        if flag.startswith("--"):
            parts.append(f"-l {flag[2:]}")
        else:
            parts.append(f"-s {flag[1:]}")
    return " ".join(parts)


def _fish_value(option: Option, rules: Sequence[str]) -> str:
    if option.kind == WORDS:
        return f"-x -a {_fish_quote(' '.join(option.words))}"
    if option.kind == RULES:
        return "-x -a '(__gitops_lb_rules)'"
    if option.kind == CLUSTERS:
        return "-x -a '(__gitops_lb_clusters)'"
    if option.kind == FILES:
        return "-r -F"
    if option.kind == DIRS:
        return "-x -a '(__fish_complete_directories)'"
    if option.kind == ANY:
        return "-x"
    return ""


def fish_script(commands: Sequence[Command], rules: Sequence[str]) -> str:
    from gitops_lb import __version__

    out = [
        f"# fish completion for {PROG} {__version__} (printed by `{PROG} completion fish`).",
        f"# Save it:  {PROG} completion fish > ~/.config/fish/completions/{PROG}.fish",
        "",
        "function __gitops_lb_clusters",
        "    # the paths given so far (or the current folder) hold the site specs",
        "    set -l words (commandline -opc)",
        "    set -l paths",
        "    for word in $words[3..-1]",
        "        if not string match -q -- '-*' $word; and test -e $word",
        "            set -a paths $word",
        "        end",
        "    end",
        "    $words[1] __complete clusters $paths 2>/dev/null",
        "end",
        "",
        "function __gitops_lb_rules",
        f"    printf '%s\\n' {' '.join(rules)}",
        "end",
        "",
        f"complete -c {PROG} -f",
    ]
    for o in TOP_OPTIONS:
        out.append(
            f"complete -c {PROG} -n '__fish_use_subcommand' {_fish_flags(o)} "
            f"-d {_fish_quote(first_sentence(o.help))}"
        )
    for c in commands:
        out.append(
            f"complete -c {PROG} -n '__fish_use_subcommand' -a {c.name} "
            f"-d {_fish_quote(first_sentence(c.help))}"
        )
    for c in commands:
        when = f"-n '__fish_seen_subcommand_from {c.name}'"
        out.append("")
        out.append(f"# {c.name}")
        if c.positional.kind in (FILES, DIRS):
            out.append(f"complete -c {PROG} {when} -F")
        elif c.positional.kind == RULES:
            out.append(f"complete -c {PROG} {when} -a '(__gitops_lb_rules)'")
        elif c.positional.kind == WORDS:
            out.append(f"complete -c {PROG} {when} -a {_fish_quote(' '.join(c.positional.words))}")
        for o in c.options:
            line = f"complete -c {PROG} {when} {_fish_flags(o)}"
            value = _fish_value(o, rules)
            if value:
                line += f" {value}"
            line += f" -d {_fish_quote(first_sentence(o.help))}"
            out.append(line)
    out.append("")
    return "\n".join(out)


# --- gitops-lb __complete: the callback of the scripts ---------------------------------------

MAX_FILES = 5000  # a folder walk stops here: completion must answer at once
MAX_BYTES = 2 * 1024 * 1024  # larger files are not site specs worth reading for names
_SITE_KIND = re.compile(r"""^kind:\s*["']?Site["']?\s*(?:#.*)?$""", re.M)
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})


def complete(argv: Sequence[str]) -> int:
    """`gitops-lb __complete clusters [PATH...]`: SITE/CLUSTER names, one a line, sorted. It
    prints nothing else, whatever it meets (a shell shows what it prints as candidates)."""
    if not argv or argv[0] != "clusters":
        return 2
    for name in cluster_names(argv[1:] or ["."]):
        sys.stdout.write(f"{name}\n")
    return 0


def yaml_files(paths: Sequence[str]) -> Iterator[str]:
    count = 0
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_FOLDERS)
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                    count += 1
                    if count > MAX_FILES:
                        return
                    yield os.path.join(folder, name)


def cluster_names(paths: Sequence[str]) -> list[str]:
    """The SITE/CLUSTER of every cluster of the site specs in `paths`: a light scan, not a
    validation (a file that does not parse gives the names of the documents before the
    mistake)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: set[str] = set()
    for path in yaml_files(paths):
        try:
            if os.path.getsize(path) > MAX_BYTES:
                continue
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            continue
        if not _SITE_KIND.search(text):
            continue
        try:
            for doc in yaml.load_all(text, Loader=loader):  # a safe loader
                found.update(_site_clusters(doc))
        except yaml.YAMLError:
            continue
    return sorted(found)


def _site_clusters(doc: object) -> Iterator[str]:
    if not isinstance(doc, dict) or doc.get("kind") != "Site":
        return
    api = doc.get("apiVersion")
    metadata, spec = doc.get("metadata"), doc.get("spec")
    if not (isinstance(api, str) and api.startswith("gitops-lb.io/")):
        return
    if not (isinstance(metadata, dict) and isinstance(spec, dict)):
        return
    site, clusters = metadata.get("name"), spec.get("clusters")
    if not isinstance(site, str) or not isinstance(clusters, list):
        return
    for cluster in clusters:
        name = cluster.get("name") if isinstance(cluster, dict) else None
        if isinstance(name, str) and name and not any(c.isspace() for c in site + name):
            yield f"{site}/{name}"
