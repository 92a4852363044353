"""Every class of bad input through every command that reads files, via the real CLI.

Each case must give exit status 1 (or 3 when the input cannot be read at all), a located
diagnostic from the expected rule on the expected line, no traceback, and for compile nothing
written. The cases come from tests/robustness/mutations.py (edits of the examples at every
level and of every field) plus the file-system cases below.
"""

from __future__ import annotations

import collections
import ctypes
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.robustness import mutations as mu
from tests.robustness.cli import ROOT, Run, cli, sane
from tests.robustness.commands import READERS, argv

SITE_READERS = tuple(c for c in READERS if c != "lint")


def sampled(case_id: str) -> bool:
    """True for one case in six, chosen by a stable hash of the case id (compile's share:
    compile runs exactly validate's reading and checks, then must write nothing)."""
    return zlib.crc32(case_id.encode()) % 6 == 0


def check(run: Run, tmp_path: Path, rule: str | None, line: int | None, status: int = 1) -> None:
    assert run.status == status, run.out[-3000:]
    diags = run.diagnostics()
    assert diags, "an error must come with a diagnostic"
    for d in diags:
        assert d["file"] and d["line"] >= 1 and d["column"] >= 1 and d["message"]
    errors = {(d["rule"], d["line"]) for d in diags if d["severity"] == "error"}
    if rule is not None and line is not None:
        assert (rule, line) in errors, sorted(errors)
    elif rule is not None:
        assert rule in {r for r, _ in errors}, sorted(errors)
    assert not (tmp_path / "compiled").exists()


def run_variant(capsys, tmp_path: Path, command: str, data: bytes) -> Run:
    f = tmp_path / "input.yaml"
    f.write_bytes(data)
    return cli(capsys, *argv(command, str(f), tmp_path))


# --- text edits at every level -----------------------------------------------------------------

LINT_TEXT = [v for s in mu.LINT_SOURCES for v in (*mu.text_variants(s), *mu.encoding_variants(s))]
# the byte-level cases (NUL, invalid UTF-8) are the reader's: every level of one site spec
SITE_TEXT = [
    v
    for i, s in enumerate(mu.SITE_SOURCES)
    for v in (*mu.text_variants(s, bytes_too=i == 0), *mu.encoding_variants(s))
]


def test_the_text_variants_cover_every_level():
    kinds = collections.Counter(v.id.rsplit(":", 1)[1] for v in LINT_TEXT + SITE_TEXT)
    assert min(kinds[k] for k in ("bad-token", "tab", "duplicate-key", "nul")) > 50
    levels = {
        line.index(line.lstrip()) for s in mu.SITE_SOURCES for line in s.read_text().splitlines()
    }
    assert max(levels) >= 12  # the examples nest deep enough to mean "every level"


@pytest.mark.parametrize("variant", LINT_TEXT, ids=lambda v: v.id)
def test_lint_text_variants(capsys, tmp_path, variant):
    run = run_variant(capsys, tmp_path, "lint", variant.data)
    check(run, tmp_path, variant.rule, variant.line)


SITE_TEXT_RUNS = [
    (v, c) for v in SITE_TEXT for c in SITE_READERS if c != "compile" or sampled(v.id)
]


@pytest.mark.parametrize(("variant", "command"), SITE_TEXT_RUNS, ids=lambda x: getattr(x, "id", x))
def test_site_text_variants(capsys, tmp_path, variant, command):
    run = run_variant(capsys, tmp_path, command, variant.data)
    check(run, tmp_path, variant.rule, variant.line)


# --- wrong types at every field -------------------------------------------------------------------

LINT_EDITS = list(mu.structural_edits(*mu.CLEAN_LINT_SOURCES))
SITE_EDITS = list(mu.structural_edits(*mu.SITE_SOURCES))


def test_the_structural_edits_cover_every_type_and_field():
    assert len(LINT_EDITS) > 600 and len(SITE_EDITS) > 500
    huge = [e for e in LINT_EDITS + SITE_EDITS if e.id.endswith(("int5", "int6", "int7"))]
    assert len(huge) > 45  # integers beyond 64 bits in every integer field


def lint_run(capsys, tmp_path: Path, text: str) -> Run:
    f = tmp_path / "input.yaml"
    f.write_text(text)
    return cli(capsys, "lint", str(f), "--format", "json", "--bgp-mode", "frr")


def messages(run: Run) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((d["rule"], d["message"]) for d in run.diagnostics())


