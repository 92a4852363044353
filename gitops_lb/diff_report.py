"""Print a DiffResult: text for a terminal, markdown for a pull-request comment, or JSON."""

from __future__ import annotations

import json
from typing import Any, TextIO

from gitops_lb.diff import Change, DiffResult
from gitops_lb.report import json_header

FORMATS = ("text", "json", "markdown")
MARK = {"added": "+", "removed": "-"}


def _object(c: Change) -> str:
    return c.name if c.kind == "Cluster" else f"{c.kind} {c.name}"


def _summary(result: DiffResult) -> str:
    n, r = len(result.changes), len(result.risky)
    return f"{n} change{'s' * (n != 1)}, {r} risky"


def text(result: DiffResult, stream: TextIO, *, base: str, head: str) -> None:
    stream.write(f"site specs: {base} -> {head}\n")
    if not result.changes:
        stream.write("no changes\n")
        return
    cluster = None
    for c in result.changes:
        if c.cluster != cluster:
            cluster = c.cluster
            stream.write(f"{cluster}\n")
        mark = "!" if c.risky else MARK.get(c.change, "~")
        details = f": {'; '.join(c.details)}" if c.details else ""
        stream.write(f"  {mark} {_object(c)} {c.change}{details}\n")
        if c.risk:
            stream.write(f"      risky: {c.risk}\n")
    stream.write(_summary(result) + "\n")


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(value: str) -> str:
    return f"`{value.replace('`', '')}`"


def markdown(result: DiffResult, stream: TextIO, *, base: str, head: str) -> None:
    stream.write(f"### gitops-lb diff: {_cell(base)} → {_cell(head)}\n\n")
    if not result.changes:
        stream.write("No changes to the site specs.\n")
        return
    risky = result.risky
    stream.write(f"**{_summary(result)}**\n\n")
    if risky:
        stream.write("#### :warning: Risky changes\n\n")
        for c in risky:
            what = f"{c.kind} {_code(c.name)} {c.change}"
            stream.write(f"- **{_cell(c.cluster)}** {what}: {_cell(c.risk or '')}\n")
        stream.write("\n")
    stream.write("| | Cluster | Object | Change | Details |\n|---|---|---|---|---|\n")
    for c in result.changes:
        flag = ":warning:" if c.risky else ""
        obj = _code(c.name) if c.kind == "Cluster" else f"{c.kind} {_code(c.name)}"
        details = "<br>".join(_cell(d) for d in c.details)
        stream.write(f"| {flag} | {_cell(c.cluster)} | {obj} | {c.change} | {details} |\n")


def document(result: DiffResult, *, base: str, head: str) -> dict[str, Any]:
    return {
        **json_header("diff"),
        "base": base,
        "head": head,
        "changes": [
            {
                "cluster": c.cluster,
                "kind": c.kind,
                "name": c.name,
                "change": c.change,
                "details": list(c.details),
                "risky": c.risky,
                "reason": c.risk,
                **c.data,
            }
            for c in result.changes
        ],
        "summary": {"changes": len(result.changes), "risky": len(result.risky)},
    }


def json_format(result: DiffResult, stream: TextIO, *, base: str, head: str) -> None:
    json.dump(document(result, base=base, head=head), stream, indent=2)
    stream.write("\n")


def report(result: DiffResult, stream: TextIO, fmt: str, *, base: str, head: str) -> None:
    {"text": text, "markdown": markdown, "json": json_format}[fmt](
        result, stream, base=base, head=head
    )
