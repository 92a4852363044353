"""A child process held still in the middle of writing a tree, for the kill and signal tests.

The child writes through `writer.write_tree` with a pause hook (its `pause` argument, called
after each file written into the staging folder). After the Nth file the hook writes a
marker line on a pipe and waits. The parent returns once it has read the marker, so a signal
it sends then always lands mid-write, however loaded the machine is.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MARKER = b"mid-write\n"

# `gitops-lb ARGV...` with the hook: python -c CLI FD AFTER ARGV...
CLI = """\
import sys
from gitops_lb.cli import main
from gitops_lb.compile import writer
from tests.compile.midwrite import hold_after

hold = hold_after(int(sys.argv[1]), int(sys.argv[2]))
real = writer.write_tree
writer.write_tree = lambda root, files, pause=None, **kw: real(root, files, pause=hold, **kw)
raise SystemExit(main(sys.argv[3:]))
"""


def hold_after(fd: int, after: int) -> Callable[[], None]:
    """In the child: a pause hook that, on its `after`th call, writes MARKER on fd and waits."""
    # Ctrl-C raises KeyboardInterrupt even when the test runner was started with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    calls = [0]

    def hold() -> None:
        calls[0] += 1
        if calls[0] == after:
            os.write(fd, MARKER)
            os.close(fd)
            while True:
                time.sleep(60)

    return hold


def start_mid_write(
    args: list[str], *, script: str = CLI, after: int = 3, timeout: float = 60, **popen: Any
) -> subprocess.Popen[Any]:
    """Run `python -c SCRIPT FD AFTER ARGS...`; return it once its hook has been called
    `after` times and waits. The default script is `gitops-lb ARGS...`."""
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(write_end), str(after), *args],
            pass_fds=(write_end,),
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            **popen,
        )
    finally:
        os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], timeout)
        got = os.read(read_end, len(MARKER)) if ready else b""
    finally:
        os.close(read_end)
    if got != MARKER:
        proc.kill()
        proc.communicate()
    assert got == MARKER, f"the child never staged {after} files (status {proc.returncode})"
    return proc


def staged_files(parent: Path) -> list[Path]:
    """The YAML files in the staging folders (`.<DIR>.gitops-lb-tmp-*`) inside parent."""
    stages = [p for p in parent.iterdir() if ".gitops-lb-tmp-" in p.name]
    return [f for s in stages for f in s.rglob("*.yaml")]
