"""Race the start of a small run: `gitops-lb validate SITE` against `check-jsonschema
--schemafile schemas/site.schema.json SITE` on the same small site spec.

    python -m benchmarks.startup [--example FILE] [--check-jsonschema PATH] [--repeat 7]

A pre-commit hook runs once per commit on the one or two files it touched, so what the user
waits for is the whole process: interpreter start, imports, reading one small file, checking
it, exit. Each contender is a fresh process, run --repeat times, interleaved with the other
(a busy machine slows both alike), and reported as the median CPU time of the whole process
(user + system) with the median wall time beside it. The target: gitops-lb takes at most
TARGET times check-jsonschema's CPU time. Both must exit 0 on the file (the examples are
clean and valid).

check-jsonschema is not a dependency of gitops-lb: install it beside it for the race
(`pip install -e '.[bench]'`, or into any environment and give --check-jsonschema PATH). When
it cannot be found the race is not run and the benchmark says so.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = 0.8
DEFAULT_EXAMPLE = os.path.join("examples", "sites", "acp-seed.yaml")
DEFAULT_SCHEMA = os.path.join("schemas", "site.schema.json")
OURS, THEIRS = "gitops-lb validate", "check-jsonschema"


def find_checker() -> str | None:
    """check-jsonschema beside this interpreter (the project's .venv), else on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which("check-jsonschema")


def timed_process(cmd: Sequence[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit status) of one whole process."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, proc.returncode


def race(example: str, schema: str, checker: str | None, repeat: int) -> bool:
    """Print both medians and the ratio; True when the target is met (or nothing to race)."""
    contenders = {OURS: [sys.executable, "-m", "gitops_lb", "validate", example]}
    if checker:
        contenders[THEIRS] = [checker, "--schemafile", schema, example]
    else:
        print(
            "check-jsonschema is missing: the race is NOT run, only gitops-lb is timed "
            "(pip install -e '.[bench]', or give --check-jsonschema PATH)"
        )
    statuses: dict[str, int] = {}
    for name, cmd in contenders.items():  # once untimed: page cache, bytecode
        statuses[name] = timed_process(cmd)[2]
        print(f"{name}: exit {statuses[name]}  ({' '.join(cmd[-3:])})")
    walls: dict[str, list[float]] = {name: [] for name in contenders}
    cpus: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, cmd in contenders.items():
            wall, cpu, _ = timed_process(cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
    for name in contenders:
        print(
            f"{name:<20}{statistics.median(walls[name]) * 1000:>6.0f} ms wall "
            f"{statistics.median(cpus[name]) * 1000:>6.0f} ms CPU  (median of {repeat})"
        )
    if THEIRS not in contenders:
        return True
    cpu_ratio = statistics.median(cpus[OURS]) / statistics.median(cpus[THEIRS])
    wall_ratio = statistics.median(walls[OURS]) / statistics.median(walls[THEIRS])
    met = cpu_ratio <= TARGET
    print(
        f"ratio {cpu_ratio:.2f}x CPU, {wall_ratio:.2f}x wall "
        f"(target {TARGET}x CPU): {'met' if met else 'missed'}"
    )
    if any(statuses.values()):
        print("a contender did not exit 0: the race compares unlike work")
        return False
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--example", default=DEFAULT_EXAMPLE, help="the small site spec")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="check-jsonschema's schema")
    parser.add_argument(
        "--check-jsonschema",
        default=None,
        help="the check-jsonschema executable (default: beside python, else on PATH; "
        "'' to time gitops-lb alone)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    args = parser.parse_args(argv)
    from benchmarks.run import precompile  # installed packages are byte-compiled; so is ours

    precompile()
    checker = find_checker() if args.check_jsonschema is None else args.check_jsonschema
    ok = race(args.example, args.schema, checker or None, args.repeat)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
