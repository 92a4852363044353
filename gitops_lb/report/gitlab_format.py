"""GitLab Code Quality (`artifacts: reports: codequality`): a JSON array of issues.

Each issue has the finding's message as `description`, its rule id as `check_name`, a
`severity` in GitLab's words (SEVERITIES: an error is `major`, a warning `minor`), the file
relative to the repository root (see _paths) as `location.path` and its line as
`location.lines.begin`. `fingerprint` is the baseline's fingerprint (gitops_lb.report.baseline,
also SARIF's partialFingerprints["gitopsLb/v1"]): it leaves out the line, so GitLab matches an
issue between the source and target branches of a merge request after lines move. GitLab keeps
one issue per fingerprint, so when several findings share one (the same rule, file, object,
field and message), the second gets `FINGERPRINT:2`, the third `FINGERPRINT:3`, in report
order. Suppressed findings are left out: the format has no field for them. No findings is `[]`.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from gitops_lb.diagnostics import Diagnostic, Result, Severity
from gitops_lb.printable import display_path
from gitops_lb.report import _paths, baseline

# GitLab's scale is info, minor, major, critical, blocker; gitops-lb has two severities
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def issue(d: Diagnostic, fingerprint: str, root: str) -> dict[str, Any]:
    return {
        "description": d.message or d.rule,
        "check_name": d.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[d.severity],
        "location": {
            "path": display_path(_paths.report_path(d.location.file, root)),
            "lines": {"begin": max(d.location.line, 1)},
        },
    }


def document(result: Result) -> list[dict[str, Any]]:
    root = _paths.source_root()
    seen: Counter[str] = Counter()
    issues = []
    for d in result.reported():
        key = baseline.fingerprint(d, root)
        seen[key] += 1
        issues.append(issue(d, key if seen[key] == 1 else f"{key}:{seen[key]}", root))
    return issues


def report(result: Result, stream: TextIO, *, command: str) -> None:
    json.dump(document(result), stream, indent=2)
    stream.write("\n")
