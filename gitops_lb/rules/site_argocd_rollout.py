"""The rollout (`argocd.rollout`) does not put every cluster in exactly one step.

With `argocd.layout: applicationset`, compile writes one ApplicationSet per site whose
RollingSync strategy syncs the clusters step by step, in the order of `argocd.rollout`. Each
step selects clusters by name (`clusters`) or by label (`matchLabels`, against the clusters'
`labels`), one of the two. Reported: a step with both or neither, a cluster name the site does
not have, a cluster selected by a second step (it would sync in the first one only, which is
not what the second step says), and a step that selects no cluster (a typo, usually). The
clusters that no step selects are not an error: they sync together in one more step after the
last. A rollout under the default `app-of-apps` layout is reported too, since that layout syncs
every cluster independently and the rollout would be ignored. While a cluster of the site has a
schema error (reported), unknown names and steps that select nothing are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from gitops_lb.config import Finding, Item, Rel
from gitops_lb.diagnostics import FieldPath, Severity
from gitops_lb.rules._base import SITES_ONLY, Rule
from gitops_lb.site.facts import one_per_site, site_item
from gitops_lb.site.rollout import selects

if TYPE_CHECKING:
    from gitops_lb.site.target import ClusterTarget

ID = "site-argocd-rollout"
ROLLOUT = ("spec", "argocd", "rollout")


def check_sites(targets: Sequence[ClusterTarget]) -> Iterator[Finding]:
    for target in one_per_site(targets):
        argo = target.site.spec.argocd
        if not argo.rollout:
            continue
        item = site_item(target)
        if not item.sure(("spec", "argocd", "layout")):
            continue  # the layout's own error is reported; the rollout is not checked against it
        # a cluster that could not be read (its schema error is reported) may be the one a
        # step names or matches: names and labels are then not checked
        clusters_sure = item.sure(("spec", "clusters"))
        if argo.layout != "applicationset":
            yield Finding(
                f"argocd.rollout needs argocd.layout: applicationset; the {argo.layout} layout "
                "syncs every cluster on its own and ignores it",
                item,
                ROLLOUT,
            )
            continue
        clusters = target.site.spec.clusters
        known = {c.name for c in clusters}
        first: dict[str, int] = {}  # cluster -> the step that took it
        for n, step in enumerate(argo.rollout):
            where = (*ROLLOUT, n)
            if bool(step.clusters) == bool(step.matchLabels):
                how = "not both" if step.clusters else "and it has neither"
                yield Finding(
                    f"rollout step {n + 1} must select clusters either by name (clusters) or "
                    f"by label (matchLabels), {how}",
                    item,
                    where,
                )
                continue
            if step.clusters:
                for j, name in enumerate(step.clusters):
                    path: FieldPath = (*where, "clusters", j)
                    if name not in known:
                        if not clusters_sure:
                            continue
                        yield Finding(
                            f"rollout step {n + 1} names cluster {name!r}, which site "
                            f"{target.site.metadata.name!r} does not have (known: "
                            f"{', '.join(sorted(known)) or 'none'})",
                            item,
                            path,
                        )
                    elif name in first:
                        yield _again(name, n, first[name], item, path)
                    else:
                        first[name] = n
                continue
            path = (*where, "matchLabels")
            chosen = [c.name for c in clusters if selects(step, c)]
            if not chosen and clusters_sure:
                yield Finding(
                    f"rollout step {n + 1} selects no cluster: no cluster has all the labels "
                    f"{', '.join(f'{k}={v}' for k, v in sorted(step.matchLabels.items()))}",
                    item,
                    path,
                )
            for name in chosen:
                if name in first:
                    yield _again(name, n, first[name], item, path)
                else:
                    first[name] = n


def _again(name: str, n: int, earlier: int, item: Item[Any], path: FieldPath) -> Finding:
    return Finding(
        f"cluster {name!r} is in rollout step {earlier + 1} already; a cluster syncs in one "
        f"step only, so step {n + 1} cannot take it",
        item,
        path,
        related=(Rel(f"rollout step {earlier + 1}", item, (*ROLLOUT, earlier)),),
    )


RULE = Rule(ID, Severity.ERROR, "site", __doc__ or "", check_sites=check_sites, applies=SITES_ONLY)
