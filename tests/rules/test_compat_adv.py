"""Would MetalLB accept this? `--metallb-compat` answers for small configurations.

Each case is modelled on a corner case of MetalLB's configuration parser for pools,
selectors, advertisements and communities. REJECT means at least one error under
--metallb-compat (MetalLB refuses the configuration); ACCEPT means no error at all.
The table keeps one case per line so it reads as a table.
"""

# ruff: noqa: E501

import pytest

from gitops_lb.metallb.versions import NEWEST
from tests.builders import bgpadv, community, l2adv, node, obj, peer
from tests.helpers import errors, pool, released

ACCEPT, REJECT = False, True
P = pool("p", "10.0.0.0/24")
PEER = "myASN: 1, peerASN: 2, peerAddress: 10.9.0.1"
ECHO = obj("BFDProfile", "e", "{echoMode: true}") + peer("r", f"{{{PEER}, bfdProfile: e}}")


def expr(key: str, op: str, *values: str) -> str:
    vals = f", values: [{', '.join(values)}]" if values else ""
    return f"{{key: {key}, operator: {op}{vals}}}"


def sel(*exprs: str) -> str:
    return f"{{matchExpressions: [{', '.join(exprs)}]}}"


def spec(**fields: str) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"


def alloc(**fields: str) -> str:
    return f"  serviceAllocation: {spec(**fields)}\n"


def lp(value: int, **fields: str) -> str:
    return spec(localPref=str(value), **fields)


def pref(selector: str) -> str:
    return f"[{{weight: 1, preference: {selector}}}]"


N1 = node("n1")
ZONES = node("n1", "{r: a}") + node("n2", "{r: b}")
DUAL = pool("p", "10.0.0.0/24", "fc00::/64")
COMMS_64 = "[" + ", ".join(f"'1:{i}'" for i in range(64)) + "]"

