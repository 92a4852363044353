"""How each command reads a bad input file: the argument lists of the bad-input matrix.

`lint` reads manifests, `validate` and `compile` read site specs; a bad file breaks all of them
the same way, so every input class runs through every command that reads files.
"""

from __future__ import annotations

from pathlib import Path

from gitops_lb.cli import COMMANDS

READERS = tuple(c for c in ("lint", "validate", "compile") if c in COMMANDS)


def argv(command: str, path: str, tmp: Path, *, fmt: str = "json") -> list[str]:
    """The command line that makes `command` read `path` (a file, a folder or -)."""
    if command == "compile":
        return ["compile", path, "-o", str(tmp / "compiled"), "--format", fmt]
    return [command, path, "--format", fmt]


def reads_stdin(command: str) -> bool:
    return command == "lint"
