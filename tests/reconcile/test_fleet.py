"""`reconcile SITES` without --cluster: every cluster of the site specs from --live-dir dumps,
through the real CLI; headings, the table, JSON, exit statuses, --jobs, the progress line."""

from __future__ import annotations

import json
import sys

import pytest

from gitops_lb.reconcile import fleet
from tests.reconcile.fleet_helpers import stage_in_sync, write_live_dir
from tests.reconcile.helpers import run, run_json, write_site
from tests.reconcile.scenario import drifted, find, metallb


def two_clusters(tmp_path, prod=None, stage=None):
    """The site spec and a live dir: dc1/prod drifted (two changes), dc1/stage in sync."""
    site = write_site(tmp_path)
    live = write_live_dir(
        tmp_path,
        {
            "dc1/prod": drifted("changed")[0] if prod is None else prod,
            "dc1/stage": stage_in_sync() if stage is None else stage,
        },
    )
    return site, live


def test_one_cluster_in_sync_one_drifted(tmp_path, capsys):
    site, live = two_clusters(tmp_path)
    code, out, err = run(capsys, str(site), "--live-dir", str(live))
    assert (code, err) == (1, "")
    prod, stage = live / "dc1" / "prod" / "live.yaml", live / "dc1" / "stage" / "live.yaml"
    assert out.splitlines() == [
        "== dc1/prod ==",
        f"{site}:19:11: error: IPAddressPool metallb-system/web spec.autoAssign: Git true, live "
        "false [changed]",
        f'{site}:23:25: error: L2Advertisement metallb-system/web spec.interfaces: Git ["eth3"], '
        'live ["eth3", "eth4"] [changed]',
        f"dc1/prod against dump {prod}: not in sync (2 errors, 0 warnings)",
        "== dc1/stage ==",
        f"dc1/stage against dump {stage}: in sync (0 errors, 0 warnings)",
        "",
        "cluster    in sync  differences  pools near exhaustion  unreachable",
        "dc1/prod   no       2            -                      -",
        "dc1/stage  yes      0            -                      -",
        "2 clusters: 1 in sync, 1 not in sync",
    ]


def test_json_keeps_the_single_cluster_entries(tmp_path, capsys):
    site, live = two_clusters(tmp_path)
    code, doc = run_json(capsys, str(site), "--live-dir", str(live))
    assert code == 1
    assert [(c["cluster"], c["in_sync"]) for c in doc["clusters"]] == [
        ("dc1/prod", False),
        ("dc1/stage", True),
    ]
    assert (doc["tool"], doc["summary"]["clusters"], doc["summary"]["in_sync"]) == (
        "gitops-lb",
        2,
        1,
    )
    # the differences are those `--cluster` reports for the same dump, in the same shape
    _, single = run_json(
        capsys, str(site), "--cluster", "dc1/prod", "--live", str(live / "dc1/prod/live.yaml")
    )
    assert doc["clusters"][0]["differences"] == single["differences"]
    assert len(single["differences"]) == 2
    assert doc["clusters"][0]["source"] == single["source"]
    assert doc["clusters"][1]["differences"] == []
    assert all(c["unreachable"] is None and c["compared"] for c in doc["clusters"])


def test_all_in_sync_exits_0(tmp_path, capsys):
    site, live = two_clusters(tmp_path, prod=drifted()[0])
    code, doc = run_json(capsys, str(site), "--live-dir", str(live))
    assert code == 0
    assert all(c["in_sync"] for c in doc["clusters"])


def test_a_missing_folder_does_not_hide_the_others(tmp_path, capsys):
    site = write_site(tmp_path)
    live = write_live_dir(tmp_path, {"dc1/prod": drifted("changed")[0], "dc1/stage": None})
    code, out, err = run(capsys, str(site), "--live-dir", str(live))
    assert (code, err) == (3, "")  # 3 wins over the drift of dc1/prod
    folder = live / "dc1" / "stage"
    why = f"no dump of dc1/stage: {folder} is not a folder"
    lines = out.splitlines()
    assert f"dc1/stage: could not read the live state: {why}" in lines
    assert "dc1/prod   no       2            -                      -" in lines
    assert lines[-2].split(None, 4) == ["dc1/stage", "-", "-", "-", why]
    assert lines[-1] == "2 clusters: 0 in sync, 1 not in sync, 1 unreachable"
    code, doc = run_json(capsys, str(site), "--live-dir", str(live))
    stage = doc["clusters"][1]
    assert (code, stage["in_sync"], stage["unreachable"], stage["compared"]) == (
        3,
        False,
        why,
        False,
    )
    assert len(doc["clusters"][0]["differences"]) == 2


