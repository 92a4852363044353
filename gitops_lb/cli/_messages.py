"""What the commands tell the user on standard error, besides their reports.

Every such line is printed here and made printable first: names, paths and values in it can
come from the input under review (see gitops_lb.printable).
"""

from __future__ import annotations

import sys

from gitops_lb.printable import printable

PROG = "gitops-lb"


def say(message: str) -> None:
    """`gitops-lb: message`: what a command did not do, and why."""
    print(f"{PROG}: {printable(message)}", file=sys.stderr)


def error(message: str) -> None:
    """`gitops-lb: error: message`: why a command could not run."""
    say(f"error: {message}")


def note(line: str) -> None:
    """A line of its own: progress (`wrote DIR: ...`) and the findings of `import` and `diff`."""
    print(printable(line), file=sys.stderr)


class Progress:
    """A progress line on standard error, rewritten in place (`\\r[12/50] read dc1/prod-3`):
    only for a terminal, the caller decides; clear() wipes it before the report is printed."""

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, done: int, total: int, what: str) -> None:
        line = printable(f"[{done}/{total}] read {what}")
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = max(self.width, len(line))

    def clear(self) -> None:
        if self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0
