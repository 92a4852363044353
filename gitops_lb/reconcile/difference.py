"""A difference between Git and a live cluster, and the report made of them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gitops_lb.config import Item
from gitops_lb.diagnostics import Diagnostic, FieldPath, Location, Severity
from gitops_lb.reconcile.normalize import path_text

TYPES = (
    "unreadable",
    "missing",
    "extra",
    "changed",
    "unassigned",
    "misassigned",
    "unmanaged",
    "node-labels",
    "l2-announcement",
    "config-error",
    "plugin-missing",
)


@dataclass(frozen=True, slots=True, eq=False)
class Difference:
    """One way the live cluster differs from Git (or could not be compared).

    desired and live are JSON values: what Git asks for and what the cluster has at `path`
    (None when there is nothing on that side). location is where Git declares it, when known.
    """

    type: str
    severity: Severity
    kind: str
    namespace: str | None
    name: str | None
    message: str
    path: str | None = None
    desired: Any = None
    live: Any = None
    location: Location | None = None

    def sort_key(self) -> tuple[int, str, str, str, str, str, str]:
        return (
            0 if self.type == "unreadable" else 1,
            self.kind,
            self.namespace or "",
            self.name or "",
            self.path or "",
            self.type,
            self.message,
        )

    def as_json(self) -> dict[str, Any]:
        loc = self.location
        return {
            "type": self.type,
            "severity": str(self.severity),
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
            "path": self.path,
            "desired": self.desired,
            "live": self.live,
            "message": self.message,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
        }


Ref = tuple[str, str | None, str | None]  # kind, namespace, name


def difference(
    type_: str,
    severity: Severity,
    ref: Ref,
    message: str,
    *,
    path: FieldPath = (),
    desired: Any = None,
    live: Any = None,
    item: Item[Any] | None = None,
) -> Difference:
    """A Difference whose location is `path` inside the Git object `item` (when given)."""
    location = item.locate(path) if item is not None else None
    return Difference(
        type_,
        severity,
        *ref,
        message,
        path_text(path) if path else None,
        desired,
        live,
        location,
    )


def show(value: Any) -> str:
    """A value as it appears in messages: compact JSON, `(absent)` for None."""
    if value is None:
        return "(absent)"
    return json.dumps(value, sort_keys=True, separators=(", ", ": "))


@dataclass(eq=False)
class Report:
    """Everything reconcile found for one cluster."""

    cluster: str
    source: str
    differences: list[Difference] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # problems in the Git input
    notes: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def unreadable(self) -> bool:
        return any(d.type == "unreadable" for d in self.differences)

    @property
    def invalid(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def in_sync(self) -> bool:
        return not self.invalid and not any(d.severity is Severity.ERROR for d in self.differences)

    def exit_status(self) -> int:
        if self.unreadable:
            return 3
        return 0 if self.in_sync else 1
