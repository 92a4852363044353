"""`file:line:col: severity: message [rule-id]`, related locations indented below; suppressed
findings are left out (the summary line counts them). `lint` and `validate` print the summary
line on success too (`no problems in N files`); other commands print only findings here. A
finding `gitops-lb fix` corrects ends with `[fixable]` (`[fixable: --unsafe-fixes]` when the
fix changes what MetalLB does), and a last line counts them."""

from __future__ import annotations

from typing import TextIO

from gitops_lb.diagnostics import Result
from gitops_lb.printable import display_path

# the commands whose report is their whole output, so a clean run says so
SUMMARY_ON_SUCCESS = ("lint", "validate")


def report(result: Result, stream: TextIO, *, command: str) -> None:
    for d in result.reported():  # messages are printable already; file names may not be
        mark = ""
        if d.fix is not None:
            mark = " [fixable]" if d.fix.safe else " [fixable: --unsafe-fixes]"
        stream.write(
            f"{display_path(str(d.location))}: {d.severity}: {d.message} [{d.rule}]{mark}\n"
        )
        for rel in d.related:
            stream.write(f"    {display_path(str(rel.location))}: note: {rel.message}\n")
    errors, warnings, suppressed = result.errors, result.warnings, result.suppressed
    if errors or warnings or suppressed:
        hidden = f" ({suppressed} suppressed)" if suppressed else ""
        stream.write(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {result.files} file{'s' * (result.files != 1)}{hidden}\n"
        )
    elif command in SUMMARY_ON_SUCCESS:
        stream.write(f"no problems in {result.files} file{'s' * (result.files != 1)}\n")
    safe, unsafe = result.fixable(), result.fixable(unsafe=True) - result.fixable()
    if safe or unsafe:
        also = f" ({unsafe} more with `gitops-lb fix --unsafe-fixes`)" if unsafe else ""
        stream.write(f"{safe} fixable with `gitops-lb fix`{also}\n")
