"""Names and file names from the input never reach a terminal or CI log as control characters.

An object or file named with an ESC sequence, a right-to-left override or a newline is shown
escaped (\\x1b, \\u202e, \\n) in every report format, so it cannot repaint a terminal, hide a
finding or forge a new one on its own line.
"""

from __future__ import annotations

import json
import unicodedata
import xml.dom.minidom

import pytest

from gitops_lb.printable import printable
from tests.robustness.cli import cli

EVIL = "x\x1b[2J\u202eevil\x07\nsrc/fake.yaml:1:1: error: forged [yaml-syntax]"
MANIFEST = f"""\
apiVersion: v1
kind: Service
metadata:
  name: {json.dumps(EVIL)}
  namespace: default
  annotations: {{metallb.io/address-pool: nope}}
spec: {{type: LoadBalancer, ports: [{{port: 80}}]}}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {{name: web, namespace: metallb-system}}
spec: {{addresses: [192.0.2.10-192.0.2.20]}}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {{name: web, namespace: metallb-system}}
"""


def raw_controls(text: str) -> list[str]:
    """Control/format characters other than the line breaks between report lines."""
    return [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_evil_object_names_are_escaped(tmp_path, capsys, fmt):
    f = tmp_path / "svc.yaml"
    f.write_text(MANIFEST)
    run = cli(capsys, "lint", str(f), "--format", fmt)
    assert run.status == 1
    assert raw_controls(run.out) == []
    assert "src/fake.yaml" not in [line.split(":")[0] for line in run.out.splitlines()]
    if fmt == "text":
        assert "x\\x1b[2J\\u202eevil\\x07\\nsrc/fake.yaml" in run.out
        assert all(line.startswith((str(f), "2 errors")) for line in run.out.splitlines())
    elif fmt == "junit":
        xml.dom.minidom.parseString(run.out)
    elif fmt in ("json", "sarif"):
        json.loads(run.out)


@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("command", ["lint", "validate"])
def test_evil_file_names_are_escaped(tmp_path, capsys, command, fmt):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\x1b[31m\u202e\nb.yaml").write_text("key: [unclosed\n")
    run = cli(capsys, command, str(folder), "--format", fmt)
    assert run.status == 1
    assert raw_controls(run.out + run.err) == []
    assert "a\\x1b[31m\\u202e\\nb.yaml" in run.out


def test_import_and_error_lines_are_escaped(tmp_path, capsys):
    f = tmp_path / "svc.yaml"
    f.write_text(MANIFEST)
    run = cli(capsys, "import", str(f))
    assert run.status == 1
    assert raw_controls(run.err) == []
    bad = tmp_path / "x\x1b[2J.yaml"
    run = cli(capsys, "compile", str(bad), "-o", str(tmp_path / "out\x1b]0;title\x07"))
    assert raw_controls(run.out + run.err) == []


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, ünïcödé ok", "plain text, ünïcödé ok"),
        ("a\x1bb", "a\\x1bb"),
        ("rtl\u202eoverride", "rtl\\u202eoverride"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("line\nbreak\r\ttab", "line\\nbreak\\r\\ttab"),
        ("sep\u2028line", "sep\\u2028line"),
        ("nul\x00", "nul\\x00"),
        ("c1\x9b", "c1\\x9b"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown
