"""File names in machine reports: relative to the repository root, with forward slashes.

CI services resolve annotation and report paths against the checkout, which is not always the
directory the command ran in (a step's `working-directory`), so the checkout named by the CI
environment wins over the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from gitops_lb.printable import display_path

ROOT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")


def source_root() -> str:
    """The repository checkout: $GITHUB_WORKSPACE or $CI_PROJECT_DIR, else the current dir."""
    for var in ROOT_VARIABLES:
        value = os.environ.get(var)
        if value and os.path.isdir(value):
            return os.path.abspath(value)
    try:
        return os.getcwd()
    except OSError:  # the current directory was removed
        return ""


def is_pseudo(file: str) -> bool:
    """Names such as <stdin> that are not paths."""
    return file.startswith("<") and file.endswith(">")


def relative_path(file: str, root: str) -> str | None:
    """`file` relative to `root` with forward slashes, or None when it lies outside."""
    if is_pseudo(file) or not root:
        return None
    try:
        rel = os.path.relpath(os.path.abspath(file), root)
    except (ValueError, OSError):  # another drive (Windows); the current directory is gone
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return PurePath(rel).as_posix()


def report_path(file: str, root: str) -> str:
    """The name to print: relative to `root` when inside it, else as given (forward slashes)."""
    rel = relative_path(file, root)
    if rel is not None:
        return rel
    return file if is_pseudo(file) else PurePath(file).as_posix()


def absolute_uri(file: str) -> str | None:
    """A file:// URI for a real file, None for <stdin> and the like."""
    if is_pseudo(file):
        return None
    try:
        return Path(display_path(os.path.abspath(file))).as_uri()
    except (ValueError, OSError):
        return None
