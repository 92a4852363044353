"""Reporters: turn a Result into text for people or machines.

Each reporter is a module with `report(result, stream, *, command)`; they are imported only
when chosen, so the default path stays light.
"""

from __future__ import annotations

import importlib
import os
from typing import Protocol, TextIO

from gitops_lb.diagnostics import Result

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


class Reporter(Protocol):
    def __call__(self, result: Result, stream: TextIO, *, command: str) -> None: ...


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(f"gitops_lb.report.{name}_format")
    reporter: Reporter = module.report
    return reporter