@pytest.mark.parametrize("edit", LINT_EDITS, ids=lambda e: e.id)
def test_lint_wrong_types(capsys, tmp_path, edit):
    run = lint_run(capsys, tmp_path, edit.text)
    if edit.wrong:
        top = edit.path in (("apiVersion",), ("kind",))
        line = None if top else edit.line  # an object without a type is reported at its start
        check(run, tmp_path, None, line)
    else:  # null is what Kubernetes does with it: the field is absent
        assert run.status in (0, 1)
        if edit.without is not None:
            assert messages(run) == messages(lint_run(capsys, tmp_path, edit.without))


@pytest.mark.parametrize("edit", SITE_EDITS, ids=lambda e: e.id)
def test_site_wrong_types(capsys, tmp_path, edit):
    command = "compile" if sampled(edit.id) else "validate"
    f = tmp_path / "input.yaml"
    f.write_text(edit.text)
    run = cli(capsys, *argv(command, str(f), tmp_path))
    if edit.wrong:
        check(run, tmp_path, None, edit.line)
    else:
        assert run.status in (0, 1)
        assert all(d["line"] >= 1 for d in run.diagnostics())
        if run.status == 1:
            assert not (tmp_path / "compiled").exists()


# --- files, folders and the file system ----------------------------------------------------------


def fs_case(name: str, tmp_path: Path) -> tuple[str, str, int]:
    """Build the case in tmp_path; (path to give, expected rule, expected status)."""
    good = (ROOT / "examples" / "sites" / "acp-seed.yaml").read_text()
    if name == "empty-file":
        (tmp_path / "empty.yaml").write_text("")
        return str(tmp_path / "empty.yaml"), "", 1
    if name == "only-comments":
        (tmp_path / "c.yaml").write_text("# nothing\n---\n# more nothing\n")
        return str(tmp_path / "c.yaml"), "", 1
    if name == "folder-without-yaml":
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "notes.txt").write_text("hello\n")
        (tmp_path / "in" / "site.yaml.bak").write_text(good)
        return str(tmp_path / "in"), "file-unreadable", 3
    if name == "missing-path":
        return str(tmp_path / "nope.yaml"), "file-unreadable", 3
    if name == "symlink-loop":
        (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
        return str(tmp_path / "loop.yaml"), "file-unreadable", 3
    if name == "symlink-loop-pair":
        (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
        (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
        return str(tmp_path / "a.yaml"), "file-unreadable", 3
    if name == "symlink-loop-in-folder":
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "site.yaml").write_text(good)
        (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
        (folder / "up").symlink_to(folder)  # a folder loop: never walked into
        return str(folder), "file-unreadable", 3
    if name == "dangling-symlink-in-folder":
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "site.yaml").write_text(good)
        (folder / "gone.yaml").symlink_to(tmp_path / "deleted.yaml")
        return str(folder), "file-unreadable", 3
    if name == "directory-named-yaml":
        (tmp_path / "d.yaml").mkdir()
        return str(tmp_path / "d.yaml"), "file-unreadable", 3
    raise AssertionError(name)


FS_CASES = [
    "empty-file",
    "only-comments",
    "folder-without-yaml",
    "missing-path",
    "symlink-loop",
    "symlink-loop-pair",
    "symlink-loop-in-folder",
    "dangling-symlink-in-folder",
    "directory-named-yaml",
]
EMPTY_RULES = {"lint": "input-no-objects"}


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("name", FS_CASES)
def test_file_system_cases(capsys, tmp_path, name, command):
    path, rule, status = fs_case(name, tmp_path)
    run = cli(capsys, *argv(command, path, tmp_path))
    rule = rule or EMPTY_RULES.get(command, "site-not-a-site")
    check(run, tmp_path, rule, None, status)


def _drop_file_permission_override() -> None:  # pragma: no cover - runs in the child
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.parametrize("command", READERS)
def test_an_unreadable_file(tmp_path, command):
    """chmod 000; as root the child drops the capabilities that would ignore it."""
    f = tmp_path / "locked.yaml"
    f.write_text((ROOT / "examples" / "sites" / "acp-seed.yaml").read_text())
    f.chmod(0)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "gitops_lb", *argv(command, str(f), tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=_drop_file_permission_override if os.geteuid() == 0 else None,
    )
    run = sane(Run(proc.returncode, proc.stdout, proc.stderr))
    check(run, tmp_path, "file-unreadable", 1, 3)
    assert "Permission denied" in run.out
