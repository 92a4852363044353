"""cli.main is the one error boundary: a bug anywhere is one line and exit status 3."""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_lb import check, incremental, manifests
from gitops_lb.cli import DEBUG_ENV, main
from gitops_lb.rules import all_rules

ROOT = Path(__file__).resolve().parents[2]
SITES = str(ROOT / "examples" / "sites")
MANIFEST = str(ROOT / "examples" / "manifests" / "seed-guide.yaml")


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("planted\nfailure")


def one_internal_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    (line,) = lines
    assert line.startswith("gitops-lb: internal error: RuntimeError: planted\\nfailure (a bug in")
    assert "please report it" in line and f"{DEBUG_ENV}=1" in line
    assert "Traceback" not in err
    return line


@pytest.fixture(autouse=True)
def no_debug(monkeypatch):
    monkeypatch.delenv(DEBUG_ENV, raising=False)


def test_a_bug_while_reading_manifests(monkeypatch, capsys):
    monkeypatch.setattr(manifests, "add_document", boom)
    assert main(["lint", MANIFEST]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    one_internal_error(err)


def test_a_bug_while_lowering_site_specs(monkeypatch, capsys):
    monkeypatch.setattr(check, "lower_site", boom)
    monkeypatch.setattr(incremental, "lower_site", boom)  # what the cache does not hold yet
    assert main(["validate", SITES, "--format", "json"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    one_internal_error(err)


def test_debug_lets_the_exception_through(monkeypatch, capsys):
    monkeypatch.setattr(manifests, "add_document", boom)
    monkeypatch.setenv(DEBUG_ENV, "1")
    with pytest.raises(RuntimeError, match="planted"):
        main(["lint", MANIFEST])


def test_a_bug_in_a_rule_names_the_rule(monkeypatch, capsys):
    rule = all_rules()["pool-overlap"]

    def broken(cfg):
        boom()

    monkeypatch.setitem(all_rules(), rule.id, dataclasses.replace(rule, check=broken))
    assert main(["lint", MANIFEST]) == 3
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "gitops-lb: error: internal error in rule pool-overlap: RuntimeError: planted\\nfailure "
        "(please report this with the input that caused it)"
    ]


def test_interrupt_and_closed_pipe_are_unchanged(monkeypatch, capsys):
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    def closed(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(manifests, "add_document", interrupt)
    assert main(["lint", MANIFEST]) == 130
    assert capsys.readouterr().err == "gitops-lb: interrupted\n"
    monkeypatch.setattr(manifests, "add_document", closed)
    assert main(["lint", MANIFEST]) == 1
    assert capsys.readouterr().err == ""


def test_usage_and_run_errors_are_unchanged(capsys, tmp_path):
    assert main(["lint", MANIFEST, "--disable", "no-such-rule"]) == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith("gitops-lb: error: unknown rule")
    (tmp_path / "mine.txt").write_text("not compiled\n")
    assert main(["compile", SITES, "-o", str(tmp_path)]) == 3  # a folder compile did not write
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("gitops-lb: error: ") and "internal error" not in line


INJECT = """\
import runpy, sys
import gitops_lb.manifests
def boom(*args, **kwargs):
    raise RuntimeError("planted\\nfailure")
gitops_lb.manifests.add_document = boom
sys.argv = ["gitops-lb", "lint", sys.argv[1]]
runpy.run_module("gitops_lb", run_name="__main__")
"""


@pytest.mark.parametrize("debug", [False, True])
def test_a_bug_in_a_real_process(debug):
    env = {k: v for k, v in os.environ.items() if k != DEBUG_ENV}
    if debug:
        env[DEBUG_ENV] = "1"
    done = subprocess.run(
        [sys.executable, "-c", INJECT, MANIFEST],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.stdout == ""
    if debug:
        assert done.returncode == 1 and "Traceback (most recent call last)" in done.stderr
        assert "RuntimeError: planted" in done.stderr
    else:
        assert done.returncode == 3
        one_internal_error(done.stderr)


def test_messages_are_printed_in_one_place():
    """Only cli/_messages.py prints (and `python -m gitops_lb.docs`, which writes rules.md)."""
    printing = set()
    for path in sorted((ROOT / "gitops_lb").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                printing.add(path.relative_to(ROOT).as_posix())
    assert printing == {"gitops_lb/cli/_messages.py", "gitops_lb/docs.py"}
