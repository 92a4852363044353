"""Every figure of the speed targets in one run, each as a ratio with its target.

    python -m benchmarks.speed [--repeat N] [--small]

It runs, one after the other and each as documented in benchmarks/README.md:

- incremental.py: validate of the fleet after a one-file change, cache warm, against that file
  alone (3.0x);
- render.py: render of one cluster in the 100-cluster fleet against the site alone (1.5x);
- startup.py: one small site validated against check-jsonschema on the same file (0.8x CPU);
- selectors.py: lint of one cluster at 2N pools and advertisements against N (2.3x);
- run.py: validate, compile and lint of the fleet against the parse floor (2.0x, 3.0x, 2.0x);
- run.py --scale: the same commands on twice the sites against the fleet (2.3x), the earlier
  performance work's doubling target, which must still hold.

Each benchmark's own report is printed under its heading; a summary follows with every line
that states a ratio against a target, and the verdict of each. `--small` runs tiny sizes (a
smoke run: the figures mean nothing then). `--repeat` is passed to each benchmark.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
from collections.abc import Callable, Sequence

from benchmarks import incremental, render, run, selectors, startup

SMALL_FLEET = ["--sites", "2", "--clusters", "3", "--pools", "7", "--services", "25"]
SMALL_FLEET += ["--nodes", "3"]

Main = Callable[[Sequence[str] | None], int]


def steps(small: bool) -> list[tuple[str, Main, list[str]]]:
    fleet = SMALL_FLEET if small else []
    return [
        ("incremental validate after a one-file change", incremental.main, [*fleet]),
        ("render of one cluster in the fleet", render.main, [*fleet]),
        ("start-up against check-jsonschema", startup.main, []),
        ("selector doubling", selectors.main, ["--pools", "6"] if small else []),
        ("the fleet against the parse floor", run.main, [*fleet]),
        ("fleet doubling", run.main, [*fleet, "--scale"]),
    ]


def verdict(out: str) -> str:
    if "is missing: the race is NOT run" in out:
        return "not run (check-jsonschema is missing: pip install -e '.[bench]')"
    if "some targets missed" in out or "target missed" in out:
        return "missed"
    return "met" if "targets met" in out else "no verdict"


def figures(out: str) -> list[str]:
    """The lines of a report that state a figure against its target."""
    return [line.strip() for line in out.splitlines() if re.search(r"\d\.\d+x", line)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__)
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (median)")
    parser.add_argument("--small", action="store_true", help="tiny sizes (a smoke run)")
    args = parser.parse_args(argv)
    summary: list[tuple[str, str, list[str]]] = []
    for title, bench, extra in steps(args.small):
        repeat = [] if args.repeat is None else ["--repeat", str(args.repeat)]
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            status = bench([*extra, *repeat])
        out = buffer.getvalue()
        print(f"== {title} ==\n{out.rstrip()}\n", flush=True)
        summary.append((title, verdict(out) if status == 0 else f"exit {status}", figures(out)))
    print("== summary ==")
    for title, said, lines in summary:
        print(f"{title}: {said}")
        for line in lines:
            print(f"    {line}")
    ok = all(said.startswith(("met", "not run")) for _, said, _ in summary)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
