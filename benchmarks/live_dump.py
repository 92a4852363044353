"""`reconcile --live` on the dump of a large cluster: time and peak memory.

    python -m benchmarks.live_dump [--mib 100] [--repeat 3] [--work DIR]

writes, deterministically, WORK/<size>/desired/ (one cluster's desired state as manifests: a
pool, its L2 advertisement and the LoadBalancer Services Git declares) and the live state as
`kubectl` prints it: metallb.yaml (`kubectl get -n metallb-system ipaddresspools,...`),
nodes.yaml and services.yaml, a `kubectl get services -A -o yaml` List of about --mib MiB
(ClusterIP Services with their last-applied annotation, one in twenty a LoadBalancer; those Git
declares hold addresses of its pool, the others addresses of a pool Git does not manage). The
cluster is in sync with Git, so reconcile must read every Service and find no difference.

Then it measures, each figure a fresh process (`--repeat` times, median CPU and wall time, the
largest peak memory: VmHWM, as benchmarks.run measures): libyaml's parse of the dump alone
(events counted in C, nothing built: the least any YAML reader costs), and `gitops-lb reconcile
desired/ --live metallb.yaml nodes.yaml services.yaml`. Peak memory is held to the limit of
benchmarks.run (8 x the input + 150 MB); a streaming reader should need far less, and the same
at every size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from benchmarks.run import MEMORY_BASE, MEMORY_FACTOR, precompile, run_child

NAMESPACE = "metallb-system"
POOL = "web"
POOL_NET = "192.168.0.0/16"  # Git's pool: the Services Git declares take addresses from it
OTHER_NET = "172.16"  # a pool Git does not manage: every other LoadBalancer Service's address
DECLARED = 200  # LoadBalancer Services declared in Git (at most)
NODES = 20
TEAMS = 97


def _service(i: int) -> tuple[str, str, bool]:
    """Namespace, name and whether Service i is a LoadBalancer."""
    return f"team-{i % TEAMS:02d}", f"svc-{i:06d}", i % 20 == 0


def _address(i: int, declared: bool) -> str:
    return (
        f"192.168.{(i >> 8) & 255}.{i & 255}"
        if declared
        else f"{OTHER_NET}.{(i >> 8) & 255}.{i & 255}"
    )


def _is_declared(i: int) -> bool:
    return _service(i)[2] and i // 20 < DECLARED


def service_item(i: int) -> str:
    """Service i as `kubectl get services -A -o yaml` prints it, one item of the List."""
    ns, name, lb = _service(i)
    kind = "LoadBalancer" if lb else "ClusterIP"
    applied = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"annotations": {}, "labels": {"app": name}, "name": name, "namespace": ns},
            "spec": {
                "ports": [{"name": "http", "port": 80, "targetPort": 8080}],
                "selector": {"app": name},
                "type": kind,
            },
        },
        separators=(",", ":"),
    )
    cluster_ip = f"10.96.{(i >> 8) & 255}.{i & 255}"
    out = [
        "- apiVersion: v1",
        "  kind: Service",
        "  metadata:",
        "    annotations:",
        "      kubectl.kubernetes.io/last-applied-configuration: |",
        f"        {applied}",
    ]
    if lb:
        pool = POOL if _is_declared(i) else "other"
        out += [
            f"      metallb.io/address-pool: {pool}",
            f"      metallb.io/ip-allocated-from-pool: {pool}",
        ]
    out += [
        f'    creationTimestamp: "2026-10-{1 + i % 28:02d}T10:{i % 60:02d}:00Z"',
        "    labels:",
        f"      app: {name}",
        "      app.kubernetes.io/part-of: shop",
        f"    name: {name}",
        f"    namespace: {ns}",
        f'    resourceVersion: "{100000 + i}"',
        f"    uid: 5f0c1e2b-1c4a-439d-8e5b-{i:012x}",
        "  spec:",
    ]
    if lb:
        out.append("    allocateLoadBalancerNodePorts: true")
    out += [f"    clusterIP: {cluster_ip}", "    clusterIPs:", f"    - {cluster_ip}"]
    if lb:
        out.append("    externalTrafficPolicy: Cluster")
    out += [
        "    internalTrafficPolicy: Cluster",
        "    ipFamilies:",
        "    - IPv4",
        "    ipFamilyPolicy: SingleStack",
        "    ports:",
        "    - name: http",
    ]
    if lb:
        out.append(f"      nodePort: {30000 + i % 2000}")
    out += [
        "      port: 80",
        "      protocol: TCP",
        "      targetPort: 8080",
        "    selector:",
        f"      app: {name}",
        "    sessionAffinity: None",
        f"    type: {kind}",
        "  status:",
    ]
    if lb:
        ip = _address(i, _is_declared(i))
        out += ["    loadBalancer:", "      ingress:", f"      - ip: {ip}", "        ipMode: VIP"]
    else:
        out.append("    loadBalancer: {}")
    return "\n".join(out) + "\n"


def write_services(fh: TextIO, size: int) -> int:
    """A Services List of about `size` bytes; the number of Services in it."""
    fh.write("apiVersion: v1\nitems:\n")
    written, count = 0, 0
    while written < size:
        item = service_item(count)
        fh.write(item)
        written += len(item)
        count += 1
    fh.write('kind: List\nmetadata:\n  resourceVersion: ""\n')
    return count


def _desired_service(i: int) -> str:
    ns, name, _ = _service(i)
    return (
        f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\n"
        f"  annotations:\n    metallb.io/address-pool: {POOL}\n  labels:\n    app: {name}\n"
        f"spec:\n  type: LoadBalancer\n  selector:\n    app: {name}\n  ports:\n"
        "    - {name: http, port: 80, targetPort: 8080}\n"
    )


POOLS = f"""\
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: {POOL}
  namespace: {NAMESPACE}
