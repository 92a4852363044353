"""Time gitops-lb on a generated fleet against the cost of just parsing its YAML.

    python -m benchmarks.run [--sites 10 --clusters 10 --pools 50 --services 200] [--repeat 5]
                             [--overlaps] [--scale [fleet|cluster]] [--profile COMMAND]
    python -m benchmarks.run --startup [--example FILE] [--check-jsonschema PATH] [--repeat 7]

Every measurement is a fresh process (caches, imports and garbage collection as in real use),
repeated and reported as the median of the CPU time of the whole process (user + system, from
interpreter start to exit; steadier than wall-clock time on a busy machine, shown beside it).
The measurements are interleaved so that a noisy machine slows them alike. The parse floor
loads the same files with PyYAML's libyaml loader into plain Python objects and does nothing
else; validate and compile read the site specs, lint reads the equivalent manifests one
cluster at a time (as CI runs it per cluster). Peak memory is the largest resident set of any
run of that command.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from benchmarks.fleet import Params, Written, add_size_arguments, params_from, write_fleet

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FINDING = re.compile(r": (error|warning): .* \[[a-z0-9-]+\]$")
# (command, ratio to the parse floor it must stay within)
TARGETS = {"validate": 2.0, "compile": 3.0, "lint": 2.0}
SCALE_LIMIT = 2.3
MEMORY_FACTOR, MEMORY_BASE = 8, 150e6


# --- the child: one measured process ----------------------------------------------------------


def child(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job and say how long it took, how much memory it held, what it printed."""
    start, cpu_start = time.perf_counter(), cpu_seconds()
    statuses: list[int] = []
    if job["kind"] == "floor":
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        docs = 0
        for path in job["files"]:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8")
            docs += len(list(yaml.load_all(text, Loader=loader)))
        statuses.append(0 if docs else 1)
    elif job["kind"] == "events":  # libyaml's parse alone: events counted in C, nothing built
        from yaml._yaml import CParser

        for path in job["files"]:
            with open(path, "rb") as fh:
                statuses.append(0 if CParser(fh).raw_parse() else 1)
    else:
        from contextlib import redirect_stdout

        from gitops_lb.cli import main

        with open(job["stdout"], "w", encoding="utf-8") as out, redirect_stdout(out):
            for argv in job["argvs"]:
                statuses.append(main(argv))
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    return {"cpu": cpu, "wall": wall, "rss": peak_rss(), "status": max(statuses, default=0)}


def peak_rss() -> int:
    """This process's largest resident set, in bytes.

    Linux's VmHWM belongs to the address space the process got at exec. ru_maxrss does not:
    it also remembers the parent's memory that a fork (or vfork) shared before the exec, so a
    child of a large process (pytest, say) would report the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:  # not Linux
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage if sys.platform == "darwin" else usage * 1024  # macOS: bytes, else KiB


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_main(job_file: str, profile: str | None) -> int:
    with open(job_file, encoding="utf-8") as fh:
        job = json.load(fh)
    if profile:
        import cProfile

        prof = cProfile.Profile()
        result = prof.runcall(child, job)
        prof.dump_stats(profile)
    else:
        result = child(job)
    print(json.dumps(result))
    return 0


# --- the parent: jobs, repetition, report -------------------------------------------------------


@dataclass
class Figures:
    cpu: list[float]
    sys: list[float]
    wall: list[float]
    rss: int
    status: int
    findings: int = 0

    @property
    def median(self) -> float:
        """Median CPU time: what the work costs, whatever else the machine is doing."""
        return statistics.median(self.cpu)

    @property
    def median_sys(self) -> float:
        return statistics.median(self.sys)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)


def run_child(job: dict[str, Any], work: str, profile: str | None = None) -> dict[str, Any]:
    job_file = os.path.join(work, f"job-{job['name']}.json")
    with open(job_file, "w", encoding="utf-8") as fh:
        json.dump(job, fh)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):  # text reports, like a developer's
        env.pop(name, None)
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", job_file]
    if profile:
        cmd += ["--child-profile", profile]
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark job {job['name']} failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    # the whole process: interpreter start, imports, the work, and tearing it all down
    result["cpu"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    result["sys"] = after.ru_stime - before.ru_stime  # the kernel's part: files, memory
    result["wall"] = wall
    return result


def jobs_for(w: Written, work: str, commands: Sequence[str]) -> list[dict[str, Any]]:
    sites = os.path.dirname(w.site_files[0]) if w.site_files else work
    manifest_files = sorted(
        f for d, _ in w.cluster_dirs for f in glob.glob(os.path.join(d, "*.yaml"))
    )
    jobs: list[dict[str, Any]] = [
        {"name": "floor-sites", "kind": "floor", "files": w.site_files},
        {"name": "floor-manifests", "kind": "floor", "files": manifest_files},
    ]
    for cmd in commands:
        stdout = os.path.join(work, f"{cmd}.out")
        argvs: list[list[str]]
        if cmd == "lint":
            argvs = [["lint", "--bgp-mode", mode, d] for d, mode in w.cluster_dirs]
        elif cmd == "compile":
            argvs = [["compile", sites, "-o", os.path.join(work, "deploy")]]
        else:  # the whole work each time: a warm cache (docs/cache.md) would skip most of it
            argvs = [[cmd, "--no-cache", sites]]
        jobs.append({"name": cmd, "kind": "cli", "argvs": argvs, "stdout": stdout})
    return jobs


def generate(p: Params, work: str) -> Written:
    t = time.perf_counter()
    w = write_fleet(p, os.path.join(work, "fleet"))
    print(
        f"fleet: {p.sites} sites x {p.clusters} clusters x {p.pools} pools x "
        f"{p.services} services{' (overlapping pools)' if p.overlaps else ''}: "
        f"site specs {w.site_bytes / 1e6:.1f} MB, manifests {w.manifest_bytes / 1e6:.1f} MB "
        f"(generated in {time.perf_counter() - t:.1f} s)",
        flush=True,
    )
    return w


CACHE_ENV = "GITOPS_LB_CACHE_DIR"


def cli_job(name: str, argv: list[str], work: str, prefix: str = "") -> dict[str, Any]:
    """A job running one gitops-lb command, its output kept in WORK/PREFIXNAME.out."""
    return {
        "name": name,
        "kind": "cli",
        "argvs": [argv],
        "stdout": os.path.join(work, f"{prefix}{name}.out"),
    }


def scenario_parser(prog: str, description: str | None) -> argparse.ArgumentParser:
    """The options of a one-scenario benchmark: the fleet's size, runs per figure, folder."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_size_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--work", help="folder for the fleet and outputs (default: temporary)")
    return parser


