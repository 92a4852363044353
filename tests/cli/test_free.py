"""`gitops-lb free`: the free blocks of a network, checked against a brute-force enumeration of
every aligned block (a property test, IPv4 and IPv6), and its usage errors."""

from __future__ import annotations

import ipaddress
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_lb.cli import main

IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class Layout:
    """One network, and what the site spec puts into it (offsets from the network address)."""

    cidr: str
    gateway: int
    reserved: list[tuple[int, int]] = field(default_factory=list)  # inclusive offset ranges
    nodes: list[int] = field(default_factory=list)
    pools: list[list[tuple[int, int]]] = field(default_factory=lambda: [[], []])  # per cluster

    @property
    def net(self) -> IPNet:
        return ipaddress.ip_network(self.cidr)

    def ip(self, offset: int) -> IPAddr:
        return self.net.network_address + offset

    def held(self) -> set[int]:
        """Brute force: every offset something holds, the network's own addresses too."""
        out = {self.gateway, *self.nodes}
        for first, last in [*self.reserved, *(r for c in self.pools for r in c)]:
            out.update(range(first, last + 1))
        size = self.net.num_addresses
        out.add(0)  # network address (IPv4), subnet-router anycast address (IPv6)
        if self.net.version == 4:
            out.add(size - 1)  # broadcast
        return out

    def brute_force(self, prefixlen: int) -> list[str]:
        """Every aligned block of the network, kept when none of its addresses is held."""
        held = self.held()
        step = 1 << (self.net.max_prefixlen - prefixlen)
        return [
            f"{self.ip(start)}/{prefixlen}"
            for start in range(0, self.net.num_addresses, step)
            if not any(o in held for o in range(start, start + step))
        ]

    def entry(self, span: tuple[int, int], *, pool: bool = False) -> str:
        first, last = span
        if first == last:  # a pool holds CIDRs and ranges; a reservation may be one IP
            return f"{self.ip(first)}/{self.net.max_prefixlen}" if pool else str(self.ip(first))
        return f"{self.ip(first)}-{self.ip(last)}"

    def site(self) -> dict[str, Any]:
        nodes = [
            {"name": f"node-{i}", "interfaces": [{"name": "eth0", "network": "lan", "address": a}]}
            for i, a in enumerate(str(self.ip(o)) for o in self.nodes)
        ]
        clusters = []
        for c, spans in enumerate(self.pools):
            cluster: dict[str, Any] = {"name": f"c{c}", "server": f"https://10.255.0.{c + 1}:6443"}
            cluster["pools"] = [
                {"name": f"p{c}-{i}", "addresses": [self.entry(s, pool=True)], "l2": {}}
                for i, s in enumerate(spans)
            ]
            if c == 0:
                cluster["nodes"] = nodes
            clusters.append(cluster)
        return {
            "apiVersion": "gitops-lb.io/v1alpha1",
            "kind": "Site",
            "metadata": {"name": "dc1"},
            "spec": {
                "platform": "metallb",
                "argocd": {"repoURL": "https://git.example.com/lb.git"},
                "networks": [
                    {
                        "name": "lan",
                        "cidr": self.cidr,
                        "gateway": str(self.ip(self.gateway)),
                        "reserved": [self.entry(s) for s in self.reserved],
                    }
                ],
                "clusters": clusters,
            },
        }


ROLES = ("pool0", "pool1", "reserved", "node", "free", "free")


@st.composite
def layouts(draw: st.DrawFn, cidr: str) -> Layout:
    """Disjoint spans of the network (its first and last address left alone), each given a
    role: a pool of either cluster, a reservation, a node address, or nothing."""
    size = ipaddress.ip_network(cidr).num_addresses
    gateway = draw(st.integers(1, size - 2))
    inner = [o for o in range(1, size - 1) if o != gateway]
    cuts = sorted(draw(st.sets(st.sampled_from(inner), min_size=2, max_size=14)))
    layout = Layout(cidr, gateway)
    bounds = [*cuts, size - 1]
    for start, end in itertools.pairwise(bounds):
        if start == gateway or start >= end:
            continue
        last = min(end - 1, gateway - 1) if start < gateway < end else end - 1
        role = draw(st.sampled_from(ROLES))
        if role == "node":
            layout.nodes.append(start)
        elif role == "reserved":
            layout.reserved.append((start, last))
        elif role.startswith("pool"):
            layout.pools[int(role[-1])].append((start, last))
    return layout


def free(tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["free", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, layout: Layout) -> str:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(layout.site(), sort_keys=False))
    return str(path)


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: Layout, size: int) -> None:
    site = write(tmp_path, layout)
    expected = layout.brute_force(size)
    count = str(max(len(expected), 1))
    code, out, err = free(
        tmp_path,
        capsys,
        site,
        "--network",
        "lan",
        "--size",
        str(size),
        "--count",
        count,
        "-f",
        "json",
    )
    assert (code, err) == (0, ""), out
    doc = json.loads(out)
    assert doc["free"] == expected
    assert doc["total"] == len(expected)


EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@EXAMPLES
@given(layout=layouts("10.20.30.0/26"), size=st.integers(26, 32))
def test_ipv4_blocks_match_brute_force(tmp_path, capsys, layout, size):
    check(tmp_path, capsys, layout, size)


