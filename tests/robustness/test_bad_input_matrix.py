"""Every class of bad input through every command that reads files, via the real CLI.

Each case must give exit status 1 (or 3 when the input cannot be read at all), a located
message from the expected rule on the expected line, no traceback, and for compile nothing
written. The cases come from tests/robustness/mutations.py (edits of the examples at every
level and of every field) plus the file-system cases below. lint and import read manifests,
validate and compile site specs, reconcile a live dump of the bgp-frr example cluster.
"""

from __future__ import annotations

import collections
import ctypes
import os
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import yaml

from tests.robustness import mutations as mu
from tests.robustness.cli import ROOT, Run, cli, sane
from tests.robustness.commands import (
    JSON_READERS,
    LIVE_CLUSTER,
    LIVE_SITE,
    MANIFEST_READERS,
    READERS,
    SITE_READERS,
    argv,
    findings,
)

# the live dump reconcile reads: the compiled bgp-frr cluster as kubectl shows it
LIVE = mu.live_dump(LIVE_SITE, LIVE_CLUSTER, Path(tempfile.mkdtemp(prefix="gitops-lb-live-")))
# what each reader refuses with exit status 3 rather than 1: reconcile cannot read the state
UNREADABLE = {"reconcile": {"yaml-syntax", "file-encoding", "yaml-too-complex", "file-unreadable"}}
# what every reader refuses with exit status 3: a file that cannot be decoded cannot be read
UNREADABLE_EVERYWHERE = {"file-encoding", "file-unreadable"}


def sampled(case_id: str, share: int = 6) -> bool:
    """True for one case in `share`, chosen by a stable hash of the case id (compile's share:
    compile runs exactly validate's reading and checks, then must write nothing)."""
    return zlib.crc32(case_id.encode()) % share == 0


T = TypeVar("T")


