"""A pool holds a Node's InternalIP (MetalLB v0.15.0 only).

MetalLB v0.15.0 refuses the whole configuration when a CIDR of an IPAddressPool (a range
counts as the CIDRs that cover it) contains the InternalIP of a Node of the same family: the
IPAddressPool webhook denies the pool and the speakers fail to load the configuration. v0.15.1
reverted the check, and no other release has it. Handing out a node's own address to a Service
is a mistake in any release (`site-pool-reserved` reports it on site specs), but only v0.15.0
refuses it. Checked with the Node objects in the input (`kubectl get nodes -o yaml`). Fix: take
the node addresses out of the pool, or upgrade to v0.15.1.
"""

from collections.abc import Iterator

from gitops_lb.config import ClusterConfig, Finding, Rel
from gitops_lb.diagnostics import Severity
from gitops_lb.metallb.ipnet import family_value, parse_ip
from gitops_lb.metallb.semantics import semantics_of
from gitops_lb.metallb.versions import FEATURES
from gitops_lb.rules._base import Applicability, Rule

ID = "pool-contains-node-ip"


def check(cfg: ClusterConfig) -> Iterator[Finding]:
    node_ips = []
    for node in cfg.nodes:
        for i, address in enumerate(node.model.status.addresses):
            ip = parse_ip(address.address) if address.type == "InternalIP" else None
            if ip is not None:
                node_ips.append((family_value(ip), node, i, address.address))
    if not node_ips:
        return
    sem = semantics_of(cfg)
    for pool in cfg.pools:
        for i, entry in enumerate(sem.pool_entries[id(pool)]):
            inside = [
                (node, at, text)
                for (family, value), node, at, text in node_ips
                if any(n.family == family and n.first <= value <= n.last for n in entry.nets)
            ]
            if not inside:
                continue
            node, at, text = inside[0]
            more = f" (and {len(inside) - 1} more node addresses)" if len(inside) > 1 else ""
            yield Finding(
                f"pool {pool.name!r} address {entry.text!r} contains {text}, the InternalIP of "
                f"Node {node.name!r}{more}; MetalLB {cfg.metallb_version} refuses pools that "
                "hold node addresses",
                pool,
                ("spec", "addresses", i),
                related=(Rel(f"Node {node.name!r}", node, ("status", "addresses", at)),),
            )


RULE = Rule(
    ID,
    Severity.ERROR,
    "metallb",
    __doc__ or "",
    check,
    enforced=True,
    applies=Applicability(
        versions=FEATURES["pool_excludes_node_ips"], sites_replaced_by="site-pool-reserved"
    ),
)