@EXAMPLES
@given(layout=layouts("fd00:30::/122"), size=st.integers(122, 128))
def test_ipv6_blocks_match_brute_force(tmp_path, capsys, layout, size):
    check(tmp_path, capsys, layout, size)


FIXED = Layout(
    "10.20.30.0/24",
    gateway=1,
    reserved=[(2, 9), (200, 200)],
    nodes=[11, 12, 13],
    pools=[[(64, 95)], [(128, 143), (150, 159)]],
)


def test_text_lists_the_lowest_blocks_and_counts_the_rest(tmp_path, capsys):
    site = write(tmp_path, FIXED)
    code, out, err = free(
        tmp_path, capsys, site, "--network", "lan", "--size", "28", "--count", "2"
    )
    assert (code, err) == (0, "")
    assert out == (
        "dc1/lan (10.20.30.0/24): 9 free /28 blocks\n"
        "  10.20.30.16/28\n"
        "  10.20.30.32/28\n"
        "  ... and 7 more (--count N lists more)\n"
    )
    assert FIXED.brute_force(28)[:2] == ["10.20.30.16/28", "10.20.30.32/28"]
    assert len(FIXED.brute_force(28)) == 9


def test_without_network_every_network_as_ranges(tmp_path, capsys):
    site = write(tmp_path, FIXED)
    code, out, err = free(tmp_path, capsys, site, "-f", "json")
    assert (code, err) == (0, "")
    (entry,) = json.loads(out)["networks"]
    assert entry["network"] == "dc1/lan"
    assert entry["free"] == [
        "10.20.30.10",
        "10.20.30.14-10.20.30.63",
        "10.20.30.96/27",
        "10.20.30.144-10.20.30.149",
        "10.20.30.160-10.20.30.199",
        "10.20.30.201-10.20.30.254",
    ]
    assert entry["addresses"] == 256 - len(FIXED.held())


def test_a_v6_64_at_120_is_listed_lazily(tmp_path, capsys):
    """2^56 blocks: the first ones are listed and the rest counted, none enumerated."""
    layout = Layout("fd00:30::/64", gateway=1, nodes=[0x100])
    site = write(tmp_path, layout)
    code, out, err = free(
        tmp_path, capsys, site, "--network", "dc1/lan", "--size", "120", "-f", "json"
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["free"][:2] == ["fd00:30::200/120", "fd00:30::300/120"]
    assert len(doc["free"]) == 20
    assert doc["total"] == 2**56 - 2


NOT_FIT = "does not fit network dc1/lan (10.20.30.0/24): give a prefix length from 24 to 32"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--network", "wan", "--size", "28"],
            "no network 'wan' in the site specs (networks: dc1/lan)",
        ),
        (["--network", "lan", "--size", "23"], f"--size 23 {NOT_FIT}"),
        (["--network", "lan", "--size", "33"], f"--size 33 {NOT_FIT}"),
        (["--network", "lan", "--size", "x"], "argument --size: not a prefix length: 'x'"),
        (
            ["--network", "lan", "--size", "28", "--count", "0"],
            "argument --count: must be 1 or more",
        ),
        (
            ["--network", "lan", "--count", "3"],
            "--count limits the blocks of --size; give --size too",
        ),
    ],
)
def test_usage_errors(tmp_path, capsys, argv, message):
    site = write(tmp_path, FIXED)
    code, out, err = free(tmp_path, capsys, site, *argv)
    assert (code, out) == (2, "")
    assert err.endswith(f"gitops-lb: error: {message}\n")


def test_a_pool_of_another_site_in_the_network_counts(tmp_path, capsys):
    site = write(tmp_path, FIXED)
    other = FIXED.site()
    other["metadata"]["name"] = "dc2"
    other["spec"]["networks"] = []
    other["spec"]["clusters"] = [
        {
            "name": "x",
            "server": "https://10.255.1.1:6443",
            "pools": [{"name": "z", "addresses": ["10.20.30.16/28"], "l2": {}}],
        }
    ]
    (tmp_path / "dc2.yaml").write_text(yaml.safe_dump(other))
    code, out, err = free(
        tmp_path,
        capsys,
        site,
        str(tmp_path / "dc2.yaml"),
        "--network",
        "lan",
        "--size",
        "28",
        "-f",
        "json",
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["free"][0] == "10.20.30.32/28"


def test_a_site_with_networks_and_no_cluster(tmp_path, capsys):
    layout = Layout("10.20.30.0/28", gateway=1, reserved=[(2, 3)])
    doc = layout.site()
    doc["spec"]["clusters"] = []
    site = tmp_path / "site.yaml"
    site.write_text(yaml.safe_dump(doc))
    code, out, err = free(tmp_path, capsys, str(site), "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["networks"][0]["free"] == ["10.20.30.4-10.20.30.14"]


def test_a_site_spec_that_cannot_be_read_stops_it(tmp_path, capsys):
    doc = FIXED.site()
    doc["spec"]["networks"][0]["cidrr"] = "10.0.0.0/8"
    site = tmp_path / "site.yaml"
    site.write_text(yaml.safe_dump(doc, sort_keys=False))
    code, out, _ = free(tmp_path, capsys, str(site), "--network", "lan", "--size", "28")
    assert code == 1
    assert "error: unknown field 'cidrr' in network 'lan' of site 'dc1'" in out
    assert "/28" not in out
