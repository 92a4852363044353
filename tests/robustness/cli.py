"""Run the real CLI in-process or as a subprocess and check the universal promises.

Every run: no Python traceback on either stream, an exit status docs/robustness.md allows, and (for
JSON reports) a parsable document whose diagnostics are all located.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gitops_lb.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SITES = EXAMPLES / "sites"
MANIFESTS = EXAMPLES / "manifests"


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err

    def json(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.out)
        return doc

    def diagnostics(self) -> list[dict[str, Any]]:
        return list(self.json()["diagnostics"])

    def found(self) -> set[tuple[str, int]]:
        return {(d["rule"], d["line"]) for d in self.diagnostics()}


def sane(run: Run) -> Run:
    """The promises every command keeps, whatever the input."""
    for text in (run.out, run.err):
        assert "Traceback (most recent call last)" not in text, text[-2000:]
        assert "internal error" not in text, text[-2000:]
    assert run.status in (0, 1, 2, 3), run.status
    return run


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """`gitops-lb ARGV` in this process (a crash is an internal error: sane() fails the test)."""
    capsys.readouterr()
    status = main(list(argv))
    out = capsys.readouterr()
    return sane(Run(status, out.out, out.err))


def subprocess_cli(
    *argv: str,
    timeout: float = 60,
    env: dict[str, str] | None = None,
    memory: int | None = None,
    **kw: Any,
) -> Run:
    """`python -m gitops_lb ARGV` in a child; `memory` caps its address space in bytes."""

    def limit() -> None:  # runs in the child, before it execs
        import resource

        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "gitops_lb", *argv],
        check=False,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        **kw,
    )
    return sane(Run(proc.returncode, proc.stdout, proc.stderr))