# fmt: off
CASES: list[tuple[str, str, str | None, bool]] = [
    # --- pools ---
    ("host bits masked", pool("p", "192.168.1.10/24"), None, ACCEPT),
    ("prefix /33", pool("p", "10.0.0.0/33"), None, REJECT),
    ("ipv6 /129", pool("p", "fc00::/129"), None, REJECT),
    ("bare address", pool("p", "10.0.0.1"), None, REJECT),
    ("leading space", pool("p", " 10.0.0.0/8"), None, REJECT),
    ("range", pool("p", "10.0.0.1-10.0.0.10"), None, ACCEPT),
    ("range with spaces", pool("p", "10.0.0.1 - 10.0.0.10"), None, ACCEPT),
    ("single address range", pool("p", "10.0.0.1-10.0.0.1"), None, ACCEPT),
    ("range start after end", pool("p", "10.0.0.10-10.0.0.1"), None, REJECT),
    ("range bad end", pool("p", "10.0.0.1-10.0.0"), None, REJECT),
    ("ipv6 range", pool("p", "fc00::1-fc00::ff"), None, ACCEPT),
    ("mapped ipv6 pool alone", pool("p", "::ffff:1.2.3.0/120"), None, ACCEPT),
    ("mapped ipv6 overlaps ipv4", P + pool("q", "::ffff:10.0.0.0/120"), None, REJECT),
    ("mapped ipv6 behind bgp", pool("p", "::ffff:1.2.3.0/120") + bgpadv("b"), None, REJECT),
    ("mapped ipv6 behind l2", pool("p", "::ffff:1.2.3.0/120") + l2adv("l"), None, ACCEPT),
    ("empty pool", pool("p"), None, REJECT),
    ("overlap across pools", P + pool("q", "10.0.0.128/25"), None, REJECT),
    ("duplicate namespaces", pool("p", "10.0.0.0/24", extra=alloc(namespaces="[a, a]")), None, REJECT),
    ("large priority", pool("p", "10.0.0.0/24", extra=alloc(priority="3000000000")), None, ACCEPT),
    ("negative priority", pool("p", "10.0.0.0/24", extra=alloc(priority="-1")), None, ACCEPT),
    ("pool without name", pool('""', "10.0.0.0/24"), None, REJECT),
    ("advertisement defined twice", P + l2adv("l") + l2adv("l"), None, ACCEPT),
    ("nameless advertisements", P + bgpadv('""', lp(1)) + bgpadv('""', lp(1, communities="['1:1']")), None, ACCEPT),
    # --- selectors ---
    ("operator In", P + l2adv("l", spec(nodeSelectors=f"[{sel(expr('a', 'In', 'x'))}]")), None, ACCEPT),
    ("operator in", P + l2adv("l", spec(nodeSelectors=f"[{sel(expr('a', 'in', 'x'))}]")), None, REJECT),
    ("operator Gt", P + l2adv("l", spec(nodeSelectors=f"[{sel(expr('a', 'Gt', '1'))}]")), None, REJECT),
    ("In without values", P + bgpadv("b", spec(nodeSelectors=f"[{sel(expr('a', 'In'))}]")), None, REJECT),
    ("Exists without values", P + bgpadv("b", spec(nodeSelectors=f"[{sel(expr('a', 'Exists'))}]")), None, ACCEPT),
    ("Exists with values", P + bgpadv("b", spec(nodeSelectors=f"[{sel(expr('a', 'Exists', 'x'))}]")), None, REJECT),
    ("missing expression key", P + bgpadv("b", spec(nodeSelectors="[{matchExpressions: [{operator: Exists}]}]")), None, REJECT),
    ("bad label key", P + l2adv("l", spec(serviceSelectors="[{matchLabels: {'a b': x}}]")), None, REJECT),
    ("long label value", P + l2adv("l", spec(serviceSelectors=f"[{{matchLabels: {{a: {'x' * 64}}}}}]")), None, REJECT),
    ("prefixed key, empty value", P + l2adv("l", spec(serviceSelectors="[{matchLabels: {example.com/a: ''}}]")), None, ACCEPT),
    ("bad pool namespace selector", pool("p", "10.0.0.0/24", extra=alloc(namespaceSelectors=f"[{sel(expr('a', 'NotIn'))}]")), None, REJECT),
    ("bad peer node selector", P + peer("r", f"{{{PEER}, nodeSelectors: [{sel(expr('a', 'exists'))}]}}"), None, REJECT),
    ("bad preferred node selector", P + l2adv("l", spec(preferredNodeSelectors=pref(sel(expr("a", "In"))))), None, REJECT),
    ("duplicate selectors, reordered values", P + bgpadv("b", spec(ipAddressPoolSelectors=f"[{sel(expr('a', 'In', 'x', 'y'))}, {sel(expr('a', 'In', 'y', 'x'))}]")), None, REJECT),
    ("same expressions, other order", P + bgpadv("b", spec(nodeSelectors=f"[{sel(expr('a', 'Exists'), expr('b', 'Exists'))}, {sel(expr('b', 'Exists'), expr('a', 'Exists'))}]")), None, ACCEPT),
    ("duplicate expression", P + l2adv("l", spec(nodeSelectors=f"[{sel(expr('a', 'Exists'), expr('a', 'Exists'))}]")), None, REJECT),
    ("same expression, reordered values", P + bgpadv("b", spec(nodeSelectors=f"[{sel(expr('h', 'In', 'a', 'b'), expr('h', 'In', 'b', 'a'))}]")), None, REJECT),
    ("duplicate expression value", P + l2adv("l", spec(nodeSelectors=f"[{sel(expr('a', 'In', 'x', 'x'))}]")), None, REJECT),
    ("duplicate preferred selectors", P + l2adv("l", "{preferredNodeSelectors: [{weight: 1, preference: {}}, {weight: 1, preference: {}}]}"), None, ACCEPT),
    ("duplicate matchLabels selectors", P + l2adv("l", spec(serviceSelectors="[{matchLabels: {a: b, c: d}}, {matchLabels: {c: d, a: b}}]")), None, REJECT),
    # --- name lists ---
    ("duplicate l2 pools", P + l2adv("l", "{ipAddressPools: [p, p]}"), None, REJECT),
    ("duplicate l2 interfaces", P + l2adv("l", "{interfaces: [eth0, eth0]}"), None, ACCEPT),
    ("duplicate bgp peers", P + bgpadv("b", "{peers: [x, x]}"), None, REJECT),
    ("unknown pool and peer names", P + bgpadv("b", "{ipAddressPools: [nope], peers: [nope]}"), None, ACCEPT),
    # --- aggregation ---
    ("aggregation 26 vs /24 entry", pool("p", "10.20.30.40/24") + bgpadv("b", "{aggregationLength: 26}"), None, ACCEPT),
    ("aggregation 26 vs /28 entry", pool("p", "10.20.30.40/24", "1.2.3.0/28") + bgpadv("b", "{aggregationLength: 26}"), None, REJECT),
    ("range widest /26 accepts 26", pool("p", "3.3.3.2-3.3.3.254") + bgpadv("b", "{aggregationLength: 26}"), None, ACCEPT),
    ("range widest /26 rejects 24", pool("p", "3.3.3.2-3.3.3.254") + bgpadv("b", "{aggregationLength: 24}"), None, REJECT),
    ("aggregation on unselected pool", pool("p", "1.2.3.0/28") + pool("q", "10.0.0.0/16") + bgpadv("b", "{aggregationLength: 16, ipAddressPools: [q]}"), None, ACCEPT),
    ("aggregation 33", P + bgpadv("b", "{aggregationLength: 33}"), None, REJECT),
    ("aggregation 0", P + bgpadv("b", "{aggregationLength: 0}"), None, REJECT),
    ("aggregation v6 129", P + bgpadv("b", "{aggregationLengthV6: 129}"), None, REJECT),
    ("aggregation v6 64 vs /56", pool("p", "fc00::/56") + bgpadv("b", "{aggregationLengthV6: 64}"), None, ACCEPT),
    ("aggregation v6 48 vs /56", pool("p", "fc00::/56") + bgpadv("b", "{aggregationLengthV6: 48}"), None, REJECT),
    ("service selectors with aggregation", P + bgpadv("b", "{aggregationLength: 24, serviceSelectors: [{}]}"), None, REJECT),
    ("service selectors with v6 aggregation", P + bgpadv("b", "{aggregationLengthV6: 64, serviceSelectors: [{}]}"), None, REJECT),
    ("service selectors default aggregation", P + bgpadv("b", "{aggregationLength: 32, serviceSelectors: [{}]}"), None, ACCEPT),
    # --- localPref ---
    # without Nodes in the input: two advertisements for every node meet on any node there is
    ("localPref differs, no Nodes", P + bgpadv("a", lp(100)) + bgpadv("b", lp(200)), None, REJECT),
    ("localPref differs, empty node selector, no Nodes", P + bgpadv("a", lp(100, nodeSelectors="[{}]")) + bgpadv("b", lp(200)), None, REJECT),
    ("localPref differs, node selectors, no Nodes", P + bgpadv("a", lp(100, nodeSelectors="[{matchLabels: {r: a}}]")) + bgpadv("b", lp(200)), None, ACCEPT),
    ("localPref differs, shared Node", P + N1 + bgpadv("a", lp(100)) + bgpadv("b", lp(200)), None, REJECT),
    ("localPref, nameless ads, shared Nodes", P + ZONES + bgpadv('""', lp(100)) + bgpadv('""', lp(200)), None, REJECT),
    ("localPref differs, disjoint Nodes", P + ZONES + bgpadv("a", lp(100, nodeSelectors="[{matchLabels: {r: a}}]")) + bgpadv("b", lp(200, nodeSelectors="[{matchLabels: {r: b}}]")), None, ACCEPT),
    ("localPref differs, disjoint peers", P + N1 + bgpadv("a", lp(100, peers="[x]")) + bgpadv("b", lp(200, peers="[y]")), None, ACCEPT),
    ("localPref differs, one without peers", P + N1 + bgpadv("a", lp(100, peers="[x]")) + bgpadv("b", lp(200)), None, REJECT),
    ("localPref differs, v4 aggregation differs", P + N1 + bgpadv("a", lp(100)) + bgpadv("b", lp(200, aggregationLength="24")), None, ACCEPT),
    ("localPref, both aggregations differ", P + N1 + bgpadv("a", lp(100, aggregationLength="24", aggregationLengthV6="120")) + bgpadv("b", lp(200)), None, ACCEPT),
    ("localPref, only v6 aggregation differs on v4 pool", P + N1 + bgpadv("a", lp(100, aggregationLengthV6="120")) + bgpadv("b", lp(200)), None, REJECT),
    ("localPref, dual pool, v4 aggregation differs", DUAL + N1 + bgpadv("a", lp(100)) + bgpadv("b", lp(200, aggregationLength="24")), None, REJECT),
    ("localPref differs, service selectors", P + N1 + bgpadv("a", lp(100)) + bgpadv("b", lp(200, serviceSelectors="[{}]")), None, ACCEPT),
    ("localPref, ads select no pool", P + N1 + bgpadv("a", lp(100, ipAddressPools="[q]")) + bgpadv("b", lp(200, ipAddressPools="[q]")), None, ACCEPT),
    ("localPref same", P + N1 + bgpadv("a", lp(100)) + bgpadv("b", lp(100)), None, ACCEPT),
    # --- communities ---
    ("standard community", P + bgpadv("b", "{communities: ['65535:65282']}"), None, ACCEPT),
    ("large community", P + bgpadv("b", "{communities: ['large:1:2:3']}"), "frr", ACCEPT),
    ("large community native", P + bgpadv("b", "{communities: ['large:1:2:3']}"), "native", REJECT),
    ("large alias value native", community("c", ("x", "large:1:2:3")), "native", REJECT),
    ("large alias value frr", community("c", ("x", "large:1:2:3")), "frr", ACCEPT),
    ("three fields", P + bgpadv("b", "{communities: ['1:2:3']}"), None, REJECT),
    ("value over 65535", P + bgpadv("b", "{communities: ['70000:1']}"), None, REJECT),
    ("uppercase marker", P + bgpadv("b", "{communities: ['Large:1:2:3']}"), None, REJECT),
    ("known alias", P + community("c", ("gold", "65000:1")) + bgpadv("b", "{communities: [gold]}"), None, ACCEPT),
    ("unknown alias", P + bgpadv("b", "{communities: [gold]}"), None, REJECT),
    ("alias with bad value", community("c", ("gold", "65000:70000")), None, REJECT),
    ("alias value without colon", community("c", ("gold", "1234")), None, REJECT),
    ("alias named like a literal", community("c", ("1:2:3", "1:2")) + bgpadv("b", "{communities: ['1:2:3']}"), None, ACCEPT),
    ("duplicate alias", community("c", ("gold", "1:1")) + community("d", ("gold", "1:1")), None, REJECT),
    ("duplicate community strings", P + bgpadv("b", "{communities: ['1:1', '1:1']}"), None, REJECT),
    ("same community spelled twice", P + bgpadv("b", "{communities: ['1:1', '01:1']}"), None, ACCEPT),
    ("64 communities frr", P + bgpadv("b", f"{{communities: {COMMS_64}}}"), "frr", ACCEPT),
    # --- BFD echo and native IPv6 ---
    ("bfd echo with ipv6 pool", pool("p", "fc00::/64") + ECHO + bgpadv("b"), "frr", REJECT),
    ("bfd echo with ipv4 pool", P + ECHO + bgpadv("b"), "frr", ACCEPT),
    ("bfd echo, ad to other peer", pool("p", "fc00::/64") + ECHO + bgpadv("b", "{peers: [x]}"), "frr", ACCEPT),
    ("ipv6 pool behind bgp, native", pool("p", "fc00::/64") + bgpadv("b"), "native", REJECT),
    ("ipv6 pool behind bgp, frr", pool("p", "fc00::/64") + bgpadv("b"), "frr", ACCEPT),
    ("ipv6 pool behind l2, native", pool("p", "fc00::/64") + l2adv("l"), "native", ACCEPT),
]
# fmt: on


