"""`reconcile` over the fleet: every cluster of the site specs, read in parallel.

Each cluster's live state comes from `--live-dir DIR` (DIR/SITE/CLUSTER/*.yaml, see
livedir.py) or from the API through its kubeconfig context (clusters[].context in the site
spec, else the context named like the cluster). A cluster that cannot be read (no dump
folder, an unreadable dump, an unknown context, an API server that does not answer) is an
outcome like any other: it never stops the others.

Clusters are read by a bounded pool of `jobs` workers: processes for dumps (parsing YAML is
CPU-bound work, which threads would serialise on the interpreter lock; the workers are forked,
so they share the desired state already loaded instead of loading it again), threads for the
API (waiting on the network). The outcomes come back in cluster id order whatever order the
workers finish in.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.errors import GitopsLbError
from gitops_lb.reconcile import drift
from gitops_lb.reconcile.desired import Desired, FleetDesired
from gitops_lb.reconcile.difference import Report
from gitops_lb.reconcile.dump import read_dump
from gitops_lb.reconcile.livedir import cluster_dump_files, cluster_folder
from gitops_lb.reconcile.state import LiveState, mapping, name_of

DEFAULT_JOBS = 8  # at most; never more than the clusters
NEAR_USED = 0.80  # a pool family this full is near exhaustion (status --warn-used's default)
FAMILIES = ("IPv4", "IPv6")

Progress = Callable[[int, int, str], None]  # (done, total, the cluster just read)


@dataclass(frozen=True, slots=True)
class Source:
    """Where the live states come from: dumps under `live_dir`, else the API."""

    live_dir: str | None = None
    kubeconfig: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class PoolUse:
    """One address family of one live pool, as MetalLB's IPAddressPool status counts it."""

    pool: str
    family: str
    assigned: int
    available: int

    @property
    def size(self) -> int:
        return self.assigned + self.available

    @property
    def used(self) -> float:
        return self.assigned / self.size if self.size else 0.0

    def text(self) -> str:
        return f"{self.pool} {self.family} {self.assigned}/{self.size} ({int(self.used * 100)}%)"

    def as_json(self) -> dict[str, Any]:
        return {
            "pool": self.pool,
            "family": self.family,
            "assigned": self.assigned,
            "available": self.available,
        }


@dataclass(eq=False)
class Outcome:
    """What became of one cluster: a report, or why there is none."""

    cluster: str
    report: Report | None = None
    unreachable: str | None = None  # the live state could not be read at all
    invalid: bool = False  # its site spec has errors: not compared
    near: list[PoolUse] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return self.report is not None and self.report.in_sync and not self.report.unreadable

    @property
    def unreadable(self) -> bool:
        return self.unreachable is not None or (self.report is not None and self.report.unreadable)


def default_jobs(clusters: int) -> int:
    return max(1, min(DEFAULT_JOBS, clusters))


def context_of(d: Desired) -> str:
    """The kubeconfig context of a site spec cluster: clusters[].context, else its name."""
    return d.context or d.name or d.cluster


def dump_files(d: Desired, live_dir: str) -> list[str]:
    """The dump files of a cluster under `live_dir`; GitopsLbError when there are none."""
    site, name = d.site or "", d.name or ""
    files = cluster_dump_files(live_dir, site, name)
    folder = cluster_folder(live_dir, site, name)
    if files is None:
        raise GitopsLbError(f"no dump of {d.cluster}: {folder} is not a folder")
    if not files:
        raise GitopsLbError(f"no dump of {d.cluster}: {folder} holds no .yaml or .yml file")
    return files


def live_state(d: Desired, source: Source) -> LiveState:
    namespace = d.config.namespace
    if source.live_dir is not None:
        files = dump_files(d, source.live_dir)
        return read_dump(files, namespace, plugin=d.plugin, services=d.service_keys())
    # kubernetes is imported only when the API is read (it takes a while)
    live = importlib.import_module("gitops_lb.reconcile.live")
    conn = live.Connection(source.kubeconfig, context_of(d), source.timeout)
    state: LiveState = live.read_live(conn, namespace, plugin=d.plugin)
    return state


