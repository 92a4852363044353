"""A reconcile report as text (one difference per line) or JSON (the json format's object of
docs/formats.md plus `in_sync`, `differences`, `cluster`, `source` and `notes`; see
docs/reconcile.md)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from gitops_lb import __version__
from gitops_lb.diagnostics import Result, Severity
from gitops_lb.printable import printable
from gitops_lb.reconcile.difference import Report
from gitops_lb.report.json_format import diagnostic_dict

LIVE = "<live>"


def counts(report: Report) -> tuple[int, int]:
    severities = [d.severity for d in report.diagnostics]
    severities += [d.severity for d in report.differences]
    errors = severities.count(Severity.ERROR)
    return errors, len(severities) - errors


def verdict(report: Report) -> str:
    if report.invalid:
        return "not compared: the desired state has errors"
    if report.unreadable:
        return "incomplete: part of the live state could not be read"
    return "in sync" if report.in_sync else "not in sync"


def write_text(report: Report, stream: TextIO) -> None:
    # names and file names come from Git and the cluster: escaped, one finding per line
    for d in Result(report.diagnostics).sorted():
        stream.write(f"{printable(str(d.location))}: {d.severity}: {d.message} [{d.rule}]\n")
        for rel in d.related:
            stream.write(f"    {printable(str(rel.location))}: note: {rel.message}\n")
    for diff in report.differences:
        where = printable(str(diff.location)) if diff.location else LIVE
        stream.write(f"{where}: {diff.severity}: {printable(diff.message)} [{diff.type}]\n")
    for note in report.notes:
        stream.write(f"note: {printable(note)}\n")
    errors, warnings = counts(report)
    found = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    against = "" if report.invalid else f" against {report.source}"
    stream.write(f"{report.cluster}{against}: {verdict(report)} ({found})\n")


def document(report: Report) -> dict[str, Any]:
    errors, warnings = counts(report)
    return {
        "tool": "gitops-lb",
        "version": __version__,
        "diagnostics": [diagnostic_dict(d) for d in Result(report.diagnostics).sorted()],
        "summary": {
            "errors": errors,
            "warnings": warnings,
            "files": report.files,
            "differences": len(report.differences),
        },
        "cluster": report.cluster,
        "source": report.source,
        "in_sync": report.in_sync,
        "differences": [d.as_json() for d in report.differences],
        "notes": report.notes,
    }


def write_json(report: Report, stream: TextIO) -> None:
    json.dump(document(report), stream, indent=2)
    stream.write("\n")
