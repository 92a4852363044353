"""`reconcile` over a fleet from `--live-dir` dumps against the same clusters one at a time.

    python -m benchmarks.reconcile_fleet [--sites 5 --clusters 10 --pools 50 --services 200]
                                         [--jobs 2] [--repeat 3] [--work DIR]

writes the fleet of benchmarks.fleet (site specs), compiles it (`gitops-lb compile`), and
writes each cluster's live state as `kubectl get -o yaml` would print it, in sync with Git:
LIVE/SITE/CLUSTER/metallb.yaml (the compiled MetalLB objects), services.yaml (the compiled
Services and the reservations, each holding its requested addresses or the next free addresses
of its pool in `status.loadBalancer.ingress`) and nodes.yaml (the node inventory as Node
objects). Every pool carries a status (assigned, available).

Then it measures, each figure a fresh process run `--repeat` times (median CPU and wall time,
as benchmarks.run measures them): `gitops-lb reconcile SITES --live-dir LIVE --jobs N` (the
fleet), and for every cluster `gitops-lb reconcile SITE.yaml --cluster SITE/CLUSTER --live
FILES...` (the cluster alone, reading only its own site spec file). The target: the fleet's
wall time is at most 1.5 x (the sum of the single-cluster wall times) / N.
"""

from __future__ import annotations

import argparse
import glob
import ipaddress
import os
import shutil
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from benchmarks.fleet import Params, add_size_arguments, params_from, write_fleet
from benchmarks.run import precompile, run_child

TARGET = 1.5
METALLB_KINDS = (
    "IPAddressPool",
    "L2Advertisement",
    "BGPAdvertisement",
    "BGPPeer",
    "BFDProfile",
    "Community",
)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Cluster:
    site: str
    name: str
    site_file: str
    dumps: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.site}/{self.name}"