def grouped(items: list[T], key: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Items grouped by key, in first-seen order: one test per line or per field."""
    out: dict[str, list[T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return list(out.items())


def expected_status(command: str, rule: str | None) -> int:
    if rule is None or rule in UNREADABLE_EVERYWHERE:
        return 3
    return 3 if rule in UNREADABLE.get(command, ()) else 1


def check(
    run: Run,
    command: str,
    tmp_path: Path,
    rule: str | None,
    line: int | None,
    *,
    status: int = 1,
) -> None:
    assert run.status == status, (run.out[-2000:], run.err[-2000:])
    found = findings(command, run)
    assert found, ("an error must come with a located message", run.err[-2000:])
    if command in JSON_READERS:
        for d in run.diagnostics():
            assert d["file"] and d["line"] >= 1 and d["column"] >= 1 and d["message"]
    if line is not None:
        on_line = {r for r, _, n in found if n == line}
        assert on_line, (line, sorted(found, key=str))
        assert rule is None or None in on_line or rule in on_line, sorted(found, key=str)
    elif rule is not None:
        assert rule in {r for r, _, _ in found} or None in {r for r, _, _ in found}
    assert not (tmp_path / "compiled").exists()


def run_variant(capsys, tmp_path: Path, command: str, data: bytes) -> Run:
    f = tmp_path / "input.yaml"
    f.write_bytes(data)
    return cli(capsys, *argv(command, str(f), tmp_path))


# --- text edits at every level -----------------------------------------------------------------


def variants(source: Path, bytes_too: bool = True) -> list[mu.Variant]:
    return [*mu.text_variants(source, bytes_too=bytes_too), *mu.encoding_variants(source)]


MANIFEST_TEXT = [v for s in mu.LINT_SOURCES for v in variants(s)]
# the byte-level cases (NUL, invalid UTF-8) are the reader's: every level of one site spec
SITE_TEXT = [v for i, s in enumerate(mu.SITE_SOURCES) for v in variants(s, i == 0)]
LIVE_TEXT = variants(LIVE)
TEXT_RUNS = [
    *((v, c) for v in MANIFEST_TEXT for c in MANIFEST_READERS if c == "lint" or sampled(v.id, 2)),
    *((v, c) for v in SITE_TEXT for c in SITE_READERS if c != "compile" or sampled(v.id)),
    *((v, "reconcile") for v in LIVE_TEXT if "reconcile" in READERS and sampled(v.id, 2)),
]


def test_the_text_variants_cover_every_level_and_every_reader():
    kinds = collections.Counter(v.id.rsplit(":", 1)[1] for v, _ in TEXT_RUNS)
    assert min(kinds[k] for k in ("bad-token", "tab", "duplicate-key", "nul")) > 50
    levels = {
        line.index(line.lstrip()) for s in mu.SITE_SOURCES for line in s.read_text().splitlines()
    }
    assert max(levels) >= 12  # the examples nest deep enough to mean "every level"
    assert {c for _, c in TEXT_RUNS} == set(READERS)


TEXT_GROUPS = grouped(TEXT_RUNS, lambda vc: f"{vc[1]}:{vc[0].id.rsplit(':', 1)[0]}")


@pytest.mark.parametrize(("where", "runs"), TEXT_GROUPS, ids=[g for g, _ in TEXT_GROUPS])
def test_text_variants(capsys, tmp_path, where, runs):
    """Every edit of one line (or one encoding) of one source, through one command."""
    for variant, command in runs:
        run = run_variant(capsys, tmp_path, command, variant.data)
        if command == "reconcile" and variant.rule == "yaml-duplicate-key":
            # kubectl never writes one; the value is the same, so the state is the same
            assert run.status == 0, variant.id
            continue
        if command == "reconcile" or variant.rule in UNREADABLE_EVERYWHERE:
            status = expected_status(command, variant.rule)
        else:
            status = 1
        check(run, command, tmp_path, variant.rule, variant.line, status=status)


# --- wrong types at every field -------------------------------------------------------------------

MANIFEST_EDITS = list(mu.structural_edits(*mu.CLEAN_LINT_SOURCES))
SITE_EDITS = list(mu.structural_edits(*mu.SITE_SOURCES))
LIVE_DOCS = [d for d in yaml.safe_load_all(LIVE.read_text()) if d]
# the kinds reconcile reads; the installation's own objects (the gate Job, its RBAC) it does not
# (every edit of a MetalLB spec field: drift must show; a third of the others: no crash)
LIVE_EDITS = [
    e
    for e in mu.structural_edits(LIVE)
    if (LIVE_DOCS[e.doc_index]["apiVersion"].startswith("metallb.io/") and e.path[0] == "spec")
    or (
        (
            LIVE_DOCS[e.doc_index]["kind"] in ("Service", "Node")
            or LIVE_DOCS[e.doc_index]["apiVersion"].startswith("metallb.io/")
        )
        and sampled(e.id, 3)
    )
]


def test_the_structural_edits_cover_every_type_and_field():
    assert len(MANIFEST_EDITS) > 600 and len(SITE_EDITS) > 500 and len(LIVE_EDITS) > 250
    edits = MANIFEST_EDITS + SITE_EDITS + LIVE_EDITS
    huge = [e for e in edits if e.id.endswith(("int5", "int6", "int7"))]
    assert len(huge) > 45  # integers beyond 64 bits in every integer field


def lint_run(capsys, tmp_path: Path, text: str) -> Run:
    f = tmp_path / "input.yaml"
    f.write_text(text)
    return cli(capsys, "lint", str(f), "--format", "json", "--bgp-mode", "frr")


def messages(run: Run) -> collections.Counter[tuple[str, str]]:
    return collections.Counter((d["rule"], d["message"]) for d in run.diagnostics())


def by_field(edits: list[mu.Edit]) -> list[tuple[str, list[mu.Edit]]]:
    return grouped(edits, lambda e: e.id.rsplit(":", 1)[0])


@pytest.mark.parametrize(
    ("field", "edits"), by_field(MANIFEST_EDITS), ids=lambda x: x if isinstance(x, str) else ""
)
def test_lint_wrong_types(capsys, tmp_path, field, edits):
    for edit in edits:
        run = lint_run(capsys, tmp_path, edit.text)
        if edit.wrong:
            top = edit.path in (("apiVersion",), ("kind",))
            line = None if top else edit.line  # an object without a type: at its start
            check(run, "lint", tmp_path, None, line)
        else:  # null is what Kubernetes does with it: the field is absent
            assert run.status in (0, 1)
            if edit.without is not None:
                assert messages(run) == messages(lint_run(capsys, tmp_path, edit.without))


IMPORT_EDITS = [e for e in MANIFEST_EDITS if e.wrong and sampled(e.id, 2)]


@pytest.mark.parametrize(
    ("field", "edits"), by_field(IMPORT_EDITS), ids=lambda x: x if isinstance(x, str) else ""
)
def test_import_wrong_types(capsys, tmp_path, field, edits):
    for edit in edits:
        f = tmp_path / "input.yaml"
        f.write_text(edit.text)
        run = cli(capsys, *argv("import", str(f), tmp_path))
        top = edit.path in (("apiVersion",), ("kind",))
        check(run, "import", tmp_path, None, None if top else edit.line)
        assert run.out == ""  # no site spec from input it could not read


@pytest.mark.parametrize(
    ("field", "edits"), by_field(SITE_EDITS), ids=lambda x: x if isinstance(x, str) else ""
)
def test_site_wrong_types(capsys, tmp_path, field, edits):
    for edit in edits:
        command = "compile" if sampled(edit.id) else "validate"
        f = tmp_path / "input.yaml"
        f.write_text(edit.text)
        run = cli(capsys, *argv(command, str(f), tmp_path))
        if edit.wrong:
            check(run, command, tmp_path, None, edit.line)
        else:
            assert run.status in (0, 1)
            assert all(d["line"] >= 1 for d in run.diagnostics())
            if run.status == 1:
                assert not (tmp_path / "compiled").exists()


@pytest.mark.parametrize(
    ("field", "edits"), by_field(LIVE_EDITS), ids=lambda x: x if isinstance(x, str) else ""
)
def test_reconcile_wrong_types_in_the_live_state(capsys, tmp_path, field, edits):
    for edit in edits:
        f = tmp_path / "live.yaml"
        f.write_text(edit.text)
        run = cli(capsys, *argv("reconcile", str(f), tmp_path))
        doc = run.json()
        assert doc["in_sync"] is (run.status == 0)
        metallb = LIVE_DOCS[edit.doc_index]["apiVersion"].startswith("metallb.io/")
        if edit.wrong and metallb and edit.path[0] == "spec":
            assert run.status == 1, edit.id  # what Git sets differs: drift, never in sync
        else:
            assert run.status in (0, 1)  # fields reconcile does not compare may differ
        for d in doc["differences"]:  # located in Git; extra objects are not in Git at all
            assert d["message"] and (d["file"] is None or d["line"] >= 1)


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
EMPTY_RULES = {"lint": "input-no-objects", "import": "input-no-objects"}


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("name", FS_CASES)
def test_file_system_cases(capsys, tmp_path, name, command):
    path, rule, status = fs_case(name, tmp_path)
    run = cli(capsys, *argv(command, path, tmp_path))
    rule = rule or EMPTY_RULES.get(command, "site-not-a-site")
    if command == "reconcile":
        status = 3  # a live state that cannot be read, or holds nothing, is not compared
    check(run, command, tmp_path, rule, None, status=status)


def _drop_file_permission_override() -> None:  # runs in the child, before it execs
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
    check(run, command, tmp_path, "file-unreadable", 1, status=3)
    assert "Permission denied" in run.both


@pytest.mark.parametrize("form", ["utf-8-bom", "crlf", "bom-and-crlf"])
def test_a_bom_and_windows_line_ends_are_read_as_usual(capsys, tmp_path, form):
    text = mu.CLEAN_LINT_SOURCES[0].read_text()
    data = text.replace("\n", "\r\n").encode() if "crlf" in form else text.encode()
    if "bom" in form:
        data = b"\xef\xbb\xbf" + data
    f = tmp_path / "input.yaml"
    f.write_bytes(data)
    newest = ("--metallb-version", "v0.16.1")  # every field: some are new in v0.16.0
    assert cli(capsys, "lint", str(f), "--bgp-mode", "frr", *newest).status == 0
    line = text.splitlines().index("  autoAssign: true") + 1
    f.write_bytes(data.replace(b"autoAssign: true", b"autoAssign: @oops"))
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert ("yaml-syntax", line) in {(r, n) for r, _, n in findings("lint", run)}
