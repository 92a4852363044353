"""Two things that must have different names have the same one.

Names are how the compiled output, Argo CD and MetalLB tell things apart, so each must be
unique in its scope: site names across all site spec files (each becomes an output folder),
cluster and network names within a site, and within a cluster the inventory node names, the
names per kind of the MetalLB objects (BGP peers, communities, L2 and BGP advertisements,
including those the `l2:` and `bgp:` shorthands create with the pool's name) and the
namespace/name of services. With a duplicate, one object silently replaces the other.
The later definition is reported, with the first as the related location. Two pools or two
BFD profiles with one name are `metallb-duplicate-name` (MetalLB refuses them), and the
shorthand advertisements of two pools with one name are not reported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Finding, Item, Rel
from gitops_lb.diagnostics import FieldPath, Location, Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import cluster_index, site_item
from gitops_lb.site.summary import NAME_PATH
from gitops_lb.words import kind, short

if TYPE_CHECKING:
    from gitops_lb.site.summary import SiteSummary
    from gitops_lb.site.target import ClusterTarget

ID = "site-duplicate-name"

Named = tuple[str, Item[Any], FieldPath]  # (key, item, path of the name)


# what two advertisements of different origins (a pool's shorthand, the full form) both are
ADVERTISEMENTS = {
    "L2Advertisement": "layer 2 advertisements",
    "BGPAdvertisement": "BGP advertisements",
}


def object_words(key: str, item: Item[Any], first: Item[Any]) -> str:
    """ "pool 'web' is defined twice"; for a pool's shorthand advertisement, which is named
    after its pool: "l2Advertisement 'web' and l2 of pool 'web' are both layer 2
    advertisements named 'web'"."""
    if item.origin is not None and not item.origin.frame and kind(item) == kind(first):
        return f"{kind(item)} {key!r} is defined twice"
    both = ADVERTISEMENTS.get(item.kind, f"{kind(item)}s")
    return f"{short(item)} and {short(first)} are both {both} named {key!r}"


def duplicates(named: Iterable[Named], what: str | None, scope: str = "") -> Iterator[Finding]:
    """Each entry whose key an earlier one has; `what` names the kind of thing (None: the
    objects name themselves, object_words)."""
    first: dict[str, Named] = {}
    for entry in named:
        key, item, path = entry
        if key not in first:
            first[key] = entry
            continue
        _, f_item, f_path = first[key]
        head = f"{what} {key!r} is defined twice" if what else object_words(key, item, f_item)
        yield Finding(
            f"{head}{scope}",
            item,
            path,
            related=(Rel("first defined here", f_item, f_path),),
        )


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    sites: dict[int, ClusterTarget] = {}
    for t in targets:
        sites.setdefault(id(t.site_doc), t)
    for t in sites.values():
        item = site_item(t)
        yield from duplicates(
            (
                (c.name, item, ("spec", "clusters", i, "name"))
                for i, c in enumerate(t.site.spec.clusters)
            ),
            "cluster",
            f" in site {t.site.metadata.name!r}",
        )
        yield from duplicates(
            (
                (n.name, item, ("spec", "networks", i, "name"))
                for i, n in enumerate(t.site.spec.networks)
            ),
            "network",
            f" in site {t.site.metadata.name!r}",
        )
    for t in targets:
        yield from cluster_duplicates(t)


def check_across(summaries: Sequence[SiteSummary]) -> Iterator[Finding]:
    """Site names, across every site spec given."""
    return duplicates(((s.name, s.item, NAME_PATH) for s in summaries), "site")


def cluster_duplicates(t: ClusterTarget) -> Iterator[Finding]:
    item, ci = site_item(t), cluster_index(t)
    nodes = t.cluster.nodes
    yield from duplicates(
        ((n.name, item, ("spec", "clusters", ci, "nodes", i, "name")) for i, n in enumerate(nodes)),
        "node",
        f" in cluster {t.id}",
    )
    cfg = t.config
    name = ("metadata", "name")
    # pools and BFD profiles with one name are metallb-duplicate-name's (MetalLB refuses them);
    # the advertisements the shorthands of two such pools make share the pools' name only
    # because the pools do: one mistake, reported once
    for items in (cfg.peers, cfg.communities, cfg.l2advs, cfg.bgpadvs):
        kept = _one_shorthand_per_name(_in_order(items))
        if kept:
            yield from duplicates(((it.name, it, name) for it in kept), None, f" in cluster {t.id}")
    yield from duplicates(
        ((f"{s.namespace}/{s.name}", s, name) for s in _in_order(cfg.services)),
        "service",
        f" in cluster {t.id}",
    )


def _one_shorthand_per_name(items: list[Item[Any]]) -> list[Item[Any]]:
    """The advertisements, but a shorthand's that an earlier shorthand already names: two
    pools with one name make them, and that is one mistake (metallb-duplicate-name's)."""
    seen: set[str] = set()
    kept = []
    for it in items:
        if it.origin is not None and it.origin.frame:  # a pool's `l2:` or `bgp:`
            if it.name in seen:
                continue
            seen.add(it.name)
        kept.append(it)
    return kept


def _in_order(items: list[Item[Any]]) -> list[Item[Any]]:
    """Back in the order of the site file (lists are sorted by name)."""
    return sorted(items, key=lambda it: _where(it.locate(("metadata", "name"))))


def _where(loc: Location) -> tuple[int, int]:
    return loc.line, loc.column


RULE = Rule(
    ID,
    Severity.ERROR,
    "site",
    __doc__ or "",
    check_sites=check_sites,
    applies=SITES_ONLY,
    check_across=check_across,
)