@contextlib.contextmanager
def scenario_work(args: argparse.Namespace, prefix: str) -> Iterator[str]:
    """The folder of a scenario (removed after unless --work named it), whose `cache`
    subfolder is the children's cache (docs/cache.md), never the source tree's."""
    work = args.work or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(work, exist_ok=True)
    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = os.path.join(work, "cache")
    try:
        yield work
    finally:
        if saved is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = saved
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def run_jobs(
    batches: Sequence[tuple[str, list[dict[str, Any]]]], repeat: int
) -> list[dict[str, Figures]]:
    """Each batch (work folder, jobs) `repeat` times, all batches interleaved."""
    figures: list[dict[str, Figures]] = [{} for _ in batches]
    for _ in range(repeat):
        for (work, jobs), found in zip(batches, figures, strict=True):
            for job in jobs:
                shutil.rmtree(os.path.join(work, "deploy"), ignore_errors=True)
                r = run_child(job, work)
                f = found.setdefault(job["name"], Figures([], [], [], 0, r["status"]))
                f.cpu.append(r["cpu"])
                f.sys.append(r["sys"])
                f.wall.append(r["wall"])
                f.rss = max(f.rss, r["rss"])
    for (_, jobs), found in zip(batches, figures, strict=True):
        for job in jobs:
            if job["kind"] == "cli":
                with open(job["stdout"], encoding="utf-8") as fh:
                    found[job["name"]].findings = sum(1 for line in fh if FINDING.search(line))
    return figures


def measure(
    p: Params, work: str, repeat: int, commands: Sequence[str]
) -> tuple[Written, dict[str, Figures]]:
    w = generate(p, work)
    return w, run_jobs([(work, jobs_for(w, work, commands))], repeat)[0]


def floor_of(cmd: str) -> str:
    return "floor-manifests" if cmd == "lint" else "floor-sites"


def report(w: Written, figures: dict[str, Figures], commands: Sequence[str]) -> bool:
    ok = True
    print(
        f"{'':<18}{'cpu s':>8}{'of sys':>8}{'wall s':>8}{'x floor':>9}{'target':>8}{'peak MB':>9}"
        f"{'findings':>10}"
    )
    for name in ("floor-sites", "floor-manifests", *commands):
        f = figures[name]
        line = f"{name:<18}{f.median:>8.3f}{f.median_sys:>8.3f}{f.median_wall:>8.3f}"
        if name in TARGETS:
            ratio = f.median / figures[floor_of(name)].median
            good = ratio <= TARGETS[name]
            ok &= good
            line += f"{ratio:>8.2f}x{TARGETS[name]:>7.1f}x{'' if good else '!'}"
        else:
            line += " " * 17
        line += f"{f.rss / 1e6:>9.0f}"
        if name in commands:
            line += f"{f.findings:>10}  (exit {f.status})"
        print(line)
    for name in commands:
        size = w.manifest_bytes if name == "lint" else w.site_bytes
        limit = MEMORY_FACTOR * size + MEMORY_BASE
        good = figures[name].rss <= limit
        ok &= good
        print(
            f"memory {name}: {figures[name].rss / 1e6:.0f} MB, limit {MEMORY_FACTOR} x "
            f"{size / 1e6:.1f} MB + {MEMORY_BASE / 1e6:.0f} MB = {limit / 1e6:.0f} MB"
            f"{'' if good else '  (over)'}"
        )
    return ok


