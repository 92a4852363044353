"""The Alauda guide's manifests get the silent-mistake and Service findings a user wants."""

from pathlib import Path

from gitops_lb.manifests import load_manifests
from gitops_lb.rules import all_rules, run_rules

SEED = Path(__file__).resolve().parents[2] / "examples" / "manifests" / "seed-guide.yaml"
MINE = {rule.id for rule in all_rules().values() if rule.category in ("silent", "service")}


def test_seed_guide_findings():
    cfg, _ = load_manifests([str(SEED)])
    got = sorted((d.location.line, d.rule, d.message) for d in run_rules(cfg) if d.rule in MINE)
    assert got == [
        (
            25,
            "pool-subnet-edges",
            "pool 'example': 192.168.10.0/24 is announced in L2 and looks like a whole subnet: "
            "MetalLB can hand out its network and broadcast addresses (and probably the "
            "gateway); use a range inside it or avoidBuggyIPs: true",
        ),
        (
            53,
            "service-no-pool",
            "Service example asks for an automatic address but no pool can give one: pool "
            "'example' has autoAssign false",
        ),
        (
            60,
            "service-deprecated-annotation",
            "Service nginx: metallb.universe.tf/loadBalancerIPs is deprecated since MetalLB "
            "0.14.9; use metallb.io/loadBalancerIPs",
        ),
        (
            60,
            "service-ip-outside-pool",
            "Service nginx: 192.168.1.100 is not inside any IPAddressPool",
        ),
        (
            74,
            "service-deprecated-annotation",
            "Service nginx: metallb.universe.tf/address-pool is deprecated since MetalLB "
            "0.14.9; use metallb.io/address-pool",
        ),
    ]
    # the IPv6 range of the pool is announced by the L2Advertisement and draws no finding;
    # under --metallb-compat these are warnings (MetalLB accepts the manifests)
    compat = [d for d in run_rules(cfg, compat=True) if d.rule in MINE]
    assert {str(d.severity) for d in compat} == {"warning"}
