"""A reconcile report as text (one difference per line) or JSON (the json format's object of
docs/formats.md plus `in_sync`, `differences`, `cluster`, `source` and `notes`; see
docs/reconcile.md); and the fleet's: each cluster's report under its heading and a table, or
JSON with one such entry per cluster under `clusters`."""

from __future__ import annotations

import json
from typing import Any, TextIO

from gitops_lb.diagnostics import Diagnostic, Result, Severity
from gitops_lb.printable import printable
from gitops_lb.reconcile.difference import Report
from gitops_lb.reconcile.fleet import Outcome
from gitops_lb.report import json_header
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
    write_diagnostics(report.diagnostics, stream)
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
        **json_header("reconcile"),
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


# --- the fleet: every cluster of the site specs -------------------------------------------------

HEADERS = ("cluster", "in sync", "differences", "pools near exhaustion", "unreachable")


def write_diagnostics(diagnostics: list[Diagnostic], stream: TextIO) -> None:
    for d in Result(diagnostics).sorted():
        stream.write(f"{printable(str(d.location))}: {d.severity}: {d.message} [{d.rule}]\n")
        for rel in d.related:
            stream.write(f"    {printable(str(rel.location))}: note: {rel.message}\n")


def row(outcome: Outcome) -> tuple[str, str, str, str, str]:
    """The fleet table's row of one cluster."""
    near = ", ".join(u.text() for u in outcome.near) or "-"
    report = outcome.report
    if outcome.unreachable is not None:
        return (outcome.cluster, "-", "-", "-", outcome.unreachable)
    if report is None:
        return (outcome.cluster, "-", "not compared", "-", "-")
    kinds = sum(d.type == "unreadable" for d in report.differences)
    partly = f"partly: {kinds} type{'s' * (kinds != 1)} not read" if kinds else "-"
    return (
        outcome.cluster,
        "yes" if outcome.in_sync else "no",
        str(len(report.differences)),
        near,
        partly,
    )


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to their widest cell (the last one not padded)."""
    cells = [tuple(printable(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=False)) + "  " + r[-1]
        for r in cells
    ]


def fleet_summary(outcomes: list[Outcome]) -> dict[str, int]:
    return {
        "clusters": len(outcomes),
        "in_sync": sum(o.in_sync for o in outcomes),
        "not_in_sync": sum(o.report is not None and not o.in_sync for o in outcomes),
        "unreachable": sum(o.unreachable is not None for o in outcomes),
        "not_compared": sum(o.invalid for o in outcomes),
    }


def write_fleet_text(
    outcomes: list[Outcome], diagnostics: list[Diagnostic], stream: TextIO
) -> None:
    """Each cluster's differences under its heading, then one table row per cluster."""
    write_diagnostics(diagnostics, stream)
    for outcome in outcomes:
        stream.write(f"== {printable(outcome.cluster)} ==\n")
        if outcome.report is not None:
            write_text(outcome.report, stream)
        elif outcome.unreachable is not None:
            stream.write(
                f"{printable(outcome.cluster)}: could not read the live state: "
                f"{printable(outcome.unreachable)}\n"
            )
        else:
            stream.write(f"{printable(outcome.cluster)}: not compared: its site spec has errors\n")
    stream.write("\n")
    for line in table([HEADERS, *(row(o) for o in outcomes)]):
        stream.write(line.rstrip() + "\n")
    s = fleet_summary(outcomes)
    parts = [f"{s['in_sync']} in sync", f"{s['not_in_sync']} not in sync"]
    parts += [f"{s['unreachable']} unreachable"] if s["unreachable"] else []
    parts += [f"{s['not_compared']} not compared"] if s["not_compared"] else []
    n = s["clusters"]
    stream.write(f"{n} cluster{'s' * (n != 1)}: {', '.join(parts)}\n")


def cluster_dict(outcome: Outcome) -> dict[str, Any]:
    report = outcome.report
    return {
        "cluster": outcome.cluster,
        "in_sync": outcome.in_sync,
        "differences": [d.as_json() for d in report.differences] if report else [],
        "source": report.source if report else None,
        "notes": report.notes if report else [],
        "unreachable": outcome.unreachable,
        "compared": report is not None,
        "pools_near_exhaustion": [u.as_json() for u in outcome.near],
    }


def fleet_document(
    outcomes: list[Outcome], diagnostics: list[Diagnostic], files: int
) -> dict[str, Any]:
    severities = [d.severity for d in diagnostics]
    errors = severities.count(Severity.ERROR)
    return {
        **json_header("reconcile-fleet"),
        "diagnostics": [diagnostic_dict(d) for d in Result(diagnostics).sorted()],
        "summary": {
            "errors": errors,
            "warnings": len(severities) - errors,
            "files": files,
            **fleet_summary(outcomes),
        },
        "clusters": [cluster_dict(o) for o in outcomes],
    }


def write_fleet_json(
    outcomes: list[Outcome], diagnostics: list[Diagnostic], files: int, stream: TextIO
) -> None:
    json.dump(fleet_document(outcomes, diagnostics, files), stream, indent=2)
    stream.write("\n")
