"""Results built by hand, so each reporter is tested on exactly known findings."""

from __future__ import annotations

import io

from gitops_lb.diagnostics import Diagnostic, Location, Related, Result, Severity
from gitops_lb.report import get_reporter

DC1 = "sites/dc1.yaml"
ODD = "sites/odd,name:1.yaml"  # ',' and ':' must be escaped in workflow command properties
POOL = "IPAddressPool/metallb-system/a"


def mixed() -> Result:
    """Errors with and without related locations, warnings, two files."""
    return Result(
        files=3,
        diagnostics=[
            Diagnostic(
                "pool-overlap",
                Severity.ERROR,
                "10.0.0.5/32 in pool 'a' overlaps with 10.0.0.0/24",
                Location(DC1, 12, 9),
                object=POOL,
                path="spec.addresses[1]",
                related=(Related(Location(DC1, 7, 9), "10.0.0.0/24 [first] defined here"),),
            ),
            Diagnostic(
                "pool-overlap",
                Severity.ERROR,
                "10.0.0.6/32 in pool 'a' overlaps with 10.0.0.0/24",
                Location(DC1, 13, 9),
                object=POOL,
                path="spec.addresses[2]",
                related=(
                    Related(Location(DC1, 7, 9), "10.0.0.0/24 defined here"),
                    Related(Location("sites/other.yaml", 2, 3), "also here"),
                ),
            ),
            Diagnostic(
                "schema-unknown-field",
                Severity.WARNING,
                "100% odd: a,b\r\nnext line",
                Location(ODD, 3, 1),
            ),
            Diagnostic("yaml-syntax", Severity.ERROR, "unclosed bracket", Location(ODD, 5, 2)),
            Diagnostic(
                "schema-unknown-field",
                Severity.WARNING,
                "unknown field 'spec.adresses'",
                Location(DC1, 20, 3),
                object=POOL,
                path="spec.adresses",
            ),
        ],
    )


def empty() -> Result:
    return Result(files=2)


def render(fmt: str, result: Result, command: str = "lint") -> str:
    out = io.StringIO()
    get_reporter(fmt)(result, out, command=command)
    return out.getvalue()
