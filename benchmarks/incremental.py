"""Time `validate` of a whole fleet after one site spec file changed, with the cache warm,
against `validate --no-cache` of that file alone.

    python -m benchmarks.incremental [--sites 10 --clusters 10 --pools 50 --services 200]
                                     [--repeat 5] [--overlaps]

This is what a pre-commit hook costs in a big repository after one edit: the cache
(docs/cache.md) gives back what every unchanged file found, so only the changed file is read,
validated and lowered, and only the rules comparing sites run over the whole fleet. The target
is at most TARGET times the cost of checking the changed file alone. Before each measured pair
the same site file gets a new last line (a comment with a counter: new content, new key); the
repository run then finds one miss and every other file in the cache. Both runs are fresh
processes measured as in benchmarks.run (median CPU time of the whole process, wall time
beside it). The repository run's findings must be those of a --no-cache run of the repository.
"""

from __future__ import annotations

import filecmp
import os
import statistics
from collections.abc import Sequence

from benchmarks.fleet import params_from
from benchmarks.run import (
    cli_job,
    generate,
    precompile,
    run_child,
    scenario_parser,
    scenario_work,
)

TARGET = 3.0


def edit(path: str, n: int) -> None:
    """A one-line change: a new content (so a new key), the same findings."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"# edit {n}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = scenario_parser("python -m benchmarks.incremental", __doc__)
    args = parser.parse_args(argv)
    precompile()
    p = params_from(args)
    with scenario_work(args, "gitops-lb-bench-incremental-") as work:
        w = generate(p, work)
        sites = os.path.dirname(w.site_files[0])
        changed = w.site_files[len(w.site_files) // 2]  # a site in the middle of the inputs
        repo = cli_job("validate-repo", ["validate", sites], work)
        alone = cli_job("validate-file", ["validate", "--no-cache", changed], work)
        full = cli_job("validate-nocache", ["validate", "--no-cache", sites], work)
        run_child(repo, work)  # warm the cache
        cpu: dict[str, list[float]] = {"repo": [], "alone": []}
        wall: dict[str, list[float]] = {"repo": [], "alone": []}
        statuses: dict[str, int] = {}
        for n in range(args.repeat):
            edit(changed, n)
            for key, j in (("repo", repo), ("alone", alone)):
                r = run_child(j, work)
                cpu[key].append(r["cpu"])
                wall[key].append(r["wall"])
                statuses[key] = r["status"]
        run_child(full, work)
        same = filecmp.cmp(repo["stdout"], full["stdout"], shallow=False)
        repo_cpu, alone_cpu = statistics.median(cpu["repo"]), statistics.median(cpu["alone"])
        ratio = repo_cpu / alone_cpu
        print(
            f"validate after a one-file change: {len(w.site_files)} site spec files, "
            f"{p.clusters} clusters each; changed {os.path.basename(changed)}"
        )
        print(f"{'':<26}{'cpu s':>8}{'wall s':>8}")
        for name, key in (
            ("whole fleet, cache warm", "repo"),
            ("that file alone, no cache", "alone"),
        ):
            print(
                f"{name:<26}{statistics.median(cpu[key]):>8.3f}"
                f"{statistics.median(wall[key]):>8.3f}  (exit {statuses[key]})"
            )
        good = ratio <= TARGET
        print(f"ratio {ratio:.2f}x (target {TARGET}x): {'met' if good else 'missed'}")
        print("same findings as --no-cache" if same else "the findings differ from --no-cache!")
        ok = good and same
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
