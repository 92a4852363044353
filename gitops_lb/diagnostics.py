"""Findings and the result of a run: what every command produces and every reporter prints."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file; line and column are 1-based."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Related:
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Directive:
    """One suppression comment (found by gitops_lb.yamlload.find_directives). `line` is the line it
    silences (its own line for an end-of-line comment, the next line of YAML for a comment
    alone on its line); None for disable-file, which silences its rules anywhere in the file."""

    location: Location  # where the comment is written
    rules: tuple[str, ...]
    line: int | None


@dataclass(frozen=True, slots=True)
class Replacement:
    """Text to put in place of a region of a file (SARIF `replacement`): from `start` up to,
    not including, `end` (1-based lines and columns counted in characters)."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A correction of a finding, computed by gitops_lb.fix: what it does, whether it keeps
    the meaning of the manifest (safe) or needs --unsafe-fixes, and the edits of the finding's
    file."""

    description: str
    safe: bool
    replacements: tuple[Replacement, ...]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a rule id, a severity, a message and where it was written."""

    rule: str
    severity: Severity
    message: str
    location: Location
    object: str | None = None  # "Kind/namespace/name"
    path: str | None = None  # "spec.addresses[1]"
    related: tuple[Related, ...] = ()
    suppressed: bool = False  # silenced by a suppression comment (gitops_lb.suppress)
    fix: Fix | None = None  # set by gitops_lb.fix when the finding has a correction

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule, self.message)


@dataclass(slots=True)
class Result:
    """Everything a command found; reporters print it, the CLI turns it into an exit status."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    # set when an input could not be read at all (exit status 3 rather than 1)
    fatal: bool = False
    # the suppression comments of the files read (applied by gitops_lb.suppress)
    directives: list[Directive] = field(default_factory=list)

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diags)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=Diagnostic.sort_key)

    def reported(self) -> list[Diagnostic]:
        """sorted() without the suppressed findings: what people are shown."""
        return [d for d in self.sorted() if not d.suppressed]

    @property
    def errors(self) -> int:
        """Errors not suppressed: what the exit status counts."""
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR and not d.suppressed)

    @property
    def warnings(self) -> int:
        return sum(
            1 for d in self.diagnostics if d.severity is Severity.WARNING and not d.suppressed
        )

    @property
    def suppressed(self) -> int:
        return sum(1 for d in self.diagnostics if d.suppressed)

    def fixable(self, *, unsafe: bool = False) -> int:
        """Findings shown that `gitops-lb fix` corrects (with --unsafe-fixes when `unsafe`)."""
        return sum(1 for d in self.reported() if d.fix is not None and (d.fix.safe or unsafe))

    def exit_status(self) -> int:
        if self.fatal:
            return 3
        return 1 if self.errors else 0


PathPart = str | int
# where a value is inside a document: ("spec", "addresses", 1) for spec.addresses[1]
FieldPath = tuple[PathPart, ...]


def format_path(path: Iterable[PathPart]) -> str:
    """Render ("spec", "addresses", 1) as "spec.addresses[1]"."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(("." if out else "") + part)
    return "".join(out)