# the cases that use serviceSelectors on advertisements come from v0.16.0, their first release
# (the other cases: gitops-lb's default, v0.15.1); at v0.15.1 the field is refused
SELECTORS = "v0.16.0"
# L2Advertisement preferredNodeSelectors is in no release yet, only on MetalLB's main branch:
# these cases keep main's verdicts, checked as if a release had the field (see `released`)
MAIN_ONLY = {"bad preferred node selector", "duplicate preferred selectors"}


@pytest.mark.parametrize(("case", "text", "mode", "reject"), CASES, ids=[c[0] for c in CASES])
def test_metallb_compat(case, text, mode, reject, monkeypatch):
    version = SELECTORS if "serviceSelectors" in text else None
    if case in MAIN_ONLY:
        released(monkeypatch, "L2Advertisement", "preferredNodeSelectors")
        version = str(NEWEST)
    found = errors(text, bgp_mode=mode, compat=True, version=version)
    assert bool(found) is reject, found


@pytest.mark.parametrize(
    "case", [c for c in CASES if "serviceSelectors" in c[1] or c[0] in MAIN_ONLY], ids=str
)
def test_fields_newer_than_v0_15_1_are_refused_there(case):
    _, text, mode, _ = case
    assert "field-unsupported-version" in errors(text, bgp_mode=mode, compat=True)