def test_an_empty_folder_and_an_unparsable_dump(tmp_path, capsys):
    site, live = two_clusters(tmp_path)
    (live / "dc1" / "stage" / "live.yaml").unlink()
    code, doc = run_json(capsys, str(site), "--live-dir", str(live))
    assert code == 3
    folder = live / "dc1" / "stage"
    assert doc["clusters"][1]["unreachable"] == (
        f"no dump of dc1/stage: {folder} holds no .yaml or .yml file"
    )
    (folder / "broken.yml").write_text("items: [\n")
    code, doc = run_json(capsys, str(site), "--live-dir", str(live))
    assert code == 3
    assert doc["clusters"][1]["unreachable"].startswith(
        f"cannot read the live state: {folder / 'broken.yml'}:2:1: YAML:"
    )
    assert len(doc["clusters"][0]["differences"]) == 2  # dc1/prod still compared


def test_pools_near_exhaustion_from_the_pool_status(tmp_path, capsys):
    prod = drifted()[0]
    find(prod, "IPAddressPool", "web")["status"] = {
        "assignedIPv4": 26,
        "availableIPv4": 6,  # 81%
        "assignedIPv6": 0,
        "availableIPv6": 0,
    }
    find(prod, "IPAddressPool", "spare")["status"] = {"assignedIPv4": 12, "availableIPv4": 4}
    stage = stage_in_sync()
    stage[0]["status"] = {"assignedIPv4": 12, "availableIPv4": 4, "assignedIPv6": 1}
    site, live = two_clusters(tmp_path, prod=prod, stage=stage)
    code, out, _ = run(capsys, str(site), "--live-dir", str(live))
    assert code == 0  # near exhaustion is shown, it is not drift
    lines = out.splitlines()
    assert lines[-3:-1] == [
        "dc1/prod   yes      0            web IPv4 26/32 (81%)   -",
        "dc1/stage  yes      0            -                      -",
    ]
    code, doc = run_json(capsys, str(site), "--live-dir", str(live))
    assert doc["clusters"][0]["pools_near_exhaustion"] == [
        {"pool": "web", "family": "IPv4", "assigned": 26, "available": 6}
    ]
    assert doc["clusters"][1]["pools_near_exhaustion"] == []


@pytest.mark.parametrize(
    ("assigned", "available", "near"),
    [(8, 2, True), (7, 3, False), (0, 0, False), (5, 0, True), (True, 0, False), (-1, 9, False)],
)
def test_near_means_80_percent_used(assigned, available, near):
    from gitops_lb.reconcile.state import LiveState

    state = LiveState("test", "metallb-system")
    pool = metallb("IPAddressPool", "p", {"addresses": ["10.0.0.0/28"]})
    pool["status"] = {"assignedIPv6": assigned, "availableIPv6": available}
    state.add("IPAddressPool", pool)
    found = fleet.near_exhaustion(state)
    assert bool(found) is near
    assert fleet.NEAR_USED == 0.80


def test_order_and_bytes_do_not_depend_on_jobs(tmp_path, capsys):
    """Several sites and clusters, listed out of order in the files: the report is in cluster
    id order and the same bytes whatever --jobs (processes finish in any order)."""
    site = write_site(tmp_path)
    other = tmp_path / "a-site.yaml"
    text = site.read_text().replace("name: dc1", "name: dc0")
    other.write_text(
        text.replace("- name: prod", "- name: zeta").replace("name: stage", "name: ab")
    )
    live = write_live_dir(
        tmp_path,
        {
            "dc1/prod": drifted("changed")[0],
            "dc1/stage": stage_in_sync(),
            "dc0/zeta": drifted("missing")[0],
            "dc0/ab": None,
        },
    )
    outputs = set()
    for jobs in ("1", "2", "4"):
        for fmt in ("text", "json"):
            code, out, err = run(
                capsys, str(site), str(other), "--live-dir", str(live), "-j", jobs, "-f", fmt
            )
            assert (code, err) == (3, "")
            outputs.add((fmt, out))
    assert len(outputs) == 2
    doc = json.loads(next(out for fmt, out in outputs if fmt == "json"))
    assert [c["cluster"] for c in doc["clusters"]] == [
        "dc0/ab",
        "dc0/zeta",
        "dc1/prod",
        "dc1/stage",
    ]


def test_progress_line_only_on_a_terminal(tmp_path, capsys, monkeypatch):
    site, live = two_clusters(tmp_path)
    code, _, err = run(capsys, str(site), "--live-dir", str(live), "--jobs", "1")
    assert (code, err) == (1, "")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, str(site), "--live-dir", str(live), "--jobs", "1")
    assert code == 1
    assert err == (
        "\r[1/2] read dc1/prod\r[2/2] read dc1/stage\r" + " " * len("[2/2] read dc1/stage") + "\r"
    )
    assert "\r" not in out


