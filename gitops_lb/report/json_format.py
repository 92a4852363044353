"""One JSON object: tool, version, diagnostics and a summary (docs/formats.md)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from gitops_lb import __version__
from gitops_lb.diagnostics import Diagnostic, Result
from gitops_lb.printable import display_path


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
    }


def document(result: Result) -> dict[str, Any]:
    return {
        "tool": "gitops-lb",
        "version": __version__,
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
