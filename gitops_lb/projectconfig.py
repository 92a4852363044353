"""The project configuration file, `.gitops-lb.yaml` (docs/config.md).

Looked up from the current folder upwards, up to and including the repository root (the
folder holding `.git`); outside a Git repository only the current folder is looked at, so a
stray file in a parent folder never changes a run. `--config FILE` names the file instead and
`--no-config` ignores it. Every mistake in the file is a usage error (exit status 2) naming the
file, line and column. Only the standard library and gitops_lb.yamlload are imported here,
so the pre-commit path stays fast; the rule registry is read only when the file names rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_lb.diagnostics import Diagnostic, Location, Severity
from gitops_lb.errors import UsageError

FILE_NAME = ".gitops-lb.yaml"
KEYS = (
    "metallb-version",
    "bgp-mode",
    "namespace",
    "disable",
    "exclude",
    "per-file-disable",
    "severity",
)


@dataclass(slots=True)
class ProjectConfig:
    path: Path  # the file, absolute
    metallb_version: str | None = None
    bgp_mode: str | None = None
    namespace: str | None = None
    disable: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_disable: list[tuple[str, list[str]]] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def relative(self, file: str) -> str | None:
        """`file` relative to the config file's folder, with / separators; None outside it."""
        try:
            rel = Path(os.path.abspath(file)).relative_to(self.folder)
        except ValueError:
            return None
        return rel.as_posix()

    def excluded(self, file: str) -> bool:
        rel = self.relative(file)
        return rel is not None and any(glob_matches(g, rel) for g in self.exclude)

    def disabled_in(self, file: str) -> set[str]:
        rel = self.relative(file)
        if rel is None:
            return set()
        return {r for g, rules in self.per_file_disable if glob_matches(g, rel) for r in rules}

    def adjust(self, diags: list[Diagnostic]) -> list[Diagnostic]:
        """Findings after per-file-disable and severity."""
        from dataclasses import replace

        out: list[Diagnostic] = []
        for d in diags:
            if self.per_file_disable and d.rule in self.disabled_in(d.location.file):
                continue
            wanted = self.severity.get(d.rule)
            out.append(d if wanted is None or wanted is d.severity else replace(d, severity=wanted))
        return out


# the configuration of the current run (set by gitops_lb.cli.main)
active: ProjectConfig | None = None


