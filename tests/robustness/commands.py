"""How each command reads a bad input file, and where it says what is wrong with it.

`lint` and `import` read manifests, `validate` and `compile` read site specs, `reconcile`
reads a live dump (`--live FILE`, against the bgp-frr example site). lint, validate and compile
report located diagnostics in JSON; import prints `file:line:col: error: message [rule]` on
standard error; reconcile refuses an unreadable dump with exit status 3 and
`cannot read the live state: file:line:col: message`.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.robustness.cli import SITES, Run

READERS = ("lint", "validate", "compile", "reconcile", "import")
JSON_READERS = tuple(c for c in READERS if c in ("lint", "validate", "compile"))
MANIFEST_READERS = tuple(c for c in READERS if c in ("lint", "import"))
SITE_READERS = tuple(c for c in READERS if c in ("validate", "compile"))
LIVE_SITE = SITES / "bgp-frr.yaml"
LIVE_CLUSTER = "bgp-frr/core"

_IMPORT_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: .*?(?: \[(?P<rule>[a-z0-9-]+)\])?$"
)
_LIVE_LINE = re.compile(r"(?P<file>[^\s:;]+):(?P<line>\d+):(?P<col>\d+): ")


def argv(command: str, path: str, tmp: Path, *, fmt: str = "json") -> list[str]:
    """The command line that makes `command` read `path` (a file, a folder or -)."""
    if command == "compile":
        return ["compile", path, "-o", str(tmp / "compiled"), "--format", fmt]
    if command == "reconcile":
        live = ["--live", path, "--format", "json" if fmt == "json" else "text"]
        return ["reconcile", str(LIVE_SITE), "--cluster", LIVE_CLUSTER, *live]
    if command == "import":
        return ["import", path]
    return [command, path, "--format", fmt]


def findings(command: str, run: Run) -> set[tuple[str | None, str, int]]:
    """(rule or None when not said, file, line) of every located error the run reported."""
    if command in JSON_READERS:
        return {
            (d["rule"], d["file"], d["line"]) for d in run.diagnostics() if d["severity"] == "error"
        }
    if command == "import":
        out: set[tuple[str | None, str, int]] = set()
        for line in run.err.splitlines():
            m = _IMPORT_LINE.match(line)
            if m:
                out.add((m["rule"], m["file"], int(m["line"])))
        return out
    prefix = "gitops-lb: error: cannot read the live state: "
    return {
        (None, m["file"], int(m["line"]))
        for line in run.err.splitlines()
        if line.startswith(prefix)
        for m in _LIVE_LINE.finditer(line[len(prefix) :])
    }


def reads_stdin(command: str) -> bool:
    return command in ("lint", "import", "reconcile")
