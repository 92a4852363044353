"""Files at the repository root that no command reads: LICENSE, CHANGELOG.md and
.pre-commit-config.yaml."""

from __future__ import annotations

import fnmatch
import hashlib
import re
import shlex
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_lb.cli import main

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

END_OF_TERMS = "END OF TERMS AND CONDITIONS"
# sha256 of the Apache License 2.0 terms (title to END OF TERMS AND CONDITIONS), whitespace
# runs folded to one space; the same for apache.org's LICENSE-2.0.txt and its usual copies
APACHE_2_TERMS_SHA256 = "59d8f0ba87ad9a2f1a431123c8d16646e5b89ba53653e818f16d136d77263c99"
# what setuptools puts in a wheel when pyproject names no license-files
SETUPTOOLS_DEFAULT_LICENSE_FILES = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")

RUFF_PRE_COMMIT = "https://github.com/astral-sh/ruff-pre-commit"


def test_license_is_the_apache_2_text_pyproject_names() -> None:
    assert PYPROJECT["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    terms = " ".join(text[: text.index(END_OF_TERMS) + len(END_OF_TERMS)].split())
    assert terms.startswith("Apache License Version 2.0, January 2004 ")
    assert hashlib.sha256(terms.encode()).hexdigest() == APACHE_2_TERMS_SHA256
    # the appendix's notice, with its copyright line filled in
    appendix = text[text.index(END_OF_TERMS) :]
    assert re.search(r"^ *Copyright 20\d\d gitops-lb authors$", appendix, re.M), appendix
    assert "[name of copyright owner]" not in appendix
    assert 'Licensed under the Apache License, Version 2.0 (the "License");' in appendix


def test_license_file_goes_into_the_distribution() -> None:
    patterns = PYPROJECT.get("license-files", SETUPTOOLS_DEFAULT_LICENSE_FILES)
    assert any(fnmatch.fnmatchcase("LICENSE", p) for p in patterns), patterns


def test_changelog_has_unreleased_and_this_version() -> None:
    headings = re.findall(r"^## (.+)$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0] == "[Unreleased]", headings
    assert any(h.startswith(f"[{PYPROJECT['version']}] - ") for h in headings), headings


def precommit_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(
        (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    )
    return config


def repo(url: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [r for r in precommit_config()["repos"] if r["repo"] == url]
    assert len(found) == 1, url
    return found[0]


def test_precommit_config_is_valid_for_pre_commit() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [r["repo"] for r in precommit_config()["repos"]] == [RUFF_PRE_COMMIT, "local"]


def test_precommit_ruff_hooks_use_the_ruff_of_this_environment() -> None:
    ruff = repo(RUFF_PRE_COMMIT)
    assert [h["id"] for h in ruff["hooks"]] == ["ruff-check", "ruff-format"]
    assert ruff["rev"] == "v" + version("ruff"), (
        "set rev in .pre-commit-config.yaml to the installed ruff's version"
    )


def test_precommit_local_hooks_are_gitops_lbs_own_on_the_examples() -> None:
    manifest = {
        h["id"]: h
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    hooks = repo("local")["hooks"]
    assert [h["id"] for h in hooks] == ["gitops-lb-validate", "gitops-lb-lint"]
    for hook in hooks:
        published = manifest[hook["id"]]
        exe, *command = shlex.split(hook["entry"])
        assert exe == ".venv/bin/gitops-lb"
        # the published hook's command, possibly followed by more options
        _, *published_command = shlex.split(published["entry"])
        assert command[: len(published_command)] == published_command, hook["id"]
        assert hook["files"].startswith("^examples/"), hook["id"]
        for key in ("pass_filenames", "require_serial", "types_or"):
            assert hook[key] == published[key], (hook["id"], key)
        for arg in hook["args"]:
            assert (ROOT / arg).is_dir() and re.match(hook["files"], arg), (hook["id"], arg)


@pytest.mark.parametrize("hook_id", ["gitops-lb-validate", "gitops-lb-lint"])
def test_precommit_local_hooks_pass_on_the_examples(
    hook_id: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a Git checkout: validate --staged reads the Git index")
    (hook,) = [h for h in repo("local")["hooks"] if h["id"] == hook_id]
    monkeypatch.chdir(ROOT)
    status = main([*shlex.split(hook["entry"])[1:], *hook["args"]])
    out = capsys.readouterr()
    assert status == 0, out.out + out.err
