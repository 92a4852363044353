"""Two BGPAdvertisements would announce the same prefix with different LOCAL_PREFs.

When two advertisements apply to the same pool, MetalLB requires them to agree on
`localPref` unless they cannot produce the same BGP update: they use different aggregation
lengths for every address family the pool has, they name disjoint, non-empty `peers` lists,
or they select disjoint sets of Nodes. Otherwise the configuration is rejected ("local
preference ... was already set for the same type of BGP update"). Advertisements with
`serviceSelectors` are exempt. The node test uses the Node objects in the input, as MetalLB
uses the cluster's Nodes. Without Nodes in the input, two advertisements without
`nodeSelectors` (or with an empty selector) still conflict: both apply to every node, so they
share any node the cluster has, and MetalLB refuses them as soon as it has one. Whether
advertisements with node selectors share a node is then unknown, and they are not reported
(add the output of `kubectl get nodes -o yaml` to check them). Give the advertisements the same
`localPref`, or separate their peers or nodes.

The check came with MetalLB v0.13.10. Up to v0.14.9 different aggregation lengths set them
apart only when both `aggregationLength` and `aggregationLengthV6` differ, whatever the pool's
address families; from v0.15.0 the lengths of the families the pool has are compared (so a
different `aggregationLength` suffices for an IPv4-only pool). The `serviceSelectors`
exemption exists from v0.16.0, the first release with that field.
"""

from collections.abc import Iterator
from functools import partial

from gitops_lb.config import ClusterConfig, Finding, Item, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb import models as m
from gitops_lb.metallb.bgpadv import compatible_specs, entry_families, node_names
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import FEATURES, has, v
from gitops_lb.rules._base import Applicability, Rule
from gitops_lb.words import field_value, from_site, short

ID = "bgpadv-localpref-conflict"


Adv = Item[m.BGPAdvertisement]
SHOWN = 5  # pool names in a message
# what the comparison reads besides localPref; an advertisement read in part is not compared
COMPARED = (
    ("spec", "nodeSelectors"),
    ("spec", "serviceSelectors"),
    ("spec", "aggregationLength"),
    ("spec", "aggregationLengthV6"),
)


def every_node(adv: Adv) -> bool:
    """The advertisement applies to every node: no selector, or one that selects everything."""
    sels = adv.model.spec.nodeSelectors
    return not sels or any(not s.matchLabels and not s.matchExpressions for s in sels)


def conflicting(cfg: ClusterConfig, advs: list[Adv], families: set[int]) -> list[tuple[Adv, Adv]]:
    """(later, earlier) pairs of one pool's advertisements that MetalLB would refuse."""
    nodes: dict[int, frozenset[str]] = {}  # each advertisement's nodes, computed once

    def disjoint(a: Adv, b: Adv) -> bool:
        if not cfg.nodes:  # no inventory: only two advertisements for every node surely meet
            return not (every_node(a) and every_node(b))
        for adv in (a, b):
            if id(adv) not in nodes:
                nodes[id(adv)] = frozenset(node_names(cfg, adv))
        return not nodes[id(a)] & nodes[id(b)]

    per_family = has(cfg.metallb_version, "localpref_per_family")
    out: list[tuple[Adv, Adv]] = []
    for i, later in enumerate(advs):
        for earlier in advs[:i]:
            sa, sb = later.model.spec, earlier.model.spec
            if sa.localPref == sb.localPref:
                continue  # the common case, decided without looking further
            meet = partial(disjoint, later, earlier)
            if not compatible_specs(sa, sb, families, meet, per_family=per_family):
                out.append((later, earlier))
    return out


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    sem = semantics_of(cfg)
    order = {id(adv): i for i, adv in enumerate(cfg.bgpadvs)}
    conflicts: dict[tuple[int, int], list[str]] = {}
    pairs: dict[tuple[int, int], tuple[Adv, Adv]] = {}
    # pools that the same advertisements select (by a label selector, typically) and that
    # have the same families give the same pairs: each set is examined once
    done: dict[tuple[tuple[int, ...], frozenset[int]], list[tuple[Adv, Adv]]] = {}
    for pool in cfg.pools:
        advs = [
            a
            for a in sem.pool_bgpadvs[id(pool)]
            if not a.model.spec.serviceSelectors and a.sure(*COMPARED)
        ]
        families = entry_families(cfg, pool)
        sig = (tuple(id(a) for a in advs), frozenset(families))
        if sig not in done:
            done[sig] = conflicting(cfg, advs, families)
        for later, earlier in done[sig]:
            key = (order[id(later)], order[id(earlier)])
            pairs[key] = (later, earlier)
            conflicts.setdefault(key, []).append(pool.name)
    for key in sorted(pairs):
        later, earlier = pairs[key]
        names = conflicts[key]
        shown = ", ".join(repr(n) for n in names[:SHOWN])
        more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
        pools = ("pools " if len(names) > 1 else "pool ") + shown + more
        path = ("spec", "localPref")
        theirs = str(earlier.model.spec.localPref)
        other = (
            field_value(earlier, path, theirs, scope=False)
            if from_site(earlier)
            else f"{earlier.name!r} localPref {theirs}"
        )
        yield Finding(
            f"{field_value(later, path, str(later.model.spec.localPref))} conflicts with "
            f"{other} for {pools}" + ("" if cfg.nodes else " (both apply to every node)"),
            later,
            path,
            related=(Rel(f"{short(earlier)} is here", earlier, path),),
        )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(versions=FEATURES["localpref_check"], changes=(v("0.15.0"), v("0.16.0"))),
)