def pool_use(state: LiveState) -> list[PoolUse]:
    """Each live pool's use per family, from its status (MetalLB 0.15 writes assignedIPv4,
    availableIPv4, assignedIPv6, availableIPv6); pools without a status are left out."""
    statuses = {name_of(p): mapping(p, "status") for p in state.get("IPAddressPool")}
    statuses.update(state.pool_status)
    out = []
    for pool, status in sorted(statuses.items()):
        if not isinstance(status, dict):
            continue
        for family in FAMILIES:
            assigned = _count(status.get(f"assigned{family}"))
            available = _count(status.get(f"available{family}"))
            if assigned is not None and available is not None and assigned + available > 0:
                out.append(PoolUse(pool, family, assigned, available))
    return out


def _count(value: Any) -> int | None:
    """A count of addresses, or None for anything else (live objects are untrusted)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return value if ok else None


def near_exhaustion(state: LiveState, threshold: float = NEAR_USED) -> list[PoolUse]:
    return [u for u in pool_use(state) if u.used >= threshold]


def reconcile_cluster(d: Desired, source: Source) -> Outcome:
    """One cluster, start to end; a live state that cannot be read is its outcome."""
    try:
        state = live_state(d, source)
    except GitopsLbError as exc:
        return Outcome(d.cluster, unreachable=str(exc))
    report = Report(d.cluster, state.source)
    report.differences = drift.compare(d, state)
    report.notes = drift.notes(state)
    return Outcome(d.cluster, report=report, near=near_exhaustion(state))


# --- in parallel --------------------------------------------------------------------------------

# what the forked workers reconcile: set before they are forked, read by index
_WORK: list[tuple[Desired, Source]] = []


def _reconcile_index(index: int) -> Outcome:
    d, source = _WORK[index]
    return reconcile_cluster(d, source)


def _fork_context() -> Any:
    """The fork start method where the platform has it (Linux), else None (threads)."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _executor(source: Source, workers: int) -> tuple[Executor, bool]:
    """The pool for these reads, and whether it is made of (forked) processes."""
    context = _fork_context() if source.live_dir is not None else None
    if context is not None:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context), True
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gitops-lb-fleet"), False


def _outcomes(todo: Sequence[Desired], source: Source, jobs: int) -> Iterator[Outcome]:
    """The outcome of each cluster, in the order they are done."""
    workers = min(jobs, len(todo))
    if workers <= 1:
        for d in todo:
            yield reconcile_cluster(d, source)
        return
    executor, processes = _executor(source, workers)
    futures: list[Future[Outcome]] = []
    try:
        with warnings.catch_warnings():
            # Python 3.12 warns about fork() in a process with threads; the workers only
            # read the desired state and the dump files, they take no lock another thread holds
            warnings.simplefilter("ignore", DeprecationWarning)
            if processes:
                _WORK[:] = [(d, source) for d in todo]
                futures = [executor.submit(_reconcile_index, i) for i in range(len(todo))]
            else:
                futures = [executor.submit(reconcile_cluster, d, source) for d in todo]
        for future in as_completed(futures):
            yield future.result()
    finally:
        for future in futures:
            future.cancel()
        executor.shutdown(wait=True)
        _WORK.clear()


def reconcile_fleet(
    fleet: FleetDesired, source: Source, jobs: int, progress: Progress | None = None
) -> list[Outcome]:
    """Every cluster's outcome, in cluster id order."""
    todo = [d for d in fleet.clusters if d.cluster not in fleet.invalid]
    found = {c: Outcome(c, invalid=True) for c in fleet.invalid}
    for done, outcome in enumerate(_outcomes(todo, source, jobs), 1):
        found[outcome.cluster] = outcome
        if progress is not None:
            progress(done, len(todo), outcome.cluster)
    return [found[c] for c in sorted(found)]


def exit_status(outcomes: Sequence[Outcome], invalid_input: bool) -> int:
    """3 when a cluster could not be read (wholly or in part), else 1 when one drifts or the
    site specs have errors, else 0."""
    if any(o.unreadable for o in outcomes):
        return 3
    if invalid_input or not all(o.in_sync for o in outcomes):
        return 1
    return 0