def _documents(folder: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(glob.glob(os.path.join(folder, "*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            out.extend(d for d in yaml.load_all(fh, Loader=Loader) if isinstance(d, dict))
    return out


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    return obj["metadata"].get("namespace", ""), obj["metadata"]["name"]


def _addresses(entry: str) -> Iterator[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    if "-" in entry:
        first, last = (ipaddress.ip_address(x.strip()) for x in entry.split("-"))
        for value in range(int(first), int(last) + 1):
            yield (
                ipaddress.ip_address(value) if first.version == 4 else ipaddress.IPv6Address(value)
            )
    else:
        net = ipaddress.ip_network(entry, strict=False)
        yield from (net.hosts() if net.num_addresses > 2 else iter(net))  # type: ignore[misc]


class Pools:
    """The next free address of each pool and family, as MetalLB hands them out."""

    def __init__(self, pools: Sequence[dict[str, Any]], taken: set[str]) -> None:
        self.spec = {p["metadata"]["name"]: p["spec"] for p in pools}
        self.taken = taken
        self.given: dict[str, dict[int, int]] = {}
        self.cursors: dict[tuple[str, int], Iterator[Any]] = {}

    def take(self, pool: str, version: int) -> str | None:
        key = (pool, version)
        if key not in self.cursors:
            entries = self.spec[pool].get("addresses", [])
            self.cursors[key] = (a for e in entries for a in _addresses(e) if a.version == version)
        for address in self.cursors[key]:
            text = str(address)
            if text not in self.taken:
                self.taken.add(text)
                return text
        return None

    def families(self, pool: str) -> list[int]:
        found = []
        for entry in self.spec[pool].get("addresses", []):
            version = 6 if ":" in entry else 4
            if version not in found:
                found.append(version)
        return found

    def count(self, pool: str, address: str) -> None:
        version = 6 if ":" in address else 4
        counts = self.given.setdefault(pool, {})
        counts[version] = counts.get(version, 0) + 1

    def size(self, pool: str, version: int) -> int:
        total = 0
        for entry in self.spec[pool].get("addresses", []):
            if (":" in entry) != (version == 6):
                continue
            if "-" in entry:
                first, last = (int(ipaddress.ip_address(x.strip())) for x in entry.split("-"))
                total += last - first + 1
            else:
                net = ipaddress.ip_network(entry, strict=False)
                total += net.num_addresses - (2 if net.num_addresses > 2 else 0)
        return total


def live_objects(desired: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """What a cluster in sync with its compiled tree holds, per dump file."""
    pools = [d for d in desired if d.get("kind") == "IPAddressPool"]
    metallb = [d for d in desired if d.get("kind") in METALLB_KINDS]
    plugin = [d for d in desired if d.get("kind") == "ClusterPluginInstance"]
    services = [d for d in desired if d.get("kind") == "Service"]
    requested: set[str] = set()
    for svc in services:
        ips = svc["metadata"].get("annotations", {}).get("metallb.io/loadBalancerIPs")
        requested.update(ips.split(",") if ips else [])
    free = Pools(pools, set(requested))
    auto = [p["metadata"]["name"] for p in pools if p["spec"].get("autoAssign", True)]
    shared: dict[str, list[str]] = {}
    for svc in services:
        notes = svc["metadata"].get("annotations", {})
        pool = notes.get("metallb.io/address-pool") or (
            auto[0] if auto else pools[0]["metadata"]["name"]
        )
        ips = notes.get("metallb.io/loadBalancerIPs")
        if ips:
            got = ips.split(",")
        else:
            dual = svc["spec"].get("ipFamilyPolicy") in ("PreferDualStack", "RequireDualStack")
            versions = free.families(pool)[: 2 if dual else 1]
            got = [a for a in (free.take(pool, v) for v in versions) if a]
        key = notes.get("metallb.io/allow-shared-ip")
        if key and ips and key in shared:
            got = shared[key]
        elif key:
            shared[key] = got
        for address in got:
            free.count(pool, address)
        svc["status"] = {"loadBalancer": {"ingress": [{"ip": a, "ipMode": "VIP"} for a in got]}}
    for p in pools:
        name = p["metadata"]["name"]
        status: dict[str, int] = {}
        for version, family in ((4, "IPv4"), (6, "IPv6")):
            used = free.given.get(name, {}).get(version, 0)
            status[f"assigned{family}"] = used
            status[f"available{family}"] = max(free.size(name, version) - used, 0)
        p["status"] = status
    return {
        "metallb.yaml": [*metallb, *plugin],
        "services.yaml": services,
        "nodes.yaml": nodes,
    }


def write_live(fleet_dir: str, deploy: str, live: str) -> list[Cluster]:
    """LIVE/SITE/CLUSTER/*.yaml for every cluster of the compiled tree."""
    clusters: list[Cluster] = []
    for folder in sorted(glob.glob(os.path.join(deploy, "*", "*"))):
        site, name = folder.split(os.sep)[-2:]
        if site == "argocd" or not os.path.isdir(folder):
            continue
        desired = _documents(folder)
        inventory = _documents(os.path.join(fleet_dir, "manifests", site, name))
        nodes = [d for d in inventory if d.get("kind") == "Node"]
        # the reservations (emit: false): Services Git does not write, which exist all the same
        compiled = {_key(d) for d in desired if d.get("kind") == "Service"}
        desired += [d for d in inventory if d.get("kind") == "Service" and _key(d) not in compiled]
        out = os.path.join(live, site, name)
        os.makedirs(out, exist_ok=True)
        dumps = []
        for file_name, items in live_objects(desired, nodes).items():
            path = os.path.join(out, file_name)
            with open(path, "w", encoding="utf-8") as fh:
                yaml.dump(
                    {"apiVersion": "v1", "kind": "List", "items": items},
                    fh,
                    Dumper=Dumper,
                    sort_keys=False,
                )
            dumps.append(path)
        site_file = os.path.join(fleet_dir, "sites", f"{site}.yaml")
        clusters.append(Cluster(site, name, site_file, tuple(dumps)))
    return clusters


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@dataclass
class Times:
    cpu: list[float]
    wall: list[float]
    status: int = 0

    def add(self, r: dict[str, Any]) -> None:
        self.cpu.append(r["cpu"])
        self.wall.append(r["wall"])
        self.status = max(self.status, r["status"])


def measure(
    sites: str,
    live: str,
    clusters: Sequence[Cluster],
    jobs: Sequence[int],
    work: str,
    *,
    repeat: int,
) -> tuple[dict[int, Times], dict[str, Times]]:
    """The fleet at each --jobs, and each cluster alone; all interleaved, `repeat` times."""
    fleet = {n: Times([], []) for n in jobs}
    single = {c.id: Times([], []) for c in clusters}
    for _ in range(repeat):  # interleaved: a busy machine slows both alike
        for n in jobs:
            job = {
                "name": f"fleet-{n}",
                "kind": "cli",
                "argvs": [["reconcile", sites, "--live-dir", live, "--jobs", str(n)]],
                "stdout": os.path.join(work, f"fleet-{n}.out"),
            }
            fleet[n].add(run_child(job, work))
        for c in clusters:
            job = {
                "name": f"single-{c.site}-{c.name}",
                "kind": "cli",
                "argvs": [["reconcile", c.site_file, "--cluster", c.id, "--live", *c.dumps]],
                "stdout": os.path.join(work, "single.out"),
            }
            single[c.id].add(run_child(job, work))
    return fleet, single


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reconcile_fleet", description=__doc__
    )
    add_size_arguments(parser)
    parser.set_defaults(sites=5, clusters=10)
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the fleet run (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--work", help="folder for the fleet and outputs (default: temporary)")
    args = parser.parse_args(argv)
    p: Params = params_from(args)
    precompile()
    work = args.work or tempfile.mkdtemp(prefix="gitops-lb-bench-fleet-")
    os.makedirs(work, exist_ok=True)
    jobs = sorted({1, args.jobs})
    try:
        fleet_dir = os.path.join(work, "fleet")
        write_fleet(p, fleet_dir)
        sites = os.path.join(fleet_dir, "sites")
        deploy, live = os.path.join(work, "deploy"), os.path.join(work, "live")
        shutil.rmtree(deploy, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)
        from contextlib import redirect_stdout
        from io import StringIO

        from gitops_lb.cli import main as cli

        with redirect_stdout(StringIO()):
            compiled = cli(["compile", sites, "-o", deploy])
        if compiled != 0:
            raise SystemExit("the benchmark fleet does not compile")
        clusters = write_live(fleet_dir, deploy, live)
        print(
            f"fleet: {p.sites} sites x {p.clusters} clusters x {p.pools} pools x {p.services} "
            f"services; {len(clusters)} live dumps; {os.cpu_count()} CPUs",
            flush=True,
        )
        fleet, single = measure(sites, live, clusters, jobs, work, repeat=args.repeat)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return report(fleet, single, args.jobs)


def report(fleet: dict[int, Times], single: dict[str, Times], jobs: int) -> int:
    sum_wall = sum(median(t.wall) for t in single.values())
    sum_cpu = sum(median(t.cpu) for t in single.values())
    n = len(single)
    print(f"{'':<36}{'wall s':>9}{'cpu s':>9}")
    print(f"{f'{n} single-cluster runs, sum':<36}{sum_wall:>9.2f}{sum_cpu:>9.2f}")
    print(f"{'one single-cluster run, mean':<36}{sum_wall / n:>9.3f}{sum_cpu / n:>9.3f}")
    for j, t in sorted(fleet.items()):
        print(f"{f'fleet of {n}, --jobs {j}':<36}{median(t.wall):>9.2f}{median(t.cpu):>9.2f}")
    wall = median(fleet[jobs].wall)
    bound = TARGET * sum_wall / jobs
    print(
        f"fleet --jobs {jobs} wall / (sum of single walls / {jobs}) = "
        f"{wall / (sum_wall / jobs):.2f} (target <= {TARGET}: {wall:.2f} s <= {bound:.2f} s)"
    )
    if 1 in fleet and jobs != 1:
        print(f"--jobs 1 -> --jobs {jobs}: {median(fleet[1].wall) / wall:.2f}x faster (wall)")
    statuses = {t.status for t in (*fleet.values(), *single.values())}
    print(f"exit statuses {sorted(statuses)} (0: every cluster in sync)")
    ok = wall <= bound and statuses == {0}
    print("target met" if ok else "target missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
