"""What lowering a site spec produces for each cluster: the contract between the site spec
(gitops_lb.site.lower) and its consumers (validate, compile, plan, reconcile, diff)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_lb.config import ClusterConfig
from gitops_lb.diagnostics import FieldPath
from gitops_lb.yamlload import LocMap

if TYPE_CHECKING:
    from gitops_lb.site.models import Cluster, Site


# the kind under which a site's networks that could not be read are remembered in each of its
# clusters' ClusterConfig.unreadable (site rules that look networks up ask for it)
NETWORK = "Network"


@dataclass(eq=False)
class ClusterTarget:
    """One cluster of one site, lowered.

    config holds the MetalLB objects (pools, advertisements from the shorthands and the full
    forms, peers, communities, BFD profiles), the Services (emit: false ones too, they are
    reservations), and Node objects made from the inventory; every Item.doc is a LocMap in
    Kubernetes shape whose positions are those of the site spec lines it came from.
    """

    site: Site
    cluster: Cluster
    file: str  # the site spec file
    site_doc: LocMap  # the site document as loaded (positions)
    cluster_path: FieldPath  # ("spec", "clusters", i)
    config: ClusterConfig
    # fields of the site document not read as written (see Item.unsure, Item.partial): the
    # site was salvaged from schema errors, which are reported
    site_unsure: frozenset[FieldPath] = frozenset()
    site_partial: frozenset[FieldPath] = frozenset()

    @property
    def id(self) -> str:
        return f"{self.site.metadata.name}/{self.cluster.name}"


def select(targets: Sequence[ClusterTarget], wanted: str | None) -> list[ClusterTarget]:
    """The clusters named SITE/CLUSTER (all when None); empty when none matches."""
    return [t for t in targets if wanted is None or t.id == wanted]
