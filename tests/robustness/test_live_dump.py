"""reconcile --live refuses a dump that holds nothing instead of reporting every object missing."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest
import yaml

from benchmarks import live_dump
from gitops_lb.reconcile.dump import read_dump
from gitops_lb.reconcile.stream import CHUNK
from tests.robustness.cli import SITES, cli, subprocess_cli
from tests.robustness.commands import LIVE_CLUSTER, LIVE_SITE
from tests.robustness.mutations import live_dump as write_live_dump

SITE = str(SITES / "bgp-frr.yaml")
LIVE_SITE_ARG = str(LIVE_SITE)


@pytest.mark.parametrize("text", ["", "# nothing\n", "---\n---\n"])
def test_an_empty_dump_cannot_be_compared(tmp_path, capsys, text):
    f = tmp_path / "live.yaml"
    f.write_text(text)
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert f"cannot read the live state: {f}:1:1: no object at all" in run.err
    assert run.out == ""


def test_an_empty_list_is_a_cluster_without_objects(tmp_path, capsys):
    f = tmp_path / "live.yaml"
    f.write_text("apiVersion: v1\nitems: []\nkind: List\n")
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 1
    assert "is in Git but not in the cluster" in run.out


def test_empty_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", "-")
    assert run.status == 3
    assert "<stdin>:1:1: no object at all" in run.err


# --- large dumps: read as a stream --------------------------------------------------------------

MEMORY = 256 * 1024 * 1024  # address space: reading 20 MiB whole took 900 MB


@pytest.fixture(scope="module")
def big_cluster(tmp_path_factory: pytest.TempPathFactory) -> live_dump.Written:
    """A cluster in sync with Git whose `kubectl get services -A -o yaml` is 20 MiB."""
    return live_dump.write_cluster(str(tmp_path_factory.mktemp("live")), 20)


@pytest.mark.slow
def test_a_20_mib_services_dump_is_read_in_bounded_memory(big_cluster):
    assert big_cluster.services_bytes > 20 * 2**20
    run = subprocess_cli(
        *live_dump.reconcile_argv(big_cluster), "--format", "json", memory=MEMORY, timeout=120
    )
    assert (run.status, run.err) == (0, "")
    doc = run.json()
    assert doc["in_sync"] is True and doc["differences"] == []


@pytest.mark.slow
def test_a_20_mib_dump_on_standard_input(big_cluster):
    metallb, nodes, services = big_cluster.live
    with open(services, "rb") as fh:
        run = subprocess_cli(
            *("reconcile", big_cluster.desired, "--live", metallb, nodes, "-"),
            memory=MEMORY,
            timeout=120,
            stdin=fh,
        )
    assert run.status == 0, run.err
    assert run.out.endswith("in sync (0 errors, 0 warnings)\n")


def test_a_20_mib_dump_is_still_too_large_for_lint(big_cluster):
    run = subprocess_cli("lint", big_cluster.live[2], "--format", "json", memory=MEMORY)
    assert run.status == 3
    assert "larger than 8 MiB" in run.diagnostics()[0]["message"]


def test_the_live_limit_refuses_a_larger_dump(big_cluster):
    run = subprocess_cli(
        *live_dump.reconcile_argv(big_cluster), env={"GITOPS_LB_MAX_LIVE_MIB": "16"}
    )
    assert run.status == 3
    assert run.err == (
        f"gitops-lb: error: cannot read the live state: {big_cluster.live[2]}:1:1: dump is "
        "larger than 16 MiB and was not read (GITOPS_LB_MAX_LIVE_MIB raises the limit)\n"
    )


def test_the_live_limit_on_standard_input(big_cluster, capsys, monkeypatch):
    monkeypatch.setenv("GITOPS_LB_MAX_LIVE_MIB", "1")
    with open(big_cluster.live[2], "rb") as fh:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(fh))
        run = cli(capsys, "reconcile", big_cluster.desired, "--live", "-")
    assert run.status == 3
    assert "<stdin>:1:1: dump is larger than 1 MiB and was not read" in run.err


def one_service(annotation: str) -> str:
    return (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Node\n  metadata: {name: n1}\n"
        "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: big\n    namespace: apps\n"
        f"    annotations:\n      note: {annotation}\n  spec: {{type: ClusterIP}}\n"
    )


def test_an_object_larger_than_the_limit_is_refused_where_it_starts(tmp_path, capsys, monkeypatch):
    f = tmp_path / "live.yaml"
    f.write_text(one_service("x" * 5000))
    monkeypatch.setenv("GITOPS_LB_MAX_FILE_MIB", "0.00390625")  # 4 KiB
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert run.err == (
        f"gitops-lb: error: cannot read the live state: {f}:7:3: an object larger than "
        "0.00390625 MiB (Kubernetes stores none that large; GITOPS_LB_MAX_FILE_MIB raises the "
        "limit)\n"
    )
    monkeypatch.setenv("GITOPS_LB_MAX_FILE_MIB", "0.01")  # the same dump, a larger limit
    assert cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f)).status == 1


def test_an_endless_value_is_refused_without_waiting_for_its_end(tmp_path):
    """A value that never ends (`yes | gitops-lb reconcile --live -`) is refused once it passes
    the object limit, in bounded memory."""
    f = tmp_path / "live.yaml"
    f.write_text("apiVersion: v1\nkind: List\nitems:\n- note: " + "y\n    " * 3_000_000)
    with open(f, "rb") as fh:
        run = subprocess_cli(
            *("reconcile", SITE, "--cluster", "bgp-frr/core", "--live", "-"),
            env={"GITOPS_LB_MAX_FILE_MIB": "1"},
            memory=MEMORY,
            stdin=fh,
        )
    assert run.status == 3
    assert "<stdin>:4:3: an object larger than 1 MiB" in run.err


# --- what libyaml is handed: encoding and control characters, past the first chunk -------------


def padded(lines: int) -> list[str]:
    """A List of one Node whose annotations run over `lines` lines (several chunks)."""
    head = ["apiVersion: v1", "kind: List", "items:", "- apiVersion: v1", "  kind: Node"]
    head += ["  metadata:", "    name: n1", "    annotations:"]
    return head + [f"      note-{i:06d}: {'v' * 40}" for i in range(lines)]


BAD = {
    "invalid-utf8": (b"\xff", "file-encoding"),
    "nul": (b"\x00", "yaml-syntax"),
    "escape": (b"\x1b", "yaml-syntax"),
    "cut-sequence": (b"\xe2\x82", "file-encoding"),
}


@pytest.mark.parametrize("line", [7, 4000, 9000])
@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_byte_is_located_whichever_chunk_it_is_in(tmp_path, capsys, name, line):
    """At its line and column (after a multi-byte character: an invalid byte's column counts
    bytes, a control character's characters, as the loader counts them)."""
    data, rule = BAD[name]
    lines = [s.encode() for s in padded(10_000)]
    lines[line - 1] = lines[line - 1][:12] + "€".encode() + data + lines[line - 1][12:]
    f = tmp_path / "live.yaml"
    f.write_bytes(b"\n".join(lines) + b"\n")
    assert f.stat().st_size > 2 * CHUNK
    column = 12 + (3 if rule == "file-encoding" else 1) + 1
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert run.err.startswith(
        f"gitops-lb: error: cannot read the live state: {f}:{line}:{column}: "
    )


@pytest.mark.parametrize("line", [7, 9000])
@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_byte_is_located_as_lint_locates_it(tmp_path, capsys, name, line):
    """The same place and message as lint gives (which reads the file whole)."""
    data, rule = BAD[name]
    lines = [s.encode() for s in padded(10_000)]
    lines[line - 1] = lines[line - 1][:12] + data + lines[line - 1][12:]
    f = tmp_path / "live.yaml"
    f.write_bytes(b"\n".join(lines) + b"\n")
    lint = cli(capsys, "lint", str(f), "--format", "json")
    (said,) = [d for d in lint.diagnostics() if d["rule"] == rule]
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert run.err == (
        f"gitops-lb: error: cannot read the live state: {f}:{said['line']}:{said['column']}: "
        f"{said['message']}\n"
    )


def test_characters_cut_by_the_end_of_a_chunk_are_read_whole(tmp_path):
    head = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n"
    head += "    name: n1\n    labels:\n      long: "
    filler = CHUNK - len(head) - 1
    f = tmp_path / "live.yaml"
    f.write_text(head + "a" * filler + "€" * 10 + "\n")
    assert 0x80 <= f.read_bytes()[CHUNK] < 0xC0  # the first chunk ends inside a character
    state = read_dump([str(f)], "metallb-system", plugin=False)
    (obj,) = state.get("Node")
    assert obj["metadata"]["labels"] == {"long": "a" * filler + "€" * 10}


def test_a_character_cut_short_at_the_end_of_a_dump(tmp_path, capsys):
    """The last chunk holds only the start of a character: an invalid byte, not the end."""
    head = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n"
    head += "    name: n1\n    labels:\n      long: "
    f = tmp_path / "live.yaml"
    f.write_bytes((head + "a" * (CHUNK - len(head))).encode() + "€".encode()[:2])
    assert f.stat().st_size == CHUNK + 2
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    column = len("      long: ") + CHUNK - len(head) + 1
    assert f"{f}:9:{column}: file is not valid UTF-8 (byte 0xe2)" in run.err


def test_a_syntax_error_far_into_a_dump_is_located(tmp_path, capsys):
    lines = padded(10_000)
    lines[8765] = "      bad: [unclosed"
    f = tmp_path / "live.yaml"
    f.write_text("\n".join(lines) + "\n")
    assert f.stat().st_size > 2 * CHUNK
    lint = cli(capsys, "lint", str(f), "--format", "json")
    (said,) = lint.diagnostics()
    assert (said["rule"], said["line"]) == ("yaml-syntax", 8767)
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert run.err == (
        f"gitops-lb: error: cannot read the live state: {f}:8767:{said['column']}: "
        f"{said['message']}\n"
    )


def test_utf16_dump(tmp_path, capsys):
    f = tmp_path / "live.yaml"
    f.write_bytes("apiVersion: v1\nkind: List\nitems: []\n".encode("utf-16"))
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert f"{f}:1:1: file is UTF-16 encoded; save it as UTF-8" in run.err


# --- other shapes ---------------------------------------------------------------------------


def test_a_json_dump_reads_as_the_yaml_one(tmp_path, capsys):
    """`kubectl get -o json` is YAML too: the same report as the YAML dump."""
    live = write_live_dump(LIVE_SITE, LIVE_CLUSTER, tmp_path)
    docs = [d for d in yaml.safe_load_all(live.read_text()) if d]
    as_yaml, as_json = tmp_path / "live.yaml", tmp_path / "live.json"
    as_yaml.write_text(yaml.safe_dump({"apiVersion": "v1", "items": docs, "kind": "List"}))
    as_json.write_text(json.dumps({"apiVersion": "v1", "items": docs, "kind": "List"}, indent=4))
    runs = [
        cli(
            capsys,
            "reconcile",
            LIVE_SITE_ARG,
            "--cluster",
            LIVE_CLUSTER,
            "--live",
            str(p),
            "--format",
            "json",
        )
        for p in (as_yaml, as_json)
    ]
    assert [r.status for r in runs] == [0, 0]
    assert runs[0].json()["differences"] == runs[1].json()["differences"] == []


def test_anchors_within_an_item_and_not_across_items(tmp_path, capsys):
    f = tmp_path / "live.yaml"
    f.write_text(
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n"
        "    labels: &labels {lb: 'yes'}\n    annotations: *labels\n"
    )
    state = read_dump([str(f)], "metallb-system", plugin=False)
    assert [o["metadata"]["labels"] for o in state.get("Node")] == [{"lb": "yes"}]
    f.write_text(
        f.read_text() + "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n2\n"
        "    labels: *labels\n"
    )
    run = cli(capsys, "reconcile", SITE, "--cluster", "bgp-frr/core", "--live", str(f))
    assert run.status == 3
    assert f"{f}:14:13: YAML: found undefined alias 'labels'" in run.err


def test_the_dump_benchmark_runs(tmp_path, capsys):
    """benchmarks/live_dump.py at a tiny size: it works and the cluster it writes is in sync
    (how fast is not tested)."""
    assert live_dump.main(["--mib", "0.2", "--repeat", "1", "--work", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^parse-0\.2MiB +\d+\.\d+ +\d+\.\d+ +\d+$", out, re.M), out
    assert re.search(r"^reconcile-0\.2MiB +(\d+\.\d+ +){2}\d+ +\d+  0$", out, re.M), out
    assert out.endswith("all targets met\n")
    report = (tmp_path / "reconcile-0.2MiB.out").read_text()
    assert report.endswith("in sync (0 errors, 0 warnings)\n")
