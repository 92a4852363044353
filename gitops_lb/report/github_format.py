"""GitHub Actions workflow commands: one `::error` / `::warning` annotation per finding.

`::error file=F,line=L,col=C,title=RULE::message`, with related locations appended to the
message on their own lines, then a plain summary line. GitHub shows at most 10 annotations of
each type per step, so when $GITHUB_STEP_SUMMARY names a file every finding is also appended
to it as a markdown table, and the summary line says when annotations were cut off.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from typing import TextIO

from gitops_lb.diagnostics import Diagnostic, Location, Result, Severity
from gitops_lb.printable import display_path
from gitops_lb.report import _paths

ANNOTATION_LIMIT = 10  # per type (error, warning) and step


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=..., title=...): the message escapes plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _file(file: str, root: str) -> str:
    return display_path(_paths.report_path(file, root))


def _where(loc: Location, root: str) -> str:
    return f"{_file(loc.file, root)}:{loc.line}:{loc.column}"


def _message(d: Diagnostic, root: str) -> str:
    """The finding's message, then one line per related location."""
    lines = [d.message]
    lines.extend(f"{_where(rel.location, root)}: note: {rel.message}" for rel in d.related)
    return "\n".join(lines)


def annotation(d: Diagnostic, root: str) -> str:
    props = (
        ("file", _file(d.location.file, root)),
        ("line", str(d.location.line)),
        ("col", str(d.location.column)),
        ("title", d.rule),
    )
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{d.severity} {prop_text}::{escape_data(_message(d, root))}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def summary_line(result: Result, diags: list[Diagnostic], command: str) -> str:
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    files = _plural(result.files, "file")
    if not diags:
        return f"gitops-lb {command}: no problems in {files}"
    warnings = _plural(len(diags) - errors, "warning")
    return f"gitops-lb {command}: {_plural(errors, 'error')}, {warnings} in {files}"


def _cut_off(diags: list[Diagnostic]) -> bool:
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    return max(errors, len(diags) - errors) > ANNOTATION_LIMIT


def _cell(text: str) -> str:
    """Text inside a markdown table cell: no HTML, no column breaks, no line breaks."""
    text = html.escape(text, quote=False).replace("|", "\\|")
    return text.replace("\r", "").replace("\n", "<br>")


def markdown_table(diags: Iterable[Diagnostic], heading: str, root: str) -> str:
    out = [f"### {_cell(heading)}\n\n"]
    rows = [
        f"| {d.severity} | `{d.rule}` | {_cell(_where(d.location, root))} "
        f"| {_cell(_message(d, root))} |\n"
        for d in diags
    ]
    if rows:  # a blank line ends the table, whatever the next step appends
        out.append("| severity | rule | location | message |\n|---|---|---|---|\n")
        out.extend(rows)
        out.append("\n")
    return "".join(out)


def write_step_summary(path: str, text: str) -> str | None:
    """Append to $GITHUB_STEP_SUMMARY; an error message when that fails."""
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        return f"cannot write the step summary {path}: {exc.strerror or exc}"
    return None


def report(result: Result, stream: TextIO, *, command: str) -> None:
    root = _paths.source_root()
    diags = sorted(result.reported(), key=lambda d: d.severity is not Severity.ERROR)
    for d in diags:
        stream.write(annotation(d, root) + "\n")
    summary = summary_line(result, diags, command)
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    problem = write_step_summary(path, markdown_table(diags, summary, root)) if path else None
    if _cut_off(diags):
        where = "all are in the job summary" if path and not problem else "all are listed above"
        summary += f" (GitHub shows only {ANNOTATION_LIMIT} annotations of each type; {where})"
    stream.write(summary + "\n")
    if problem:
        stream.write(f"::warning title=gitops-lb::{escape_data(problem)}\n")
