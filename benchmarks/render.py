"""Time `render --cluster SITE/CLUSTER` (the Argo CD plugin's generate step) in a whole fleet
against the same render given only the file of SITE.

    python -m benchmarks.render [--sites 10 --clusters 10 --pools 50 --services 200] [--repeat 5]

The plugin runs render for every refresh of every Application, and points it at the whole
repository. render checks the files that hold the cluster's site in full; of the others it
needs only the summaries the rules comparing sites read, which come from the cache that validate
also fills (docs/cache.md). So its cost should follow the site, not the repository: the target
is at most TARGET times the time of the site alone, with the cache warm, which is the plugin's
steady state (a refresh of an unchanged repository). Beside it, for information:
- after a commit that changed another site's file (a new last line before each run: one miss,
  which checks that file and stores its entry);
- with --no-cache, where the other files are skimmed (gitops_lb.scoped);
- with an empty cache (the first refresh of a new plugin pod), measured once.

Every run is a fresh process measured as in benchmarks.run (median CPU time of the whole
process, wall time beside it); every run must print the same manifests as the site alone.
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

TARGET = 1.5
RUNS = (
    ("warm", "whole fleet, cache warm"),
    ("changed", "another file changed"),
    ("nocache", "whole fleet, --no-cache"),
    ("alone", "the site's file alone"),
)


def main(argv: Sequence[str] | None = None) -> int:
    args = scenario_parser("python -m benchmarks.render", __doc__).parse_args(argv)
    precompile()
    p = params_from(args)
    with scenario_work(args, "gitops-lb-bench-render-") as work:
        w = generate(p, work)
        site_file = w.site_files[len(w.site_files) // 2]  # a site in the middle of the inputs
        other = w.site_files[0]
        sites = os.path.dirname(site_file)
        site = os.path.splitext(os.path.basename(site_file))[0]
        cluster = f"{site}/c{p.clusters // 2:03d}"
        argv_of = {
            "warm": ["render", sites, "--cluster", cluster],
            "changed": ["render", sites, "--cluster", cluster],
            "nocache": ["render", "--no-cache", sites, "--cluster", cluster],
            "alone": ["render", site_file, "--cluster", cluster],
        }
        jobs = {name: cli_job(name, argv_of[name], work, "render-") for name, _ in RUNS}
        cold = run_child(cli_job("cold", argv_of["warm"], work, "render-"), work)  # fills the cache
        cpu: dict[str, list[float]] = {name: [] for name, _ in RUNS}
        wall: dict[str, list[float]] = {name: [] for name, _ in RUNS}
        status: dict[str, int] = {"cold": cold["status"]}
        same = True
        for n in range(args.repeat):
            for name, _ in RUNS:
                if name == "changed":
                    with open(other, "a", encoding="utf-8") as fh:
                        fh.write(f"# commit {n}\n")  # new content: a new key, the same site
                r = run_child(jobs[name], work)
                cpu[name].append(r["cpu"])
                wall[name].append(r["wall"])
                status[name] = r["status"]
        alone_out = jobs["alone"]["stdout"]
        for name in (*cpu, "cold"):
            out = os.path.join(work, f"render-{name}.out")
            same = same and filecmp.cmp(out, alone_out, shallow=False)
        alone = statistics.median(cpu["alone"])
        print(
            f"render --cluster {cluster}: {len(w.site_files)} site spec files, {p.clusters} "
            f"clusters each"
        )
        print(f"{'':<28}{'cpu s':>8}{'wall s':>8}{'x alone':>9}")
        rows = [(title, cpu[name], wall[name], status[name]) for name, title in RUNS]
        rows.append(("empty cache (once)", [cold["cpu"]], [cold["wall"]], cold["status"]))
        for title, c, wl, st in rows:
            m = statistics.median(c)
            print(
                f"{title:<28}{m:>8.3f}{statistics.median(wl):>8.3f}{m / alone:>8.2f}x  (exit {st})"
            )
        ratio = statistics.median(cpu["warm"]) / alone
        good = ratio <= TARGET
        print(
            f"ratio {ratio:.2f}x with the cache warm (target {TARGET}x): "
            f"{'met' if good else 'missed'}"
        )
        print("same manifests printed" if same else "the manifests differ!")
        ok = good and same and all(s == 0 for s in status.values())
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
