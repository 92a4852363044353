"""A `gitops-lb` child process held still in the middle of writing its compiled tree.

The child runs the real CLI, with `writer.write_tree` given a pause hook (its `pause`
argument, called after each file written into the staging folder). After the Nth file the
hook writes a marker line on a pipe and waits. The parent returns once it has read the
marker, so a signal it sends then always lands mid-write, however loaded the machine is.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = b"mid-write\n"

CHILD = """\
import os, signal, sys, time
from gitops_lb.cli import main
from gitops_lb.compile import writer

fd, after = int(sys.argv[1]), int(sys.argv[2])
# Ctrl-C raises KeyboardInterrupt even when the test runner was started with SIGINT ignored
signal.signal(signal.SIGINT, signal.default_int_handler)
real = writer.write_tree
written = 0


def hold():
    global written
    written += 1
    if written == after:
        os.write(fd, MARKER)
        os.close(fd)
        while True:
            time.sleep(60)


def write_tree(root, files, pause=None):
    return real(root, files, pause=hold)


writer.write_tree = write_tree
raise SystemExit(main(sys.argv[3:]))
""".replace("MARKER", repr(MARKER))


def start_mid_write(
    argv: list[str], *, after: int = 3, timeout: float = 60, **popen: Any
) -> subprocess.Popen[Any]:
    """Start `gitops-lb ARGV`; return it once it has staged `after` files and is waiting."""
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(write_end), str(after), *argv],
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
        pytest.fail(f"the compile never staged {after} files (status {proc.returncode})")
    return proc


def staged_files(parent: Path) -> list[Path]:
    """The YAML files in the staging folders (`.<DIR>.gitops-lb-tmp-*`) inside parent."""
    stages = [p for p in parent.iterdir() if ".gitops-lb-tmp-" in p.name]
    return [f for s in stages for f in s.rglob("*.yaml")]
