"""Which nodes may announce a pool's addresses, and on which interfaces.

As the speaker of MetalLB v0.15.1 decides it: speaker/layer2_controller.go and
speaker/bgp_controller.go, with the node exclusion label in internal/k8s/nodes/nodes.go.

An advertisement attached to a pool lets a node announce the pool's addresses when its
nodeSelectors select the node (none: every node; invalid selectors: no node). A node labelled
node.kubernetes.io/exclude-from-external-load-balancers announces nothing. In L2 only the
advertisements whose serviceSelectors match a Service count for that Service, and a node
answers on the interfaces its advertisements list (every interface when one lists none).

One implementation for the speaker plan of `gitops-lb plan` (gitops_lb.compile.plan) and for
reconcile's check of who announces a Service live (gitops_lb.reconcile.nodes). `Speakers`
answers for many nodes at once from a label index: each selector list is matched once, not once
per node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from gitops_lb.metallb import models as m
from gitops_lb.metallb.labelindex import LabelIndex
from gitops_lb.metallb.selectors import any_matches
from gitops_lb.metallb.semantics import selectors_valid, semantics_of

if TYPE_CHECKING:
    from gitops_lb.config import ClusterConfig, Item

EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers"

# node name -> interfaces it may announce on (None: any interface)
Allowed = dict[str, frozenset[str] | None]

Adv = TypeVar("Adv", bound="Item[Any]")


def excluded(labels: Mapping[str, str]) -> bool:
    """MetalLB announces nothing from a node carrying the exclusion label."""
    return EXCLUDE_LABEL in labels


def selects(sels: Sequence[m.LabelSelector], labels: Mapping[str, str]) -> bool:
    """A selector list picks these labels (empty: everything; invalid: nothing)."""
    return selectors_valid(sels) and any_matches(sels, labels)


def l2_advertisements(
    cfg: ClusterConfig,
    pool: Item[m.IPAddressPool],
    service_labels: Mapping[str, str] | None = None,
) -> list[Item[m.L2Advertisement]]:
    """The pool's L2 advertisements that apply to a Service with these labels (None: any)."""
    ads: list[Item[m.L2Advertisement]] = semantics_of(cfg).pool_l2advs.get(id(pool), [])
    if service_labels is None:
        return list(ads)
    return [ad for ad in ads if selects(ad.model.spec.serviceSelectors, service_labels)]


def bgp_advertisements(
    cfg: ClusterConfig, pool: Item[m.IPAddressPool]
) -> list[Item[m.BGPAdvertisement]]:
    """The pool's BGP advertisements."""
    return list(semantics_of(cfg).pool_bgpadvs.get(id(pool), []))


def announcing(ads: Iterable[Adv], labels: Mapping[str, str]) -> list[Adv]:
    """Those of `ads` that let a node with these labels announce (none for an excluded node)."""
    if excluded(labels):
        return []
    return [ad for ad in ads if selects(ad.model.spec.nodeSelectors, labels)]


def l2_interfaces(ads: Iterable[Item[Any]]) -> frozenset[str] | None:
    """The interfaces L2 advertisements allow together (None: any interface)."""
    names: set[str] = set()
    for ad in ads:
        listed = ad.model.spec.interfaces
        if not listed:
            return None
        names.update(listed)
    return frozenset(names)


class Speakers:
    """Known nodes (name, labels) and, per advertisement, those it lets announce."""

    def __init__(self, nodes: Iterable[tuple[str, Mapping[str, str]]]) -> None:
        self.index: LabelIndex[str] = LabelIndex(nodes)
        self._excluded = [excluded(labels) for labels in self.index.labels]
        self._announcers: dict[int, list[int]] = {}
        self._l2: dict[tuple[int, ...], Allowed] = {}

    @property
    def names(self) -> list[str]:
        return self.index.members

    def announcers(self, ad: Item[Any]) -> list[int]:
        """Positions of the nodes the advertisement lets announce (`announcing` for each)."""
        found = self._announcers.get(id(ad))
        if found is None:
            sels = ad.model.spec.nodeSelectors
            picked = self.index.positions(sels) if selectors_valid(sels) else ()
            found = self._announcers[id(ad)] = [i for i in picked if not self._excluded[i]]
        return found

    def l2_allowed(
        self,
        cfg: ClusterConfig,
        pool: Item[m.IPAddressPool],
        service_labels: Mapping[str, str] | None = None,
    ) -> Allowed:
        """`l2_allowed` over these nodes."""
        ads = l2_advertisements(cfg, pool, service_labels)
        key = tuple(id(ad) for ad in ads)
        found = self._l2.get(key)
        if found is None:
            per_node: dict[int, list[Item[m.L2Advertisement]]] = {}
            for ad in ads:
                for i in self.announcers(ad):
                    per_node.setdefault(i, []).append(ad)
            found = self._l2[key] = {
                self.names[i]: l2_interfaces(per_node[i]) for i in sorted(per_node)
            }
        return dict(found)


def l2_allowed(
    cfg: ClusterConfig,
    pool: Item[m.IPAddressPool],
    nodes: Iterable[tuple[str, Mapping[str, str]]],
    service_labels: Mapping[str, str] | None = None,
) -> Allowed:
    """The nodes (name, labels) that may announce a Service of `pool` in L2, with their
    interfaces; service_labels None ignores the advertisements' serviceSelectors."""
    return Speakers(nodes).l2_allowed(cfg, pool, service_labels)
