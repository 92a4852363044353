"""A file name that is not UTF-8 (issue 16 defects 7 and 9): every report format stays valid.

On Linux a name is bytes; Python hands b"bad\\xff.yaml" over as "bad\\udcff.yaml" (a lone
surrogate), which no UTF-8 output, XML document or URI can hold. Every format shows it the
same way, as `bad\\xff.yaml` (gitops_lb.printable.display_path).
"""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from typing import Any

import jsonschema
import pytest

from gitops_lb.printable import display_path
from tests.reference import reference
from tests.robustness.cli import subprocess_cli

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="byte file names are Linux's")

NAME = b"bad\xff.yaml"
SHOWN = "bad\\xff.yaml"
FORMATS = ["text", "json", "sarif", "junit", "github"]


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), NAME), "w") as fh:
        fh.write("key: [unclosed\n")
    return folder


def _no_surrogates(text: str) -> None:
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def test_display_path():
    assert display_path(os.fsdecode(NAME)) == SHOWN
    assert display_path("a\x1bb.yaml") == "a\\x1bb.yaml"
    assert display_path("ok/ünï.yaml") == "ok/ünï.yaml"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", ["lint", "validate"])
def test_every_format_stays_valid(folder, command, fmt):
    run = subprocess_cli(command, str(folder), "--format", fmt, cwd=folder)
    assert run.status == 1, run.err
    _no_surrogates(run.out + run.err)
    if fmt in ("text", "junit", "github"):
        assert SHOWN in run.out
    if fmt == "json":
        files = {d["file"] for d in json.loads(run.out)["diagnostics"]}
        assert files == {str(folder / SHOWN)}
    elif fmt == "sarif":
        doc = json.loads(run.out)
        uris = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in doc["runs"][0]["results"]
            for loc in res["locations"]
        }
        assert uris == {"bad%5Cxff.yaml"}
    elif fmt == "junit":
        top = ET.fromstring(run.out.encode("utf-8"))
        assert {s.get("name") for s in top.iter("testsuite")} == {SHOWN}
        assert {c.get("file") for c in top.iter("testcase")} == {SHOWN}
    elif fmt == "github":
        assert f"file={SHOWN}," in run.out
    else:
        assert run.out.startswith(f"{folder / SHOWN}:2:1: error: YAML")


def test_sarif_is_schema_valid(folder):
    schema: Any = json.loads(
        reference("sarif-schema-2.1.0.json", "the SARIF 2.1.0 schema").read_text(encoding="utf-8")
    )
    run = subprocess_cli("lint", str(folder), "--format", "sarif", cwd=folder)
    cls = jsonschema.validators.validator_for(schema)
    errors = list(cls(schema).iter_errors(json.loads(run.out)))
    assert errors == []


def test_outside_the_root_the_uri_is_valid_too(folder, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess_cli("lint", str(folder), "--format", "sarif", cwd=elsewhere)
    assert run.status == 1
    (uri,) = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in json.loads(run.out)["runs"][0]["results"]
        for loc in res["locations"]
    }
    assert uri.startswith("file://") and uri.endswith("/in/bad%5Cxff.yaml")
