"""The mark of a compiled tree: DIR/.gitops-lb-manifest, which lists the files compile wrote.

The writer keeps it (it decides which files a compile may rewrite or delete); the commands that
read site specs recognise a compiled tree by it and skip the files it lists. A file of that name
counts only when it starts with the header compile writes, so a stray file is not taken for one.
"""

from __future__ import annotations

MANIFEST = ".gitops-lb-manifest"
MANIFEST_HEADER = (
    "# Written by `gitops-lb compile`: the files below are generated and may be rewritten or\n"
    "# deleted by the next compile. Every other file in this folder is left alone.\n"
)
_FIRST_LINE = MANIFEST_HEADER.partition("\n")[0]
_MAX_BYTES = 64 * 1024 * 1024


def is_manifest(text: str) -> bool:
    return text.partition("\n")[0].rstrip("\r") == _FIRST_LINE


def listed(text: str) -> frozenset[str]:
    """The paths a manifest lists (relative to its folder, forward slashes)."""
    return frozenset(
        line.rstrip("\r") for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def written_files(path: str) -> frozenset[str] | None:
    """The files a compiled tree's manifest lists, or None when `path` is not such a manifest."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_BYTES)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return listed(text) if is_manifest(text) else None
