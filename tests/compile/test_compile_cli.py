"""`gitops-lb compile` and `plan` end to end, on the example site specs."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from gitops_lb.cli import main
from gitops_lb.compile.writer import MANIFEST
from gitops_lb.site.schema import SCHEMA_COMMENT
from tests.compile import checks
from tests.compile.midwrite import staged_files, start_mid_write
from tests.trees import snapshot

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sites"
CLUSTERS = [
    "acp-seed/workload",
    "bgp-frr/core",
    "dual-stack/edge",
    "edge-rollout/canary",
    "edge-rollout/store-1",
    "edge-rollout/store-2",
    "edge-rollout/store-3",
    "shared-l2/blue",
    "shared-l2/green",
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "deploy"
    assert main(["compile", str(EXAMPLES), "-o", str(out)]) == 0
    return out


def test_examples_start_with_the_schema_line():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == SCHEMA_COMMENT, path


def test_examples_compile_to_every_cluster(compiled):
    found = sorted(p.parent.relative_to(compiled).as_posix() for p in compiled.glob("*/*/*.yaml"))
    assert sorted(set(found) - {"argocd"}) == CLUSTERS


@pytest.mark.skipif(checks.KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize("cluster", CLUSTERS)
def test_kubectl_kustomize_accepts_every_example_cluster(compiled, cluster):
    docs = checks.kustomize(compiled / cluster)
    assert any(d["apiVersion"].startswith("metallb.io/") for d in docs)


@pytest.mark.skipif(checks.KUBECTL is None, reason="kubectl is not installed")
def test_kubectl_kustomize_accepts_the_applications(compiled):
    apps = checks.kustomize(compiled / "argocd")
    names = sorted(a["metadata"]["name"] for a in apps)
    assert "bgp-frr-core-metallb" in names and "acp-seed-workload" in names


def test_example_metallb_objects_validate_against_the_crds(crd_schemas, compiled):
    schemas = crd_schemas
    count = 0
    for path in sorted(compiled.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and str(doc.get("apiVersion", "")).startswith("metallb.io/"):
                count += 1
                assert checks.schema_errors(doc, schemas) == [], path
    assert count >= 15


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_lint_finds_no_error_in_the_compiled_tree(compiled, cluster, capsys):
    mode = "frr" if cluster.startswith("bgp-frr") else None
    args = ["lint", str(compiled / cluster), "--format", "json"]
    status = main(args + (["--bgp-mode", mode] if mode else []))
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["errors"] == 0, doc["diagnostics"]
    assert status == 0


def run_cli(*args, seed="0", env_extra=None, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "gitops_lb", *args],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


@pytest.mark.slow
def test_identical_bytes_with_different_hash_seeds(tmp_path):
    outs = []
    for seed in ("1", "4242", "random"):
        out = tmp_path / f"out-{seed}"
        proc = run_cli("compile", str(EXAMPLES), "-o", str(out), seed=seed)
        assert proc.returncode == 0, proc.stderr
        outs.append(snapshot(out))
    assert outs[0] == outs[1] == outs[2]
    assert all(b"\r" not in data for data in outs[0].values())


def test_check_catches_changed_added_and_deleted_files(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    shutil.copy(EXAMPLES / "acp-seed.yaml", site)
    out = tmp_path / "deploy"
    assert main(["compile", str(site), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["compile", str(site), "-o", str(out), "--check"]) == 0
    cluster = out / "acp-seed" / "workload"
    pool = cluster / "ipaddresspools.yaml"
    # changed: a hand edit of a generated file
    pool.write_text(pool.read_text().replace("192.168.10.64/27", "192.168.10.0/24"))
    assert main(["compile", str(site), "-o", str(out), "--check"]) == 1
    diff = capsys.readouterr().out
    assert "-    - 192.168.10.0/24\n+    - 192.168.10.64/27\n" in diff
    assert main(["compile", str(site), "-o", str(out)]) == 0
    capsys.readouterr()
    # added: the site spec gains a Service in a new namespace, compile would add its file
    text = site.read_text()
    site.write_text(
        text + "        - {name: extra, namespace: batch, pool: example, ports: [{port: 81}]}\n"
    )
    before = snapshot(out)
    assert main(["compile", str(site), "-o", str(out), "--check"]) == 1
    diff = capsys.readouterr().out
    assert "--- /dev/null\n+++ b/" in diff and "/acp-seed/workload/services.batch.yaml\n" in diff
    assert "+  name: extra\n" in diff
    assert snapshot(out) == before  # --check writes nothing
    # deleted: the namespace's only Service leaves the site spec, its file would go
    assert main(["compile", str(site), "-o", str(out)]) == 0
    capsys.readouterr()
    site.write_text(text)
    assert main(["compile", str(site), "-o", str(out), "--check"]) == 1
    diff = capsys.readouterr().out
    assert "/acp-seed/workload/services.batch.yaml\n+++ /dev/null\n" in diff
    # a Service renamed inside a namespace changes that namespace's file
    site.write_text(text.replace("        - name: nginx-by-pool\n", "        - name: nginx-pool\n"))
    assert main(["compile", str(site), "-o", str(out), "--check"]) == 1
    diff = capsys.readouterr().out
    assert "-  name: nginx-by-pool\n" in diff and "+  name: nginx-pool\n" in diff


def test_check_on_a_missing_folder_fails(tmp_path, capsys):
    assert main(["compile", str(EXAMPLES), "-o", str(tmp_path / "none"), "--check"]) == 1
    assert not (tmp_path / "none").exists()


def test_files_not_written_by_the_compiler_are_never_touched(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    shutil.copy(EXAMPLES / "shared-l2.yaml", site)
    out = tmp_path / "deploy"
    assert main(["compile", str(site), "-o", str(out)]) == 0
    mine = {
        "README.md": "# our deploy folder\n",
        "shared-l2/blue/notes.txt": "handwritten\n",
        "extra/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    }
    for rel, text in mine.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    stats = {rel: (out / rel).stat() for rel in mine}
    site.write_text(site.read_text().replace("name: green", "name: teal"))
    assert main(["compile", str(site), "-o", str(out)]) == 0
    for rel, text in mine.items():
        st = (out / rel).stat()
        assert (out / rel).read_text() == text
        assert (st.st_ino, st.st_mtime_ns) == (stats[rel].st_ino, stats[rel].st_mtime_ns)
    assert not (out / "shared-l2" / "green").exists()
    assert (out / "shared-l2" / "teal" / "kustomization.yaml").is_file()
    listed = (out / MANIFEST).read_text()
    assert "README.md" not in listed and "shared-l2/teal/kustomization.yaml" in listed


def test_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    out = tmp_path / "deploy"
    out.mkdir()
    (out / "app.yaml").write_text("x: 1\n")
    assert main(["compile", str(EXAMPLES), "-o", str(out)]) == 3
    assert "has no .gitops-lb-manifest" in capsys.readouterr().err
    assert snapshot(out) == {"app.yaml": b"x: 1\n"}


def test_validation_errors_stop_before_anything_is_written(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    site.write_text(
        (EXAMPLES / "acp-seed.yaml")
        .read_text()
        .replace("[192.168.10.64/27]", "[192.168.10.300/27]")
    )
    out = tmp_path / "deploy"
    assert main(["compile", str(site), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "pool-invalid-address" in captured.out
    assert "nothing written" in captured.err
    assert not out.exists()


def test_the_write_delay_variable_pauses_after_each_file(tmp_path, monkeypatch, capsys):
    site = tmp_path / "site.yaml"
    shutil.copy(EXAMPLES / "bgp-frr.yaml", site)
    monkeypatch.setenv("GITOPS_LB_TEST_WRITE_DELAY", "0.02")
    start = time.monotonic()
    assert main(["compile", str(site), "-o", str(tmp_path / "slow")]) == 0
    elapsed = time.monotonic() - start
    written = [p for p in snapshot(tmp_path / "slow") if p != MANIFEST]
    assert len(written) >= 5 and elapsed >= 0.02 * len(written)
    monkeypatch.setenv("GITOPS_LB_TEST_WRITE_DELAY", "soon")  # not a number: no delay
    assert main(["compile", str(site), "-o", str(tmp_path / "plain")]) == 0
    assert snapshot(tmp_path / "plain") == snapshot(tmp_path / "slow")
    capsys.readouterr()


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_compile_keeps_the_previous_tree(tmp_path):
    site = tmp_path / "site.yaml"
    shutil.copy(EXAMPLES / "bgp-frr.yaml", site)
    out = tmp_path / "deploy"
    assert run_cli("compile", str(site), "-o", str(out)).returncode == 0
    before = snapshot(out)
    site.write_text(site.read_text().replace("localPref: 200", "localPref: 300"))
    proc = start_mid_write(["compile", str(site), "-o", str(out)], stderr=subprocess.PIPE)
    try:
        assert len(staged_files(tmp_path)) >= 3, "the compile never started writing"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert run_cli("compile", str(site), "-o", str(out)).returncode == 0
    assert b"localPref: 300" in snapshot(out)["bgp-frr/core/bgpadvertisements.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deploy", "site.yaml"]


def test_plan_text_json_and_cluster_filter(capsys):
    assert main(["plan", str(EXAMPLES), "--cluster", "bgp-frr/core"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("bgp-frr/core\n")
    assert "open TCP and UDP 7946" in text
    assert "r2-n1 (eth0 10.10.2.11)\n    BGP  public: 203.0.113.0/27 to tor-r2" in text
    assert main(["plan", str(EXAMPLES), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f"{p['site']}/{p['cluster']}" for p in doc["plans"]] == CLUSTERS
    acp = doc["plans"][0]
    node_a = next(n for n in acp["nodes"] if n["name"] == "node-a")
    assert node_a["l2"] == [
        {
            "pool": "example",
            "addresses": ["192.168.10.64/27"],
            "advertisement": "example",
            "interfaces": ["eth3"],
        }
    ]
    node_b = next(n for n in acp["nodes"] if n["name"] == "node-b")
    assert node_b["l2"] == [] and node_b["bgp"] == []


def test_plan_matches_the_compiled_speaker_plan(compiled, capsys):
    assert main(["plan", str(EXAMPLES), "--format", "json"]) == 0
    plans = json.loads(capsys.readouterr().out)["plans"]
    for plan in plans:
        path = compiled / plan["site"] / plan["cluster"] / "speaker-plan.yaml"
        assert yaml.safe_load(path.read_text())["spec"] == plan


def test_plan_usage_errors(capsys):
    assert main(["plan", str(EXAMPLES), "--cluster", "nope/none"]) == 2
    assert "no cluster nope/none" in capsys.readouterr().err
    assert main(["compile", str(EXAMPLES)]) == 2


def test_input_order_does_not_change_the_output(tmp_path, capsys):
    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["compile", *files, "-o", str(a)]) == 0
    assert main(["compile", *reversed(files), "-o", str(b)]) == 0
    assert snapshot(a) == snapshot(b)


def test_an_output_that_is_not_a_folder_exits_3(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x\n")
    assert main(["compile", str(EXAMPLES), "-o", str(target)]) == 3
    assert "is not a folder" in capsys.readouterr().err
    assert main(["compile", str(EXAMPLES), "-o", str(target / "sub")]) == 3
    assert target.read_text() == "x\n"


def test_examples_validate_clean(capsys):
    assert main(["validate", str(EXAMPLES), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["errors"] == 0, doc["diagnostics"]
