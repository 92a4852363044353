"""A folder tree as a value, to compare trees before and after a write."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file below root by its POSIX relative path: its bytes, or "-> target" for a link.

    Links are recorded, never followed, so a tree that gains a link where a file was (or a
    link that leads out of root) differs from the tree it was. Empty folders are not recorded.
    """
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
    return out
