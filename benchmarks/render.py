"""Time `render --cluster SITE/CLUSTER` (the Argo CD plugin's generate step) in a whole fleet
against the same render given only the file of SITE.

    python -m benchmarks.render [--sites 10 --clusters 10 --pools 50 --services 200] [--repeat 5]

The plugin runs render for every refresh of every Application, and points it at the whole
repository. render checks the files that hold the cluster's site in full and only skims the
others for the summaries the rules comparing sites need (gitops_lb.scoped), so its cost should
follow the site, not the repository: the target is at most TARGET times the time of the site
alone. Both are fresh processes, interleaved, measured as in benchmarks.run (median CPU time
of the whole process, wall time beside it); both must print the same manifests.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import tempfile
from collections.abc import Sequence
from typing import Any

from benchmarks.fleet import add_size_arguments, params_from
from benchmarks.run import generate, precompile, run_jobs

TARGET = 1.5


def jobs(sites: str, site_file: str, cluster: str, work: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "kind": "cli",
            "argvs": [["render", path, "--cluster", cluster]],
            "stdout": os.path.join(work, f"{name}.out"),
        }
        for name, path in (("render-repo", sites), ("render-site", site_file))
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.render", description=__doc__)
    add_size_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--work", help="folder for the fleet and outputs (default: temporary)")
    args = parser.parse_args(argv)
    precompile()
    p = params_from(args)
    work = args.work or tempfile.mkdtemp(prefix="gitops-lb-bench-render-")
    os.makedirs(work, exist_ok=True)
    try:
        w = generate(p, work)
        site_file = w.site_files[len(w.site_files) // 2]  # a site in the middle of the inputs
        site = os.path.splitext(os.path.basename(site_file))[0]
        cluster = f"{site}/c{p.clusters // 2:03d}"
        todo = jobs(os.path.dirname(site_file), site_file, cluster, work)
        figures = run_jobs([(work, todo)], args.repeat)[0]
        repo, alone = figures["render-repo"], figures["render-site"]
        print(
            f"render --cluster {cluster}: {len(w.site_files)} site spec files, {p.clusters} "
            f"clusters each"
        )
        print(f"{'':<14}{'cpu s':>8}{'of sys':>8}{'wall s':>8}{'peak MB':>9}")
        for name, f in (("whole fleet", repo), ("site alone", alone)):
            print(
                f"{name:<14}{f.median:>8.3f}{f.median_sys:>8.3f}{f.median_wall:>8.3f}"
                f"{f.rss / 1e6:>9.0f}  (exit {f.status})"
            )
        same = filecmp.cmp(todo[0]["stdout"], todo[1]["stdout"], shallow=False)
        ratio = repo.median / alone.median
        ok = ratio <= TARGET and same and repo.status == alone.status == 0
        print(f"ratio {ratio:.2f}x (target {TARGET}x): {'met' if ratio <= TARGET else 'missed'}")
        print("same manifests printed" if same else "the manifests differ!")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
