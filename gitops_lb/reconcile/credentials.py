"""Credentials for the API reader: where kubectl would find them, every secret they hold, and
the filter that keeps those secrets out of every message.

No `kubernetes` import here (live.py is the only module with one).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from gitops_lb.errors import GitopsLbError
from gitops_lb.secrecy import url_userinfo, without_userinfo

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


SHORT = 6  # a secret shorter than this is removed only where it stands as a whole word


class Scrubber:
    """Removes every known secret, and the user info of every URL, from a text.

    A secret of 6 characters or more is removed wherever it appears. A shorter one (a weak
    password, a PIN) is removed where it stands on its own, between characters that are not
    letters or digits: replaced inside longer words it would garble every message (a password
    `api` in `/api/v1`), and a secret that short is no secret from anyone who sees the rest.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: set[str] = set()
        self.short: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        for raw in secrets:
            secret = raw.strip()
            if len(secret) >= SHORT:
                self.secrets.add(secret)
            elif secret:
                self.short.add(secret)
            if secret.lower().startswith(("bearer ", "basic ")):
                self.add(secret.split(None, 1)[1:])

    def __call__(self, text: str) -> str:
        text = without_userinfo(text)
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        for secret in sorted(self.short, key=len, reverse=True):
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", REDACTED, text)
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
    """Credentials in the `users` of the kubeconfig files, and the user info of their
    `clusters`' server URLs (read tolerantly)."""
    found: list[str] = []
    for path in paths.split(os.pathsep):
        try:
            with open(os.path.expanduser(path), encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        users = data.get("users") if isinstance(data, dict) else None
        found.extend(_secret_values(users))
        clusters = data.get("clusters") if isinstance(data, dict) else None
        for entry in clusters if isinstance(clusters, list) else []:
            cluster = entry.get("cluster") if isinstance(entry, dict) else None
            server = cluster.get("server") if isinstance(cluster, dict) else None
            if isinstance(server, str):
                found.extend(url_userinfo(server))
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
    def __init__(self, accept: Callable[[logging.LogRecord], bool] | None = None) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.accept = accept

    def emit(self, record: logging.LogRecord) -> None:
        if self.accept is not None and not self.accept(record):
            return  # another reader's (a fleet reads clusters in parallel threads)
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call of a library: keep going
            self.messages.append(str(record.msg))


@contextmanager
def captured_logs(
    accept: Callable[[logging.LogRecord], bool] | None = None,
) -> Iterator[list[str]]:
    """The kubernetes client logs to the root logger (an exec plugin's stderr, for one): keep
    those messages out of the terminal so that they can be scrubbed before anyone sees them.
    `accept` picks the records that belong to this reader (by thread)."""
    root = logging.getLogger()
    handler = _Capture(accept)
    root.addHandler(handler)
    try:
        yield handler.messages
    finally:
        root.removeHandler(handler)