def doubled(p: Params, dim: str) -> Params:
    if dim == "cluster":  # the node inventory stays: more pools and services, same machines
        return replace(p, pools=2 * p.pools, services=2 * p.services)
    return replace(p, sites=2 * p.sites)


def scale(p: Params, dim: str, work: str, repeat: int, commands: Sequence[str]) -> bool:
    what = "pools and services per cluster" if dim == "cluster" else "sites"
    print(f"scaling: the same fleet with twice the {what}")
    batches: list[tuple[str, list[dict[str, Any]]]] = []
    written: list[Written] = []
    for i, size in enumerate((p, doubled(p, dim))):
        sub = os.path.join(work, f"n{i}")
        os.makedirs(sub)
        written.append(generate(size, sub))
        batches.append((sub, jobs_for(written[-1], sub, commands)))
    results = run_jobs(batches, repeat)  # both sizes interleaved: the same noise for both
    ok = True
    growth = {n: results[1][n].median / results[0][n].median for n in results[0]}
    for name in ("floor-sites", "floor-manifests", *commands):
        a, b = results[0][name].median, results[1][name].median
        ratio = growth[name]
        is_floor = name.startswith("floor")
        good = is_floor or ratio <= SCALE_LIMIT
        ok &= good
        line = f"{name:<18}{a:>8.3f} s -> {b:>8.3f} s CPU  {ratio:.2f}x"
        if not is_floor:
            # the floor grows linearly by construction: how far it strays from 2x is noise
            relative = ratio / growth[floor_of(name)]
            line += f" (target {SCALE_LIMIT}x; {relative:.2f}x the floor's growth)"
        print(line + ("" if good else "  (over)"))
    for name in commands:  # the memory limit holds at both sizes
        line = f"memory {name:<11}"
        for w, found in zip(written, results, strict=True):
            input_bytes = w.manifest_bytes if name == "lint" else w.site_bytes
            limit = MEMORY_FACTOR * input_bytes + MEMORY_BASE
            good = found[name].rss <= limit
            ok &= good
            line += f"  {found[name].rss / 1e6:>5.0f} MB of {limit / 1e6:.0f}{'' if good else '!'}"
        print(line + f"  (limit {MEMORY_FACTOR} x input + {MEMORY_BASE / 1e6:.0f} MB)")
    return ok


def profile(p: Params, work: str, command: str, top: int) -> None:
    import pstats

    w = write_fleet(p, os.path.join(work, "fleet"))
    names = {"floor": "floor-sites", "floor-sites": "floor-sites"}
    wanted = names.get(command, command)
    job = next(j for j in jobs_for(w, work, available_commands()) if j["name"] == wanted)
    out = os.path.join(work, "profile.pstats")
    r = run_child(job, work, profile=out)
    print(f"{wanted}: {r['cpu']:.3f} s CPU under cProfile (slower than without)")
    stats = pstats.Stats(out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def precompile() -> None:
    """Byte-compile the package, as installing it does: the measured processes then load
    bytecode even where PYTHONDONTWRITEBYTECODE keeps Python from caching it itself."""
    import compileall

    for package in ("gitops_lb", "benchmarks"):
        compileall.compile_dir(os.path.join(ROOT, package), quiet=1)


def available_commands() -> list[str]:
    from gitops_lb.cli import COMMANDS

    return [c for c in ("validate", "compile", "lint") if c in COMMANDS]


# --- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    add_size_arguments(parser)
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (median)")
    parser.add_argument("--work", help="folder for the fleet and outputs (default: temporary)")
    parser.add_argument(
        "--scale",
        nargs="?",
        const="fleet",
        choices=("fleet", "cluster"),
        help="also run at twice the size (fleet: twice the sites; cluster: twice the pools "
        "and services per cluster) and print the ratios",
    )
    parser.add_argument("--profile", metavar="COMMAND", help="cProfile one run of COMMAND")
    parser.add_argument("--top", type=int, default=30, help="rows of the profile")
    parser.add_argument("--startup", action="store_true", help="whole-process start-up race")
    parser.add_argument("--example", default=None, help="site spec for --startup")
    parser.add_argument("--schema", default=os.path.join("schemas", "site.schema.json"))
    parser.add_argument("--check-jsonschema", default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child, args.child_profile)
    precompile()
    if args.startup:
        example = args.example or next(iter(sorted(glob.glob("examples/sites/*.yaml"))), None)
        if example is None:
            parser.error("no example site spec (examples/sites/*.yaml); give --example FILE")
        from benchmarks.startup import find_checker, race

        checker = find_checker() if args.check_jsonschema is None else args.check_jsonschema
        return 0 if race(example, args.schema, checker or None, args.repeat or 7) else 1
    p = params_from(args)
    commands = available_commands()
    work = args.work or tempfile.mkdtemp(prefix="gitops-lb-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        if args.profile:
            profile(p, work, args.profile, args.top)
            return 0
        repeat = args.repeat or 5
        if args.scale:
            ok = scale(p, args.scale, work, repeat, commands)
        else:
            w, figures = measure(p, work, repeat, commands)
            ok = report(w, figures, commands)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
