"""Running `gitops-lb reconcile` in tests: site spec, kubeconfig and dump files, JSON output."""

from __future__ import annotations

import base64
import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.cli import main
from tests.reconcile.scenario import CLUSTER, SITE, Objects, dump

# recognisable credentials: none of them may ever appear in any output
TOKEN = "tok-3f9a1c7e5b2d4a6890c1e2f3a4b5c6d7"
PASSWORD = "pw-Vq8n2LkX4rT7"
KEY_DATA = base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nMIIEvkey-material-0123456789\n").decode()
SECRETS = (TOKEN, PASSWORD, KEY_DATA)


def write_site(tmp_path: Path) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(SITE)
    return path


def write_dump(tmp_path: Path, objects: Objects, name: str = "live.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(objects))
    return path


def kubeconfig(
    tmp_path: Path,
    server: str,
    *,
    token: str = TOKEN,
    context: str = "prod",
    user: dict[str, Any] | None = None,
    name: str = "kubeconfig",
) -> Path:
    data = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": context, "cluster": {"server": server}}],
        "users": [
            {
                "name": f"{context}-admin",
                "user": user if user is not None else {"token": token, "client-key-data": KEY_DATA},
            }
        ],
        "contexts": [
            {"name": context, "context": {"cluster": context, "user": f"{context}-admin"}}
        ],
        "current-context": context,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["reconcile", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, *argv, "--format", "json")
    assert out, err
    doc: dict[str, Any] = json.loads(out)
    return code, doc


def site_args(site: Path) -> list[str]:
    return [str(site), "--cluster", CLUSTER]


def found(doc: dict[str, Any]) -> set[tuple[str, str, str | None]]:
    return {(d["type"], d["kind"], d["name"]) for d in doc["differences"]}


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """The report without where the live state came from."""
    return {k: v for k, v in doc.items() if k != "source"}
