"""One JSON object: schemaVersion, report ("findings"), tool, version, diagnostics and a summary
(docs/formats.md, schemas/report.schema.json)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from gitops_lb.diagnostics import Diagnostic, Fix, Result
from gitops_lb.printable import display_path
from gitops_lb.report import json_header


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "severity": str(d.severity),
        "message": d.message,
        "file": display_path(d.location.file),
        "line": d.location.line,
        "column": d.location.column,
        "object": d.object,
        "path": d.path,
        "related": [
            {
                "file": display_path(r.location.file),
                "line": r.location.line,
                "column": r.location.column,
                "message": r.message,
            }
            for r in d.related
        ],
        "suppressed": d.suppressed,
        "fix": fix_dict(d.fix) if d.fix is not None and not d.suppressed else None,
    }


def fix_dict(fix: Fix) -> dict[str, Any]:
    """What `gitops-lb fix` would do: the edits of the finding's file (1-based, end
    exclusive, columns in characters)."""
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [
            {
                "start": {"line": r.start[0], "column": r.start[1]},
                "end": {"line": r.end[0], "column": r.end[1]},
                "text": r.text,
            }
            for r in fix.replacements
        ],
    }


def document(result: Result) -> dict[str, Any]:
    return {
        **json_header("findings"),
        "diagnostics": [diagnostic_dict(d) for d in result.sorted()],
        "summary": {
            "errors": result.errors,
            "warnings": result.warnings,
            "suppressed": result.suppressed,
            "files": result.files,
        },
    }


def report(result: Result, stream: TextIO, *, command: str) -> None:
    json.dump(document(result), stream, indent=2, sort_keys=False)
    stream.write("\n")
