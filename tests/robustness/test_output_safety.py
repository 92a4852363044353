"""Output safety of `compile -o DIR`: only validated names become paths, DIR is never left
half-written, links never lead the compiler (or its diff) out of DIR.

The kill tests fork this test process and SIGKILL the child at a chosen step of the write
(before or after each file write, fsync, exchange, rename and removal), then check that DIR
is exactly the old tree or exactly the new one, and that the next compile cleans up.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_lb.cli import main
from gitops_lb.compile import writer
from gitops_lb.compile.writer import MANIFEST, OutputError
from tests.compile.midwrite import staged_files, start_mid_write
from tests.robustness.cli import SITES, cli
from tests.trees import snapshot

SITE = (SITES / "bgp-frr.yaml").read_text()
# the new version changes a file, drops one (the internal pool) and adds one (a Service)
NEW_SITE = (
    SITE.replace("localPref: 200", "localPref: 300")
    .replace("        - name: internal\n", "        - name: private\n")
    .replace("          pool: internal\n", "          pool: private\n")
    .replace("        - name: api-gateway\n", "        - name: api\n")
)


@pytest.fixture
def trees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """DIR compiled from SITE with a foreign file; the expected tree after compiling NEW_SITE."""
    site = tmp_path / "site.yaml"
    site.write_text(SITE)
    out = tmp_path / "deploy"
    assert main(["compile", str(site), "-o", str(out)]) == 0
    (out / "README.md").write_text("ours, not the compiler's\n")
    old = snapshot(out)
    scratch = tmp_path / "scratch"
    expected = scratch / "deploy"
    shutil.copytree(out, expected, symlinks=True)
    site.write_text(NEW_SITE)
    assert main(["compile", str(site), "-o", str(expected)]) == 0
    new = snapshot(expected)
    shutil.rmtree(scratch)
    capsys.readouterr()
    assert old != new
    return {"site": site, "out": out, "old": old, "new": new, "dir": tmp_path}


# --- kill at every step -------------------------------------------------------------------------

Step = tuple[Any, str, int, str]  # (module, function name, which call, "before" | "after")


def run_killed(step: Step, argv: list[str], exchange: bool = True) -> int:
    """Fork; in the child, SIGKILL itself at `step` of `gitops-lb ARGV`. The wait status."""
    pid = os.fork()
    if pid == 0:  # the child
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            module, name, which, when = step
            real = getattr(module, name)
            calls = [0]

            def wrapper(*a: Any, **kw: Any) -> Any:
                n = calls[0]
                calls[0] += 1
                if n == which and when == "before":
                    os.kill(os.getpid(), signal.SIGKILL)
                result = real(*a, **kw)
                if n == which and when == "after":
                    os.kill(os.getpid(), signal.SIGKILL)
                return result

            setattr(module, name, wrapper)
            if not exchange:
                writer._exchange = lambda a, b: False
            main(argv)
        finally:
            os._exit(0)  # the step was never reached
    _, status = os.waitpid(pid, 0)
    return status


def count_calls(module: Any, name: str, action: Callable[[], Any]) -> int:
    real = getattr(module, name)
    calls = [0]

    def counting(*a: Any, **kw: Any) -> Any:
        calls[0] += 1
        return real(*a, **kw)

    setattr(module, name, counting)
    try:
        action()
    finally:
        setattr(module, name, real)
    return calls[0]


def steps(trees: dict[str, Any], exchange: bool) -> list[Step]:
    """Every step of a compile over the old tree, found by counting calls on a copy."""
    probe = trees["dir"] / "probe"
    shutil.copytree(trees["out"], probe / "deploy", symlinks=True)
    argv = ["compile", str(trees["site"]), "-o", str(probe / "deploy")]
    targets: list[tuple[Any, str]] = [
        (writer, "_write_file"),
        (writer, "_fsync_dir"),
        (writer, "_link_foreign"),
        (os, "rename"),
        (os, "unlink"),
        (os, "rmdir"),
        (shutil, "rmtree"),
    ]
    if exchange:
        targets.append((writer, "_exchange"))
    found: list[Step] = []
    for module, name in targets:
        saved = writer._exchange
        if not exchange:
            writer._exchange = lambda a, b: False
        try:
            shutil.rmtree(probe)
            shutil.copytree(trees["out"], probe / "deploy", symlinks=True)
            n = count_calls(module, name, lambda: main(argv))
        finally:
            writer._exchange = saved
        # the first, second, middle and last two calls of each: every kind of step, and the
        # steps next to a change of phase, without repeating the hundredth identical write
        chosen = sorted({i for i in (0, 1, n // 2, n - 2, n - 1) if 0 <= i < n})
        found.extend((module, name, i, when) for i in chosen for when in ("before", "after"))
    shutil.rmtree(probe)
    return found


def step_id(step: Step) -> str:
    return f"{step[0].__name__}.{step[1]}#{step[2]}:{step[3]}"


@pytest.mark.slow
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_tree(trees, capsys, exchange):
    out, old, new = trees["out"], trees["old"], trees["new"]
    argv = ["compile", str(trees["site"]), "-o", str(out)]
    all_steps = steps(trees, exchange)
    assert len(all_steps) > 30
    pristine = trees["dir"].parent / f"{trees['dir'].name}-pristine"
    shutil.copytree(out, pristine, symlinks=True)
    seen = {"old": 0, "new": 0, "moved-away": 0}
    for step in all_steps:
        status = run_killed(step, argv, exchange)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, step_id(step)
        state = snapshot(out) if out.exists() else None
        if state == old:
            seen["old"] += 1
        elif state == new:
            seen["new"] += 1
        else:  # only between the two renames of the fallback: DIR moved aside, intact
            assert not exchange and state is None, step_id(step)
            aside = [p for p in trees["dir"].iterdir() if ".gitops-lb-old-" in p.name]
            assert [snapshot(p) for p in aside] == [old], step_id(step)
            seen["moved-away"] += 1
        # the next compile finishes the job and leaves nothing behind
        assert main(argv) == 0, step_id(step)
        assert snapshot(out) == new, step_id(step)
        assert sorted(p.name for p in trees["dir"].iterdir()) == ["deploy", "site.yaml"]
        # back to the old tree for the next step
        shutil.rmtree(out)
        shutil.copytree(pristine, out, symlinks=True)
        capsys.readouterr()
    assert seen["old"] and seen["new"]
    shutil.rmtree(pristine)


def test_a_kill_during_the_first_compile_leaves_no_tree_or_the_whole_tree(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    site.write_text(SITE)
    out = tmp_path / "deploy"
    argv = ["compile", str(site), "-o", str(out)]
    writes = count_calls(writer, "_write_file", lambda: main(argv))
    full = snapshot(out)
    shutil.rmtree(out)
    for step in [(writer, "_write_file", i, "after") for i in range(writes)] + [
        (os, "rename", 0, "before"),
        (os, "rename", 0, "after"),
    ]:
        status = run_killed(step, argv)
        assert os.WIFSIGNALED(status), step_id(step)
        assert not out.exists() or snapshot(out) == full, step_id(step)
        assert main(argv) == 0
        assert snapshot(out) == full
        assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy", "site.yaml"]
        shutil.rmtree(out)
    capsys.readouterr()


def signal_mid_write(trees: dict[str, Any], sig: int) -> subprocess.CompletedProcess[str]:
    """Send `sig` to a compile of NEW_SITE over the old tree once it has staged three files."""
    argv = ["compile", str(trees["site"]), "-o", str(trees["out"])]
    proc = start_mid_write(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert len(staged_files(trees["dir"])) >= 3
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_mid_write_keeps_the_old_tree_and_cleans_up(trees, capsys):
    done = signal_mid_write(trees, signal.SIGINT)
    assert done.returncode == 130
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(trees["out"]) == trees["old"]
    assert sorted(p.name for p in trees["dir"].iterdir()) == ["deploy", "site.yaml"]


def test_sigterm_mid_write_keeps_the_old_tree(trees, capsys):
    done = signal_mid_write(trees, signal.SIGTERM)
    assert done.returncode == -signal.SIGTERM
    assert snapshot(trees["out"]) == trees["old"]
    assert main(["compile", str(trees["site"]), "-o", str(trees["out"])]) == 0
    assert snapshot(trees["out"]) == trees["new"]
    assert sorted(p.name for p in trees["dir"].iterdir()) == ["deploy", "site.yaml"]


# --- links never lead out of DIR ----------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    place = tmp_path / "outside"
    place.mkdir()
    (place / "secret.yaml").write_text("OUTSIDE-CONTENT\n")
    (place / "ipaddresspools.yaml").write_text("OUTSIDE-POOL\n")
    return place


def compile_run(capsys, trees, *extra: str):
    return cli(capsys, "compile", str(trees["site"]), "-o", str(trees["out"]), *extra)


def untouched(outside: Path) -> bool:
    return snapshot(outside) == {
        "secret.yaml": b"OUTSIDE-CONTENT\n",
        "ipaddresspools.yaml": b"OUTSIDE-POOL\n",
    }


def test_a_forged_manifest_entry_behind_a_link_is_neither_read_nor_removed(trees, capsys, outside):
    out = trees["out"]
    (out / "evil").symlink_to(outside)
    with open(out / MANIFEST, "a") as fh:
        fh.write("evil/secret.yaml\n")
    for extra in (["--check"], []):
        run = compile_run(capsys, trees, *extra)
        assert "OUTSIDE-CONTENT" not in run.both
        assert untouched(outside)
    assert (out / "evil").is_symlink()  # not ours: kept as it was
    assert "evil/secret.yaml" not in (out / MANIFEST).read_text()


def test_a_generated_file_replaced_by_a_link_is_refused(trees, capsys, outside):
    target = trees["out"] / "bgp-frr" / "core" / "ipaddresspools.yaml"
    target.unlink()
    target.symlink_to(outside / "ipaddresspools.yaml")
    for extra in (["--check"], []):
        run = compile_run(capsys, trees, *extra)
        assert run.status == 3
        assert "symbolic link" in run.err
        assert "OUTSIDE-POOL" not in run.both
    assert untouched(outside)


def test_a_cluster_folder_replaced_by_a_link_is_refused(trees, capsys, outside):
    folder = trees["out"] / "bgp-frr" / "core"
    shutil.rmtree(folder)
    folder.symlink_to(outside)
    run = compile_run(capsys, trees)
    assert run.status == 3
    assert "in the way" in run.err
    assert untouched(outside)


def test_foreign_links_are_kept_as_links(trees, capsys, outside):
    out = trees["out"]
    (out / "docs").symlink_to(outside)
    (out / "notes.yaml").symlink_to(outside / "secret.yaml")
    run = compile_run(capsys, trees)
    assert run.status == 0
    assert os.readlink(out / "docs") == str(outside)
    assert os.readlink(out / "notes.yaml") == str(outside / "secret.yaml")
    assert untouched(outside)


@pytest.mark.parametrize(
    "path", ["../escape.yaml", "/tmp/abs.yaml", "a/../../b.yaml", "a//b.yaml", ""]
)
def test_the_writer_refuses_paths_outside_the_folder(tmp_path, path):
    with pytest.raises(OutputError, match="not a path inside"):
        writer.write_tree(tmp_path / "out", {path: b"x: 1\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- which folders -o accepts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "status", "message"),
    [
        ("empty", 0, "wrote"),
        ("previous-output", 0, "wrote"),
        ("foreign-file", 3, "has no .gitops-lb-manifest"),
        ("only-hidden-file", 3, "has no .gitops-lb-manifest"),
        ("manifest-is-a-folder", 3, "cannot read"),
        ("manifest-not-utf8", 3, "cannot read"),
        ("manifest-escapes", 3, "is not a path inside the folder"),
        ("output-is-a-file", 3, "is not a folder"),
    ],
)
def test_which_output_folders_are_accepted(tmp_path, capsys, setup, status, message):
    site = tmp_path / "site.yaml"
    site.write_text(SITE)
    out = tmp_path / "deploy"
    if setup == "output-is-a-file":
        out.write_text("x\n")
    else:
        out.mkdir()
    if setup == "previous-output":
        assert main(["compile", str(site), "-o", str(out)]) == 0
        site.write_text(NEW_SITE)
    elif setup == "foreign-file":
        (out / "app.yaml").write_text("x: 1\n")
    elif setup == "only-hidden-file":
        (out / ".keep").write_text("")
    elif setup == "manifest-is-a-folder":
        (out / MANIFEST).mkdir()
    elif setup == "manifest-not-utf8":
        (out / MANIFEST).write_bytes(b"\xff\xfe\n")
    elif setup == "manifest-escapes":
        (out / MANIFEST).write_text("../../etc/passwd\n")
    before = snapshot(out) if out.is_dir() else None
    run = cli(capsys, "compile", str(site), "-o", str(out))
    assert run.status == status
    assert message in run.err
    if status:
        assert (snapshot(out) if out.is_dir() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy", "site.yaml"]
