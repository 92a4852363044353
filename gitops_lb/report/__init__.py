"""Reporters: turn a Result into text for people or machines.

Each reporter is a module with `report(result, stream, *, command)`; they are imported only
when chosen, so the default path stays light.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Protocol, TextIO

from gitops_lb import __version__
from gitops_lb.diagnostics import Result

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")

# The version of the JSON reports' format (schemas/report.schema.json, docs/formats.md): raised
# when a field is removed, renamed or changes meaning; new fields keep it.
SCHEMA_VERSION = "1"
# the kinds of JSON report, the value of their "report" field
REPORT_KINDS = ("findings", "plan", "reconcile", "reconcile-fleet", "diff", "status", "free")


def json_header(kind: str) -> dict[str, Any]:
    """The fields every JSON report starts with: its format version, its kind, the tool."""
    assert kind in REPORT_KINDS, kind
    return {
        "schemaVersion": SCHEMA_VERSION,
        "report": kind,
        "tool": "gitops-lb",
        "version": __version__,
    }


class Reporter(Protocol):
    def __call__(self, result: Result, stream: TextIO, *, command: str) -> None: ...


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(f"gitops_lb.report.{name}_format")
    reporter: Reporter = module.report
    return reporter
