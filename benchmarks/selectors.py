"""Time `lint` of one dense cluster whose advertisements select their pools by label, at N and
2N pools and advertisements, and print the growth against the 2.3x target.

    python -m benchmarks.selectors [--pools 1000] [--repeat 5] [--work DIR]

The cluster is `benchmarks.fleet`'s with --selectors, one site of one cluster: every pool is
announced by a full-form advertisement of its own that selects it by label (matchLabels for
L2, an In expression for BGP), every Service carries its own app label and its team, the
namespace-restricted pools select Services by team, and the BGP peers select their nodes. N
pools come with N Services. Matching every advertisement's selectors against every pool would
make the doubling cost 4x; the target is at most TARGET. Both sizes are fresh processes,
interleaved, measured as in benchmarks.run (median CPU time of the whole process), beside the
parse floor of the same manifests (libyaml, nothing built), which grows linearly by
construction.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Sequence
from typing import Any

from benchmarks.fleet import Params
from benchmarks.run import generate, jobs_for, precompile, run_jobs

TARGET = 2.3


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.selectors", description=__doc__)
    parser.add_argument("--pools", type=int, default=1000, help="N: pools and Services at N")
    parser.add_argument("--nodes", type=int, default=6, help="nodes of the cluster")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--work", help="folder for the clusters (default: temporary)")
    args = parser.parse_args(argv)
    precompile()
    work = args.work or tempfile.mkdtemp(prefix="gitops-lb-bench-selectors-")
    os.makedirs(work, exist_ok=True)
    ok = True
    try:
        batches: list[tuple[str, list[dict[str, Any]]]] = []
        sizes = (args.pools, 2 * args.pools)
        for n in sizes:
            p = Params(
                sites=1,
                clusters=1,
                pools=n,
                services=n,
                nodes=args.nodes,
                seed=args.seed,
                selectors=True,
            )
            sub = os.path.join(work, f"n{n}")
            os.makedirs(sub, exist_ok=True)
            w = generate(p, sub)
            jobs = [
                j for j in jobs_for(w, sub, ["lint"]) if j["name"] in ("floor-manifests", "lint")
            ]
            batches.append((sub, jobs))
        results = run_jobs(batches, args.repeat)
        print(
            f"one cluster, pools and advertisements selecting them by label: "
            f"{sizes[0]} -> {sizes[1]}"
        )
        print(f"{'':<18}{'cpu s':>8}{'cpu s':>8}{'growth':>8}")
        for name in ("floor-manifests", "lint"):
            a, b = results[0][name], results[1][name]
            growth = b.median / a.median
            line = f"{name:<18}{a.median:>8.3f}{b.median:>8.3f}{growth:>7.2f}x"
            if name == "lint":
                good = growth <= TARGET and a.status == b.status == 0
                ok &= good
                line += (
                    f"  (target {TARGET}x: {'met' if growth <= TARGET else 'missed'}; "
                    f"exit {a.status}/{b.status}, findings {a.findings}/{b.findings})"
                )
            print(line)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
