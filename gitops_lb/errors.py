"""Exceptions that the command layer turns into messages and exit statuses."""

from __future__ import annotations


class GitopsLbError(RuntimeError):
    """Something stopped the command from running at all (exit status 3)."""


class UsageError(GitopsLbError):
    """The command line asked for something impossible (exit status 2)."""
