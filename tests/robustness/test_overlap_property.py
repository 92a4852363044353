"""pool-overlap agrees with a brute-force check on random pools.

Random pools of CIDRs and ranges in a small address space (so that they collide often),
IPv4, IPv6 and IPv4-mapped IPv6 alike, are linted through the CLI; every pair of entries the
rule reports must share an address, and every pair of entries that share an address (counted
address by address, as MetalLB's family view sees them) must be reported.
"""

from __future__ import annotations

import ipaddress
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.cli import Run, cli

V4 = int(ipaddress.IPv4Address("10.0.0.0"))
V6 = int(ipaddress.IPv6Address("fd00::"))
SPACE = 64  # addresses per family: small, so entries collide


@st.composite
def entry(draw: st.DrawFn) -> str:
    family = draw(st.sampled_from(["v4", "v4", "v6", "mapped"]))
    if draw(st.booleans()):  # a CIDR; host bits set on purpose sometimes (MetalLB masks them)
        length = draw(st.integers(0, 6))  # block of 2**length addresses
        host = draw(st.integers(0, SPACE - 1))
        if family == "v4":
            return f"{ipaddress.IPv4Address(V4 + host)}/{32 - length}"
        if family == "v6":
            return f"{ipaddress.IPv6Address(V6 + host)}/{128 - length}"
        return f"::ffff:{ipaddress.IPv4Address(V4 + host)}/{128 - length}"
    a, b = sorted(draw(st.lists(st.integers(0, SPACE - 1), min_size=2, max_size=2)))
    if family == "v4":
        return f"{ipaddress.IPv4Address(V4 + a)}-{ipaddress.IPv4Address(V4 + b)}"
    if family == "v6":
        return f"{ipaddress.IPv6Address(V6 + a)} - {ipaddress.IPv6Address(V6 + b)}"
    return f"::ffff:{ipaddress.IPv4Address(V4 + a)}-{ipaddress.IPv4Address(V4 + b)}"


def addresses(text: str) -> set[tuple[int, int]]:
    """Every address of an entry as (family, integer), IPv4-mapped IPv6 counted as IPv4."""

    def fam(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[int, int]:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            return 4, int(ip.ipv4_mapped)
        return (4 if ip.version == 4 else 6), int(ip)

    if "-" in text:
        start, end = (ipaddress.ip_address(p.strip()) for p in text.split("-"))
        (f1, a), (_, b) = fam(start), fam(end)
        return {(f1, n) for n in range(a, b + 1)}
    net = ipaddress.ip_network(text, strict=False)
    return {fam(ip) for ip in (net[i] for i in range(net.num_addresses))}


def manifest(pools: list[list[str]]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The pools as manifests, one entry per line; line -> (pool, entry)."""
    lines: list[str] = []
    where: dict[int, tuple[int, int]] = {}
    for p, entries in enumerate(pools):
        lines += [
            "---",
            "apiVersion: metallb.io/v1beta1",
            "kind: IPAddressPool",
            f"metadata: {{name: p{p}, namespace: metallb-system}}",
            "spec:",
            "  addresses:",
        ]
        for e, text in enumerate(entries):
            lines.append(f"    - '{text}'")
            where[len(lines)] = (p, e)
    return "\n".join(lines) + "\n", where


def reported(run: Run, where: dict[int, tuple[int, int]]) -> set[frozenset[tuple[int, int]]]:
    out: set[frozenset[tuple[int, int]]] = set()
    for d in run.diagnostics():
        if d["rule"] == "pool-overlap":
            (rel,) = d["related"]
            out.add(frozenset({where[d["line"]], where[rel["line"]]}))
    return out


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.lists(entry(), min_size=1, max_size=4), min_size=1, max_size=4))
def test_pool_overlap_agrees_with_brute_force(tmp_path, capsys, pools):
    text, where = manifest(pools)
    f = tmp_path / "pools.yaml"
    f.write_text(text)
    run = cli(capsys, "lint", str(f), "--format", "json")
    sets = {(p, e): addresses(t) for p, entries in enumerate(pools) for e, t in enumerate(entries)}
    expected = {
        frozenset({a, b}) for a, b in itertools.combinations(sorted(sets), 2) if sets[a] & sets[b]
    }
    assert reported(run, where) == expected


@pytest.mark.slow
def test_many_copies_of_one_block_stay_linear(tmp_path, capsys):
    """2000 copies of one CIDR would be 2 million pairs; each entry names its 16 nearest."""
    import time

    text, _ = manifest([["10.0.0.0/24"] * 2000])
    f = tmp_path / "pools.yaml"
    f.write_text(text)
    start = time.process_time()
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert time.process_time() - start < 30
    found = [d for d in run.diagnostics() if d["rule"] == "pool-overlap"]
    assert len(found) == 16 * (2000 - 16) + sum(range(16))


@pytest.mark.slow
def test_copies_across_clusters_stay_linear(tmp_path, capsys):
    """1000 copies of one CIDR in each of two clusters: a million cross-cluster pairs before."""
    import time

    import yaml

    def cluster(c: int) -> dict[str, object]:
        pools = [{"name": "p", "addresses": ["10.0.0.0/24"] * 1000, "l2": {}}]
        return {"name": f"c{c}", "server": f"https://10.1.0.{c}:6443", "pools": pools}

    site = {
        "apiVersion": "gitops-lb.io/v1alpha1",
        "kind": "Site",
        "metadata": {"name": "x"},
        "spec": {
            "platform": "metallb",
            "argocd": {"repoURL": "https://git.example.com/lb.git"},
            "clusters": [cluster(0), cluster(1)],
        },
    }
    f = tmp_path / "site.yaml"
    f.write_text(yaml.safe_dump(site))
    start = time.process_time()
    run = cli(capsys, "validate", str(f), "--format", "json")
    assert time.process_time() - start < 30
    found = [d for d in run.diagnostics() if d["rule"] == "site-pool-overlap"]
    assert len(found) == 1000  # each entry of c1 against the first entry of c0
