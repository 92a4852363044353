"""What the whole-repository rules keep of a site once its own checks have run.

`validate` checks one site at a time and lets it go, so memory holds one site, not the whole
repository. Comparing sites with each other (duplicate site names, pools of two sites that
overlap) needs only this summary: the site's name and where it is written, and the address
blocks of its pools.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Item
from gitops_lb.diagnostics import FieldPath
from gitops_lb.site.overlap import Block, blocks
from gitops_lb.yamlload import positions_only

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

NAME_PATH: FieldPath = ("metadata", "name")


@dataclass(eq=False, slots=True)
class SiteSummary:
    number: int  # input order of the site
    name: str
    item: Item[Any]  # the site document, reduced to the positions of metadata.name
    blocks: list[Block]  # every pool address block of every cluster, numbered in input order


def by_site(targets: Sequence[ClusterTarget]) -> Iterator[list[ClusterTarget]]:
    """Runs of consecutive clusters of one site document (as lowering returns them)."""
    run: list[ClusterTarget] = []
    for target in targets:
        if run and run[0].site_doc is not target.site_doc:
            yield run
            run = []
        run.append(target)
    if run:
        yield run


def summarize(targets: Sequence[ClusterTarget], number: int, first: int) -> SiteSummary:
    """The summary of one site's clusters (non-empty), the first of them numbered `first`."""
    t = targets[0]
    name = t.site.metadata.name
    item: Item[Any] = Item(None, "Site", name, None, t.file, positions_only(t.site_doc, NAME_PATH))
    return SiteSummary(number, name, item, blocks(targets, first, number, keep_targets=False))
