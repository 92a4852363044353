"""Inputs built to exhaust time or memory: each ends quickly, in bounded memory, with a message.

These run `python -m gitops_lb` in a child process with its address space capped (RLIMIT_AS)
and a timeout, so a regression shows as a MemoryError traceback or a timeout, not as a slow
or swapping test run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from gitops_lb.yamlload import MAX_DEPTH
from tests.robustness.cli import MANIFESTS, cli, subprocess_cli
from tests.robustness.commands import READERS, argv, findings

MEMORY = 256 * 1024 * 1024  # bytes of address space: far less than the inputs would need
FAST = 20.0  # seconds: start-up included, on a slow machine


def fifty_megabytes(path: Path) -> Path:
    """A 50 MB file of valid, distinct IPAddressPools (the costliest kind of content)."""
    chunk = []
    for i in range(4096):
        chunk.append(
            f"---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
            f"metadata: {{name: p{i}, namespace: metallb-system}}\n"
            f"spec: {{addresses: [10.{i >> 8}.{i & 255}.0/32]}}\n"
        )
    block = "".join(chunk).encode()
    with open(path, "wb") as fh:
        for _ in range(50_000_000 // len(block) + 1):
            fh.write(block)
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fifty_megabytes(tmp_path_factory.mktemp("big") / "big.yaml")


@pytest.mark.parametrize("command", READERS)
def test_a_50_mb_file_is_refused_quickly_in_bounded_memory(big_file, tmp_path, command):
    assert big_file.stat().st_size >= 50_000_000
    start = time.monotonic()
    # a live dump is streamed and may be far larger (tests/robustness/test_live_dump.py);
    # its own limit, set to 8 MiB here, refuses it the same way
    env = {"GITOPS_LB_MAX_LIVE_MIB": "8"} if command == "reconcile" else None
    run = subprocess_cli(
        *argv(command, str(big_file), tmp_path), memory=MEMORY, timeout=60, env=env
    )
    assert time.monotonic() - start < FAST
    assert run.status == 3
    rule = None if command == "reconcile" else "file-unreadable"  # reconcile names no rule
    assert findings(command, run) == {(rule, str(big_file), 1)}
    assert "larger than 8 MiB" in run.both
    assert not (tmp_path / "compiled").exists()


def test_50_mb_on_standard_input_is_refused(big_file):
    with open(big_file, "rb") as fh:
        run = subprocess_cli("lint", "-", "--format", "json", memory=MEMORY, timeout=60, stdin=fh)
    assert run.status == 3
    assert run.diagnostics()[0]["file"] == "<stdin>"


def test_an_endless_device_is_refused():
    run = subprocess_cli("lint", "/dev/zero", "--format", "json", memory=MEMORY, timeout=60)
    assert run.status == 3
    assert "larger than" in run.diagnostics()[0]["message"]


def test_the_limit_can_be_raised_and_lowered(tmp_path):
    f = tmp_path / "pools.yaml"
    f.write_bytes((MANIFESTS / "seed-guide.yaml").read_bytes() * 2)
    small = {"GITOPS_LB_MAX_FILE_MIB": "0.001"}
    assert subprocess_cli("lint", str(f), env=small).status == 3
    large = {"GITOPS_LB_MAX_FILE_MIB": "64"}
    assert subprocess_cli("lint", str(f), env=large).status == 1  # read: duplicate objects


@pytest.mark.parametrize("command", READERS)
def test_a_fifo_in_a_folder_is_not_waited_for(tmp_path, command):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")  # nobody ever writes to it: reading would block forever
    (folder / "site.yaml").write_text("# nothing\n")
    run = subprocess_cli(*argv(command, str(folder), tmp_path), timeout=30)
    assert run.status == 3
    assert str(folder / "pipe.yaml") in {f for _, f, _ in findings(command, run)}
    assert "not a regular file; not read" in run.both


def alias_bomb(levels: int = 10) -> str:
    text = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
    return text


def nested(depth: int, block: bool) -> str:
    if block:
        return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"
    return "a: " + "[" * depth + "]" * depth + "\n"


BOMBS = {
    "billion-laughs": (alias_bomb(), "yaml-too-complex"),
    "nested-flow-100000": (nested(100_000, block=False), "yaml-syntax"),
    "nested-block-1100": (nested(1_100, block=True), "yaml-syntax"),
    "nested-block-500": (nested(500, block=True), "yaml-too-complex"),
    "nested-300": (nested(300, block=False), "yaml-too-complex"),
    "nested-900": (nested(900, block=False), "yaml-too-complex"),
    "nested-mappings-300": ("a: " + "{b: " * 300 + "1" + "}" * 300 + "\n", "yaml-too-complex"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bombs_end_quickly_in_bounded_memory(tmp_path, name):
    text, rule = BOMBS[name]
    f = tmp_path / "bomb.yaml"
    f.write_text(text)
    start = time.monotonic()
    run = subprocess_cli("lint", str(f), "--format", "json", memory=MEMORY, timeout=60)
    assert time.monotonic() - start < FAST
    assert run.status == 1
    assert rule in {d["rule"] for d in run.diagnostics()}


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("name", sorted(BOMBS))
def test_every_reader_refuses_bombs(tmp_path, capsys, name, command):
    text, rule = BOMBS[name]
    f = tmp_path / "bomb.yaml"
    f.write_text(text)
    run = cli(capsys, *argv(command, str(f), tmp_path))
    assert run.status == (3 if command == "reconcile" else 1)  # reconcile: cannot read it
    found = findings(command, run)
    assert rule in {r for r, _, _ in found} or command == "reconcile"
    assert found and all(line >= 1 for _, _, line in found)
    assert not (tmp_path / "compiled").exists()


def test_deep_nesting_is_reported_where_it_gets_too_deep(tmp_path, capsys):
    f = tmp_path / "deep.yaml"
    f.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: "
        + "[" * 500
        + "]" * 500
        + "\n"
    )
    run = cli(capsys, "lint", str(f), "--format", "json")
    assert run.status == 1
    assert [(d["rule"], d["line"], d["column"]) for d in run.diagnostics()] == [
        # the root mapping is level 0, spec level 1, the first "[" (column 13) level 2
        ("yaml-too-complex", 5, 13 + MAX_DEPTH - 2)
    ]