def test_invalid_site_spec_clusters_are_not_compared(tmp_path, capsys):
    site, live = two_clusters(tmp_path)
    other = tmp_path / "dc2.yaml"
    other.write_text(
        site.read_text()
        .replace("name: dc1", "name: dc2")
        .replace("autoAssign: false", "autoAssign: no!")
    )
    code, out, _ = run(capsys, str(site), str(other), "--live-dir", str(live))
    assert code == 1  # dc2 has no dump folder, but its clusters are not even read
    lines = out.splitlines()
    assert lines[0].startswith(f"{other}:") and lines[0].endswith("[schema-invalid]")
    assert "dc2/prod: not compared: its site spec has errors" in lines
    assert "dc2/prod   -        not compared  -                      -" in lines
    assert lines[-1] == "4 clusters: 1 in sync, 1 not in sync, 2 not compared"
    code, doc = run_json(capsys, str(site), str(other), "--live-dir", str(live))
    assert [d["rule"] for d in doc["diagnostics"]] == ["schema-invalid"]
    assert (doc["summary"]["errors"], doc["summary"]["not_compared"]) == (1, 2)
    # every cluster compared is in sync: the errors in the site specs still make it 1
    write_live_dir(tmp_path, {"dc1/prod": drifted()[0]})
    code, out, _ = run(capsys, str(site), str(other), "--live-dir", str(live))
    assert code == 1, out


def test_one_cluster_of_a_live_dir(tmp_path, capsys):
    site, live = two_clusters(tmp_path)
    code, out, _ = run(capsys, str(site), "--cluster", "dc1/prod", "--live-dir", str(live))
    assert code == 1
    assert out.splitlines()[-1] == (
        f"dc1/prod against dump {live / 'dc1/prod/live.yaml'}: not in sync (2 errors, 0 warnings)"
    )
    code, out, err = run(capsys, str(site), "--cluster", "dc1/stage", "--live-dir", str(tmp_path))
    assert (code, out) == (3, "")
    assert err == (
        f"gitops-lb: error: no dump of dc1/stage: {tmp_path / 'dc1/stage'} is not a folder\n"
    )


def test_usage_errors(tmp_path, capsys):
    site, live = two_clusters(tmp_path)
    dump = live / "dc1" / "prod" / "live.yaml"
    cases = [
        (["--live", str(dump)], "--live reads the dump of one cluster; the site specs hold 2"),
        (["--context", "prod"], "--context names one cluster's context; the site specs hold 2"),
        (["--live-dir", str(live), "--kubeconfig", "k"], "--live-dir reads dumps"),
        (["--live-dir", str(live), "--live", str(dump)], "not both"),
        (["--live-dir", str(live), "--jobs", "0"], "--jobs/-j: must be 1 or more"),
        (["--live-dir", str(live), "--jobs", "two"], "--jobs/-j: not a whole number: 'two'"),
    ]
    for extra, message in cases:
        code, out, err = run(capsys, str(site), *extra)
        assert (code, out) == (2, ""), extra
        assert message in err, (extra, err)
    tree = tmp_path / "deploy"
    tree.mkdir()
    (tree / "pool.yaml").write_text(
        "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
        "metadata: {name: p, namespace: metallb-system}\nspec: {addresses: [10.0.0.0/28]}\n"
    )
    code, _, err = run(capsys, str(tree), "--live-dir", str(live))
    assert code == 2 and "PATH holds manifests of one cluster" in err


def test_one_cluster_site_with_live_or_context_stays_single(tmp_path, capsys):
    site = tmp_path / "one.yaml"
    text = write_site(tmp_path).read_text()
    site.write_text(text[: text.index("    - name: stage")])
    dump = write_live_dir(tmp_path, {"dc1/prod": drifted()[0]}) / "dc1/prod/live.yaml"
    code, doc = run_json(capsys, str(site), "--live", str(dump))
    assert (code, doc["cluster"], doc["in_sync"]) == (0, "dc1/prod", True)
    code, doc = run_json(capsys, str(site), "--live-dir", str(tmp_path / "live"))
    assert (code, [c["cluster"] for c in doc["clusters"]]) == (0, ["dc1/prod"])


def test_site_specs_without_a_cluster(tmp_path, capsys):
    site = tmp_path / "empty.yaml"
    text = write_site(tmp_path).read_text()
    site.write_text(text[: text.index("  clusters:")] + "  clusters: []\n")
    code, out, err = run(capsys, str(site), "--live-dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == "gitops-lb: error: the site specs declare no cluster\n"


def test_default_jobs():
    from gitops_lb.cli import reconcile_cmd

    assert reconcile_cmd.DEFAULT_JOBS == fleet.DEFAULT_JOBS == 8
    assert [fleet.default_jobs(n) for n in (0, 1, 3, 8, 50)] == [1, 1, 3, 8, 8]
