"""Where compile's output folder sits in the Git repository Argo CD reads (argocd.path).

No Git library: the repository is the nearest folder, from the output folder up, that holds
a `.git` entry (a folder, or the file of a worktree or submodule).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gitops_lb.names import repo_path_spelling


@dataclass(frozen=True, slots=True)
class OutputPlace:
    """The output folder as a path inside the repository, and what that path is relative to."""

    path: str  # POSIX, normalised ("deploy", "build/demo", "." for the root itself)
    base: Path  # the repository's root, or the current folder outside any repository
    in_repository: bool

    def from_cwd(self, repo_path: str) -> str:
        """`repo_path` (relative to base) as the current folder sees it, for an -o hint."""
        target = self.base / repo_path_spelling(repo_path)
        return Path(os.path.relpath(target, Path.cwd().resolve())).as_posix()


def repository_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def output_place(output: str) -> OutputPlace | None:
    """The output folder relative to the root of the Git repository holding it, or, outside
    every repository, relative to the current folder; None when it is outside both (nothing
    says where it will sit in the repository)."""
    folder = Path(output).resolve()
    root = repository_root(folder)
    if root is not None:
        return OutputPlace(repo_path_spelling(folder.relative_to(root).as_posix()), root, True)
    cwd = Path.cwd().resolve()
    if folder == cwd or cwd in folder.parents:
        return OutputPlace(repo_path_spelling(folder.relative_to(cwd).as_posix()), cwd, False)
    return None
