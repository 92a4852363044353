"""The same object is defined twice in the input.

Two documents with the same kind, namespace and name describe one Kubernetes object: when
they are applied, the later one silently replaces the earlier one (Argo CD flags the
resource as repeated). Usually a copied block was not renamed. Rename one of them, or delete
the copy. MetalLB objects without a namespace count as being in MetalLB's
namespace. Pools and BFD profiles are reported by `metallb-duplicate-name`, and exact copies
of a BGPPeer or BGPAdvertisement by `metallb-duplicate-object`, since MetalLB's parser rejects
those.
"""

from collections.abc import Iterator
from typing import Any

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.rules.metallb_duplicate_name import KINDS as REPORTED_ELSEWHERE
from gitops_lb.rules.metallb_duplicate_object import identical
from gitops_lb.words import from_site, short, title

ID = "object-duplicate"


def all_items(cfg: ClusterConfig) -> Iterator[Item[Any]]:
    for items in (
        cfg.pools,
        cfg.l2advs,
        cfg.bgpadvs,
        cfg.peers,
        cfg.bfdprofiles,
        cfg.communities,
        cfg.services,
        cfg.nodes,
        cfg.namespaces,
        cfg.secrets,
    ):
        yield from items


def written_at(item: Item[Any]) -> tuple[str, int, int]:
    loc = item.locate()
    return (loc.file, loc.line, loc.column)


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    first: dict[tuple[str, str | None, str], Item[Any]] = {}
    for item in sorted(all_items(cfg), key=written_at):
        name = item.model.metadata.name
        if item.kind in REPORTED_ELSEWHERE:
            continue
        if not name:  # generateName: the API server makes each name unique
            continue
        namespace = item.namespace
        if namespace is None and isinstance(item.model, m.Resource):
            namespace = cfg.namespace
        key = (item.kind, namespace, name)
        earlier = first.setdefault(key, item)
        if earlier is item or identical(cfg, earlier, item):
            continue
        # manifests: the name as written (a kustomization may rename a Namespace's Item)
        written = f"{item.kind} {name!r}"
        what, other = (title(item), short(earlier)) if from_site(item) else (written, written)
        yield Finding(
            f"{what} is defined more than once; only one definition is applied",
            item,
            ("metadata", "name"),
            related=(Rel(f"{other} first defined here", earlier, ("metadata", "name")),),
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "input",
    __doc__ or "",
    check,
    enforced=False,
    applies=Applicability(sites_replaced_by="site-duplicate-name"),
)
