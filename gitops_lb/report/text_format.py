"""`file:line:col: severity: message [rule-id]`, related locations indented below; suppressed
findings are left out (the summary line counts them)."""

from __future__ import annotations

from typing import TextIO

from gitops_lb.diagnostics import Result
from gitops_lb.printable import display_path


def report(result: Result, stream: TextIO, *, command: str) -> None:
    for d in result.reported():  # messages are printable already; file names may not be
        stream.write(f"{display_path(str(d.location))}: {d.severity}: {d.message} [{d.rule}]\n")
        for rel in d.related:
            stream.write(f"    {display_path(str(rel.location))}: note: {rel.message}\n")
    errors, warnings, suppressed = result.errors, result.warnings, result.suppressed
    if errors or warnings or suppressed:
        hidden = f" ({suppressed} suppressed)" if suppressed else ""
        stream.write(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {result.files} file{'s' * (result.files != 1)}{hidden}\n"
        )