def glob_to_regex(glob: str) -> re.Pattern[str]:
    """A gitignore-like glob: `*` and `?` stay within one path segment, `**` spans folders.
    A glob matches a path, or any folder above it (`vendor` excludes `vendor/a.yaml`)."""
    out: list[str] = []
    i = 0
    g = glob.strip("/")
    while i < len(g):
        if g.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif g.startswith("**", i):
            out.append(".*")
            i += 2
        elif g[i] == "*":
            out.append("[^/]*")
            i += 1
        elif g[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(g[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?")


def glob_matches(glob: str, rel: str) -> bool:
    return glob_to_regex(glob).fullmatch(rel) is not None


def find(start: Path) -> Path | None:
    """The `.gitops-lb.yaml` nearest `start`, up to the repository root (see the module)."""
    here = start.resolve()
    chain = (here, *here.parents)
    top = next((i for i, d in enumerate(chain) if (d / ".git").exists()), None)
    folders = chain[:1] if top is None else chain[: top + 1]
    for folder in folders:
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load(path: Path) -> ProjectConfig:
    """The file at `path` read and checked; UsageError on any mistake, naming where it is."""
    from gitops_lb.yamlload import LocMap, LocSeq, load_file

    shown = str(path)
    if not path.is_file():
        raise UsageError(f"{shown}: no such configuration file")
    loaded = load_file(shown)
    if loaded.issues:
        issue = loaded.issues[0]
        raise UsageError(f"{issue.location}: {issue.message} (configuration file)")
    cfg = ProjectConfig(Path(os.path.abspath(path)))
    docs = [d for d in loaded.documents if d.data is not None]
    if not docs:
        return cfg
    if len(docs) > 1:
        raise UsageError(
            f"{Location(shown, *docs[1].pos)}: the configuration file holds one document"
        )
    data = docs[0].data
    if not isinstance(data, LocMap):
        raise UsageError(
            f"{Location(shown, *docs[0].pos)}: the configuration file is a mapping of keys"
        )

    def at(pos: tuple[int, int]) -> str:
        return str(Location(shown, *pos))

    def string(key: str) -> str:
        value = data[key]
        if not isinstance(value, str) or not value:
            raise UsageError(f"{at(data.vpos[key])}: `{key}` is a string")
        return value

    def strings(value: Any, where: tuple[int, int], what: str) -> list[tuple[str, tuple[int, int]]]:
        if not isinstance(value, LocSeq):
            raise UsageError(f"{at(where)}: {what} is a list of strings")
        out = []
        for item, pos in zip(value, value.ipos, strict=True):
            if not isinstance(item, str) or not item:
                raise UsageError(f"{at(pos)}: {what} is a list of strings")
            out.append((item, pos))
        return out

    rules_named: list[tuple[str, tuple[int, int]]] = []
    for key in data:
        if key not in KEYS:
            raise UsageError(
                f"{at(data.kpos[key])}: unknown key `{key}` in the configuration file "
                f"(known: {', '.join(KEYS)}; see docs/config.md)"
            )
    if "metallb-version" in data:
        from gitops_lb.metallb.versions import UnsupportedVersion, release

        text = data["metallb-version"]
        text = str(text) if isinstance(text, (int, float)) else text
        if not isinstance(text, str):
            raise UsageError(f"{at(data.vpos['metallb-version'])}: `metallb-version` is a string")
        try:
            release(text)
        except UnsupportedVersion as exc:
            raise UsageError(f"{at(data.vpos['metallb-version'])}: {exc}") from None
        cfg.metallb_version = text
    if "bgp-mode" in data:
        from gitops_lb.config import BGP_MODES

        mode = string("bgp-mode")
        if mode not in BGP_MODES:
            raise UsageError(
                f"{at(data.vpos['bgp-mode'])}: `bgp-mode` is one of {', '.join(BGP_MODES)}, "
                f"not {mode!r}"
            )
        cfg.bgp_mode = mode
    if "namespace" in data:
        cfg.namespace = string("namespace")
    if "disable" in data:
        named = strings(data["disable"], data.vpos["disable"], "`disable`")
        rules_named += named
        cfg.disable = [r for r, _ in named]
    if "exclude" in data:
        cfg.exclude = [g for g, _ in strings(data["exclude"], data.vpos["exclude"], "`exclude`")]
    if "per-file-disable" in data:
        table = data["per-file-disable"]
        if not isinstance(table, LocMap):
            raise UsageError(
                f"{at(data.vpos['per-file-disable'])}: `per-file-disable` maps globs to "
                "lists of rules"
            )
        for glob in table:
            named = strings(table[glob], table.vpos[glob], f"`per-file-disable` of {glob!r}")
            rules_named += named
            cfg.per_file_disable.append((str(glob), [r for r, _ in named]))
    if "severity" in data:
        table = data["severity"]
        if not isinstance(table, LocMap):
            raise UsageError(
                f"{at(data.vpos['severity'])}: `severity` maps rules to error or warning"
            )
        for rule in table:
            value = table[rule]
            if value not in ("error", "warning"):
                raise UsageError(
                    f"{at(table.vpos[rule])}: the severity of {rule} is error or warning, "
                    f"not {value!r}"
                )
            rules_named.append((str(rule), table.kpos[rule]))
            cfg.severity[str(rule)] = Severity(value)
    if rules_named:
        from gitops_lb.rules import all_rules

        known = all_rules()
        for rule, pos in rules_named:
            if rule not in known:
                raise UsageError(
                    f"{at(pos)}: unknown rule {rule} in the configuration file "
                    "(see `gitops-lb explain --list`)"
                )
    return cfg


def resolve(config: str | None, no_config: bool, cwd: Path | None = None) -> ProjectConfig | None:
    """The configuration a run uses: --no-config, --config FILE, or the file looked up."""
    if no_config:
        if config is not None:
            raise UsageError("--config and --no-config cannot be given together")
        return None
    if config is not None:
        return load(Path(config))
    found = find(cwd or Path.cwd())
    return None if found is None else load(found)


def skip_predicate(cfg: ProjectConfig | None) -> Callable[[str], bool]:
    """Which files a folder walk leaves out: the configuration file itself, always, and the
    files `exclude` names."""

    def skip(path: str) -> bool:
        if os.path.basename(path) == FILE_NAME:
            return True
        return cfg is not None and bool(cfg.exclude) and cfg.excluded(path)

    return skip