spec:
  addresses: [{POOL_NET}]
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: {POOL}
  namespace: {NAMESPACE}
spec:
  ipAddressPools: [{POOL}]
"""

LIVE_METALLB = f"""\
apiVersion: v1
items:
- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: {POOL}
    namespace: {NAMESPACE}
    resourceVersion: "4711"
  spec:
    addresses:
    - {POOL_NET}
    autoAssign: true
    avoidBuggyIPs: false
  status:
    assignedIPv4: {DECLARED}
- apiVersion: metallb.io/v1beta1
  kind: L2Advertisement
  metadata:
    name: {POOL}
    namespace: {NAMESPACE}
    resourceVersion: "4712"
  spec:
    ipAddressPools:
    - {POOL}
kind: List
metadata:
  resourceVersion: ""
"""


def _nodes() -> str:
    items = "".join(
        f"- apiVersion: v1\n  kind: Node\n  metadata:\n    labels:\n"
        f"      kubernetes.io/hostname: node-{n:02d}\n      kubernetes.io/os: linux\n"
        f"    name: node-{n:02d}\n  status:\n    addresses:\n    - address: 10.0.0.{n + 10}\n"
        "      type: InternalIP\n"
        for n in range(NODES)
    )
    return f'apiVersion: v1\nitems:\n{items}kind: List\nmetadata:\n  resourceVersion: ""\n'


@dataclass(frozen=True)
class Written:
    desired: str
    live: tuple[str, ...]  # metallb.yaml, nodes.yaml, services.yaml
    services: int
    services_bytes: int


def write_cluster(folder: str, mib: float) -> Written:
    """The desired state and the live dumps of a cluster whose services dump is `mib` MiB."""
    desired = os.path.join(folder, "desired")
    os.makedirs(desired, exist_ok=True)
    with open(os.path.join(desired, "pools.yaml"), "w", encoding="utf-8") as fh:
        fh.write(POOLS)
    services = os.path.join(folder, "services.yaml")
    with open(services, "w", encoding="utf-8") as fh:
        count = write_services(fh, int(mib * 1024 * 1024))
    with open(os.path.join(desired, "services.yaml"), "w", encoding="utf-8") as fh:
        for i in range(0, count, 20):
            if _is_declared(i):
                fh.write(_desired_service(i))
    metallb, nodes = os.path.join(folder, "metallb.yaml"), os.path.join(folder, "nodes.yaml")
    with open(metallb, "w", encoding="utf-8") as fh:
        fh.write(LIVE_METALLB)
    with open(nodes, "w", encoding="utf-8") as fh:
        fh.write(_nodes())
    return Written(desired, (metallb, nodes, services), count, os.path.getsize(services))


def reconcile_argv(w: Written) -> list[str]:
    return ["reconcile", w.desired, "--live", *w.live]


# --- measuring ------------------------------------------------------------------------------------


def _jobs(w: Written, work: str, tag: str) -> list[dict[str, Any]]:
    return [
        {"name": f"parse-{tag}", "kind": "events", "files": [w.live[2]]},
        {
            "name": f"reconcile-{tag}",
            "kind": "cli",
            "argvs": [reconcile_argv(w)],
            "stdout": os.path.join(work, f"reconcile-{tag}.out"),
        },
    ]


def measure(sizes: Sequence[float], work: str, repeat: int) -> bool:
    written: dict[str, Written] = {}
    jobs: list[dict[str, Any]] = []
    for mib in sizes:
        tag = f"{mib:g}MiB"
        w = written[tag] = write_cluster(os.path.join(work, tag), mib)
        print(
            f"{tag}: services.yaml {w.services_bytes / 1e6:.1f} MB, {w.services} Services",
            flush=True,
        )
        jobs.extend(_jobs(w, work, tag))
    runs: dict[str, list[dict[str, Any]]] = {j["name"]: [] for j in jobs}
    for _ in range(repeat):  # interleaved: a busy machine slows them alike
        for job in jobs:
            runs[job["name"]].append(run_child(job, work))
    ok = True
    print(f"{'':<22}{'cpu s':>8}{'wall s':>8}{'peak MB':>9}{'limit MB':>10}  exit")
    for job in jobs:
        found = runs[job["name"]]
        cpu = statistics.median(r["cpu"] for r in found)
        wall = statistics.median(r["wall"] for r in found)
        peak = max(r["rss"] for r in found)
        status = max(r["status"] for r in found)
        line = f"{job['name']:<22}{cpu:>8.2f}{wall:>8.2f}{peak / 1e6:>9.0f}"
        if job["kind"] == "cli":
            tag = job["name"].removeprefix("reconcile-")
            w = written[tag]
            size = sum(os.path.getsize(p) for p in w.live)
            limit = MEMORY_FACTOR * size + MEMORY_BASE
            good = peak <= limit and status == 0
            ok &= good
            line += f"{limit / 1e6:>10.0f}  {status}{'' if good else '  (over, or not in sync)'}"
        print(line)
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.live_dump", description=__doc__)
    parser.add_argument(
        "--mib", type=float, nargs="+", default=[100.0], help="services dump sizes (MiB)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--work", help="folder for the dumps and outputs (default: temporary)")
    args = parser.parse_args(argv)
    precompile()
    work = args.work or tempfile.mkdtemp(prefix="gitops-lb-live-")
    os.makedirs(work, exist_ok=True)
    try:
        ok = measure(args.mib, work, args.repeat)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
