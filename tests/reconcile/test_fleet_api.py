"""The fleet from the API: the in-process emulator over real HTTP for one cluster, nothing
listening for the other; each cluster through its own kubeconfig context."""

from __future__ import annotations

from tests.k8s_emulator import Emulator
from tests.reconcile.fleet_helpers import multi_kubeconfig, site_with_contexts, stage_in_sync
from tests.reconcile.helpers import closed_port, run, run_json
from tests.reconcile.scenario import drifted


def test_one_cluster_unreachable_the_other_compared(tmp_path, capsys):
    site = site_with_contexts(tmp_path, prod="admin@prod")  # stage: the context "stage"
    refused = f"http://127.0.0.1:{closed_port()}"
    with Emulator(drifted("changed")[0]) as api:
        kc = multi_kubeconfig(tmp_path, {"admin@prod": api.url, "stage": refused})
        code, doc = run_json(capsys, str(site), "--kubeconfig", str(kc))
        code_text, out, err = run(capsys, str(site), "--kubeconfig", str(kc))
        asked = api.requests
    assert (code, code_text, err) == (3, 3, "")
    prod, stage = doc["clusters"]
    assert (prod["cluster"], prod["in_sync"], prod["source"]) == (
        "dc1/prod",
        False,
        f"context admin@prod ({api.url})",
    )
    assert {(d["type"], d["name"]) for d in prod["differences"]} == {
        ("changed", "web"),
    }
    why = f"cannot reach the API server {refused} (context stage): Connection refused"
    assert (stage["cluster"], stage["in_sync"], stage["unreachable"]) == ("dc1/stage", False, why)
    assert stage["differences"] == []
    assert {r.method for r in asked} == {"GET"}
    assert len(asked) == 2 * 11  # prod read twice (json, text), 11 requests each
    lines = out.splitlines()
    assert lines.count(f"dc1/stage: could not read the live state: {why}") == 1
    assert lines[-3:] == [
        "dc1/prod   no       2            -                      -",
        f"dc1/stage  -        -            -                      {why}",
        "2 clusters: 0 in sync, 1 not in sync, 1 unreachable",
    ]
    assert "incomplete" not in out and "not read after" not in out


def test_each_cluster_through_its_context(tmp_path, capsys):
    """Two emulators: every cluster is read from its own server, in parallel threads."""
    site = site_with_contexts(tmp_path, prod="admin@prod")
    with Emulator(drifted()[0]) as prod, Emulator(stage_in_sync()) as stage:
        kc = multi_kubeconfig(tmp_path, {"admin@prod": prod.url, "stage": stage.url})
        code, doc = run_json(capsys, str(site), "--kubeconfig", str(kc), "--jobs", "2")
        prod_asked, stage_asked = len(prod.requests), len(stage.requests)
    assert code == 0
    assert [(c["cluster"], c["in_sync"], c["source"]) for c in doc["clusters"]] == [
        ("dc1/prod", True, f"context admin@prod ({prod.url})"),
        ("dc1/stage", True, f"context stage ({stage.url})"),
    ]
    assert (prod_asked, stage_asked) == (11, 11)


def test_an_unknown_context_is_that_cluster_s_problem(tmp_path, capsys):
    site = site_with_contexts(tmp_path, prod="admin@prod")
    with Emulator(drifted()[0]) as api:
        kc = multi_kubeconfig(tmp_path, {"admin@prod": api.url})
        code, doc = run_json(capsys, str(site), "--kubeconfig", str(kc))
    assert code == 3
    assert doc["clusters"][0]["in_sync"] is True
    assert doc["clusters"][1]["unreachable"] == (
        f"unknown context 'stage' in {kc} (contexts: admin@prod)"
    )


def test_one_cluster_uses_the_site_spec_context(tmp_path, capsys):
    """--cluster with no --context: clusters[].context wins over the current context."""
    site = site_with_contexts(tmp_path, prod="admin@prod")
    refused = f"http://127.0.0.1:{closed_port()}"
    with Emulator(drifted()[0]) as api:
        kc = multi_kubeconfig(tmp_path, {"admin@prod": api.url, "other": refused}, current="other")
        code, doc = run_json(capsys, str(site), "--cluster", "dc1/prod", "--kubeconfig", str(kc))
        assert (code, doc["source"]) == (0, f"context admin@prod ({api.url})")
        code, out, err = run(
            capsys,
            str(site),
            "--cluster",
            "dc1/prod",
            "--kubeconfig",
            str(kc),
            "--context",
            "other",
        )
    assert (code, out) == (3, "")
    assert err == (
        f"gitops-lb: error: cannot reach the API server {refused} (context other): "
        "Connection refused\n"
    )


def test_context_with_several_clusters_is_a_usage_error(tmp_path, capsys):
    site = site_with_contexts(tmp_path)
    code, out, err = run(capsys, str(site), "--context", "prod")
    assert (code, out) == (2, "")
    assert err == (
        "gitops-lb: error: --context names one cluster's context; the site specs hold 2: pass "
        "--cluster SITE/CLUSTER, or give each cluster its context in the site spec "
        "(clusters[].context; without it the context named like the cluster is used)\n"
    )


def test_a_server_that_is_not_kubernetes_in_the_fleet(tmp_path, capsys):
    site = site_with_contexts(tmp_path)
    with Emulator(drifted()[0]) as prod, Emulator(stage_in_sync()) as stage:
        stage.fail(".", 404)
        kc = multi_kubeconfig(tmp_path, {"prod": prod.url, "stage": stage.url})
        code, doc = run_json(capsys, str(site), "--kubeconfig", str(kc))
    assert code == 3
    assert doc["clusters"][0]["in_sync"] is True
    assert doc["clusters"][1]["unreachable"] == (
        f"{stage.url} (context stage) is not a Kubernetes API server: GET /api answered 404 "
        "(not found) (a wrong server URL, or a proxy in front of one?)"
    )


def test_a_type_not_read_shows_in_the_row(tmp_path, capsys):
    site = site_with_contexts(tmp_path)
    with Emulator(drifted()[0]) as prod, Emulator(stage_in_sync()) as stage:
        prod.fail(r"^/api/v1/services$", 403, "services is forbidden")
        kc = multi_kubeconfig(tmp_path, {"prod": prod.url, "stage": stage.url})
        code, out, err = run(capsys, str(site), "--kubeconfig", str(kc))
    assert (code, err) == (3, "")
    lines = out.splitlines()
    assert lines[-3:] == [
        "dc1/prod   no       1            -                      partly: 1 type not read",
        "dc1/stage  yes      0            -                      -",
        "2 clusters: 1 in sync, 1 not in sync",
    ]
    assert (
        "<live>: error: could not read Service: GET /api/v1/services: forbidden (403): services "
        "is forbidden [unreadable]" in lines
    )
