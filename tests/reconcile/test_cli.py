"""The reconcile command: desired state from site specs or manifests, dumps, text output,
exit statuses, usage errors, and `kubernetes` imported only when the API is read."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.reconcile.helpers import run, run_json, site_args, write_dump, write_site
from tests.reconcile.scenario import drifted, metallb

ROOT = Path(__file__).resolve().parents[2]


def test_text_output_one_difference_per_line(tmp_path, capsys):
    objects, _ = drifted("changed", "unmanaged")
    live = write_dump(tmp_path, objects)
    site = write_site(tmp_path)
    code, out, err = run(capsys, *site_args(site), "--live", str(live))
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{site}:19:11: error: IPAddressPool metallb-system/web spec.autoAssign: Git true, live "
        "false [changed]",
        f'{site}:23:25: error: L2Advertisement metallb-system/web spec.interfaces: Git ["eth3"], '
        'live ["eth3", "eth4"] [changed]',
        '<live>: warning: Service team/rogue is not in Git but holds ["192.168.10.90"] from pool '
        "web [unmanaged]",
        f"dc1/prod against dump {live}: not in sync (2 errors, 1 warning)",
    ]


def test_in_sync_text(tmp_path, capsys):
    live = write_dump(tmp_path, drifted()[0])
    code, out, _ = run(capsys, *site_args(write_site(tmp_path)), "--live", str(live))
    assert (code, out) == (0, f"dc1/prod against dump {live}: in sync (0 errors, 0 warnings)\n")


def test_dump_in_several_files_and_documents(tmp_path, capsys):
    objects, _ = drifted("misassigned", "extra")
    whole = run_json(
        capsys, *site_args(write_site(tmp_path)), "--live", str(write_dump(tmp_path, objects))
    )
    first = write_dump(tmp_path, objects[:5], "a.yaml")
    second = tmp_path / "b.yaml"
    second.write_text(yaml.safe_dump_all(objects[5:]))
    split = run_json(capsys, *site_args(write_site(tmp_path)), "--live", str(first), str(second))
    assert split[0] == whole[0] == 1
    assert split[1]["differences"] == whole[1]["differences"]


def test_dump_from_stdin(tmp_path, capsys, monkeypatch):
    objects, _ = drifted("missing")
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objects})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, doc = run_json(capsys, *site_args(write_site(tmp_path)), "--live", "-")
    assert code == 1
    assert [d["type"] for d in doc["differences"]] == ["missing"]


def test_dump_ignores_metallb_objects_of_other_namespaces(tmp_path, capsys):
    objects, _ = drifted()
    stray = metallb("IPAddressPool", "elsewhere", {"addresses": ["10.1.0.0/24"]})
    stray["metadata"]["namespace"] = "default"
    live = write_dump(tmp_path, [*objects, stray])
    code, doc = run_json(capsys, *site_args(write_site(tmp_path)), "--live", str(live))
    assert (code, doc["differences"]) == (0, [])


def test_unparsable_dump_exits_3(tmp_path, capsys):
    live = tmp_path / "live.yaml"
    live.write_text("items: [\n")
    code, out, err = run(capsys, *site_args(write_site(tmp_path)), "--live", str(live))
    assert (code, out) == (3, "")
    assert err.startswith(f"gitops-lb: error: cannot read the live state: {live}:2:1: YAML:")


def test_missing_dump_exits_3(tmp_path, capsys):
    code, _, err = run(capsys, *site_args(write_site(tmp_path)), "--live", "gone.yaml")
    assert code == 3
    assert "gone.yaml:1:1: no such file or folder" in err


def test_cluster_choice(tmp_path, capsys):
    site = write_site(tmp_path)
    live = write_dump(tmp_path, drifted()[0])
    code, _, err = run(capsys, str(site), "--live", str(live))
    assert code == 2
    assert "--live reads the dump of one cluster; the site specs hold 2: pass --cluster" in err
    code, _, err = run(capsys, str(site), "--cluster", "dc1/qa", "--live", str(live))
    assert code == 2 and "cluster 'dc1/qa' is not in the site specs" in err
    code, doc = run_json(capsys, str(site), "--cluster", "prod", "--live", str(live))
    assert (code, doc["cluster"]) == (0, "dc1/prod")


def test_invalid_site_spec_is_not_compared(tmp_path, capsys):
    site = tmp_path / "site.yaml"
    site.write_text(
        write_site(tmp_path).read_text().replace("autoAssign: false", "autoAssign: no!")
    )
    live = write_dump(tmp_path, drifted()[0])
    code, doc = run_json(capsys, *site_args(site), "--live", str(live))
    assert (code, doc["in_sync"], doc["differences"]) == (1, False, [])
    assert [d["rule"] for d in doc["diagnostics"]] == ["schema-invalid"]
    code, out, _ = run(capsys, *site_args(site), "--live", str(live))
    assert out.splitlines()[-1].endswith(
        "not compared: the desired state has errors (1 error, 0 warnings)"
    )


MANIFESTS = """\
apiVersion: cluster.alauda.io/v1alpha1
kind: ClusterPluginInstance
metadata: {name: metallb}
spec: {pluginName: metallb}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: edge, namespace: lb}
spec: {addresses: [203.0.113.0/28]}
"""


def test_manifests_as_the_desired_state(tmp_path, capsys):
    tree = tmp_path / "deploy" / "dc1" / "prod"
    tree.mkdir(parents=True)
    (tree / "objects.yaml").write_text(MANIFESTS)
    live = tmp_path / "live.yaml"
    live.write_text(yaml.safe_dump({"kind": "List", "apiVersion": "v1", "items": []}))
    code, doc = run_json(capsys, str(tree), "--namespace", "lb", "--live", str(live))
    assert code == 1
    assert {(d["type"], d["name"]) for d in doc["differences"]} == {
        ("missing", "edge"),
        ("plugin-missing", "metallb"),
    }
    where = [(d["file"], d["line"]) for d in doc["differences"]]
    assert where == [(str(tree / "objects.yaml"), 1), (str(tree / "objects.yaml"), 6)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--timeout", "0"], "must be more than 0"),
        (["--timeout", "soon"], "not a number of seconds"),
        (["--namespace", "x"], "--namespace is for manifests"),
        (["--format", "sarif"], "invalid choice"),
    ],
)
def test_usage_errors(tmp_path, capsys, argv, message):
    live = write_dump(tmp_path, drifted()[0])
    code, _, err = run(capsys, *site_args(write_site(tmp_path)), "--live", str(live), *argv)
    assert code == 2
    assert message in err


def test_stdin_only_once(capsys):
    code, _, err = run(capsys, "-", "--live", "-")
    assert code == 2 and "only once" in err


def test_only_the_live_reader_imports_kubernetes():
    importing = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "gitops_lb").rglob("*.py"))
        if any(
            line.strip().startswith(("import kubernetes", "from kubernetes"))
            for line in p.read_text().splitlines()
        )
    ]
    assert importing == ["gitops_lb/reconcile/live.py"]


def test_dump_reconcile_and_lint_do_not_load_kubernetes(tmp_path):
    site = write_site(tmp_path)
    live = write_dump(tmp_path, drifted()[0])
    code = (
        "import sys\n"
        "from gitops_lb.cli import main\n"
        f"main(['reconcile', {str(site)!r}, '--cluster', 'dc1/prod', '--live', {str(live)!r}])\n"
        f"main(['lint', {str(live)!r}])\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'kubernetes'], 'loaded'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_l2_announcements_point_at_the_plan_in_git(tmp_path, capsys):
    objects, _ = drifted("l2-announcement")
    site = write_site(tmp_path)
    code, doc = run_json(capsys, *site_args(site), "--live", str(write_dump(tmp_path, objects)))
    lines = site.read_text().splitlines()
    where = {
        d["path"]: lines[d["line"] - 1].strip()
        for d in doc["differences"]
        if d["file"] == str(site)
    }
    assert code == 1
    assert where == {
        "status.node": 'nodeSelectors: [{matchLabels: {lb: "yes"}}]',
        "status.interfaces": "interfaces: [eth3]",
    }
