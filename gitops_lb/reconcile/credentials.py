"""Credentials for the API reader: where kubectl would find them, every secret they hold, and
the filter that keeps those secrets out of every message.

No `kubernetes` import here (live.py is the only module with one).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from gitops_lb.errors import GitopsLbError

DEFAULT_KUBECONFIG = os.path.join("~", ".kube", "config")
SECRET_KEYS = frozenset(
    {
        "token",
        "password",
        "client-key-data",
        "client-certificate-data",
        "id-token",
        "refresh-token",
        "access-token",
        "client-secret",
        "secret",
    }
)

REDACTED = "<redacted>"


class Scrubber:
    """Removes every known secret from a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        for raw in secrets:
            secret = raw.strip()
            if len(secret) >= 6:
                self.secrets.add(secret)
            if secret.lower().startswith(("bearer ", "basic ")):
                self.add(secret.split(None, 1)[1:])

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return text


def _secret_values(node: Any, key: str = "") -> Iterable[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _secret_values(v, str(k).lower())
        if "name" in node and "value" in node:  # exec plugin env entries
            value = node.get("value")
            if isinstance(value, str):
                yield value
    elif isinstance(node, list):
        for v in node:
            yield from _secret_values(v, key)
    elif isinstance(node, str) and key in SECRET_KEYS:
        yield node


def kubeconfig_secrets(paths: str) -> list[str]:
    """Credentials in the `users` of the kubeconfig files (read tolerantly)."""
    found: list[str] = []
    for path in paths.split(os.pathsep):
        try:
            with open(os.path.expanduser(path), encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        users = data.get("users") if isinstance(data, dict) else None
        found.extend(_secret_values(users))
    return found


def kubeconfig_paths(explicit: str | None) -> str | None:
    """The kubeconfig path list to use, or None for in-cluster configuration."""
    if explicit:
        if not os.path.isfile(os.path.expanduser(explicit)):
            raise GitopsLbError(f"kubeconfig {explicit}: no such file")
        return explicit
    env = os.environ.get("KUBECONFIG", "")
    if env:
        if not any(os.path.isfile(os.path.expanduser(p)) for p in env.split(os.pathsep) if p):
            raise GitopsLbError(f"KUBECONFIG={env} names no existing file")
        return env
    if os.path.isfile(os.path.expanduser(DEFAULT_KUBECONFIG)):
        return DEFAULT_KUBECONFIG
    return None


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call of a library: keep going
            self.messages.append(str(record.msg))


@contextmanager
def captured_logs() -> Iterator[list[str]]:
    """The kubernetes client logs to the root logger (an exec plugin's stderr, for one): keep
    those messages out of the terminal so that they can be scrubbed before anyone sees them."""
    root = logging.getLogger()
    handler = _Capture()
    root.addHandler(handler)
    try:
        yield handler.messages
    finally:
        root.removeHandler(handler)
