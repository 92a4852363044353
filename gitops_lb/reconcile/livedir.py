"""The live state of a fleet from `--live-dir DIR`: `DIR/SITE/CLUSTER/*.yaml` holds the
`kubectl get -o yaml` output of each cluster (any number of files, `.yaml` or `.yml`).

Only the folder layout is read here; the files themselves are read by dump.read_dump.
"""

from __future__ import annotations

from pathlib import Path

DUMP_SUFFIXES = (".yaml", ".yml")


def cluster_folder(live_dir: str | Path, site: str, cluster: str) -> Path:
    """Where the dump of SITE/CLUSTER is expected."""
    return Path(live_dir) / site / cluster


def cluster_dump_files(live_dir: str | Path, site: str, cluster: str) -> list[str] | None:
    """The dump files of SITE/CLUSTER in name order, or None when its folder is missing.

    An existing folder without a dump file gives an empty list: the caller says which of the
    two it was, since both mean that the live state of that cluster could not be read.
    """
    folder = cluster_folder(live_dir, site, cluster)
    if not folder.is_dir():
        return None
    return sorted(str(p) for p in folder.iterdir() if p.suffix in DUMP_SUFFIXES and p.is_file())
